/* plotcmd: the `plot` command: plot data (a scatter plot of two
 * features), plot net on data (its decision boundary over 2-D data), plot
 * [net, ...] (their loss curves side by side). */
#ifndef PLOTCMD_H
#define PLOTCMD_H

#include "builtin.h"

/* The plot family: its builtin, described in its table. */
extern const builtin_family plot_family;

#endif
