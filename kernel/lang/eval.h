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
 * drops), else NULL. On failure returns -1 with the error in run->e. */
int eval_cell(lang_run *run, const cell *c, value **last);

/* Evaluates an expression; a new reference, or NULL with run->e set. */
value *eval_expr(lang_run *run, const node *n);

#endif
