/* fit: the `fit net on data, ...` command.
 *
 * Trains the net (building it first when its input width is not known
 * yet), drawing the loss curves live and printing a line every tenth of
 * the epochs; the net remembers the classes and scaler of the data.
 * Interrupted, it keeps the weights of its last completed step and fails
 * with a KeyboardInterrupt. */
#ifndef FIT_H
#define FIT_H

#include "builtins.h"

/* Runs fit; none, or NULL with the error in x->e: a TypeError or
 * ValueError at a wrong argument, a ShapeError when net and data do not
 * fit together, a MemoryError. */
value *fit_cmd(ev *x, const args *a);

#endif
