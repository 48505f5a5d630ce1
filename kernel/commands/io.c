#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

/* ---- output -------------------------------------------------------- */

/* Joins the arguments' print texts with spaces and a final newline. */
static char *join_rest(const args *a)
{
    size_t n = 2;
    char **parts = calloc((size_t)a->nrest + 1, sizeof *parts);
    if (!parts)
        return NULL;
    int ok = 1;
    for (int i = 0; i < a->nrest && ok; i++) {
        ok = (parts[i] = value_str_text(a->rest[i])) != NULL;
        if (ok)
            n += strlen(parts[i]) + 1;
    }
    char *s = ok ? malloc(n) : NULL;
    if (s) {
        char *w = s;
        for (int i = 0; i < a->nrest; i++)
            w += sprintf(w, "%s%s", i ? " " : "", parts[i]);
        strcpy(w, "\n");
    }
    for (int i = 0; i < a->nrest; i++)
        free(parts[i]);
    free(parts);
    return s;
}

static value *write_stream(lang_run *run, const args *a, const char *name)
{
    char *s = join_rest(a);
    if (!s) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    run->out->stream(run->out->ctx, name, s);
    free(s);
    return builtin_none(run, a);
}

static value *run_print(lang_run *run, const args *a)
{
    return write_stream(run, a, "stdout");
}

static value *run_warn(lang_run *run, const args *a)
{
    return write_stream(run, a, "stderr");
}

static value *run_clear(lang_run *run, const args *a)
{
    int wait;
    if (arg_bool(run, a, "wait", &wait) < 0)
        return NULL;
    run->out->clear(run->out->ctx, wait);
    return builtin_none(run, a);
}

static value *run_ask(lang_run *run, const args *a)
{
    const char *prompt;
    int password;
    if (arg_str(run, a, "prompt", &prompt) < 0
        || arg_bool(run, a, "password", &password) < 0)
        return NULL;
    char *line = run->out->input(run->out->ctx, prompt, password);
    if (!line) {
        if (run->out->interrupted(run->out->ctx))
            lang_err_set(run->e, "KeyboardInterrupt", a->call->pos,
                         a->call->len, "interrupted while waiting for input");
        else
            lang_err_set(run->e, "StdinNotImplementedError", a->call->pos,
                         a->call->len,
                         "ask needs input, but this frontend does not "
                         "allow it (allow_stdin is false)");
        return NULL;
    }
    value *v = value_str(line);
    free(line);
    return builtin_made(run, a, v);
}

/* ---- the family ---------------------------------------------------- */

static const param p_none[] = { PARAM_END };
static const param p_clear[] = {
    PARAM_BOOL("wait", 0, "clear when the next output arrives (no flicker)"),
    PARAM_END
};
static const param p_ask[] = {
    PARAM_STR("prompt", "", "the text shown before the input box"),
    PARAM_BOOL("password", 0, "hide what is typed"),
    PARAM_END
};

static const builtin table[] = {
    { "print", B_FUNC, p_none, 0, 1, run_print,
      "writes the values, separated by spaces, and a newline", { 0 } },
    { "warn", B_FUNC, p_none, 0, 1, run_warn,
      "like print, on the error stream", { 0 } },
    { "clear", B_FUNC, p_clear, 0, 0, run_clear,
      "clears the output of the cell", { 0 } },
    { "ask", B_FUNC, p_ask, 0, 0, run_ask,
      "asks the user for a line of text and returns it", { 0 } },
};

const builtin_family io_family = {
    "io", table, sizeof table / sizeof *table
};
