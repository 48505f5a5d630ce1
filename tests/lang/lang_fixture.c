#include <check.h>
#include <stdio.h>
#include <string.h>

#include "lang_fixture.h"
#include "registry.h"

interp *fake_it;
fake_out fake_rec;

void fake_open(void)
{
    fake_it = lang_interp_new(&commands_library);
    ck_assert_ptr_nonnull(fake_it);
    memset(&fake_rec, 0, sizeof fake_rec);
    fake_rec.interrupt_after = -1;
}

void fake_close(void)
{
    fake_free(&fake_rec);
    fake_it->free(fake_it->self);
    fake_it = NULL;
}

void fake_ok(const char *code)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    if (!r.ok)
        ck_abort_msg("%s failed: %s: %s", code, r.ename, r.evalue);
    reply_free(&r);
}

const char *fake_fails(const char *code, const char *ename,
                       const char *evalue)
{
    static char said[1024];
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(!r.ok, "%s succeeded", code);
    ck_assert_str_eq(r.ename, ename);
    if (evalue)
        ck_assert_str_eq(r.evalue, evalue);
    snprintf(said, sizeof said, "%s", r.evalue);
    reply_free(&r);
    return said;
}

/* Runs code; fails unless its text/plain result is `want`. */
void fake_shows(const char *code, const char *want)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(r.ok, "%s failed: %s", code, r.evalue ? r.evalue : "");
    const char *t = r.result
        ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    ck_assert_msg(t && strcmp(t, want) == 0, "%s shows %s, not %s", code,
                  t ? t : "nothing", want);
    reply_free(&r);
}
