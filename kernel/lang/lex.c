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
    int line_start;          /* where the current line starts */
    int line_has_tok;        /* a token was pushed on it */
    lang_err *e;
} lexer;

const char *lex_kind_name(tok_kind kind)
{
    static const char *const names[] = {
        "end of cell", "end of line", "a name", "a number", "a string",
        "'->'", "'('", "')'", "'['", "']'", "','", "'='", "'+'", "'-'",
        "'*'", "'/'", "'['",     /* T_NUMS starts with its '[' */
        "'.'", "':'", "'<'", "'<='", "'>'", "'>='", "'=='", "'!='"
    };
    return names[kind];
}

static int continues(tok_kind k)
{
    return k == T_ARROW || k == T_COMMA || k == T_ASSIGN || k == T_PLUS
        || k == T_MINUS || k == T_STAR || k == T_SLASH || k == T_DOT
        || (k >= T_LT && k <= T_NE);
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
    t->indent = lx->line_has_tok ? -1 : pos - lx->line_start;
    lx->line_has_tok = 1;
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

/* The end of the number at s[i] (a digit, or '.' and a digit):
 * digits ["." digits] [("e" | "E") ["+" | "-"] digits]. */
static int number_end(const char *s, int i)
{
    while (isdigit((unsigned char)s[i]))
        i++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    if ((s[i] == 'e' || s[i] == 'E')
        && (isdigit((unsigned char)s[i + 1])
            || ((s[i + 1] == '-' || s[i + 1] == '+')
                && isdigit((unsigned char)s[i + 2])))) {
        i += 2;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    return i;
}

static int starts_number(const char *s, int i)
{
    return isdigit((unsigned char)s[i])
        || (s[i] == '.' && isdigit((unsigned char)s[i + 1]));
}

static int lex_number(lexer *lx)
{
    const char *s = lx->src;
    int start = lx->i;
    lx->i = number_end(s, start);
    if (s[lx->i] == '_' && isdigit((unsigned char)s[lx->i + 1])) {
        int end = lx->i;
        while (s[end] == '_' || isalnum((unsigned char)s[end]))
            end++;
        return lang_err_set(lx->e, "SyntaxError", start, end - start,
                            "numbers are written without '_': %.*s is "
                            "written without the underscores (1000, not "
                            "1_000)", end - start, s + start);
    }
    if (isalpha((unsigned char)s[lx->i]) || s[lx->i] == '_')
        return lang_err_set(lx->e, "SyntaxError", start, lx->i - start + 1,
                            "a name cannot start with a digit");
    if (push(lx, T_NUMBER, start, lx->i - start) < 0)
        return -1;
    lx->toks[lx->n - 1].num = strtod(s + start, NULL);
    return 0;
}

/* ---- literals of numbers (T_NUMS) ---------------------------------- */

/* Skips blanks, line ends and comments: inside brackets none is a
 * token. */
static int skip_blank(const char *s, int i)
{
    for (;;) {
        if (s[i] == '#')
            while (s[i] && s[i] != '\n')
                i++;
        else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f'
                 || s[i] == '\n')
            i++;
        else
            return i;
    }
}

/* num := {"-"} NUMBER at s[i]: the end of it (blanks after it skipped),
 * its value in *x when x is not NULL; -1 when the text there is not one
 * the lexer would read as such ('->', a digit starting a name). */
static int nums_one(const char *s, int i, double *x)
{
    int signs = 0;
    for (; s[i] == '-' && s[i + 1] != '>'; i = skip_blank(s, i + 1))
        signs++;
    if (!starts_number(s, i))
        return -1;
    int end = number_end(s, i);
    if (isalpha((unsigned char)s[end]) || s[end] == '_')
        return -1;
    if (x)
        *x = signs % 2 ? -strtod(s + i, NULL) : strtod(s + i, NULL);
    return skip_blank(s, end);
}

/* "[" num {"," num} [","] "]" at s[i]: the end of it, its count in
 * *count, its numbers written to out when not NULL; -1 when the text
 * there is not one (an empty list is not). */
static int nums_row(const char *s, int i, double *out, int *count)
{
    int k = 0;
    for (i = skip_blank(s, i + 1); s[i] != ']'; k++) {
        if ((i = nums_one(s, i, out ? out + k : NULL)) < 0)
            return -1;
        if (s[i] == ',')
            i = skip_blank(s, i + 1);
        else if (s[i] != ']')
            return -1;
    }
    *count = k;
    return k > 0 ? i + 1 : -1;
}

/* nums (parse.h) at s[i], its "[": the end of it, its shape in *n,
 * *cols and *depth, its numbers written to out when not NULL; -1 when
 * the text there is not one. The lexer reads it once to size the array
 * and once to fill it. */
static int nums_scan(const char *s, int i, double *out, int *n, int *cols,
                     int *depth)
{
    *depth = 1;
    *cols = 1;
    int j = skip_blank(s, i + 1);
    if (s[j] != '[')
        return nums_row(s, i, out, n);
    int rows = 0, width = 0;
    while (s[j] != ']') {
        int w;
        if (s[j] != '[')
            return -1;
        j = nums_row(s, j, out ? out + (size_t)rows * width : NULL, &w);
        if (j < 0 || (rows > 0 && w != width))
            return -1;
        width = w;
        rows++;
        j = skip_blank(s, j);
        if (s[j] == ',')
            j = skip_blank(s, j + 1);
        else if (s[j] != ']')
            return -1;
    }
    *n = rows;
    *cols = width;
    *depth = 2;
    return j + 1;
}

/* At a '[': a literal of numbers becomes one T_NUMS token. Returns 1
 * when it was one, 0 when it is not (nothing done), -1 on OOM. */
static int lex_literal(lexer *lx)
{
    const char *s = lx->src;
    int n, cols, depth;
    int end = nums_scan(s, lx->i, NULL, &n, &cols, &depth);
    if (end < 0 || lx->depth + depth > MAX_DEPTH)
        return 0;       /* as tokens: the errors are theirs */
    lex_nums *l = arena_alloc(lx->a, sizeof *l);
    double *nums = arena_alloc(lx->a, (size_t)n * (size_t)cols * sizeof *nums);
    if (!l || !nums)
        return lang_err_oom(lx->e, lx->i);
    if (push(lx, T_NUMS, lx->i, end - lx->i) < 0)
        return -1;
    nums_scan(s, lx->i, nums, &n, &cols, &depth);
    *l = (lex_nums){ nums, n, cols, depth };
    lx->toks[lx->n - 1].nums = l;
    lx->i = end;
    return 1;
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

/* A character that looks like one the language uses (pasted from a
 * slide or a word processor), and what to type instead. */
static const struct lookalike {
    unsigned cp;
    const char *instead;
} lookalikes[] = {
    { 0x2192, "'->'" }, { 0x27F6, "'->'" }, { 0x2212, "'-'" },
    { 0x2013, "'-'" }, { 0x2014, "'-'" }, { 0x2018, "\"'\"" },
    { 0x2019, "\"'\"" }, { 0x201C, "'\"'" }, { 0x201D, "'\"'" },
    { 0x00A0, "a plain space" }, { 0x2009, "a plain space" },
    { 0x202F, "a plain space" }, { 0x3000, "a plain space" },
    { 0x00D7, "'*'" }, { 0x00F7, "'/'" }, { 0x2264, "'<='" },
    { 0x2265, "'>='" }, { 0x2260, "'!='" }, { 0xFF0C, "','" },
    { 0xFF08, "'('" }, { 0xFF09, "')'" }, { 0xFF1D, "'='" },
    { 0xFF1A, "':'" },
};

/* The error for the unexpected character of n bytes at the lexer's
 * place: a look-alike is named by its code point, with what to type. */
static int bad_char(lexer *lx, int n)
{
    const char *s = lx->src + lx->i;
    unsigned cp = 0;
    if (utf8_decode(s, &cp) > 0)
        for (size_t k = 0; k < sizeof lookalikes / sizeof *lookalikes; k++)
            if (lookalikes[k].cp == cp)
                return lang_err_set(lx->e, "SyntaxError", lx->i, n,
                                    "'%.*s' (U+%04X) looks like %s but is "
                                    "another character: type %s instead",
                                    n, s, cp, lookalikes[k].instead,
                                    lookalikes[k].instead);
    return lang_err_set(lx->e, "SyntaxError", lx->i, n,
                        "unexpected character '%.*s'", n, s);
}

static int lex_token(lexer *lx, lex_result *r)
{
    const char *s = lx->src;
    char c = s[lx->i];
    if (c == '"' || c == '\'')
        return lex_string(lx, r);
    if (starts_number(s, lx->i))
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
    case '[': {
        int rc = lex_literal(lx);
        return rc != 0 ? (rc < 0 ? -1 : 0) : open_bracket(lx, c, T_LBRACK);
    }
    case ')': return close_bracket(lx, r, c, T_RPAREN);
    case ']': return close_bracket(lx, r, c, T_RBRACK);
    default: break;
    }
    tok_kind kind;
    char c2 = s[lx->i + 1];
    int len = 1 + (c2 == '=' && c && strchr("<>=!", c));
    switch (c) {
    case ',': kind = T_COMMA; break;
    case '.': kind = T_DOT; break;
    case ':': kind = T_COLON; break;
    case '<': kind = len == 2 ? T_LE : T_LT; break;
    case '>': kind = len == 2 ? T_GE : T_GT; break;
    case '=': kind = len == 2 ? T_EQ : T_ASSIGN; break;
    case '!':
        if (len == 2) {
            kind = T_NE;
            break;
        }
        r->end = LEX_END_BAD;
        return lang_err_set(lx->e, "SyntaxError", lx->i, 1,
                            "'!' is not an operator on its own: "
                            "'not equal' is written !=");
    case '+': kind = T_PLUS; break;
    case '*': kind = T_STAR; break;
    case '/': kind = T_SLASH; break;
    case '-':
        kind = s[lx->i + 1] == '>' ? T_ARROW : T_MINUS;
        len = kind == T_ARROW ? 2 : 1;
        break;
    default: {
        r->end = LEX_END_BAD;
        if (c == ';')
            return lang_err_set(lx->e, "SyntaxError", lx->i, 1,
                                "one statement per line: put what follows "
                                "';' on a new line");
        int n = utf8_decode(s + lx->i, NULL);
        if (n == 0)
            n = 1;      /* not UTF-8: point at the one byte */
        return bad_char(lx, n);
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
            lx->line_start = lx->i;
            lx->line_has_tok = 0;
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
