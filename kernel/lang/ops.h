/* ops: what the evaluator does with values it already has: a field of a
 * record (r.accuracy), an item of a list (lst[0], h.loss[-1]) and a
 * comparison (a < b) giving a boolean.
 *
 * Each takes the node it evaluates (for error positions) and the values
 * of its operands (borrowed), and returns a new reference, or NULL with
 * the error in run->e: a TypeError for a wrong kind, an IndexError for an
 * index out of range, an AttributeError for a field the record
 * lacks (with the nearest field suggested). */
#ifndef OPS_H
#define OPS_H

#include "parse.h"
#include "run.h"
#include "value.h"

/* Field n->str (n an N_ATTR) of v. */
value *ops_attr(lang_run *run, const node *n, const value *v);

/* Item ix of v (n an N_INDEX): v a list, ix a whole number, negative
 * counting from the end. */
value *ops_index(lang_run *run, const node *n, const value *v,
                 const value *ix);

/* a op b (n an N_CMP): numbers and strings are ordered; == and != take
 * any two values (lists item by item, nets and data sets by identity). */
value *ops_compare(lang_run *run, const node *n, const value *a,
                   const value *b);

#endif
