#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "library.h"
#include "ops.h"

static value *made(lang_run *run, const node *n, value *v)
{
    if (!v)
        lang_err_oom(run->e, n->pos);
    return v;
}

value *ops_attr(lang_run *run, const node *n, const value *v)
{
    assert(run && n && n->kind == N_ATTR && v);
    int len = (int)strlen(n->str), at = n->pos + n->len - len;
    if (v->kind != V_REC) {
        const builtin *c = library_command(run->lib, n->str);
        if (c)
            lang_err_set(run->e, "TypeError", at, len,
                         "%s is a command: write %s", c->name,
                         c->syntax.example);
        else
            lang_err_set(run->e, "TypeError", at, len,
                         "%s has no fields: .%s works on what a command "
                         "gives (r = evaluate net on test, then "
                         "r.accuracy)", value_kind_name(v), n->str);
        return NULL;
    }
    value *f = value_rec_get(v, n->str);
    if (f)
        return value_ref(f);
    lang_err_set(run->e, "AttributeError", at, len,
                 "this record has no field '%s'", n->str);
    diag_suggest(run->e, n->str, (const char *const *)v->as.rec.names,
                 v->as.rec.n);
    return NULL;
}

value *ops_index(lang_run *run, const node *n, const value *v,
                 const value *ix)
{
    assert(run && n && n->kind == N_INDEX && v && ix);
    const node *at = n->kids[1];
    if (v->kind != V_LIST) {
        lang_err_set(run->e, "TypeError", n->kids[0]->pos, n->kids[0]->len,
                     "cannot index %s: [i] picks an item of a list",
                     value_kind_name(v));
        return NULL;
    }
    if (ix->kind != V_NUM || ix->as.num != floor(ix->as.num)) {
        lang_err_set(run->e, "TypeError", at->pos, at->len,
                     "an index is a whole number, not %s",
                     ix->kind == V_NUM ? "a fraction" : value_kind_name(ix));
        return NULL;
    }
    int len = v->as.list.n;
    double i = ix->as.num < 0 ? ix->as.num + len : ix->as.num;
    if (i < 0 || i >= len) {
        char buf[32];
        value_format_num(ix->as.num, buf, sizeof buf);
        lang_err_set(run->e, "IndexError", at->pos, at->len,
                     "index %s is out of range: the list has %d item%s%s",
                     buf, len, len == 1 ? "" : "s",
                     len ? " (0 is the first, -1 the last)" : "");
        return NULL;
    }
    return made(run, n, value_list_item(v, (int)i));
}

/* a == b: 1, 0, or -1 on OOM. Lists item by item; records field by
 * field; the rest by identity. Depth is bounded as in value_repr. */
static int equal(const value *a, const value *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case V_NONE:
        return 1;
    case V_NUM:
    case V_BOOL:
        return a->as.num == b->as.num;
    case V_STR:
        return strcmp(a->as.str, b->as.str) == 0;
    case V_LIST: {
        if (a->as.list.n != b->as.list.n)
            return 0;
        int eq = 1;
        for (int i = 0; eq == 1 && i < a->as.list.n; i++) {
            value *x = value_list_item(a, i), *y = value_list_item(b, i);
            eq = x && y ? equal(x, y) : -1;
            value_unref(x);
            value_unref(y);
        }
        return eq;
    }
    case V_REC: {
        if (a->as.rec.n != b->as.rec.n)
            return 0;
        int eq = 1;
        for (int i = 0; eq == 1 && i < a->as.rec.n; i++)
            eq = strcmp(a->as.rec.names[i], b->as.rec.names[i]) == 0
                 ? equal(a->as.rec.vals[i], b->as.rec.vals[i]) : 0;
        return eq;
    }
    default:
        return a == b;
    }
}

static const char *op_text(char op)
{
    switch (op) {
    case '<': return "<";
    case 'l': return "<=";
    case '>': return ">";
    case 'g': return ">=";
    case '=': return "==";
    default: return "!=";
    }
}

value *ops_compare(lang_run *run, const node *n, const value *a,
                   const value *b)
{
    assert(run && n && n->kind == N_CMP && a && b);
    if (n->op == '=' || n->op == '!') {
        int eq = equal(a, b);
        if (eq < 0) {
            lang_err_oom(run->e, n->pos);
            return NULL;
        }
        return made(run, n, value_bool(n->op == '=' ? eq : !eq));
    }
    double c;
    if (a->kind == V_NUM && b->kind == V_NUM) {
        double x = a->as.num, y = b->as.num;
        c = x < y ? -1 : x > y ? 1 : x == y ? 0 : NAN;
    } else if (a->kind == V_STR && b->kind == V_STR) {
        c = strcmp(a->as.str, b->as.str);
    } else {
        lang_err_set(run->e, "TypeError", n->pos, n->len,
                     "cannot compare %s and %s with %s: numbers with "
                     "numbers, strings with strings", value_kind_name(a),
                     value_kind_name(b), op_text(n->op));
        return NULL;
    }
    int r;
    switch (n->op) {
    case '<': r = c < 0; break;
    case 'l': r = c <= 0; break;
    case '>': r = c > 0; break;
    default: r = c >= 0; break;
    }
    return made(run, n, value_bool(r));
}
