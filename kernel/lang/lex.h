/* lex: splits a cell into tokens.
 *
 * Newlines end statements, except inside brackets and after a token that
 * needs a right-hand side (`->`, `,`, `=`, `+`, `-`, `*`, `/`): there a
 * statement continues on the next line. `#` starts a comment to the end
 * of the line. A line's indentation is kept in its first token
 * (token.indent). `.` (attributes), `:` (ends a `for` header) and the
 * comparisons < <= > >= == != are tokens. Strings are "..." or '...' with \n \t \\ \" \' escapes.
 *
 * A list literal of numbers only, or of rows of numbers of one width
 * (parse.h's nums: [1, -2, 3e5] or [[1, 2], [3, 4]], with any blanks and
 * comments), is one T_NUMS token from its '[' to its ']', its numbers in
 * an array: a literal of a million numbers is one token and 8 MB, not
 * three million tokens. Anything else in brackets is tokens as usual. */
#ifndef LEX_H
#define LEX_H

#include "arena.h"
#include "diag.h"

typedef enum tok_kind {
    T_EOF, T_NEWLINE, T_NAME, T_NUMBER, T_STRING, T_ARROW,
    T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA, T_ASSIGN,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_NUMS,
    T_DOT, T_COLON, T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE
} tok_kind;

/* The numbers of a T_NUMS token, in the arena: n of them (depth 1, cols
 * 1) or n rows of cols (depth 2), row after row. */
typedef struct lex_nums {
    double *nums;
    int n, cols, depth;
} lex_nums;

typedef struct token {
    tok_kind kind;
    int pos, len;      /* byte range in the cell */
    int indent;        /* the token's column in bytes when it is the
                          first on its line, else -1 (a `for` body is
                          the lines indented deeper than its header) */
    union {
        double num;        /* T_NUMBER */
        const char *str;   /* T_NAME: the name; T_STRING: the decoded
                              text (in the arena) */
        const lex_nums *nums;   /* T_NUMS */
    };
} token;

/* How the cell ends, for is_complete. */
typedef enum lex_end {
    LEX_END_OK,        /* every bracket and string closed */
    LEX_END_OPEN,      /* an unclosed bracket */
    LEX_END_STRING,    /* an unterminated string */
    LEX_END_CONTINUE,  /* ends with a token that needs a right-hand side */
    LEX_END_BAD        /* a closing bracket without opener, a bad character */
} lex_end;

typedef struct lex_result {
    token *toks;       /* n tokens, the last one T_EOF; malloc'd:
                          lex_free frees them (the syntax tree does not
                          point into them, so they can go once parsed) */
    int n;
    lex_end end;
} lex_result;

/* Tokenizes `src`; names and strings live in `a`, the token array in r
 * (lex_free). Returns 0, or -1 with a SyntaxError in `e` (r->end then
 * says whether more input could fix it; r holds no tokens). */
int lex_run(const char *src, arena *a, lex_result *r, lang_err *e);

/* Frees the tokens of r (none is fine); r is then empty. */
void lex_free(lex_result *r);

/* A short description of a token kind for messages ("')'", "a name"). */
const char *lex_kind_name(tok_kind kind);

#endif
