#include <assert.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cnn_config.h"
#include "complete.h"
#include "eval.h"
#include "lang.h"
#include "lex.h"
#include "nn_cpu.h"
#include "parse.h"

typedef struct lang {
    interp it;
    env names;
    const lang_library *lib;  /* the builtins cells call */
} lang;

static json_t *kernel_info(void *self)
{
    (void)self;
    const char *tuned = getenv("CNN_OPENBLAS_TUNED"); /* set by main.c */
    if (tuned && !*tuned)
        tuned = NULL;
    /* The limits in force: the CPUs and memory the process is given
     * (affinity mask, cgroup v2), which the engine follows. */
    int cpus = cgroup_cpus(CGROUP_MOUNT, CGROUP_SELF);
    if (cpus < 1)
        cpus = nn_cpu_threads();
    double gib = (double)nn_cpu_memory() / (1024.0 * 1024 * 1024);
    char banner[640];
    snprintf(banner, sizeof banner,
             "cnn %s: small neural networks in a notebook\n"
             "engine: nn (C11) on OpenBLAS, core %s, %d thread%s%s%s%s\n"
             "limits: %d CPU%s, %.1f GiB of memory\n"
             "Type help for the language, help fit for one command.\n",
             CNN_VERSION, nn_cpu_corename(), nn_cpu_threads(),
             nn_cpu_threads() == 1 ? "" : "s",
             tuned ? " (OPENBLAS_CORETYPE=" : "", tuned ? tuned : "",
             tuned ? " set by cnn)" : "", cpus, cpus == 1 ? "" : "s", gib);
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, "
                     "s:[{s:s, s:s}]}",
                     "implementation", "cnn",
                     "implementation_version", CNN_VERSION,
                     "banner", banner,
                     "language_info",
                     "name", "cnn", "version", CNN_VERSION,
                     "mimetype", "text/x-cnn", "file_extension", ".cnn",
                     "pygments_lexer", "python", "codemirror_mode", "python",
                     "help_links", "text", "cnn language reference",
                     "url", CNN_DOCS_URL);
}

/* Lexes and parses a cell; returns 0 or -1 with the SyntaxError in e. */
static int parse_source(const lang *l, const char *code, arena *a, cell *c,
                        lang_err *e)
{
    lex_result r;
    int at_end;
    if (lex_run(code, a, &r, e) < 0)
        return -1;
    int rc = parse_cell(&r, l->lib, a, c, e, &at_end);
    lex_free(&r);
    return rc;
}

/* An error reply for e. Without memory for its strings the reply has
 * ename and evalue NULL (interp.h: the protocol says MemoryError). */
static void fill_error(interp_reply *reply, const char *code,
                       const lang_err *e)
{
    reply->ok = 0;
    reply->ename = strdup(e->ename ? e->ename : "Error");
    reply->evalue = strdup(e->msg);
    reply->traceback = diag_traceback(code, e, 1);
    if (!reply->traceback)
        reply->traceback = json_array();
    if (!reply->ename || !reply->evalue || !reply->traceback) {
        free(reply->ename);
        free(reply->evalue);
        json_decref(reply->traceback);
        reply->ename = reply->evalue = NULL;
        reply->traceback = NULL;
    }
}

/* Hands the memory a cell freed back to the system. glibc keeps freed
 * heap memory for reuse, so the peak of a cell of millions of numbers (or
 * of the values it replaced) would stay with the kernel for good; a trim
 * costs about a millisecond per hundred megabytes of heap. */
static void trim(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

static void execute(void *self, const char *code, int silent,
                    const interp_out *out, interp_reply *reply)
{
    lang *l = self;
    arena a;
    arena_init(&a);
    cell c;
    lang_err e = { 0 };
    value *last = NULL;
    json_t *payload = json_array();
    lang_run run = { &l->names, l->lib, code, out, &e, payload, NULL };
    int rc = payload ? parse_source(l, code, &a, &c, &e)
                     : lang_err_oom(&e, -1);
    if (rc == 0)
        rc = eval_cell(&run, &c, &last);
    if (rc == 0) {
        reply->ok = 1;
        if (last && last->kind != V_NONE && !silent
            && !(reply->result = l->lib->show(last))) {
            lang_err_oom(&e, -1);
            fill_error(reply, code, &e);
        }
    } else {
        fill_error(reply, code, &e);
    }
    if (payload && json_array_size(payload) > 0)
        reply->payload = payload;
    else
        json_decref(payload);
    value_unref(last);
    arena_free(&a);
    trim();
}

/* Output of user_expressions goes nowhere. */
static void null_stream(void *ctx, const char *name, const char *text)
{
    (void)ctx, (void)name, (void)text;
}

static void null_display(void *ctx, json_t *data, json_t *metadata,
                         const char *display_id, int update)
{
    (void)ctx, (void)data, (void)metadata, (void)display_id, (void)update;
}

static void null_clear(void *ctx, int wait)
{
    (void)ctx, (void)wait;
}

static int null_interrupted(void *ctx)
{
    (void)ctx;
    return 0;
}

static char *null_input(void *ctx, const char *prompt, int password)
{
    (void)ctx, (void)prompt, (void)password;
    return NULL;
}

static const interp_out null_out = {
    NULL, null_stream, null_display, null_clear, null_interrupted, null_input
};

static json_t *expression(void *self, const char *expr)
{
    lang *l = self;
    arena a;
    arena_init(&a);
    lang_err e = { 0 };
    lex_result r;
    json_t *res = NULL;
    value *v = NULL;
    node *n = NULL;
    lang_run run = { &l->names, l->lib, expr, &null_out, &e, NULL, NULL };
    if (lex_run(expr, &a, &r, &e) == 0) {
        n = parse_expression(&r, l->lib, &a, &e);
        lex_free(&r);
    }
    if (n)
        v = eval_expr(&run, n);
    if (v) {
        json_t *data = l->lib->show(v);
        res = data ? json_pack("{s:s, s:o, s:{}}", "status", "ok", "data",
                               data, "metadata")
                   : NULL;
    } else {
        json_t *tb = diag_traceback(expr, &e, 1);
        res = json_pack("{s:s, s:s, s:s, s:o}", "status", "error", "ename",
                        e.ename ? e.ename : "Error", "evalue", e.msg,
                        "traceback", tb ? tb : json_array());
    }
    value_unref(v);
    arena_free(&a);
    return res;
}

static json_t *complete(void *self, const char *code, int cursor_pos)
{
    lang *l = self;
    return complete_matches(l->lib, &l->names, code, cursor_pos);
}

static json_t *inspect(void *self, const char *code, int cursor_pos,
                       int detail_level)
{
    lang *l = self;
    (void)detail_level;
    return complete_inspect(l->lib, &l->names, code, cursor_pos);
}

static json_t *is_complete(void *self, const char *code)
{
    lang *l = self;
    return complete_is_complete(l->lib, code);
}

static void lang_free(void *self)
{
    lang *l = self;
    env_free(&l->names);
    free(l);
}

interp *lang_interp_new(const lang_library *lib)
{
    assert(lib && lib->families && lib->show);
    lang *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    env_init(&l->names);
    l->lib = lib;
    l->it.self = l;
    l->it.kernel_info = kernel_info;
    l->it.execute = execute;
    l->it.expression = expression;
    l->it.complete = complete;
    l->it.inspect = inspect;
    l->it.is_complete = is_complete;
    l->it.free = lang_free;
    return &l->it;
}
