/* parse: the syntax tree of a cell.
 *
 *   cell      := { statement NEWLINE }
 *   statement := for | command | NAME {"," NAME} "=" (command | expr)
 *              | expr
 *   for       := "for" NAME "in" expr ":" (NEWLINE block | simple)
 *   block     := statement {NEWLINE statement}   (each line indented
 *                deeper than the for line, all by the same amount)
 *   command   := COMMAND [part [LINK part]] {"," NAME "=" expr}
 *   part      := expr | NAME | STRING   (NAME and STRING: word_part)
 *   expr      := chain [("<" | "<=" | ">" | ">=" | "==" | "!=") chain]
 *   chain     := sum {"->" sum}
 *   sum       := term {("+" | "-") term}
 *   term      := unary {("*" | "/") unary}
 *   unary     := "-" unary | postfix
 *   postfix   := primary {"." NAME | "[" expr "]"}   (the "[" right
 *                after what it indexes: `predict net [[1, 2]]` is not
 *                an index)
 *   primary   := NUMBER | STRING | "true" | "false" | "none"
 *              | NAME ["(" [arg {"," arg} [","]] ")"]
 *              | "[" [expr {"," expr} [","]] "]" | "(" expr ")"
 *   arg       := NAME "=" expr | expr
 *
 * `simple` is a statement that is not a for. for and in are keywords.
 *
 * A list literal of numbers only, or of rows of numbers of one width,
 *   nums      := "[" num {"," num} [","] "]"
 *              | "[" nums1 {"," nums1} [","] "]"   (rows, one width)
 *   num       := {"-"} NUMBER
 * is one T_NUMS token (lex.h) and one N_NUMS node sharing its array of
 * numbers, not a node per number: a literal of a million numbers costs
 * 8 MB of tree. Its items have no nodes, so parse_item_span finds where
 * one was written.
 *
 * COMMAND is the name of a command in the library the parser is given;
 * its descriptor (desc.h's command_syntax) says its joining word LINK
 * ("on", "to"), whether the word may be left out, whether options follow
 * and whether its part is a bare word. kernel/commands' tables give
 *   fit net on data, ...      evaluate net on data, ...
 *   predict net [on] rows, ...   plot what [on data], ...
 *   draw net [on data]   summary net   save net to path
 *   help [NAME | STRING]   names
 * Commands, joining words, true, false, none, for and in are keywords:
 * they cannot be assigned (library.h).
 *
 * A command is kept as a call of the builtin of the same name: `fit net on
 * train, epochs=5` is fit(net, train, epochs=5), so commands and functions
 * share one argument binder. The whole cell is parsed before anything
 * runs; nodes live in the arena given to parse_cell.
 *
 * Depth: the parser recurses only into brackets, which lex.c nests at
 * most 64 deep; runs of '-' and chains of '+', '*', '->' are loops. The
 * tree of `1+1+...+1` nests to the left, one level per operator: eval.c
 * walks such chains in loops too, so no cell, however long, takes the
 * stack deeper than its brackets. */
#ifndef PARSE_H
#define PARSE_H

#include <string.h>

#include "arena.h"
#include "desc.h"
#include "diag.h"
#include "lex.h"

typedef enum node_kind {
    N_NUM, N_STR, N_BOOL, N_NONE, N_NAME, N_LIST, N_CALL, N_BINOP, N_NEG,
    N_CHAIN, N_NUMS, N_ATTR, N_INDEX, N_CMP
} node_kind;

typedef struct node {
    node_kind kind;
    int pos, len;          /* byte range of the whole expression */
    double num;            /* N_NUM; N_BOOL: 0 or 1 */
    const char *str;       /* N_STR text; N_NAME and N_CALL: the name;
                              N_ATTR: the attribute (at the end of the
                              node's range) */
    int name_len;          /* N_CALL: bytes of the name at pos */
    char op;               /* N_BINOP: '+', '-', '*' or '/'; N_CMP: '<',
                              'l' (<=), '>', 'g' (>=), '=' (==) or '!' */
    struct node **kids;    /* N_LIST items, N_CALL arguments, N_BINOP,
                              N_CMP and N_CHAIN operands, N_NEG operand;
                              N_ATTR: what it is of; N_INDEX: what is
                              indexed and the index */
    const char **keys;     /* N_CALL: keyword of each argument or NULL */
    int *key_pos;          /* N_CALL: byte offset of each keyword */
    int nkids;             /* N_NUMS: its items */
    double *nums;          /* N_NUMS: nkids x cols numbers */
    int cols, depth;       /* N_NUMS: as a packed list's (value.h) */
} node;

typedef enum stmt_kind { S_EXPR, S_ASSIGN, S_COMMAND, S_FOR } stmt_kind;

/* The most levels `for` loops nest in one cell, and the most fields and
 * indexes after one primary (x.a[0].b): the evaluator recurses along
 * both. */
#define PARSE_MAX_LOOPS 16
#define PARSE_MAX_POSTFIX 64

typedef struct stmt {
    stmt_kind kind;
    int pos, len;              /* byte range of the statement (a for:
                                  its header line) */
    const char **targets;      /* S_ASSIGN: the names assigned; S_FOR:
                                  the loop's name */
    int *target_pos;
    int ntargets;
    node *expr;                /* value; for S_COMMAND (and an S_ASSIGN
                                  of a command) an N_CALL; S_FOR: what
                                  it loops over */
    struct stmt *body;         /* S_FOR: its statements */
    int nbody;
} stmt;

typedef struct cell {
    stmt *stmts;
    int n;
} cell;

/* Parses the tokens of a cell. Returns 0, or -1 with a SyntaxError in `e`;
 * *at_end is set to 1 when the error is that the cell ended too early
 * (more input could complete it). */
int parse_cell(const lex_result *lx, const lang_library *lib, arena *a,
               cell *out, lang_err *e, int *at_end);

/* Parses one expression (user_expressions): the tokens must hold exactly
 * one expression. Returns the node or NULL with the error in `e`. */
node *parse_expression(const lex_result *lx, const lang_library *lib,
                       arena *a, lang_err *e);

/* Where item i (0 <= i < n->nkids) of the N_NUMS node n was written in
 * src, the cell n was parsed from: its byte offset in *pos and length in
 * *len. */
void parse_item_span(const char *src, const node *n, int i, int *pos,
                     int *len);

/* ---- the parser's own helpers -------------------------------------
 * The parser is two files: parse.c (expressions) and parse_stmt.c
 * (statements, for blocks, parse_cell). What they share is below; no
 * other module uses it. */

typedef struct parser {
    const token *t;
    int i;
    arena *a;
    lang_err *e;
    int *at_end;
    const lang_library *lib;   /* its commands and their syntax */
    int loops;                 /* for loops open around the statement */
} parser;

static inline const token *parser_peek(const parser *p)
{
    return &p->t[p->i];
}

static inline int parser_is_word(const token *t, const char *w)
{
    return t->kind == T_NAME && strcmp(t->str, w) == 0;
}

static inline int parser_at_end(const parser *p)
{
    tok_kind k = parser_peek(p)->kind;
    return k == T_NEWLINE || k == T_EOF;
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

/* Fails with "expected X, found Y" at token t (the end of the cell
 * sets *p->at_end). Returns -1. */
int parser_unexpected(parser *p, const token *t, const char *expected);

/* Takes a token of `kind`, or fails as parser_unexpected. */
int parser_expect(parser *p, tok_kind kind, const char *expected);

/* A node of `kind` over token t, in the arena; NULL with a MemoryError. */
node *parser_node(parser *p, node_kind kind, const token *t);

/* Extends n's range to the end of the token before the current one. */
void parser_close(parser *p, node *n);

/* Appends item (with keyword `key` at key_pos, or NULL and -1) to l.
 * Returns 0, or -1 with a MemoryError. */
int parser_push(parser *p, node_list *l, node *item, const char *key,
                int key_pos);

/* Gives n the items (and keywords) of l. */
void parser_into(node *n, const node_list *l);

/* expr (parse.h's grammar); NULL with the error set. */
node *parser_expr(parser *p);

#endif
