/* drawgrad: `draw net on data, show="gradients"`: the diagram of the net
 * with each connection coloured and sized by -dL/dw, the way one gradient
 * step on the batch would push its weight (blue up, orange down), and
 * each neuron filled by -dL/db, instead of by the weights. */
#ifndef DRAWGRAD_H
#define DRAWGRAD_H

#include "builtin.h"
#include "nn_trace.h"

/* Most rows of the data taken as the batch. */
#define DRAWGRAD_ROWS 4096

/* Displays the gradient diagram of net (the command's first part, built)
 * on the first DRAWGRAD_ROWS rows of data (a V_DATA value, the second
 * part; standardized with the net's scaler as draw does) with their
 * labels and the loss fit uses. Returns 0, or -1 with the error set: a
 * ShapeError for data the net cannot take, a ValueError for labels or
 * outputs that do not suit the loss, a MemoryError. The net is not
 * changed. */
int drawgrad_show(lang_run *run, const args *a, value *net,
                  const value *data);

/* A copy of m whose parameters are -dL/dW and -dL/db of trace t (made on
 * m): what the gradient diagram draws in place of the weights. malloc'd
 * (nn_model_free); NULL on OOM. */
nn_model *drawgrad_model(nn_model *m, const nn_trace *t);

/* Renders net n's diagram with `pushes` (a model of n's shape whose
 * parameters are -dL/dW and -dL/db, borrowed; NULL after a failed
 * allocation) in place of its weights, `note` after the title (borrowed;
 * NULL after a failed allocation), and sends it with show_plot under
 * display_id (may be NULL), update as show_plot. 0, or -1 with a
 * MemoryError at the running statement. */
int drawgrad_plot(lang_run *run, net_value *n, nn_model *pushes,
                  const char *note, const char *display_id, int update);

#endif
