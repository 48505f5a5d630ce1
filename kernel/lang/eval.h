/* eval: runs a parsed cell against the names defined so far.
 *
 * Statements run one by one; the first that fails stops the cell, and
 * everything defined before it stays defined. A cell's last statement, when
 * it is an expression, is the cell's result. */
#ifndef EVAL_H
#define EVAL_H

#include "parse.h"
#include "run.h"
#include "value.h"

/* Runs the statements of `c`. On success returns 0 and, when the last
 * statement is an expression, its value in *last (a reference the caller
 * drops), else NULL. On failure returns -1 with the error in x->e. */
int eval_cell(ev *x, const cell *c, value **last);

/* Evaluates an expression; a new reference, or NULL with x->e set. */
value *eval_expr(ev *x, const node *n);

#endif
