#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "library.h"
#include "parse.h"

/* Keyword arguments of a command: {"," NAME "=" expr}. */
static int parse_command_kwargs(parser *p, node_list *l, const builtin *c)
{
    while (parser_peek(p)->kind == T_COMMA) {
        const token *comma = parser_peek(p);
        if (!c->syntax.options)
            return lang_err_set(p->e, "SyntaxError", comma->pos, 1,
                                "%s takes no options: %s", c->name,
                                c->syntax.example);
        p->i++;
        const token *t = parser_peek(p);
        if (t->kind != T_NAME || p->t[p->i + 1].kind != T_ASSIGN)
            return parser_unexpected(p, t, "an option name=value");
        for (int j = 0; j < l->n; j++)
            if (l->keys[j] && strcmp(l->keys[j], t->str) == 0)
                return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                    "%s is given twice", t->str);
        p->i += 2;
        node *v = parser_expr(p);
        if (!v || parser_push(p, l, v, t->str, t->pos) < 0)
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
    const token *kw = parser_peek(p);
    node *call = parser_node(p, N_CALL, kw);
    if (!call)
        return -1;
    call->str = kw->str;
    call->name_len = kw->len;
    p->i++;
    node_list l = { 0 };
    if (cs->word_part && !parser_at_end(p)) {
        const token *t = parser_peek(p);
        if (t->kind != T_NAME && t->kind != T_STRING)
            return parser_unexpected(p, t, "a name to look up (help fit)");
        node *topic = parser_node(p, N_STR, t);
        if (!topic || parser_push(p, &l, topic, NULL, -1) < 0)
            return -1;
        topic->str = t->str;
        p->i++;
    } else if (parts > 0 && !parser_at_end(p) && parser_peek(p)->kind != T_COMMA) {
        node *first = parser_expr(p);
        if (!first || parser_push(p, &l, first, NULL, -1) < 0)
            return -1;
        const token *t = parser_peek(p);
        int linked = cs->link && parser_is_word(t, cs->link);
        if (linked)
            p->i++;
        if (parts > 1 && (linked || (cs->link_optional && !parser_at_end(p)
                                     && t->kind != T_COMMA))) {
            node *second = parser_expr(p);
            if (!second || parser_push(p, &l, second, NULL, -1) < 0)
                return -1;
        } else if (l.n < c->required) {
            char want[64];
            snprintf(want, sizeof want, "'%s' (%s)", cs->link, cs->example);
            return parser_unexpected(p, t, want);
        }
    }
    if (l.n < c->required)
        return parser_unexpected(p, parser_peek(p), cs->example);
    if (parse_command_kwargs(p, &l, c) < 0)
        return -1;
    parser_into(call, &l);
    parser_close(p, call);
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

/* A name a cell may not define: a keyword, or a builtin it would hide
 * (`relu = linear(4)` would leave no relu). 0, or -1 with the error. */
static int check_target(parser *p, const token *t)
{
    if (library_is_keyword(p->lib, t->str))
        return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                            "'%s' is a keyword and cannot be assigned; "
                            "pick another name", t->str);
    const builtin *b = library_find(p->lib, t->str);
    if (!b)
        return 0;
    static const char *const kinds[] = { "function", "data set", "layer",
                                         "optimizer", "schedule", "command" };
    return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                        "'%s' is a builtin %s and cannot be redefined; pick "
                        "another name, such as my_%s%s", t->str,
                        kinds[b->kind], t->str,
                        strcmp(t->str, "seed") == 0
                        ? " (seed(5) sets the seed of everything after it)"
                        : "");
}

static int parse_assignment(parser *p, stmt *s)
{
    int n = 1;
    for (int i = p->i; p->t[i + 1].kind == T_COMMA; i += 2)
        n++;
    s->targets = arena_alloc(p->a, (size_t)n * sizeof *s->targets);
    s->target_pos = arena_alloc(p->a, (size_t)n * sizeof *s->target_pos);
    if (!s->targets || !s->target_pos)
        return lang_err_oom(p->e, parser_peek(p)->pos);
    for (int k = 0; k < n; k++) {
        const token *t = parser_peek(p);
        if (check_target(p, t) < 0)
            return -1;
        for (int j = 0; j < k; j++)
            if (strcmp(s->targets[j], t->str) == 0)
                return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                    "'%s' is assigned twice", t->str);
        s->targets[k] = t->str;
        s->target_pos[k] = t->pos;
        p->i += 2;   /* the name and its ',' or '=' */
    }
    s->ntargets = n;
    if (parser_at_end(p))
        return parser_unexpected(p, parser_peek(p), "a value after '='");
    const token *t = parser_peek(p);
    const builtin *c = t->kind == T_NAME ? library_command(p->lib, t->str)
                                         : NULL;
    if (c) {             /* h = fit net on train: the command's value */
        if (parse_command(p, s, c) < 0)
            return -1;
        s->kind = S_ASSIGN;
        return 0;
    }
    s->kind = S_ASSIGN;
    s->expr = parser_expr(p);
    return s->expr ? 0 : -1;
}

static int parse_statement(parser *p, stmt *s);

/* A growing array of statements, in the arena. */
typedef struct stmt_list {
    stmt *items;
    int n, cap;
} stmt_list;

static stmt *stmt_next(parser *p, stmt_list *l)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        stmt *items = arena_alloc(p->a, (size_t)cap * sizeof *items);
        if (!items) {
            lang_err_oom(p->e, parser_peek(p)->pos);
            return NULL;
        }
        if (l->n)
            memcpy(items, l->items, (size_t)l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    stmt *s = &l->items[l->n++];
    memset(s, 0, sizeof *s);
    return s;
}

static void skip_newlines(parser *p)
{
    while (parser_peek(p)->kind == T_NEWLINE)
        p->i++;
}

/* The block of a for whose line is indented by `header`: the lines after
 * it indented deeper, all by as much as the first. */
static int parse_block(parser *p, stmt *s, int header)
{
    const token *first = parser_peek(p);
    if (first->kind == T_EOF || first->indent <= header) {
        if (first->kind == T_EOF && p->at_end)
            *p->at_end = 1;
        return lang_err_set(p->e, "SyntaxError", first->pos,
                            first->len ? first->len : 1,
                            "expected the loop's lines after 'for ...:', "
                            "indented deeper than the for line");
    }
    int indent = first->indent;
    stmt_list l = { 0 };
    while (parser_peek(p)->kind != T_EOF && parser_peek(p)->indent > header) {
        const token *t = parser_peek(p);
        if (t->indent != indent)
            return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                                "this line is indented by %d, the lines "
                                "above it in the loop by %d: indent them "
                                "the same", t->indent, indent);
        stmt *b = stmt_next(p, &l);
        if (!b || parse_statement(p, b) < 0)
            return -1;
        skip_newlines(p);
    }
    s->body = l.items;
    s->nbody = l.n;
    return 0;
}

/* for := "for" NAME "in" expr ":" (NEWLINE block | simple) */
static int parse_for(parser *p, stmt *s)
{
    const token *kw = parser_peek(p);
    if (p->loops == PARSE_MAX_LOOPS)
        return lang_err_set(p->e, "SyntaxError", kw->pos, kw->len,
                            "loops nested too deeply (at most %d)",
                            PARSE_MAX_LOOPS);
    p->i++;
    const token *t = parser_peek(p);
    if (t->kind != T_NAME)
        return parser_unexpected(p, t, "a name after 'for' (for x in [1, 2]:)");
    if (check_target(p, t) < 0)
        return -1;
    s->targets = arena_alloc(p->a, sizeof *s->targets);
    s->target_pos = arena_alloc(p->a, sizeof *s->target_pos);
    if (!s->targets || !s->target_pos)
        return lang_err_oom(p->e, t->pos);
    s->targets[0] = t->str;
    s->target_pos[0] = t->pos;
    s->ntargets = 1;
    p->i++;
    if (!parser_is_word(parser_peek(p), "in"))
        return parser_unexpected(p, parser_peek(p), "'in' (for x in [1, 2]:)");
    p->i++;
    if (!(s->expr = parser_expr(p)))
        return -1;
    if (parser_peek(p)->kind != T_COLON)
        return parser_unexpected(p, parser_peek(p), "':' at the end of the for line");
    p->i++;
    s->kind = S_FOR;
    s->len = p->t[p->i - 1].pos + 1 - s->pos;
    p->loops++;
    int rc;
    if (parser_at_end(p)) {
        skip_newlines(p);
        rc = parse_block(p, s, kw->indent < 0 ? 0 : kw->indent);
    } else if (parser_is_word(parser_peek(p), "for")) {
        rc = lang_err_set(p->e, "SyntaxError", parser_peek(p)->pos, 3,
                          "a loop inside a loop goes on its own line, "
                          "indented");
    } else {
        stmt *b = arena_alloc(p->a, sizeof *b);
        memset(b, 0, b ? sizeof *b : 0);
        rc = b ? parse_statement(p, b) : lang_err_oom(p->e, kw->pos);
        s->body = b;
        s->nbody = 1;
    }
    p->loops--;
    return rc;
}

/* `fti net on train`: a line that starts with two names is a command
 * written wrong when the first is close to a command's name. Returns -1
 * with that error, else 0. */
static int misspelt_command(parser *p, const token *t)
{
    if (t->kind != T_NAME || p->t[p->i + 1].kind != T_NAME
        || library_is_keyword(p->lib, t->str))
        return 0;
    const char *cands[64];
    int k = 0;
    for (int i = 0, n = library_count(p->lib); i < n && k < 64; i++) {
        const builtin *b = library_nth(p->lib, i);
        if (b->kind == B_COMMAND)
            cands[k++] = b->name;
    }
    const char *near = diag_nearest(t->str, cands, k);
    if (!near)
        return 0;
    return lang_err_set(p->e, "SyntaxError", t->pos, t->len,
                        "unknown command '%s'; did you mean '%s'? (%s)",
                        t->str, near, library_command(p->lib, near)
                                          ->syntax.example);
}

static int parse_statement(parser *p, stmt *s)
{
    const token *t = parser_peek(p);
    s->pos = t->pos;
    if (parser_is_word(t, "for"))
        return parse_for(p, s);
    if (misspelt_command(p, t) < 0)
        return -1;
    const builtin *c = t->kind == T_NAME ? library_command(p->lib, t->str)
                                         : NULL;
    int rc;
    if (c && p->t[p->i + 1].kind != T_ASSIGN)
        rc = parse_command(p, s, c);
    else if (is_assignment(p))
        rc = parse_assignment(p, s);
    else {
        s->kind = S_EXPR;
        s->expr = parser_expr(p);
        rc = s->expr ? 0 : -1;
    }
    if (rc < 0)
        return -1;
    const token *last = &p->t[p->i - 1];
    s->len = last->pos + last->len - s->pos;
    if (!parser_at_end(p)) {
        const token *x = parser_peek(p);
        if (x->kind == T_ASSIGN)
            return lang_err_set(p->e, "SyntaxError", x->pos, 1,
                                "only names can be assigned (name = value)");
        return parser_unexpected(p, x, "the end of the line");
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
    while (parser_peek(&p)->kind != T_EOF) {
        if (parser_peek(&p)->kind == T_NEWLINE) {
            p.i++;
            continue;
        }
        if (parse_statement(&p, &out->stmts[out->n]) < 0)
            return -1;
        out->n++;
    }
    return 0;
}

