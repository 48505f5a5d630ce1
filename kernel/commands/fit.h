/* fit: the `fit net on data, ...` command.
 *
 * Trains the net (building it first when its input width is not known
 * yet), drawing the loss curves live and printing a line every tenth of
 * the epochs; the net remembers the classes and scaler of the data.
 * Interrupted, it keeps the weights of its last completed step and fails
 * with a KeyboardInterrupt. Given a time budget (seconds=N), it stops the
 * same way after the step that ends past it, but cleanly: the summary, a
 * line saying so, the final charts, and no error. */
#ifndef FIT_H
#define FIT_H

#include "builtin.h"

/* The fit family: its builtin, described in its table. */
extern const builtin_family fit_family;

#endif
