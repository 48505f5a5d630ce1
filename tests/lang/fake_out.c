#include <stdlib.h>
#include <string.h>

#include "fake_out.h"

static void append(char **s, const char *t)
{
    size_t a = *s ? strlen(*s) : 0, b = strlen(t);
    char *n = realloc(*s, a + b + 1);
    if (!n)
        abort();
    memcpy(n + a, t, b + 1);
    *s = n;
}

static void f_stream(void *ctx, const char *name, const char *text)
{
    fake_out *f = ctx;
    append(strcmp(name, "stdout") == 0 ? &f->out : &f->err, text);
}

static void f_display(void *ctx, json_t *data, json_t *metadata,
                      const char *display_id, int update)
{
    fake_out *f = ctx;
    (void)metadata;
    json_array_append_new(f->displays,
                          json_pack("{s:O, s:s?, s:b}", "data", data,
                                    "display_id", display_id, "update",
                                    update));
}

static void f_clear(void *ctx, int wait)
{
    fake_out *f = ctx;
    (void)wait;
    f->clears++;
}

static int f_interrupted(void *ctx)
{
    fake_out *f = ctx;
    f->polls++;
    return f->interrupt_after >= 0 && f->polls > f->interrupt_after;
}

static char *f_input(void *ctx, const char *prompt, int password)
{
    fake_out *f = ctx;
    (void)password;
    free(f->prompt);
    f->prompt = strdup(prompt);
    return f->input ? strdup(f->input) : NULL;
}

void fake_init(fake_out *f, interp_out *o)
{
    memset(f, 0, sizeof *f);
    f->out = strdup("");
    f->err = strdup("");
    f->displays = json_array();
    f->interrupt_after = -1;
    o->ctx = f;
    o->stream = f_stream;
    o->display = f_display;
    o->clear = f_clear;
    o->interrupted = f_interrupted;
    o->input = f_input;
}

void fake_free(fake_out *f)
{
    free(f->out);
    free(f->err);
    free(f->prompt);
    json_decref(f->displays);
    memset(f, 0, sizeof *f);
}

void fake_run(interp *it, fake_out *f, const char *code, interp_reply *r)
{
    interp_out o;
    int after = f->interrupt_after;
    const char *input = f->input;
    fake_free(f);
    fake_init(f, &o);
    f->interrupt_after = after;
    f->input = input;
    memset(r, 0, sizeof *r);
    it->execute(it->self, code, 0, &o, r);
}

void reply_free(interp_reply *r)
{
    json_decref(r->result);
    json_decref(r->payload);
    free(r->ename);
    free(r->evalue);
    json_decref(r->traceback);
    memset(r, 0, sizeof *r);
}

const char *fake_shown(const fake_out *f, int i, const char *mime)
{
    int n = (int)json_array_size(f->displays);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return "";
    json_t *d = json_object_get(json_array_get(f->displays, (size_t)i), "data");
    const char *s = json_string_value(json_object_get(d, mime));
    return s ? s : "";
}

const char *fake_last_text(const fake_out *f)
{
    return fake_shown(f, -1, "text/plain");
}

const char *fake_last_html(const fake_out *f)
{
    return fake_shown(f, -1, "text/html");
}

char *plain_traceback(const interp_reply *r)
{
    char *s = strdup("");
    size_t i;
    json_t *v;
    json_array_foreach(r->traceback, i, v) {
        append(&s, json_string_value(v));
        append(&s, "\n");
    }
    /* Drop ANSI escapes. */
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '\x1b') {
            while (*p && *p != 'm')
                p++;
            if (!*p)
                break;
            continue;
        }
        *w++ = *p;
    }
    *w = '\0';
    return s;
}
