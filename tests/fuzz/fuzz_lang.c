/* libFuzzer target for the cell language (kernel/lang/): the lexer,
 * parser, completion and inspection on every input, and evaluation
 * through a recording interp_out (tests/lang/fake_out.c) on inputs whose
 * cost is bounded.
 *
 * Keeping each input cheap: the language has no loops, so a cell's cost
 * comes from its sizes (n=, epochs=, linear(units), ...). An input is
 * evaluated only when every number written in it is at most 64 and it
 * holds no '*' or '/' (so sizes stay small: 64 + 64 + ... at most) and no
 * backslash; others are only parsed, completed and inspected. Training is
 * cut short by the interrupt: interrupted() turns true after a budget of
 * polls (one per statement and per training step), as a user's interrupt
 * would. Files a cell writes land in a private temporary directory (a path
 * needs '/' to leave it), removed at exit. Allocations above 256 MiB fail
 * (return NULL) instead of aborting, so that the out-of-memory paths run. */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_out.h"
#include "registry.h"

#define MAX_NUMBER 64
#define MAX_PLUS 4
#define POLL_BUDGET 64

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=256";
}

static char dir[64];

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_dir(void)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Moves into a new temporary directory: give libFuzzer absolute paths
 * (tests/fuzz/run does). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "/tmp/fuzz_lang.XXXXXX");
    if (!mkdtemp(dir) || chdir(dir) != 0)
        abort();
    atexit(remove_dir);
    return 0;
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '_';
}

/* Whether evaluating code has a bounded cost (see the top comment). */
static int cheap(const char *code)
{
    int plus = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '*' || *p == '/' || *p == '\\' || (*p == '+' && ++plus > MAX_PLUS))
            return 0;
        int starts = (*p >= '0' && *p <= '9')
                     || (*p == '.' && p[1] >= '0' && p[1] <= '9');
        if (starts && (p == code || !ident_char(p[-1]))) {
            char *end;
            double v = strtod(p, &end);
            if (!(v <= MAX_NUMBER))
                return 0;
            p = end - 1;
        }
    }
    return 1;
}

/* Code points in code (the protocol's cursor unit). */
static int code_points(const char *code)
{
    int n = 0;
    for (const char *p = code; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

static void check_reply(const interp_reply *r)
{
    if (r->ok ? r->ename != NULL
              : !r->ename || !r->evalue || !json_is_array(r->traceback))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *code = malloc(size + 1);
    if (!code)
        return 0;
    memcpy(code, data, size);
    code[size] = '\0';
    interp *it = lang_interp_new(&commands_library);
    if (!it)
        abort();
    int len = code_points(code);
    json_decref(it->is_complete(it->self, code));
    json_decref(it->complete(it->self, code, len));
    json_decref(it->complete(it->self, code, len / 2));
    json_decref(it->inspect(it->self, code, len, 0));
    if (cheap(code)) {
        fake_out f;
        memset(&f, 0, sizeof f);
        f.interrupt_after = POLL_BUDGET;
        interp_reply r;
        fake_run(it, &f, code, &r);
        check_reply(&r);
        reply_free(&r);
        json_decref(it->expression(it->self, code));
        fake_free(&f);
    }
    it->free(it->self);
    free(code);
    return 0;
}
