/* model: a net's model as a table and as a file: the `summary net` and
 * `save net to path` commands and the load(path) function. */
#ifndef MODEL_H
#define MODEL_H

#include "builtins.h"

/* summary net: displays the layer table of the net. */
value *model_summary(ev *x, const args *a);

/* save net to path: writes the trained model as safetensors; an OSError
 * when the file cannot be written. */
value *model_save(ev *x, const args *a);

/* load(path): a new net value with the model of a safetensors file; an
 * OSError when it cannot be read. */
value *model_load(ev *x, const args *a);

#endif
