/* plotcmd: the `plot` command: plot data (a scatter plot of two
 * features), plot net on data (its decision boundary over 2-D data), plot
 * [net, ...] (their loss curves side by side). */
#ifndef PLOTCMD_H
#define PLOTCMD_H

#include "builtins.h"

/* Runs plot; none, or NULL with the error in x->e. */
value *plotcmd_run(ev *x, const args *a);

#endif
