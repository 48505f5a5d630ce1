#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "utf8.h"

#define MAX_DEPTH 64

typedef struct lexer {
    const char *src;
    int i;
    arena *a;
    token *toks;
    int n, cap;
    char stack[MAX_DEPTH];   /* open brackets */
    int depth;
    lang_err *e;
} lexer;

const char *lex_kind_name(tok_kind kind)
{
    static const char *const names[] = {
        "end of cell", "end of line", "a name", "a number", "a string",
        "'->'", "'('", "')'", "'['", "']'", "','", "'='", "'+'", "'-'",
        "'*'", "'/'"
    };
    return names[kind];
}

static int continues(tok_kind k)
{
    return k == T_ARROW || k == T_COMMA || k == T_ASSIGN || k == T_PLUS
        || k == T_MINUS || k == T_STAR || k == T_SLASH;
}

static int push(lexer *lx, tok_kind kind, int pos, int len)
{
    if (lx->n == lx->cap) {
        if (lx->cap > INT_MAX / 2)
            return lang_err_set(lx->e, "SyntaxError", pos, 1,
                                "the cell has too many tokens");
        int cap = lx->cap ? lx->cap * 2 : 64;
        token *t = realloc(lx->toks, (size_t)cap * sizeof *t);
        if (!t)
            return lang_err_oom(lx->e, pos);
        lx->toks = t;
        lx->cap = cap;
    }
    token *t = &lx->toks[lx->n++];
    t->kind = kind;
    t->pos = pos;
    t->len = len;
    t->str = NULL;
    return 0;
}

static tok_kind last_kind(const lexer *lx)
{
    return lx->n ? lx->toks[lx->n - 1].kind : T_NEWLINE;
}

static int lex_string(lexer *lx, lex_result *r)
{
    const char *s = lx->src;
    int start = lx->i;
    char q = s[lx->i++];
    int cap = 0;
    while (s[lx->i + cap] && s[lx->i + cap] != q)
        cap += s[lx->i + cap] == '\\' && s[lx->i + cap + 1] ? 2 : 1;
    char *out = arena_alloc(lx->a, (size_t)cap + 1);
    if (!out)
        return lang_err_oom(lx->e, start);
    int k = 0;
    while (s[lx->i] && s[lx->i] != q) {
        char c = s[lx->i++];
        if (c == '\\' && s[lx->i]) {
            char x = s[lx->i++];
            switch (x) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '\\': case '"': case '\'': c = x; break;
            default:
                return lang_err_set(lx->e, "SyntaxError", lx->i - 2, 2,
                    "unknown escape '\\%c' in string (use \\n, \\t, \\\\, "
                    "\\\" or \\')", x);
            }
        }
        out[k++] = c;
    }
    if (!s[lx->i]) {
        r->end = LEX_END_STRING;
        return lang_err_set(lx->e, "SyntaxError", start, 1,
                            "unterminated string: close it with %c", q);
    }
    out[k] = '\0';
    lx->i++;
    if (push(lx, T_STRING, start, lx->i - start) < 0)
        return -1;
    lx->toks[lx->n - 1].str = out;
    return 0;
}

static int lex_number(lexer *lx)
{
    const char *s = lx->src;
    int start = lx->i;
    while (isdigit((unsigned char)s[lx->i]))
        lx->i++;
    if (s[lx->i] == '.') {
        lx->i++;
        while (isdigit((unsigned char)s[lx->i]))
            lx->i++;
    }
    if ((s[lx->i] == 'e' || s[lx->i] == 'E')
        && (isdigit((unsigned char)s[lx->i + 1])
            || ((s[lx->i + 1] == '-' || s[lx->i + 1] == '+')
                && isdigit((unsigned char)s[lx->i + 2])))) {
        lx->i += 2;
        while (isdigit((unsigned char)s[lx->i]))
            lx->i++;
    }
    if (isalpha((unsigned char)s[lx->i]) || s[lx->i] == '_')
        return lang_err_set(lx->e, "SyntaxError", start, lx->i - start + 1,
                            "a name cannot start with a digit");
    if (push(lx, T_NUMBER, start, lx->i - start) < 0)
        return -1;
    lx->toks[lx->n - 1].num = strtod(s + start, NULL);
    return 0;
}

static int open_bracket(lexer *lx, char c, tok_kind kind)
{
    if (lx->depth == MAX_DEPTH)
        return lang_err_set(lx->e, "SyntaxError", lx->i, 1,
                            "brackets nested too deeply (at most %d)",
                            MAX_DEPTH);
    lx->stack[lx->depth++] = c;
    if (push(lx, kind, lx->i, 1) < 0)
        return -1;
    lx->i++;
    return 0;
}

static int close_bracket(lexer *lx, lex_result *r, char c, tok_kind kind)
{
    char want = c == ')' ? '(' : '[';
    if (lx->depth == 0 || lx->stack[lx->depth - 1] != want) {
        r->end = LEX_END_BAD;
        if (lx->depth == 0)
            return lang_err_set(lx->e, "SyntaxError", lx->i, 1,
                                "'%c' without a matching '%c'", c, want);
        return lang_err_set(lx->e, "SyntaxError", lx->i, 1,
                            "'%c' closes a '%c': expected '%c'", c,
                            lx->stack[lx->depth - 1],
                            lx->stack[lx->depth - 1] == '(' ? ')' : ']');
    }
    lx->depth--;
    if (push(lx, kind, lx->i, 1) < 0)
        return -1;
    lx->i++;
    return 0;
}

static int lex_token(lexer *lx, lex_result *r)
{
    const char *s = lx->src;
    char c = s[lx->i];
    if (c == '"' || c == '\'')
        return lex_string(lx, r);
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[lx->i + 1])))
        return lex_number(lx);
    if (isalpha((unsigned char)c) || c == '_') {
        int start = lx->i;
        while (isalnum((unsigned char)s[lx->i]) || s[lx->i] == '_')
            lx->i++;
        if (push(lx, T_NAME, start, lx->i - start) < 0)
            return -1;
        const char *name = arena_strndup(lx->a, s + start, (size_t)(lx->i - start));
        if (!name)
            return lang_err_oom(lx->e, start);
        lx->toks[lx->n - 1].str = name;
        return 0;
    }
    switch (c) {
    case '(': return open_bracket(lx, c, T_LPAREN);
    case '[': return open_bracket(lx, c, T_LBRACK);
    case ')': return close_bracket(lx, r, c, T_RPAREN);
    case ']': return close_bracket(lx, r, c, T_RBRACK);
    default: break;
    }
    tok_kind kind;
    int len = 1;
    switch (c) {
    case ',': kind = T_COMMA; break;
    case '=': kind = T_ASSIGN; break;
    case '+': kind = T_PLUS; break;
    case '*': kind = T_STAR; break;
    case '/': kind = T_SLASH; break;
    case '-':
        kind = s[lx->i + 1] == '>' ? T_ARROW : T_MINUS;
        len = kind == T_ARROW ? 2 : 1;
        break;
    default: {
        r->end = LEX_END_BAD;
        int n = utf8_decode(s + lx->i, NULL);
        if (n == 0)
            n = 1;      /* not UTF-8: point at the one byte */
        return lang_err_set(lx->e, "SyntaxError", lx->i, n,
                            "unexpected character '%.*s'", n, s + lx->i);
    }
    }
    if (push(lx, kind, lx->i, len) < 0)
        return -1;
    lx->i += len;
    return 0;
}

static int lex_all(lexer *lx, lex_result *r)
{
    const char *src = lx->src;
    while (src[lx->i]) {
        char c = src[lx->i];
        if (c == '#') {
            while (src[lx->i] && src[lx->i] != '\n')
                lx->i++;
        } else if (c == '\n') {
            tok_kind last = last_kind(lx);
            if (lx->depth == 0 && last != T_NEWLINE && !continues(last)
                && push(lx, T_NEWLINE, lx->i, 1) < 0)
                return -1;
            lx->i++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
            lx->i++;
        } else if (lex_token(lx, r) < 0) {
            return -1;
        }
    }
    return push(lx, T_EOF, lx->i, 0);
}

int lex_run(const char *src, arena *a, lex_result *r, lang_err *e)
{
    assert(src && a && r && e);
    lexer lx = { .src = src, .a = a, .e = e };
    r->toks = NULL;
    r->n = 0;
    r->end = LEX_END_OK;
    if (lex_all(&lx, r) < 0) {
        free(lx.toks);
        return -1;
    }
    r->toks = lx.toks;
    r->n = lx.n;
    if (lx.depth > 0)
        r->end = LEX_END_OPEN;
    else if (lx.n >= 2 && continues(lx.toks[lx.n - 2].kind))
        r->end = LEX_END_CONTINUE;
    return 0;
}

void lex_free(lex_result *r)
{
    assert(r);
    free(r->toks);
    r->toks = NULL;
    r->n = 0;
}
