/* io: the builtins that talk to the person at the notebook: print and
 * warn (to stdout and stderr), clear (the cell's output) and ask (a line
 * of input); and writing data sets and predictions as CSV (save). */
#ifndef IO_H
#define IO_H

#include "builtin.h"

extern const builtin_family io_family;

/* `save v to path` for what is not a net: a data set (its features and
 * its class, with a header row) or predict's predictions (the inputs,
 * the probability of each class and the predicted class) written as CSV
 * that csv() reads back (the class last, as its target). `a` is save's
 * call, its parameter "path" the file. Returns none, or NULL with a
 * TypeError for another kind of value or an OSError. */
value *io_save_csv(lang_run *run, const args *a, const value *v);

#endif
