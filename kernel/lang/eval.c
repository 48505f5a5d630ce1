#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "eval.h"
#include "net.h"
#include "sb.h"

static value *oom(lang_run *run, const node *n)
{
    lang_err_oom(run->e, n ? n->pos : -1);
    return NULL;
}

/* Fills a NameError for an unknown name or function, suggesting the
 * nearest of the defined names and the builtins of the right kinds. */
static value *unknown(lang_run *run, const node *n, const char *what,
                      int layers_only)
{
    int nb = library_count(run->lib), cap = run->env->n + nb;
    const char **cands = malloc((size_t)cap * sizeof *cands);
    int k = 0;
    lang_err_set(run->e, "NameError", n->pos,
                 n->kind == N_CALL ? n->name_len : n->len, "unknown %s '%s'",
                 what, n->str);
    if (!cands)
        return NULL;
    for (int i = 0; i < run->env->n; i++)
        if (!layers_only || run->env->vals[i]->kind == V_NET)
            cands[k++] = run->env->names[i];
    for (int i = 0; i < nb; i++) {
        const builtin *b = library_nth(run->lib, i);
        if (b->kind != B_COMMAND && (!layers_only || b->kind == B_LAYER))
            cands[k++] = b->name;
    }
    diag_suggest(run->e, n->str, cands, k);
    free(cands);
    return NULL;
}

static value *eval_name(lang_run *run, const node *n, int in_chain)
{
    value *v = env_get(run->env, n->str);
    if (v)
        return value_ref(v);
    const builtin *b = library_find(run->lib, n->str);
    if (!b)
        return unknown(run, n, in_chain ? "layer" : "name", in_chain);
    if (b->kind == B_FUNC) {
        v = value_func(b, b->name);
        return v ? v : oom(run, n);
    }
    return builtin_invoke(run, b, n, NULL);
}

static value *eval_call(lang_run *run, const node *n, int in_chain)
{
    const builtin *b = library_find(run->lib, n->str);
    if (!b) {
        value *v = env_get(run->env, n->str);
        if (v) {
            lang_err_set(run->e, "TypeError", n->pos, n->name_len,
                         "'%s' is %s, not a function", n->str,
                         value_kind_name(v));
            return NULL;
        }
        return unknown(run, n, in_chain ? "layer" : "function", in_chain);
    }
    value **vals = calloc((size_t)n->nkids + 1, sizeof *vals);
    if (!vals)
        return oom(run, n);
    value *r = NULL;
    int i;
    for (i = 0; i < n->nkids; i++)
        if (!(vals[i] = eval_expr(run, n->kids[i])))
            break;
    if (i == n->nkids)
        r = builtin_invoke(run, b, n, vals);
    for (int j = 0; j < n->nkids; j++)
        value_unref(vals[j]);
    free(vals);
    return r;
}

static value *eval_list(lang_run *run, const node *n)
{
    value *l = value_list(n->nkids);
    if (!l)
        return oom(run, n);
    for (int i = 0; i < n->nkids; i++) {
        if (!(l->as.list.items[i] = eval_expr(run, n->kids[i]))) {
            value_unref(l);
            return NULL;
        }
    }
    return l;
}

static value *concat_str(lang_run *run, const node *n, const char *a,
                         const char *b)
{
    char *s = sb_printf("%s%s", a, b);
    value *v = s ? value_str(s) : NULL;
    free(s);
    return v ? v : oom(run, n);
}

static value *concat_list(lang_run *run, const node *n, const value *a,
                          const value *b)
{
    int na = a->as.list.n, nb = b->as.list.n;
    value *l = value_list(na + nb);
    if (!l)
        return oom(run, n);
    for (int i = 0; i < na; i++)
        l->as.list.items[i] = value_ref(a->as.list.items[i]);
    for (int i = 0; i < nb; i++)
        l->as.list.items[na + i] = value_ref(b->as.list.items[i]);
    return l;
}

static value *arith(lang_run *run, const node *n, const value *a,
                    const value *b)
{
    static const char *const verbs[] = { "add", "subtract", "multiply",
                                         "divide" };
    const char *ops = "+-*/";
    const char *verb = verbs[strchr(ops, n->op) - ops];
    if (n->op == '+' && a->kind == V_STR && b->kind == V_STR)
        return concat_str(run, n, a->as.str, b->as.str);
    if (n->op == '+' && a->kind == V_LIST && b->kind == V_LIST)
        return concat_list(run, n, a, b);
    if (a->kind != V_NUM || b->kind != V_NUM) {
        const node *bad = a->kind != V_NUM ? n->kids[0] : n->kids[1];
        lang_err_set(run->e, "TypeError", bad->pos, bad->len,
                     "cannot %s %s and %s%s", verb, value_kind_name(a),
                     value_kind_name(b),
                     a->kind == V_NET || b->kind == V_NET
                     ? " (layers are joined with ->)" : "");
        return NULL;
    }
    double p = a->as.num, q = b->as.num, r;
    switch (n->op) {
    case '+': r = p + q; break;
    case '-': r = p - q; break;
    case '*': r = p * q; break;
    default:
        if (q == 0) {
            lang_err_set(run->e, "ZeroDivisionError", n->kids[1]->pos,
                         n->kids[1]->len, "division by zero");
            return NULL;
        }
        r = p / q;
        break;
    }
    value *v = value_num(r);
    return v ? v : oom(run, n);
}

static value *eval_binop(lang_run *run, const node *n)
{
    value *a = eval_expr(run, n->kids[0]);
    if (!a)
        return NULL;
    value *b = eval_expr(run, n->kids[1]);
    value *r = b ? arith(run, n, a, b) : NULL;
    value_unref(a);
    value_unref(b);
    return r;
}

static value *eval_neg(lang_run *run, const node *n)
{
    value *a = eval_expr(run, n->kids[0]);
    if (!a)
        return NULL;
    value *r = NULL;
    if (a->kind != V_NUM)
        lang_err_set(run->e, "TypeError", n->pos, n->len,
                     "cannot negate %s", value_kind_name(a));
    else if (!(r = value_num(-a->as.num)))
        oom(run, n);
    value_unref(a);
    return r;
}

/* An element of a chain: names and calls there are layers. */
static value *eval_layer(lang_run *run, const node *n)
{
    value *v;
    if (n->kind == N_NAME)
        v = eval_name(run, n, 1);
    else if (n->kind == N_CALL)
        v = eval_call(run, n, 1);
    else
        v = eval_expr(run, n);
    if (v && v->kind != V_NET) {
        lang_err_set(run->e, "TypeError", n->pos, n->len,
                     "'->' joins layers, but this is %s",
                     value_kind_name(v));
        value_unref(v);
        return NULL;
    }
    return v;
}

/* Joins two nets into one chain (a -> b). A new net, or NULL with an
 * error pointing at `at`. */
static value *eval_chain2(lang_run *run, const value *a, const value *b,
                          const node *at)
{
    const net_value *p = &a->as.net, *q = &b->as.net;
    if (q->in)
        return lang_err_set(run->e, "SyntaxError", at->pos, at->len,
                            "input(%d) can only start a chain", q->in),
               NULL;
    int n = p->n_layers + q->n_layers;
    nn_layer_spec *l = malloc((size_t)(n ? n : 1) * sizeof *l);
    if (!l)
        return oom(run, at);
    if (p->n_layers)
        memcpy(l, p->layers, (size_t)p->n_layers * sizeof *l);
    if (q->n_layers)
        memcpy(l + p->n_layers, q->layers, (size_t)q->n_layers * sizeof *l);
    value *v = value_net(l, n, p->in);
    free(l);
    return v ? v : oom(run, at);
}

static value *eval_chain(lang_run *run, const node *n)
{
    value *acc = eval_layer(run, n->kids[0]);
    for (int i = 1; acc && i < n->nkids; i++) {
        value *next = eval_layer(run, n->kids[i]);
        value *joined = next ? eval_chain2(run, acc, next, n->kids[i]) : NULL;
        value_unref(acc);
        value_unref(next);
        acc = joined;
        /* Checked at each join, so the error points at the layer added. */
        if (acc && net_check_chain(run, acc, n->kids[i]) < 0) {
            value_unref(acc);
            return NULL;
        }
    }
    return acc;
}

value *eval_expr(lang_run *run, const node *n)
{
    assert(run && n);
    value *v;
    switch (n->kind) {
    case N_NUM:
        v = value_num(n->num);
        break;
    case N_STR:
        v = value_str(n->str);
        break;
    case N_BOOL:
        v = value_bool((int)n->num);
        break;
    case N_NONE:
        v = value_none();
        break;
    case N_NAME:
        return eval_name(run, n, 0);
    case N_CALL:
        return eval_call(run, n, 0);
    case N_LIST:
        return eval_list(run, n);
    case N_BINOP:
        return eval_binop(run, n);
    case N_NEG:
        return eval_neg(run, n);
    default:
        return eval_chain(run, n);
    }
    return v ? v : oom(run, n);
}

/* Binds a name, taking v. A fresh data set takes the name (so messages
 * say "train has 3 classes"); a net that knows its input width is built
 * now, so its shape mistakes show at once. */
static int bind(lang_run *run, const char *name, int pos, value *v)
{
    if (v->kind == V_DATA && v->refs == 1
        && strcmp(v->as.data.set->name, name) != 0) {
        nn_err err;
        if (nn_data_rename(v->as.data.set, name, &err) < 0) {
            value_unref(v);
            return lang_err_oom(run->e, pos);
        }
    }
    if (v->kind == V_NET && v->as.net.in > 0 && !v->as.net.model
        && net_build(run, v, v->as.net.in, 0, run->current->expr) < 0) {
        value_unref(v);
        return -1;
    }
    if (env_set(run->env, name, v) < 0)
        return lang_err_oom(run->e, pos);
    return 0;
}

static int assign(lang_run *run, const stmt *s, value *v)
{
    if (s->ntargets == 1)
        return bind(run, s->targets[0], s->target_pos[0], v);
    if (v->kind != V_LIST || v->as.list.n != s->ntargets) {
        int got = v->kind == V_LIST ? v->as.list.n : 1;
        lang_err_set(run->e, "ValueError", s->expr->pos, s->expr->len,
                     "%d names on the left, but the right side gives %d "
                     "value%s", s->ntargets, got, got == 1 ? "" : "s");
        value_unref(v);
        return -1;
    }
    int rc = 0, fresh = v->refs == 1;
    for (int i = 0; i < s->ntargets && rc == 0; i++) {
        /* From a fresh list the items move out, so they stay fresh too. */
        value *item = v->as.list.items[i];
        if (fresh)
            v->as.list.items[i] = NULL;
        else
            value_ref(item);
        rc = bind(run, s->targets[i], s->target_pos[i], item);
    }
    value_unref(v);
    return rc;
}

static int interrupted(lang_run *run, const stmt *s)
{
    if (!run->out->interrupted(run->out->ctx))
        return 0;
    return lang_err_set(run->e, "KeyboardInterrupt", s->pos, s->len,
                        "interrupted before this statement ran");
}

int eval_cell(lang_run *run, const cell *c, value **last)
{
    assert(run && c && last);
    *last = NULL;
    for (int i = 0; i < c->n; i++) {
        const stmt *s = &c->stmts[i];
        run->current = s;
        if (interrupted(run, s) < 0)
            return -1;
        value *v = eval_expr(run, s->expr);
        if (!v)
            return -1;
        if (s->kind == S_ASSIGN) {
            if (assign(run, s, v) < 0)
                return -1;
        } else if (s->kind == S_EXPR && i == c->n - 1) {
            *last = v;
        } else {
            value_unref(v);
        }
    }
    return 0;
}
