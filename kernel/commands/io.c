#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "nn_csv_out.h"
#include "nn_file.h"
#include "record.h"
#include "sb.h"

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

/* ---- CSV out ------------------------------------------------------- */

/* A row of numbers of a packed list, or nothing when l is not one. */
static void write_row(FILE *f, const value *l, int i)
{
    for (int j = 0; j < l->as.list.cols; j++) {
        size_t at = (size_t)i * l->as.list.cols + j;
        nn_csv_put_float(f, (float)l->as.list.nums[at]);
        fputc(',', f);
    }
}

/* A regression net's predictions: the inputs, then a column a target. */
static void write_values(FILE *f, const value *p)
{
    const value *in = value_rec_get(p, "inputs");
    const value *names = value_rec_get(p, "features");
    const value *targets = value_rec_get(p, "targets");
    const value *val = value_rec_get(p, "value");
    for (int j = 0; j < names->as.list.n; j++) {
        nn_csv_put_field(f, names->as.list.items[j]->as.str);
        fputc(',', f);
    }
    for (int j = 0; j < targets->as.list.n; j++) {
        nn_csv_put_field(f, targets->as.list.items[j]->as.str);
        fputc(j + 1 < targets->as.list.n ? ',' : '\n', f);
    }
    for (int i = 0; i < val->as.list.n; i++) {
        write_row(f, in, i);
        for (int j = 0; j < val->as.list.cols; j++) {
            size_t at = (size_t)i * val->as.list.cols + j;
            nn_csv_put_float(f, (float)val->as.list.nums[at]);
            fputc(j + 1 < val->as.list.cols ? ',' : '\n', f);
        }
    }
}

static void write_predictions(FILE *f, const value *p)
{
    if (value_rec_get(p, "value")) {
        write_values(f, p);
        return;
    }
    const value *in = value_rec_get(p, "inputs");
    const value *names = value_rec_get(p, "features");
    const value *prob = value_rec_get(p, "prob");
    const value *cls = value_rec_get(p, "class");
    for (int j = 0; j < names->as.list.n; j++) {
        nn_csv_put_field(f, names->as.list.items[j]->as.str);
        fputc(',', f);
    }
    for (int j = 0; j < prob->as.list.cols; j++)
        fprintf(f, "p%d,", j);
    fputs("class\n", f);
    for (int i = 0; i < cls->as.list.n; i++) {
        write_row(f, in, i);
        write_row(f, prob, i);
        const value *c = cls->as.list.items[i];
        if (c->kind == V_STR)
            nn_csv_put_field(f, c->as.str);
        else
            nn_csv_put_float(f, (float)c->as.num);
        fputc('\n', f);
    }
}

/* Writes predictions p as CSV to the file at path, replaced only when all
 * is written. Returns 0, or -1 with the reason in e. */
static int save_predictions(const value *p, const char *path, nn_err *e)
{
    nn_file_out out;
    FILE *f = nn_file_begin(&out, path, e);
    if (!f)
        return -1;
    write_predictions(f, p);
    return nn_file_commit(&out, e);
}

value *io_save_csv(lang_run *run, const args *a, const value *v)
{
    int len, pos = arg_pos(a, "path", &len);
    const char *path;
    if (v->kind != V_DATA && !record_is_predictions(v)) {
        int vlen, vpos = arg_pos(a, "net", &vlen);
        lang_err_set(run->e, "TypeError", vpos, vlen,
                     "save writes a net, a data set or predictions (p = "
                     "predict net on test), not %s", value_kind_name(v));
        return NULL;
    }
    if (arg_str(run, a, "path", &path) < 0)
        return NULL;
    nn_err err;
    int rc = v->kind == V_DATA ? nn_csv_write(v->as.data.set, path, &err)
                               : save_predictions(v, path, &err);
    if (rc < 0) {
        lang_err_engine(run->e, "OSError", pos, len, NULL, &err);
        return NULL;
    }
    int rows = v->kind == V_DATA ? v->as.data.set->n
             : value_rec_get(v, "inputs")->as.list.n;
    char *s = sb_printf("saved %d row%s to %s\n", rows, rows == 1 ? "" : "s",
                        path);
    if (s)
        run->out->stream(run->out->ctx, "stdout", s);
    free(s);
    return builtin_none(run, a);
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
