/* parse: the syntax tree of a cell.
 *
 *   cell      := { statement NEWLINE }
 *   statement := command | NAME {"," NAME} "=" expr | expr
 *   command   := COMMAND [part [LINK part]] {"," NAME "=" expr}
 *   part      := expr | NAME | STRING   (NAME and STRING: word_part)
 *   expr      := sum {"->" sum}
 *   sum       := term {("+" | "-") term}
 *   term      := unary {("*" | "/") unary}
 *   unary     := "-" unary | primary
 *   primary   := NUMBER | STRING | "true" | "false" | "none"
 *              | NAME ["(" [arg {"," arg} [","]] ")"]
 *              | "[" [expr {"," expr} [","]] "]" | "(" expr ")"
 *   arg       := NAME "=" expr | expr
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
 * Commands, joining words, true, false and none are keywords: they cannot
 * be assigned (library.h).
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

#include "arena.h"
#include "desc.h"
#include "diag.h"
#include "lex.h"

typedef enum node_kind {
    N_NUM, N_STR, N_BOOL, N_NONE, N_NAME, N_LIST, N_CALL, N_BINOP, N_NEG,
    N_CHAIN, N_NUMS
} node_kind;

typedef struct node {
    node_kind kind;
    int pos, len;          /* byte range of the whole expression */
    double num;            /* N_NUM; N_BOOL: 0 or 1 */
    const char *str;       /* N_STR text; N_NAME and N_CALL: the name */
    int name_len;          /* N_CALL: bytes of the name at pos */
    char op;               /* N_BINOP: '+', '-', '*' or '/' */
    struct node **kids;    /* N_LIST items, N_CALL arguments, N_BINOP and
                              N_CHAIN operands, N_NEG operand */
    const char **keys;     /* N_CALL: keyword of each argument or NULL */
    int *key_pos;          /* N_CALL: byte offset of each keyword */
    int nkids;             /* N_NUMS: its items */
    double *nums;          /* N_NUMS: nkids x cols numbers */
    int cols, depth;       /* N_NUMS: as a packed list's (value.h) */
} node;

typedef enum stmt_kind { S_EXPR, S_ASSIGN, S_COMMAND } stmt_kind;

typedef struct stmt {
    stmt_kind kind;
    int pos, len;              /* byte range of the statement */
    const char **targets;      /* S_ASSIGN: the names assigned */
    int *target_pos;
    int ntargets;
    node *expr;                /* value; for S_COMMAND an N_CALL */
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

#endif
