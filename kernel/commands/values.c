#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "table.h"
#include "show.h"
#include "utf8.h"
#include "values.h"

static value *fail(lang_run *run, const args *a, const char *name,
                   const char *ename, const char *msg, const value *v)
{
    int len, pos = arg_pos(a, name, &len);
    lang_err_set(run->e, ename, pos, len, "%s: %s%s%s", a->fn->name, msg,
                 v ? ", not " : "", v ? value_kind_name(v) : "");
    return NULL;
}

static value *run_len(lang_run *run, const args *a)
{
    value *v = arg_get(a, "value");
    double n;
    switch (v->kind) {
    case V_LIST: n = v->as.list.n; break;
    case V_STR: n = utf8_count(v->as.str, (int)strlen(v->as.str)); break;
    case V_DATA: n = v->as.data.set->n; break;
    case V_REC: n = v->as.rec.n; break;
    default:
        return fail(run, a, "value", "TypeError",
                    "takes a list, a string, a data set or a record", v);
    }
    return builtin_made(run, a, value_num(n));
}

/* The numbers min, max and mean work on: the items of the one list given,
 * or the arguments. Returns the count with *xs malloc'd, or -1 with the
 * error set. */
static int numbers(lang_run *run, const args *a, double **xs)
{
    const value *l = a->nrest == 1 && a->rest[0]->kind == V_LIST
                   ? a->rest[0] : NULL;
    int n = l ? l->as.list.n : a->nrest;
    if (n == 0) {
        lang_err_set(run->e, "ValueError", a->call->pos, a->call->len,
                     "%s of nothing: give a list with at least one number",
                     a->fn->name);
        return -1;
    }
    *xs = malloc((size_t)n * sizeof **xs);
    if (!*xs)
        return lang_err_oom(run->e, a->call->pos);
    for (int i = 0; i < n; i++) {
        const value *v = l ? NULL : a->rest[i];
        int ok = l ? value_list_num(l, i, &(*xs)[i]) : v->kind == V_NUM;
        if (!l && ok)
            (*xs)[i] = v->as.num;
        if (!ok) {
            const node *at = l ? a->rest_at[0] : a->rest_at[i];
            free(*xs);
            return lang_err_set(run->e, "TypeError", at->pos, at->len,
                                "%s takes numbers, or one list of numbers: "
                                "item %d is not a number", a->fn->name,
                                i + 1);
        }
    }
    return n;
}

static value *reduce(lang_run *run, const args *a, char how)
{
    double *xs;
    int n = numbers(run, a, &xs);
    if (n < 0)
        return NULL;
    double r = how == '+' ? 0 : xs[0];
    for (int i = 0; i < n; i++) {
        if (how == '+')
            r += xs[i];
        else if (how == '<' ? xs[i] < r : xs[i] > r)
            r = xs[i];
    }
    free(xs);
    return builtin_made(run, a, value_num(how == '+' ? r / n : r));
}

static value *run_min(lang_run *run, const args *a)
{
    return reduce(run, a, '<');
}

static value *run_max(lang_run *run, const args *a)
{
    return reduce(run, a, '>');
}

static value *run_mean(lang_run *run, const args *a)
{
    return reduce(run, a, '+');
}

static double round_to(double x, int digits)
{
    double f = pow(10, digits), y = round(x * f) / f;
    return isfinite(y) ? y : x;
}

static value *run_round(lang_run *run, const args *a)
{
    value *x = arg_get(a, "x");
    int digits;
    if (arg_int(run, a, "digits", &digits) < 0)
        return NULL;
    if (x->kind == V_NUM)
        return builtin_made(run, a, value_num(round_to(x->as.num, digits)));
    if (x->kind != V_LIST || x->as.list.cols == 0)
        return fail(run, a, "x", "TypeError",
                    "rounds a number or a list of numbers", x);
    value *r = value_packed(x->as.list.n, x->as.list.cols,
                            x->as.list.depth);
    size_t n = (size_t)x->as.list.n * (size_t)x->as.list.cols;
    for (size_t i = 0; r && i < n; i++)
        r->as.list.nums[i] = round_to(x->as.list.nums[i], digits);
    return builtin_made(run, a, r);
}

/* The cells of rows (a list of lists) under `columns` (a list of as
 * many strings as the widest row has items), as record.h's tables.
 * Returns 0, 1 when rows or columns are not such (nothing made), or -1
 * on OOM. */
static int list_tables(const value *rows, const value *columns, char **html,
                       char **text)
{
    int n = rows->as.list.n, cols = columns->as.list.n;
    for (int i = 0; i < cols; i++)
        if (columns->as.list.cols || columns->as.list.items[i]->kind != V_STR)
            return 1;
    const char **head = malloc((size_t)cols * sizeof *head + 1);
    char **cells = calloc((size_t)n * cols + 1, sizeof *cells);
    int rc = head && cells ? 0 : -1;
    for (int c = 0; rc == 0 && c < cols; c++)
        head[c] = columns->as.list.items[c]->as.str;
    for (int i = 0; rc == 0 && i < n; i++) {
        value *row = value_list_item(rows, i);
        if (!row || row->kind != V_LIST || row->as.list.n > cols)
            rc = row ? 1 : -1;
        for (int c = 0; rc == 0 && c < row->as.list.n; c++) {
            value *x = value_list_item(row, c);
            char *t = x ? value_str_text(x) : NULL;
            rc = t ? 0 : -1;
            cells[i * cols + c] = t;
            value_unref(x);
        }
        value_unref(row);
    }
    *html = rc == 0 ? table_html(head, (const char *const *)cells, n, cols)
                    : NULL;
    *text = rc == 0 ? table_text(head, (const char *const *)cells, n, cols)
                    : NULL;
    if (rc == 0 && (!*html || !*text))
        rc = -1;
    for (int i = 0; cells && i < n * cols; i++)
        free(cells[i]);
    free(cells);
    free(head);
    return rc;
}

static value *run_table(lang_run *run, const args *a)
{
    value *v = arg_get(a, "rows"), *columns;
    if (arg_value(run, a, "columns", &columns) < 0)
        return NULL;
    char *html = NULL, *text = NULL;
    int rc;
    if (columns && v->kind == V_LIST)
        rc = list_tables(v, columns, &html, &text);
    else
        rc = record_tables(v, &html, &text) == 0 ? 0 : 1;
    if (rc < 0) {
        free(html);
        free(text);
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    if (rc > 0)
        return fail(run, a, "rows", "TypeError",
                    "takes a list of records (results = results + "
                    "[evaluate net on test]), or a list of rows and "
                    "columns=[\"name\", ...] naming each item", v);
    if (show_display(run, html, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

static value *run_seed(lang_run *run, const args *a)
{
    int seed;
    if (arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    run->env->seeded = 1;
    run->env->seed = seed;
    return builtin_none(run, a);
}

/* ---- the family ---------------------------------------------------- */

static const param p_len[] = {
    PARAM_VALUE("value", V_NONE, NULL, "a list, string, data set or record"),
    PARAM_END
};
static const param p_none[] = { PARAM_END };
static const param p_round[] = {
    PARAM_VALUE("x", V_NONE, NULL, "a number or a list of numbers"),
    PARAM_INT("digits", 0, 0, 15, "digits after the point"),
    PARAM_END
};
static const param p_table[] = {
    PARAM_VALUE("rows", V_NONE, NULL,
                "a record, a list of records, or a list of rows"),
    PARAM_VALUE("columns", V_LIST, "none",
                "the name of each item of a row: [\"lr\", \"accuracy\"]"),
    PARAM_END
};

static const param p_seed[] = {
    PARAM_INT("seed", 0, 0, 2147483647,
              "the default seed of everything after it"),
    PARAM_END
};

static const builtin table[] = {
    { "len", B_FUNC, p_len, 1, 0, run_len,
      "the number of items of a list (characters of a string, samples "
      "of a data set)", { 0 } },
    { "min", B_FUNC, p_none, 0, 1, run_min,
      "the smallest of the numbers given, or of one list", { 0 } },
    { "max", B_FUNC, p_none, 0, 1, run_max,
      "the largest of the numbers given, or of one list", { 0 } },
    { "mean", B_FUNC, p_none, 0, 1, run_mean,
      "the mean of the numbers given, or of one list", { 0 } },
    { "round", B_FUNC, p_round, 1, 0, run_round,
      "a number (or each of a list) rounded to `digits` digits", { 0 } },
    { "table", B_FUNC, p_table, 1, 0, run_table,
      "shows records (the results of a sweep) side by side", { 0 } },
    { "seed", B_FUNC, p_seed, 1, 0, run_seed,
      "sets the seed every seed= parameter after it defaults to", { 0 } },
};

const builtin_family values_family = {
    "values", table, sizeof table / sizeof *table
};
