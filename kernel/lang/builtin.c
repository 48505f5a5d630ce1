#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "diag.h"
#include "flt.h"
#include "docs.h"

/* ---- binding ------------------------------------------------------- */

int builtin_n_params(const builtin *fn)
{
    assert(fn);
    int n = 0;
    while (fn->params[n].name)
        n++;
    return n;
}

int builtin_param(const builtin *fn, const char *name)
{
    assert(fn && name);
    for (int i = 0; fn->params[i].name; i++)
        if (strcmp(fn->params[i].name, name) == 0)
            return i;
    return -1;
}

/* PyTorch's and Keras's names for parameters that have others here. */
static const char *const foreign[][2] = {
    { "batch_size", "batch" }, { "learning_rate", "lr" },
    { "n_epochs", "epochs" }, { "num_epochs", "epochs" },
    { "epoch", "epochs" }, { "validation_data", "validate" },
    { "random_state", "seed" }, { "manual_seed", "seed" },
    { "weight_decay", "decay" }, { "step_size", "size" },
    { "noise_level", "noise" }, { "n_samples", "n" },
};

/* When `key` is another library's name for a parameter fn has (or for
 * the learning rate, which fit takes through its optimizer), fills the
 * error that says so and returns -1; else 0. */
static int foreign_name(lang_run *run, const builtin *fn, const char *key,
                        int pos)
{
    int len = (int)strlen(key);
    if ((strcmp(key, "lr") == 0 || strcmp(key, "learning_rate") == 0)
        && builtin_param(fn, "lr") < 0 && builtin_param(fn, "optimizer") >= 0)
        return lang_err_set(run->e, "TypeError", pos, len,
                            "%s has no parameter '%s': the learning rate "
                            "belongs to the optimizer, "
                            "optimizer=adam(lr=0.01)", fn->name, key);
    for (size_t k = 0; k < sizeof foreign / sizeof *foreign; k++)
        if (strcmp(key, foreign[k][0]) == 0
            && builtin_param(fn, foreign[k][1]) >= 0)
            return lang_err_set(run->e, "TypeError", pos, len,
                                "%s has no parameter '%s': here it is "
                                "called %s (%s=...)", fn->name, key,
                                foreign[k][1], foreign[k][1]);
    return 0;
}

/* Puts argument i of the call (value v) in its place in a: a positional
 * one in the next parameter (or in rest, for a variadic builtin), a
 * keyword one in the parameter of that name. *npos counts the positional
 * arguments so far. Returns 0, or -1 with a TypeError at the argument. */
static int bind_arg(lang_run *run, args *a, int i, value *v, int *npos,
                    value **rest, const node **rest_at)
{
    const builtin *fn = a->fn;
    const node *call = a->call, *k = call->kids[i];
    const char *key = call->keys ? call->keys[i] : NULL;
    int np = builtin_n_params(fn), slot;
    if (!key && fn->variadic) {
        rest[a->nrest] = v;
        rest_at[a->nrest++] = k;
        return 0;
    }
    if (!key) {
        slot = (*npos)++;
        if (slot >= np && np == 0)
            return lang_err_set(run->e, "TypeError", k->pos, k->len,
                                "%s takes no arguments", fn->name);
        if (slot >= np)
            return lang_err_set(run->e, "TypeError", k->pos, k->len,
                                "%s takes at most %d argument%s, got %d "
                                "(see help %s)", fn->name, np,
                                np == 1 ? "" : "s", call->nkids, fn->name);
    } else if ((slot = builtin_param(fn, key)) < 0) {
        if (foreign_name(run, fn, key, call->key_pos[i]) < 0)
            return -1;
        lang_err_set(run->e, "TypeError", call->key_pos[i], (int)strlen(key),
                     "%s has no parameter '%s'", fn->name, key);
        const char *names[BUILTIN_MAX_PARAMS];
        for (int j = 0; j < np; j++)
            names[j] = fn->params[j].name;
        diag_suggest(run->e, key, names, np);
        return -1;
    } else if (a->v[slot]) {
        return lang_err_set(run->e, "TypeError", call->key_pos[i],
                            (int)strlen(key), "%s is given twice", key);
    }
    a->v[slot] = v;
    a->at[slot] = k;
    return 0;
}

value *builtin_invoke(lang_run *run, const builtin *fn, const node *call,
                      value **vals)
{
    assert(run && fn && call);
    args a;
    memset(&a, 0, sizeof a);
    a.call = call;
    a.fn = fn;
    int nargs = vals ? call->nkids : 0;
    value **rest = NULL;
    const node **rest_at = NULL;
    if (fn->variadic && nargs > 0) {
        rest = calloc((size_t)nargs, sizeof *rest);
        rest_at = calloc((size_t)nargs, sizeof *rest_at);
        if (!rest || !rest_at) {
            free(rest);
            free(rest_at);
            lang_err_oom(run->e, call->pos);
            return NULL;
        }
    }
    int fail = 0, npos = 0;
    for (int i = 0; i < nargs && !fail; i++)
        fail = bind_arg(run, &a, i, vals[i], &npos, rest, rest_at) < 0;
    for (int i = 0; i < fn->required && !fail; i++)
        if (!a.v[i])
            fail = lang_err_set(run->e, "TypeError", call->pos, call->len,
                                "%s needs %s (see help %s)", fn->name,
                                fn->params[i].name, fn->name) < 0;
    a.rest = rest;
    a.rest_at = rest_at;
    value *r = fail ? NULL : fn->run(run, &a);
    free(rest);
    free(rest_at);
    return r;
}

/* ---- argument readers ------------------------------------------------ */

/* The index of parameter `name`, which the builtin must have. */
static int slot_of(const args *a, const char *name)
{
    assert(a && name);
    int i = builtin_param(a->fn, name);
    assert(i >= 0 && "a builtin reads a parameter it does not describe");
    return i;
}

value *arg_get(const args *a, const char *name)
{
    return a->v[slot_of(a, name)];
}

int arg_pos(const args *a, const char *name, int *len)
{
    assert(len);
    int i = slot_of(a, name);
    const node *n = a->at[i] ? a->at[i] : a->call;
    *len = n->len;
    return n->pos;
}

static int wrong_type(lang_run *run, const args *a, int i, const char *want)
{
    int len, pos = arg_pos(a, a->fn->params[i].name, &len);
    return lang_err_set(run->e, "TypeError", pos, len,
                        "%s: %s must be %s, not %s", a->fn->name,
                        a->fn->params[i].name, want,
                        value_kind_name(a->v[i]));
}

/* Reads number parameter i into *out (its default when left out),
 * checking it is finite (NaN or infinity is never a meaningful argument,
 * whatever the range) and lies in [lo, hi]. */
static int read_num(lang_run *run, const args *a, int i, double lo, double hi,
                    double *out)
{
    const param *p = &a->fn->params[i];
    if (!a->v[i]) {
        /* seed(x) set the session's seed: the default of every seed= */
        int seeded = run->env->seeded && strcmp(p->name, "seed") == 0
                     && run->env->seed >= lo && run->env->seed <= hi;
        *out = seeded ? run->env->seed : p->def;
        return 0;
    }
    if (a->v[i]->kind != V_NUM)
        return wrong_type(run, a, i, "a number");
    double v = a->v[i]->as.num;
    if (!isfinite(v)) {
        char g[32];
        int len, pos = arg_pos(a, p->name, &len);
        value_format_num(v, g, sizeof g);
        return lang_err_set(run->e, "ValueError", pos, len,
                            "%s: %s must be a finite number, got %s",
                            a->fn->name, p->name, g);
    }
    if (v >= lo && v <= hi) {
        *out = v;
        return 0;
    }
    char l[32], h[32], g[32];
    value_format_num(lo, l, sizeof l);
    value_format_num(hi, h, sizeof h);
    value_format_num(v, g, sizeof g);
    int len, pos = arg_pos(a, p->name, &len);
    if (isinf(hi))
        return lang_err_set(run->e, "ValueError", pos, len,
                            "%s: %s must be at least %s, got %s",
                            a->fn->name, p->name, l, g);
    return lang_err_set(run->e, "ValueError", pos, len,
                        "%s: %s must be between %s and %s, got %s",
                        a->fn->name, p->name, l, h, g);
}

static int read_int(lang_run *run, const args *a, int i, double lo, double hi,
                    int *out)
{
    double v = 0;
    if (read_num(run, a, i, lo, hi, &v) < 0)
        return -1;
    if (v != floor(v)) {
        int len, pos = arg_pos(a, a->fn->params[i].name, &len);
        char g[32];
        value_format_num(v, g, sizeof g);
        return lang_err_set(run->e, "ValueError", pos, len,
                            "%s: %s must be a whole number, got %s",
                            a->fn->name, a->fn->params[i].name, g);
    }
    *out = (int)v;
    return 0;
}

int arg_num(lang_run *run, const args *a, const char *name, double *out)
{
    int i = slot_of(a, name);
    const param *p = &a->fn->params[i];
    assert(p->kind == P_NUM || p->kind == P_INT);
    return read_num(run, a, i, p->lo, p->hi, out);
}

int arg_float(lang_run *run, const args *a, const char *name, float *out)
{
    double v = 0;
    if (arg_num(run, a, name, &v) < 0)
        return -1;
    if (!flt_fits(v)) {
        char g[32];
        int len, pos = arg_pos(a, name, &len);
        value_format_num(v, g, sizeof g);
        return lang_err_set(run->e, "ValueError", pos, len,
                            "%s: %s is beyond the range of a float (at most "
                            "3.4e38), got %s", a->fn->name, name, g);
    }
    *out = (float)v;
    return 0;
}

int arg_num_within(lang_run *run, const args *a, const char *name, double lo,
                   double hi, double *out)
{
    return read_num(run, a, slot_of(a, name), lo, hi, out);
}

int arg_int(lang_run *run, const args *a, const char *name, int *out)
{
    int i = slot_of(a, name);
    const param *p = &a->fn->params[i];
    assert(p->kind == P_INT || p->kind == P_VALUE);
    return read_int(run, a, i, p->lo, p->hi, out);
}

int arg_int_within(lang_run *run, const args *a, const char *name, double lo,
                   double hi, int *out)
{
    return read_int(run, a, slot_of(a, name), lo, hi, out);
}

int arg_bool(lang_run *run, const args *a, const char *name, int *out)
{
    int i = slot_of(a, name);
    assert(a->fn->params[i].kind == P_BOOL);
    if (!a->v[i]) {
        *out = a->fn->params[i].def != 0;
        return 0;
    }
    if (a->v[i]->kind != V_BOOL)
        return wrong_type(run, a, i, "true or false");
    *out = a->v[i]->as.num != 0;
    return 0;
}

int arg_str(lang_run *run, const args *a, const char *name, const char **out)
{
    int i = slot_of(a, name);
    const param *p = &a->fn->params[i];
    assert(p->kind != P_CHOICE && "read with arg_choice");
    if (!a->v[i]) {
        *out = p->kind == P_STR ? p->text : NULL;
        return 0;
    }
    if (a->v[i]->kind != V_STR)
        return wrong_type(run, a, i, "a string");
    *out = a->v[i]->as.str;
    return 0;
}

int arg_choice(lang_run *run, const args *a, const char *name,
               const char **out)
{
    int i = slot_of(a, name);
    const param *p = &a->fn->params[i];
    assert(p->kind == P_CHOICE && p->choices && p->text);
    const char *given = p->text;
    if (a->v[i]) {
        if (a->v[i]->kind != V_STR)
            return wrong_type(run, a, i, "a string");
        given = a->v[i]->as.str;
    }
    int n = 0;
    for (; p->choices[n]; n++)
        if (strcmp(given, p->choices[n]) == 0) {
            *out = p->choices[n];
            return n;
        }
    assert(a->v[i] && "the default is one of the choices");
    char list[256];
    docs_param_choices(p, list, sizeof list);
    int len, pos = arg_pos(a, name, &len);
    lang_err_set(run->e, "ValueError", pos, len, "%s: %s must be %s, got "
                 "\"%s\"", a->fn->name, name, list, given);
    diag_suggest(run->e, given, p->choices, n);
    return -1;
}

int arg_value(lang_run *run, const args *a, const char *name, value **out)
{
    int i = slot_of(a, name);
    const param *p = &a->fn->params[i];
    *out = NULL;
    if (!a->v[i] || (a->v[i]->kind == V_NONE && i >= a->fn->required))
        return 0;
    if (p->want != V_NONE && a->v[i]->kind != p->want) {
        static const char *const want[] = {
            "none", "a number", "true or false", "a string", "a list",
            "a data set", "a net", "an optimizer (adam(), sgd(lr=0.1), ...)",
            "a schedule (step(10), cosine())", "a function"
        };
        return wrong_type(run, a, i, want[p->want]);
    }
    *out = a->v[i];
    return 0;
}

value *builtin_made(lang_run *run, const args *a, value *v)
{
    assert(run && a);
    if (!v)
        lang_err_oom(run->e, a->call->pos);
    return v;
}

value *builtin_none(lang_run *run, const args *a)
{
    return builtin_made(run, a, value_none());
}
