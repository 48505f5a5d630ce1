/* io: the builtins that talk to the person at the notebook: print and
 * warn (to stdout and stderr), clear (the cell's output) and ask (a line
 * of input). */
#ifndef IO_H
#define IO_H

#include "builtin.h"

extern const builtin_family io_family;

#endif
