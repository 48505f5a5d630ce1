#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "eval.h"
#include "net.h"
#include "ops.h"
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

/* Returns list l (filled) with its depth set, or NULL (l dropped) with a
 * ValueError at n when it would nest too deeply. */
static value *nest(lang_run *run, const node *n, value *l)
{
    if (value_list_nest(l) > 0)
        return l;
    value_unref(l);
    lang_err_set(run->e, "ValueError", n->pos, n->len,
                 "lists nested too deeply (at most %d levels)",
                 VALUE_MAX_DEPTH);
    return NULL;
}

/* A list of numbers or of rows of numbers is packed (value.h). */
static value *pack(lang_run *run, const node *n, value *l)
{
    if (!l || value_list_pack(l) == 0)
        return l;
    value_unref(l);
    return oom(run, n);
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
    return pack(run, n, nest(run, n, l));
}

/* A literal of numbers, packed by the parser: a packed list at once. */
static value *eval_nums(lang_run *run, const node *n)
{
    value *l = value_packed(n->nkids, n->cols, n->depth);
    if (!l)
        return oom(run, n);
    memcpy(l->as.list.nums, n->nums,
           (size_t)n->nkids * (size_t)n->cols * sizeof *n->nums);
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

/* a + b of two packed lists of the same shape: packed at once. */
static value *concat_packed(lang_run *run, const node *n, const value *a,
                            const value *b)
{
    size_t na = (size_t)a->as.list.n * a->as.list.cols;
    size_t nb = (size_t)b->as.list.n * b->as.list.cols;
    value *l = value_packed(a->as.list.n + b->as.list.n, a->as.list.cols,
                            a->as.list.depth);
    if (!l)
        return oom(run, n);
    memcpy(l->as.list.nums, a->as.list.nums, na * sizeof(double));
    memcpy(l->as.list.nums + na, b->as.list.nums, nb * sizeof(double));
    return l;
}

static value *concat_list(lang_run *run, const node *n, const value *a,
                          const value *b)
{
    int na = a->as.list.n, nb = b->as.list.n;
    if (na > INT_MAX - nb) {
        lang_err_set(run->e, "ValueError", n->pos, n->len,
                     "the list would have more than %d items", INT_MAX);
        return NULL;
    }
    if (a->as.list.cols && a->as.list.cols == b->as.list.cols
        && a->as.list.depth == b->as.list.depth)
        return concat_packed(run, n, a, b);
    value *l = value_list(na + nb);
    if (!l)
        return oom(run, n);
    for (int i = 0; i < na + nb; i++) {
        value *item = i < na ? value_list_item(a, i)
                             : value_list_item(b, i - na);
        if (!item) {
            value_unref(l);
            return oom(run, n);
        }
        l->as.list.items[i] = item;
    }
    return pack(run, n, nest(run, n, l));
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

/* Nonzero (with a KeyboardInterrupt at n) when the user asked to stop:
 * polled every 1024 steps of the loops a cell can make long (a chain of
 * 200,000 '+', a net of thousands of layers), so short ones poll never. */
static int stop_at(lang_run *run, long step, const node *n, const char *what)
{
    if (step % 1024 != 1023 || !run->out->interrupted(run->out->ctx))
        return 0;
    lang_err_set(run->e, "KeyboardInterrupt", n->pos, n->len,
                 "interrupted while %s", what);
    return 1;
}

/* a + b - c ...: the parser nests a chain of operators to the left, one
 * level per operator, so the left operands are walked down in a loop and
 * the operators applied on the way back up: no recursion along the
 * chain, whatever its length. */
static value *eval_binop(lang_run *run, const node *n)
{
    int depth = 0;
    const node *k = n;
    for (; k->kind == N_BINOP; k = k->kids[0])
        depth++;
    const node **ops = malloc((size_t)depth * sizeof *ops);
    if (!ops)
        return oom(run, n);
    k = n;
    for (int i = 0; i < depth; i++, k = k->kids[0])
        ops[i] = k;
    value *acc = eval_expr(run, k);
    for (int i = depth - 1; acc && i >= 0; i--) {
        const node *op = ops[i];
        value *b = stop_at(run, depth - 1 - i, op, "computing it") ? NULL
                 : eval_expr(run, op->kids[1]);
        value *r = b ? arith(run, op, acc, b) : NULL;
        value_unref(acc);
        value_unref(b);
        acc = r;
    }
    free(ops);
    return acc;
}

/* - - - x: the N_NEG nodes of a run of signs are walked down in a loop;
 * the innermost one is where a wrong operand is reported. */
static value *eval_neg(lang_run *run, const node *n)
{
    int signs = 1;
    const node *inner = n;
    for (; inner->kids[0]->kind == N_NEG; inner = inner->kids[0])
        signs++;
    value *a = eval_expr(run, inner->kids[0]);
    if (!a)
        return NULL;
    value *r = NULL;
    if (a->kind != V_NUM)
        lang_err_set(run->e, "TypeError", inner->pos, inner->len,
                     "cannot negate %s", value_kind_name(a));
    else if (!(r = value_num(signs % 2 ? -a->as.num : a->as.num)))
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

/* The layers of a chain being built. */
typedef struct layer_buf {
    nn_layer_spec *l;
    int n, cap;
} layer_buf;

/* Appends the layers of net q, the element at `at` of a chain: only the
 * first element may start with input(d), and the chain may not grow past
 * NET_MAX_LAYERS. */
static int append_layers(lang_run *run, layer_buf *b, const net_value *q,
                         const node *at, int first)
{
    if (q->in && !first)
        return lang_err_set(run->e, "SyntaxError", at->pos, at->len,
                            "input(%d) can only start a chain", q->in);
    if (q->n_layers > NET_MAX_LAYERS - b->n)
        return lang_err_set(run->e, "ValueError", at->pos, at->len,
                            "the net would have %d layers: a net has at "
                            "most %d", b->n + q->n_layers, NET_MAX_LAYERS);
    if (b->n + q->n_layers > b->cap) {
        int cap = b->cap ? b->cap : 16;
        while (cap < b->n + q->n_layers)
            cap *= 2;
        nn_layer_spec *l = realloc(b->l, (size_t)cap * sizeof *l);
        if (!l)
            return lang_err_oom(run->e, at->pos);
        b->l = l;
        b->cap = cap;
    }
    if (q->n_layers)
        memcpy(b->l + b->n, q->layers, (size_t)q->n_layers * sizeof *b->l);
    b->n += q->n_layers;
    return 0;
}

/* a -> b -> c: the layers of every element in one array, in one pass, so
 * a chain of thousands of layers costs linear time; each join is checked
 * as it is made (net_check_layers), so an error points at the element
 * that brings it. */
static value *eval_chain(lang_run *run, const node *n)
{
    value *first = eval_layer(run, n->kids[0]);
    if (!first)
        return NULL;
    int in = first->as.net->in, width = in, checked = 0;
    int shape[3];
    memcpy(shape, first->as.net->in_shape, sizeof shape);
    layer_buf b = { 0 };
    int ok = append_layers(run, &b, first->as.net, n->kids[0], 1) == 0;
    value_unref(first);
    for (int i = 1; ok && i < n->nkids; i++) {
        const node *k = n->kids[i];
        value *next = stop_at(run, i, k, "building the net") ? NULL
                    : eval_layer(run, k);
        ok = next && append_layers(run, &b, next->as.net, k, 0) == 0
             && net_check_layers(run, b.l, checked, b.n, &width, k) == 0;
        checked = b.n;
        value_unref(next);
    }
    value *v = ok ? value_net(b.l, b.n, in) : NULL;
    if (ok && !v)
        oom(run, n);
    if (v)
        memcpy(v->as.net->in_shape, shape, sizeof shape);
    free(b.l);
    return v;
}

/* An attribute, an index or a comparison: its operands, then ops.h. */
static value *eval_op(lang_run *run, const node *n)
{
    value *a = eval_expr(run, n->kids[0]);
    value *b = a && n->nkids > 1 ? eval_expr(run, n->kids[1]) : NULL;
    value *r = NULL;
    if (a && n->kind == N_ATTR)
        r = ops_attr(run, n, a);
    else if (a && b && n->kind == N_INDEX)
        r = ops_index(run, n, a, b);
    else if (a && b)
        r = ops_compare(run, n, a, b);
    value_unref(a);
    value_unref(b);
    return r;
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
    case N_NUMS:
        return eval_nums(run, n);
    case N_BINOP:
        return eval_binop(run, n);
    case N_NEG:
        return eval_neg(run, n);
    case N_ATTR:
    case N_INDEX:
    case N_CMP:
        return eval_op(run, n);
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
    if (v->kind == V_NET && v->as.net->in > 0 && !v->as.net->model
        && net_build(run, v, v->as.net->in,
                     run->env->seeded ? (uint64_t)run->env->seed : 0,
                     run->current->expr) < 0) {
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
    int rc = 0, fresh = v->refs == 1 && v->as.list.cols == 0;
    for (int i = 0; i < s->ntargets && rc == 0; i++) {
        /* From a fresh list the items move out, so they stay fresh too. */
        value *item = fresh ? v->as.list.items[i] : value_list_item(v, i);
        if (fresh)
            v->as.list.items[i] = NULL;
        if (!item) {
            rc = lang_err_oom(run->e, s->target_pos[i]);
            break;
        }
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

static int run_stmts(lang_run *run, const stmt *ss, int n, value **last);

/* for x in list: the block once per item, x bound to it; polled for an
 * interrupt before each pass, so every name a finished pass (and the
 * statements before the stop) defined stays defined. */
static int run_for(lang_run *run, const stmt *s)
{
    value *l = eval_expr(run, s->expr);
    if (!l)
        return -1;
    if (l->kind != V_LIST) {
        lang_err_set(run->e, "TypeError", s->expr->pos, s->expr->len,
                     "for loops over a list, not %s: for x in [1, 2, 3]:",
                     value_kind_name(l));
        value_unref(l);
        return -1;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < l->as.list.n; i++) {
        run->current = s;
        if (run->out->interrupted(run->out->ctx)) {
            rc = lang_err_set(run->e, "KeyboardInterrupt", s->pos, s->len,
                              "interrupted before pass %d of %d of the "
                              "loop", i + 1, l->as.list.n);
            break;
        }
        value *item = value_list_item(l, i), *ignored = NULL;
        if (!item)
            rc = lang_err_oom(run->e, s->pos);
        else if ((rc = bind(run, s->targets[0], s->target_pos[0], item)) == 0)
            rc = run_stmts(run, s->body, s->nbody, &ignored);
        value_unref(ignored);
    }
    value_unref(l);
    return rc;
}

/* Runs n statements; the value of the last, when it is an expression,
 * in *last. */
static int run_stmts(lang_run *run, const stmt *ss, int n, value **last)
{
    for (int i = 0; i < n; i++) {
        const stmt *s = &ss[i];
        run->current = s;
        if (interrupted(run, s) < 0)
            return -1;
        if (s->kind == S_FOR) {
            if (run_for(run, s) < 0)
                return -1;
            continue;
        }
        value *v = eval_expr(run, s->expr);
        if (!v)
            return -1;
        if (s->kind == S_ASSIGN) {
            if (assign(run, s, v) < 0)
                return -1;
        } else if (s->kind == S_EXPR && i == n - 1) {
            *last = v;
        } else {
            value_unref(v);
        }
    }
    return 0;
}

int eval_cell(lang_run *run, const cell *c, value **last)
{
    assert(run && c && last);
    *last = NULL;
    return run_stmts(run, c->stmts, c->n, last);
}
