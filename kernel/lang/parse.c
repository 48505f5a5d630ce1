#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "library.h"
#include "parse.h"

/* Fails with "expected X, found Y" at token t. */
int parser_unexpected(parser *p, const token *t, const char *expected)
{
    switch (t->kind) {
    case T_EOF:
        if (p->at_end)
            *p->at_end = 1;
        return lang_err_set(p->e, "SyntaxError", t->pos, 1,
                            "expected %s, found the end of the cell",
                            expected);
    case T_NEWLINE:
        return lang_err_set(p->e, "SyntaxError", t->pos, 1,
                            "expected %s, found the end of the line",
                            expected);
    case T_NAME:
        return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                            "expected %s, found '%s'", expected, t->str);
    case T_NUMBER:
        return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                            "expected %s, found a number", expected);
    case T_STRING:
        return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                            "expected %s, found a string", expected);
    case T_NUMS:      /* pointed at by its '[', as a '[' token would be */
        return lang_err_set(p->e, "SyntaxError", t->pos, 1,
                            "expected %s, found '['", expected);
    default:
        return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                            "expected %s, found %s", expected,
                            lex_kind_name(t->kind));
    }
}

int parser_expect(parser *p, tok_kind kind, const char *expected)
{
    if (parser_peek(p)->kind != kind)
        return parser_unexpected(p, parser_peek(p), expected);
    p->i++;
    return 0;
}

node *parser_node(parser *p, node_kind kind, const token *t)
{
    node *n = arena_alloc(p->a, sizeof *n);
    if (!n) {
        lang_err_oom(p->e, t->pos);
        return NULL;
    }
    n->kind = kind;
    n->pos = t->pos;
    n->len = t->len;
    return n;
}

/* Extends n's range to the end of the token before the current one. */
void parser_close(parser *p, node *n)
{
    const token *last = &p->t[p->i - 1];
    n->len = last->pos + last->len - n->pos;
}

int parser_push(parser *p, node_list *l, node *item, const char *key,
                     int key_pos)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        node **items = arena_alloc(p->a, (size_t)cap * sizeof *items);
        const char **keys = l->plain ? NULL
                          : arena_alloc(p->a, (size_t)cap * sizeof *keys);
        int *kp = l->plain ? NULL
                : arena_alloc(p->a, (size_t)cap * sizeof *kp);
        if (!items || (!l->plain && (!keys || !kp)))
            return lang_err_oom(p->e, item->pos);
        if (l->n) {
            memcpy(items, l->items, (size_t)l->n * sizeof *items);
            if (!l->plain) {
                memcpy(keys, l->keys, (size_t)l->n * sizeof *keys);
                memcpy(kp, l->key_pos, (size_t)l->n * sizeof *kp);
            }
        }
        l->items = items;
        l->keys = keys;
        l->key_pos = kp;
        l->cap = cap;
    }
    assert(!l->plain || !key);
    l->items[l->n] = item;
    if (!l->plain) {
        l->keys[l->n] = key;
        l->key_pos[l->n] = key_pos;
    }
    l->n++;
    return 0;
}

void parser_into(node *n, const node_list *l)
{
    n->kids = l->items;
    n->keys = l->keys;
    n->key_pos = l->key_pos;
    n->nkids = l->n;
}


/* Arguments up to the closing ')', the '(' already taken. */
static int parse_args(parser *p, node *call)
{
    node_list l = { 0 };
    int seen_key = 0;
    while (parser_peek(p)->kind != T_RPAREN) {
        const token *t = parser_peek(p);
        const char *key = NULL;
        int key_pos = -1;
        if (t->kind == T_NAME && p->t[p->i + 1].kind == T_ASSIGN) {
            key = t->str;
            key_pos = t->pos;
            for (int j = 0; j < l.n; j++)
                if (l.keys[j] && strcmp(l.keys[j], key) == 0)
                    return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                        "%s is given twice", key);
            p->i += 2;
            seen_key = 1;
        } else if (seen_key) {
            return lang_err_set(p->e, "SyntaxError", t->pos,
                                t->len > 0 && t->kind != T_NUMS ? t->len : 1,
                                "a positional argument cannot follow a "
                                "keyword argument (name=value)");
        }
        node *arg = parser_expr(p);
        if (!arg || parser_push(p, &l, arg, key, key_pos) < 0)
            return -1;
        if (parser_peek(p)->kind == T_COMMA)
            p->i++;
        else if (parser_peek(p)->kind != T_RPAREN)
            return parser_unexpected(p, parser_peek(p), "',' or ')'");
    }
    p->i++;
    parser_into(call, &l);
    return 0;
}

static node *parse_list(parser *p)
{
    node *n = parser_node(p, N_LIST, parser_peek(p));
    if (!n)
        return NULL;
    p->i++;
    node_list l = { .plain = 1 };
    while (parser_peek(p)->kind != T_RBRACK) {
        node *item = parser_expr(p);
        if (!item || parser_push(p, &l, item, NULL, -1) < 0)
            return NULL;
        if (parser_peek(p)->kind == T_COMMA)
            p->i++;
        else if (parser_peek(p)->kind != T_RBRACK) {
            parser_unexpected(p, parser_peek(p), "',' or ']'");
            return NULL;
        }
    }
    p->i++;
    parser_into(n, &l);
    parser_close(p, n);
    return n;
}

static node *parse_name(parser *p)
{
    const token *t = parser_peek(p);
    const char *w = t->str;
    node *n;
    if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0) {
        if ((n = parser_node(p, N_BOOL, t)))
            n->num = w[0] == 't';
        p->i++;
        return n;
    }
    if (strcmp(w, "none") == 0) {
        p->i++;
        return parser_node(p, N_NONE, t);
    }
    if (library_is_keyword(p->lib, w)) {
        const builtin *c = library_command(p->lib, w);
        if (c)
            lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                         "'%s' is a command and starts a line: %s", w,
                         c->syntax.example);
        else
            lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                         "'%s' only joins the parts of a command "
                         "(fit net on train)", w);
        return NULL;
    }
    p->i++;
    if (parser_peek(p)->kind != T_LPAREN) {
        if ((n = parser_node(p, N_NAME, t)))
            n->str = w;
        return n;
    }
    if (!(n = parser_node(p, N_CALL, t)))
        return NULL;
    n->str = w;
    n->name_len = t->len;
    p->i++;
    if (parse_args(p, n) < 0)
        return NULL;
    parser_close(p, n);
    return n;
}

static node *parse_primary(parser *p)
{
    const token *t = parser_peek(p);
    node *n;
    switch (t->kind) {
    case T_NUMBER:
        if ((n = parser_node(p, N_NUM, t)))
            n->num = t->num;
        p->i++;
        return n;
    case T_STRING:
        if ((n = parser_node(p, N_STR, t)))
            n->str = t->str;
        p->i++;
        return n;
    case T_NAME:
        return parse_name(p);
    case T_LBRACK:
        return parse_list(p);
    case T_NUMS:      /* a list of numbers, read by the lexer */
        if ((n = parser_node(p, N_NUMS, t))) {
            n->nums = t->nums->nums;
            n->nkids = t->nums->n;
            n->cols = t->nums->cols;
            n->depth = t->nums->depth;
        }
        p->i++;
        return n;
    case T_LPAREN:
        p->i++;
        if (!(n = parser_expr(p)) || parser_expect(p, T_RPAREN, "')'") < 0)
            return NULL;
        n->pos = t->pos;
        parser_close(p, n);
        return n;
    default:
        parser_unexpected(p, t, "an expression");
        return NULL;
    }
}

/* A node of kind `kind` over kids[0] = l (and kids[1] = r when r is not
 * NULL), from l's start to the token before the current one. */
static node *over(parser *p, node_kind kind, node *l, node *r)
{
    node *n = arena_alloc(p->a, sizeof *n);
    node **kids = arena_alloc(p->a, 2 * sizeof *kids);
    if (!n || !kids) {
        lang_err_oom(p->e, l->pos);
        return NULL;
    }
    n->kind = kind;
    n->pos = l->pos;
    kids[0] = l;
    kids[1] = r;
    n->kids = kids;
    n->nkids = r ? 2 : 1;
    parser_close(p, n);
    return n;
}

/* "." NAME after n; `net.fit(train)` is told how a command is written. */
static node *parse_attr(parser *p, node *n)
{
    p->i++;
    const token *t = parser_peek(p);
    if (t->kind != T_NAME) {
        parser_unexpected(p, t, "a name after '.'");
        return NULL;
    }
    const builtin *c = library_command(p->lib, t->str);
    if (c && p->t[p->i + 1].kind == T_LPAREN) {
        lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                     "%s is a command, not a method: write %s", c->name,
                     c->syntax.example);
        return NULL;
    }
    p->i++;
    node *a = over(p, N_ATTR, n, NULL);
    if (a)
        a->str = t->str;
    return a;
}

/* "[" expr "]" after n; a literal index is a T_NUMS token. */
static node *parse_index(parser *p, node *n)
{
    const token *t = parser_peek(p);
    node *ix;
    if (t->kind == T_NUMS) {
        if (t->nums->depth != 1 || t->nums->n != 1) {
            lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                         "an index is one number: lst[0], lst[-1]");
            return NULL;
        }
        if (!(ix = parser_node(p, N_NUM, t)))
            return NULL;
        ix->num = t->nums->nums[0];
        p->i++;
    } else {
        p->i++;
        if (parser_peek(p)->kind == T_RBRACK) {
            lang_err_set(p->e, "SyntaxError", t->pos, 2,
                         "an index goes between the brackets: lst[0]");
            return NULL;
        }
        if (!(ix = parser_expr(p)) || parser_expect(p, T_RBRACK, "']'") < 0)
            return NULL;
    }
    return over(p, N_INDEX, n, ix);
}

/* postfix := primary {"." NAME | "[" expr "]"}; a '[' indexes only
 * right after what it indexes (no blank between). */
static node *parse_postfix(parser *p)
{
    node *n = parse_primary(p);
    for (int k = 0; n; k++) {
        const token *t = parser_peek(p), *prev = &p->t[p->i - 1];
        int touching = t->pos == prev->pos + prev->len;
        if (k == PARSE_MAX_POSTFIX && (t->kind == T_DOT || (touching
            && (t->kind == T_LBRACK || t->kind == T_NUMS)))) {
            /* the evaluator recurses along them: bound its stack */
            lang_err_set(p->e, "SyntaxError", t->pos, 1,
                         "too many fields and indexes in a row (at most "
                         "%d)", PARSE_MAX_POSTFIX);
            return NULL;
        }
        if (t->kind == T_DOT)
            n = parse_attr(p, n);
        else if (touching && (t->kind == T_LBRACK || t->kind == T_NUMS))
            n = parse_index(p, n);
        else
            break;
    }
    return n;
}

/* unary := "-" unary | postfix, parsed as a loop: a run of minus signs
 * (a cell may hold a megabyte of them) is counted, not recursed into. A
 * number takes the sign at once; any other operand gets one N_NEG per
 * sign, the outermost first, each from its sign to the operand's end. */
static node *parse_unary(parser *p)
{
    int first = p->i;
    while (parser_peek(p)->kind == T_MINUS)
        p->i++;
    int signs = p->i - first;
    node *operand = parse_postfix(p);
    if (!operand || signs == 0)
        return operand;
    if (operand->kind == N_NUM) {   /* a negative literal */
        if (signs % 2)
            operand->num = -operand->num;
        operand->pos = p->t[first].pos;
        parser_close(p, operand);
        return operand;
    }
    for (int k = first + signs - 1; k >= first; k--) {
        node *n = parser_node(p, N_NEG, &p->t[k]);
        node **kids = arena_alloc(p->a, sizeof *kids);
        if (!n || !kids) {
            lang_err_oom(p->e, p->t[k].pos);
            return NULL;
        }
        kids[0] = operand;
        n->kids = kids;
        n->nkids = 1;
        parser_close(p, n);
        operand = n;
    }
    return operand;
}

static node *binop(parser *p, node *l, node *r, char op)
{
    node *n = arena_alloc(p->a, sizeof *n);
    node **kids = arena_alloc(p->a, 2 * sizeof *kids);
    if (!n || !kids) {
        lang_err_oom(p->e, l->pos);
        return NULL;
    }
    n->kind = N_BINOP;
    n->op = op;
    n->pos = l->pos;
    kids[0] = l;
    kids[1] = r;
    n->kids = kids;
    n->nkids = 2;
    parser_close(p, n);
    return n;
}

static node *parse_term(parser *p)
{
    node *l = parse_unary(p);
    while (l && (parser_peek(p)->kind == T_STAR || parser_peek(p)->kind == T_SLASH)) {
        char op = parser_peek(p)->kind == T_STAR ? '*' : '/';
        p->i++;
        node *r = parse_unary(p);
        l = r ? binop(p, l, r, op) : NULL;
    }
    return l;
}

static node *parse_sum(parser *p)
{
    node *l = parse_term(p);
    while (l && (parser_peek(p)->kind == T_PLUS || parser_peek(p)->kind == T_MINUS)) {
        char op = parser_peek(p)->kind == T_PLUS ? '+' : '-';
        p->i++;
        node *r = parse_term(p);
        l = r ? binop(p, l, r, op) : NULL;
    }
    return l;
}

static node *parse_chain(parser *p)
{
    node *first = parse_sum(p);
    if (!first || parser_peek(p)->kind != T_ARROW)
        return first;
    node *n = arena_alloc(p->a, sizeof *n);
    if (!n) {
        lang_err_oom(p->e, first->pos);
        return NULL;
    }
    n->kind = N_CHAIN;
    n->pos = first->pos;
    node_list l = { .plain = 1 };
    if (parser_push(p, &l, first, NULL, -1) < 0)
        return NULL;
    while (parser_peek(p)->kind == T_ARROW) {
        p->i++;
        if (parser_at_end(p)) {
            parser_unexpected(p, parser_peek(p), "a layer after '->'");
            return NULL;
        }
        node *next = parse_sum(p);
        if (!next || parser_push(p, &l, next, NULL, -1) < 0)
            return NULL;
    }
    parser_into(n, &l);
    parser_close(p, n);
    return n;
}

/* The N_CMP op of a comparison token, or 0. */
static char cmp_op(tok_kind k)
{
    switch (k) {
    case T_LT: return '<';
    case T_LE: return 'l';
    case T_GT: return '>';
    case T_GE: return 'g';
    case T_EQ: return '=';
    case T_NE: return '!';
    default: return 0;
    }
}

node *parser_expr(parser *p)
{
    node *l = parse_chain(p);
    char op = l ? cmp_op(parser_peek(p)->kind) : 0;
    if (!op)
        return l;
    p->i++;
    node *r = parse_chain(p);
    node *n = r ? over(p, N_CMP, l, r) : NULL;
    if (n)
        n->op = op;
    if (n && cmp_op(parser_peek(p)->kind)) {
        const token *t = parser_peek(p);
        lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                     "one comparison at a time: a < b, not a < b < c");
        return NULL;
    }
    return n;
}

node *parse_expression(const lex_result *lx, const lang_library *lib,
                       arena *a, lang_err *e)
{
    assert(lx && lib && a && e);
    parser p = { .t = lx->toks, .a = a, .e = e, .lib = lib };
    while (parser_peek(&p)->kind == T_NEWLINE)
        p.i++;
    node *n = parser_expr(&p);
    if (!n)
        return NULL;
    while (parser_peek(&p)->kind == T_NEWLINE)
        p.i++;
    if (parser_peek(&p)->kind != T_EOF) {
        parser_unexpected(&p, parser_peek(&p), "the end of the expression");
        return NULL;
    }
    return n;
}

/* Skips blanks, newlines and comments from s. */
static const char *skip_blank(const char *s)
{
    for (;;) {
        if (*s == '#')
            s += strcspn(s, "\n");
        else if (*s && strchr(" \t\r\f\n", *s))
            s++;
        else
            return s;
    }
}

void parse_item_span(const char *src, const node *n, int i, int *pos,
                     int *len)
{
    assert(src && n && n->kind == N_NUMS && i >= 0 && i < n->nkids);
    assert(pos && len);
    const char *s = skip_blank(src + n->pos);
    while (*s == '(')                   /* ([1, 2]) */
        s = skip_blank(s + 1);
    s++;                                /* the '[' */
    for (int k = 0;; k++) {
        const char *start = s = skip_blank(s), *end = s;
        int depth = 0;
        while (*s && (depth > 0 || (*s != ',' && *s != ']'))) {
            if (*s == '#') {
                s = skip_blank(s);
                continue;
            }
            depth += *s == '[' ? 1 : *s == ']' ? -1 : 0;
            if (!strchr(" \t\r\f\n", *s))
                end = s + 1;
            s++;
        }
        if (k == i || !*s) {
            *pos = (int)(start - src);
            *len = (int)(end - start);
            return;
        }
        s++;                            /* the ',' */
    }
}
