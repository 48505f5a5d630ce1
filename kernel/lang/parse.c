#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "library.h"
#include "parse.h"

typedef struct parser {
    const token *t;
    int i;
    arena *a;
    lang_err *e;
    int *at_end;
    const lang_library *lib;   /* its commands and their syntax */
} parser;

static const token *peek(const parser *p)
{
    return &p->t[p->i];
}

static int is_word(const token *t, const char *w)
{
    return t->kind == T_NAME && strcmp(t->str, w) == 0;
}

static int at_stmt_end(const parser *p)
{
    tok_kind k = peek(p)->kind;
    return k == T_NEWLINE || k == T_EOF;
}

/* Fails with "expected X, found Y" at token t. */
static int unexpected(parser *p, const token *t, const char *expected)
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

static int expect(parser *p, tok_kind kind, const char *expected)
{
    if (peek(p)->kind != kind)
        return unexpected(p, peek(p), expected);
    p->i++;
    return 0;
}

static node *new_node(parser *p, node_kind kind, const token *t)
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
static void close_range(parser *p, node *n)
{
    const token *last = &p->t[p->i - 1];
    n->len = last->pos + last->len - n->pos;
}

/* A growing array of node pointers, and of keywords for calls (those of
 * lists and chains stay NULL: a literal of a million numbers needs no
 * room for them). */
typedef struct node_list {
    node **items;
    const char **keys;
    int *key_pos;
    int n, cap;
    int plain;          /* no keywords */
} node_list;

static int list_push(parser *p, node_list *l, node *item, const char *key,
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

static void list_into(node *n, const node_list *l)
{
    n->kids = l->items;
    n->keys = l->keys;
    n->key_pos = l->key_pos;
    n->nkids = l->n;
}

static node *parse_expr(parser *p);

/* Arguments up to the closing ')', the '(' already taken. */
static int parse_args(parser *p, node *call)
{
    node_list l = { 0 };
    int seen_key = 0;
    while (peek(p)->kind != T_RPAREN) {
        const token *t = peek(p);
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
        node *arg = parse_expr(p);
        if (!arg || list_push(p, &l, arg, key, key_pos) < 0)
            return -1;
        if (peek(p)->kind == T_COMMA)
            p->i++;
        else if (peek(p)->kind != T_RPAREN)
            return unexpected(p, peek(p), "',' or ')'");
    }
    p->i++;
    list_into(call, &l);
    return 0;
}

static node *parse_list(parser *p)
{
    node *n = new_node(p, N_LIST, peek(p));
    if (!n)
        return NULL;
    p->i++;
    node_list l = { .plain = 1 };
    while (peek(p)->kind != T_RBRACK) {
        node *item = parse_expr(p);
        if (!item || list_push(p, &l, item, NULL, -1) < 0)
            return NULL;
        if (peek(p)->kind == T_COMMA)
            p->i++;
        else if (peek(p)->kind != T_RBRACK) {
            unexpected(p, peek(p), "',' or ']'");
            return NULL;
        }
    }
    p->i++;
    list_into(n, &l);
    close_range(p, n);
    return n;
}

static node *parse_name(parser *p)
{
    const token *t = peek(p);
    const char *w = t->str;
    node *n;
    if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0) {
        if ((n = new_node(p, N_BOOL, t)))
            n->num = w[0] == 't';
        p->i++;
        return n;
    }
    if (strcmp(w, "none") == 0) {
        p->i++;
        return new_node(p, N_NONE, t);
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
    if (peek(p)->kind != T_LPAREN) {
        if ((n = new_node(p, N_NAME, t)))
            n->str = w;
        return n;
    }
    if (!(n = new_node(p, N_CALL, t)))
        return NULL;
    n->str = w;
    n->name_len = t->len;
    p->i++;
    if (parse_args(p, n) < 0)
        return NULL;
    close_range(p, n);
    return n;
}

static node *parse_primary(parser *p)
{
    const token *t = peek(p);
    node *n;
    switch (t->kind) {
    case T_NUMBER:
        if ((n = new_node(p, N_NUM, t)))
            n->num = t->num;
        p->i++;
        return n;
    case T_STRING:
        if ((n = new_node(p, N_STR, t)))
            n->str = t->str;
        p->i++;
        return n;
    case T_NAME:
        return parse_name(p);
    case T_LBRACK:
        return parse_list(p);
    case T_NUMS:      /* a list of numbers, read by the lexer */
        if ((n = new_node(p, N_NUMS, t))) {
            n->nums = t->nums->nums;
            n->nkids = t->nums->n;
            n->cols = t->nums->cols;
            n->depth = t->nums->depth;
        }
        p->i++;
        return n;
    case T_LPAREN:
        p->i++;
        if (!(n = parse_expr(p)) || expect(p, T_RPAREN, "')'") < 0)
            return NULL;
        n->pos = t->pos;
        close_range(p, n);
        return n;
    default:
        unexpected(p, t, "an expression");
        return NULL;
    }
}

/* unary := "-" unary | primary, parsed as a loop: a run of minus signs
 * (a cell may hold a megabyte of them) is counted, not recursed into. A
 * number takes the sign at once; any other operand gets one N_NEG per
 * sign, the outermost first, each from its sign to the operand's end. */
static node *parse_unary(parser *p)
{
    int first = p->i;
    while (peek(p)->kind == T_MINUS)
        p->i++;
    int signs = p->i - first;
    node *operand = parse_primary(p);
    if (!operand || signs == 0)
        return operand;
    if (operand->kind == N_NUM) {   /* a negative literal */
        if (signs % 2)
            operand->num = -operand->num;
        operand->pos = p->t[first].pos;
        close_range(p, operand);
        return operand;
    }
    for (int k = first + signs - 1; k >= first; k--) {
        node *n = new_node(p, N_NEG, &p->t[k]);
        node **kids = arena_alloc(p->a, sizeof *kids);
        if (!n || !kids) {
            lang_err_oom(p->e, p->t[k].pos);
            return NULL;
        }
        kids[0] = operand;
        n->kids = kids;
        n->nkids = 1;
        close_range(p, n);
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
    close_range(p, n);
    return n;
}

static node *parse_term(parser *p)
{
    node *l = parse_unary(p);
    while (l && (peek(p)->kind == T_STAR || peek(p)->kind == T_SLASH)) {
        char op = peek(p)->kind == T_STAR ? '*' : '/';
        p->i++;
        node *r = parse_unary(p);
        l = r ? binop(p, l, r, op) : NULL;
    }
    return l;
}

static node *parse_sum(parser *p)
{
    node *l = parse_term(p);
    while (l && (peek(p)->kind == T_PLUS || peek(p)->kind == T_MINUS)) {
        char op = peek(p)->kind == T_PLUS ? '+' : '-';
        p->i++;
        node *r = parse_term(p);
        l = r ? binop(p, l, r, op) : NULL;
    }
    return l;
}

static node *parse_expr(parser *p)
{
    node *first = parse_sum(p);
    if (!first || peek(p)->kind != T_ARROW)
        return first;
    node *n = arena_alloc(p->a, sizeof *n);
    if (!n) {
        lang_err_oom(p->e, first->pos);
        return NULL;
    }
    n->kind = N_CHAIN;
    n->pos = first->pos;
    node_list l = { .plain = 1 };
    if (list_push(p, &l, first, NULL, -1) < 0)
        return NULL;
    while (peek(p)->kind == T_ARROW) {
        p->i++;
        if (at_stmt_end(p)) {
            unexpected(p, peek(p), "a layer after '->'");
            return NULL;
        }
        node *next = parse_sum(p);
        if (!next || list_push(p, &l, next, NULL, -1) < 0)
            return NULL;
    }
    list_into(n, &l);
    close_range(p, n);
    return n;
}

/* Keyword arguments of a command: {"," NAME "=" expr}. */
static int parse_command_kwargs(parser *p, node_list *l, const builtin *c)
{
    while (peek(p)->kind == T_COMMA) {
        const token *comma = peek(p);
        if (!c->syntax.options)
            return lang_err_set(p->e, "SyntaxError", comma->pos, 1,
                                "%s takes no options: %s", c->name,
                                c->syntax.example);
        p->i++;
        const token *t = peek(p);
        if (t->kind != T_NAME || p->t[p->i + 1].kind != T_ASSIGN)
            return unexpected(p, t, "an option name=value");
        for (int j = 0; j < l->n; j++)
            if (l->keys[j] && strcmp(l->keys[j], t->str) == 0)
                return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                    "%s is given twice", t->str);
        p->i += 2;
        node *v = parse_expr(p);
        if (!v || list_push(p, l, v, t->str, t->pos) < 0)
            return -1;
    }
    return 0;
}

/* The parts a command is written with: two when a word joins them, else
 * one when it has parameters. */
static int command_parts(const builtin *c)
{
    if (c->syntax.link)
        return 2;
    return c->params[0].name ? 1 : 0;
}

static int parse_command(parser *p, stmt *s, const builtin *c)
{
    const command_syntax *cs = &c->syntax;
    int parts = command_parts(c);
    const token *kw = peek(p);
    node *call = new_node(p, N_CALL, kw);
    if (!call)
        return -1;
    call->str = kw->str;
    call->name_len = kw->len;
    p->i++;
    node_list l = { 0 };
    if (cs->word_part && !at_stmt_end(p)) {
        const token *t = peek(p);
        if (t->kind != T_NAME && t->kind != T_STRING)
            return unexpected(p, t, "a name to look up (help fit)");
        node *topic = new_node(p, N_STR, t);
        if (!topic || list_push(p, &l, topic, NULL, -1) < 0)
            return -1;
        topic->str = t->str;
        p->i++;
    } else if (parts > 0 && !at_stmt_end(p) && peek(p)->kind != T_COMMA) {
        node *first = parse_expr(p);
        if (!first || list_push(p, &l, first, NULL, -1) < 0)
            return -1;
        const token *t = peek(p);
        int linked = cs->link && is_word(t, cs->link);
        if (linked)
            p->i++;
        if (parts > 1 && (linked || (cs->link_optional && !at_stmt_end(p)
                                     && t->kind != T_COMMA))) {
            node *second = parse_expr(p);
            if (!second || list_push(p, &l, second, NULL, -1) < 0)
                return -1;
        } else if (l.n < c->required) {
            char want[64];
            snprintf(want, sizeof want, "'%s' (%s)", cs->link, cs->example);
            return unexpected(p, t, want);
        }
    }
    if (l.n < c->required)
        return unexpected(p, peek(p), cs->example);
    if (parse_command_kwargs(p, &l, c) < 0)
        return -1;
    list_into(call, &l);
    close_range(p, call);
    s->kind = S_COMMAND;
    s->expr = call;
    return 0;
}

/* NAME {"," NAME} "=" ahead? */
static int is_assignment(const parser *p)
{
    int i = p->i;
    while (p->t[i].kind == T_NAME) {
        if (p->t[i + 1].kind == T_ASSIGN)
            return 1;
        if (p->t[i + 1].kind != T_COMMA)
            return 0;
        i += 2;
    }
    return 0;
}

static int parse_assignment(parser *p, stmt *s)
{
    int n = 1;
    for (int i = p->i; p->t[i + 1].kind == T_COMMA; i += 2)
        n++;
    s->targets = arena_alloc(p->a, (size_t)n * sizeof *s->targets);
    s->target_pos = arena_alloc(p->a, (size_t)n * sizeof *s->target_pos);
    if (!s->targets || !s->target_pos)
        return lang_err_oom(p->e, peek(p)->pos);
    for (int k = 0; k < n; k++) {
        const token *t = peek(p);
        if (library_is_keyword(p->lib, t->str))
            return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                "'%s' is a keyword and cannot be assigned; "
                                "pick another name", t->str);
        for (int j = 0; j < k; j++)
            if (strcmp(s->targets[j], t->str) == 0)
                return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                    "'%s' is assigned twice", t->str);
        s->targets[k] = t->str;
        s->target_pos[k] = t->pos;
        p->i += 2;   /* the name and its ',' or '=' */
    }
    s->ntargets = n;
    s->kind = S_ASSIGN;
    if (at_stmt_end(p))
        return unexpected(p, peek(p), "a value after '='");
    s->expr = parse_expr(p);
    return s->expr ? 0 : -1;
}

static int parse_statement(parser *p, stmt *s)
{
    const token *t = peek(p);
    s->pos = t->pos;
    const builtin *c = t->kind == T_NAME ? library_command(p->lib, t->str)
                                         : NULL;
    int rc;
    if (c && p->t[p->i + 1].kind != T_ASSIGN)
        rc = parse_command(p, s, c);
    else if (is_assignment(p))
        rc = parse_assignment(p, s);
    else {
        s->kind = S_EXPR;
        s->expr = parse_expr(p);
        rc = s->expr ? 0 : -1;
    }
    if (rc < 0)
        return -1;
    const token *last = &p->t[p->i - 1];
    s->len = last->pos + last->len - s->pos;
    if (!at_stmt_end(p)) {
        const token *x = peek(p);
        if (x->kind == T_ASSIGN)
            return lang_err_set(p->e, "SyntaxError", x->pos, 1,
                                "only names can be assigned (name = value)");
        return unexpected(p, x, "the end of the line");
    }
    return 0;
}

int parse_cell(const lex_result *lx, const lang_library *lib, arena *a,
               cell *out, lang_err *e, int *at_end)
{
    assert(lx && lib && a && out && e && at_end);
    parser p = { .t = lx->toks, .a = a, .e = e, .at_end = at_end,
                 .lib = lib };
    *at_end = 0;
    int count = 0;
    for (int i = 0; i < lx->n; i++)
        count += lx->toks[i].kind == T_NEWLINE;
    out->stmts = arena_alloc(a, (size_t)(count + 1) * sizeof *out->stmts);
    out->n = 0;
    if (!out->stmts)
        return lang_err_oom(e, -1);
    while (peek(&p)->kind != T_EOF) {
        if (peek(&p)->kind == T_NEWLINE) {
            p.i++;
            continue;
        }
        if (parse_statement(&p, &out->stmts[out->n]) < 0)
            return -1;
        out->n++;
    }
    return 0;
}

node *parse_expression(const lex_result *lx, const lang_library *lib,
                       arena *a, lang_err *e)
{
    assert(lx && lib && a && e);
    parser p = { .t = lx->toks, .a = a, .e = e, .lib = lib };
    while (peek(&p)->kind == T_NEWLINE)
        p.i++;
    node *n = parse_expr(&p);
    if (!n)
        return NULL;
    while (peek(&p)->kind == T_NEWLINE)
        p.i++;
    if (peek(&p)->kind != T_EOF) {
        unexpected(&p, peek(&p), "the end of the expression");
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
