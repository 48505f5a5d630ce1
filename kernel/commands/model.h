/* model: a net's model as a table and as a file: the `summary net` and
 * `save net to path` commands and the load(path) function. */
#ifndef MODEL_H
#define MODEL_H

#include "builtin.h"

/* The model family: load(path), summary net, save net to path. */
extern const builtin_family model_family;

#endif
