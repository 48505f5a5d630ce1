/* eval: runs a parsed cell against the names defined so far.
 *
 * Statements run one by one; the first that fails stops the cell, and
 * everything defined before it stays defined. A cell's last statement, when
 * it is an expression, is the cell's result. */
#ifndef EVAL_H
#define EVAL_H

#include "../interp.h"
#include "diag.h"
#include "parse.h"
#include "value.h"

/* The names a session has defined, in order of first definition. */
typedef struct env {
    char **names;
    value **vals;
    int n, cap;
} env;

/* An empty env (no allocation until the first env_set). */
void env_init(env *en);

/* Frees every name and drops every value. */
void env_free(env *en);

/* The value bound to `name` (borrowed), or NULL. */
value *env_get(const env *en, const char *name);

/* Binds `name` to v, taking the caller's reference; the old value is
 * dropped. Returns -1 on OOM (v is then dropped too). */
int env_set(env *en, const char *name, value *v);

/* One running cell. */
typedef struct ev {
    env *env;
    const char *src;          /* the cell's code, for error positions */
    const interp_out *out;    /* where output goes */
    lang_err *e;              /* the error when something fails */
    json_t *payload;          /* payload list (help pages), or NULL */
    const stmt *current;      /* the statement being run */
} ev;

/* Runs the statements of `c`. On success returns 0 and, when the last
 * statement is an expression, its value in *last (a reference the caller
 * drops), else NULL. On failure returns -1 with the error in x->e. */
int eval_cell(ev *x, const cell *c, value **last);

/* Evaluates an expression; a new reference, or NULL with x->e set. */
value *eval_expr(ev *x, const node *n);

#endif
