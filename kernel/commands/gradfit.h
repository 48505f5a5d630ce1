/* gradfit: what `fit ..., gradients=true` adds: each linear layer's
 * gradient norm collected after every step, its mean per epoch charted
 * live on a log scale beside the loss curves, and a warning in words when
 * the first layer's gradient is orders of magnitude below (vanishing) or
 * above (exploding) the last one's. Linear layers are numbered from 1, as
 * trace numbers them. */
#ifndef GRADFIT_H
#define GRADFIT_H

#include "builtin.h"
#include "nn_train.h"

typedef struct gradfit gradfit;

/* A collector for model m (its linear layers) over a fit of `epochs`
 * epochs (for the axis). With `draw` (the net of m, borrowed; NULL for
 * none), fit's draw=true, it also keeps the mean gradient of each epoch's
 * steps and draws the net's diagram coloured by it (-dL/dw, as draw's
 * show="gradients"), live beside the chart. NULL on OOM. Free with
 * gradfit_free. */
gradfit *gradfit_new(nn_model *m, int epochs, net_value *draw);

/* Frees g; NULL is allowed. */
void gradfit_free(gradfit *g);

/* Called after each optimizer step (fit's progress callback): adds the
 * norms of the gradients the step used, and at the end of an epoch keeps
 * their mean as that epoch's point. */
void gradfit_step(gradfit *g, nn_model *m, const nn_progress *p);

/* The mean gradient norm of linear layer `layer` (0-based) in each
 * recorded epoch: *n points (point i after epoch (i+1)*every, as fit's
 * curves), borrowed from g. Returns the points, or NULL when layer is out
 * of range. */
const float *gradfit_norms(const gradfit *g, int layer, int *n, int *every);

/* Number of linear layers. */
int gradfit_layers(const gradfit *g);

/* Draws (update = 0) or redraws (update = 1) the chart (and the gradient
 * diagram) under g's own display ids, `state` after its title
 * (" (live)", " (stopped)"). 0, or -1 with a MemoryError at the running
 * statement. */
int gradfit_show(gradfit *g, lang_run *run, int update, const char *state);

/* The end of a fit: empties the live displays, sends the final chart
 * (and diagram) as new displays and writes the warning (stderr) when
 * there is one. 0 or -1 as gradfit_show. */
int gradfit_final(gradfit *g, lang_run *run);

/* The warning about the last recorded epoch, e.g. "layer 1 gets 3e-7 of
 * layer 4's gradient: sigmoid saturates; try relu or a smaller init", or
 * NULL when the first and last layers' norms are within a factor 1e3 of
 * each other (or memory ran out). malloc'd. */
char *gradfit_warning(const gradfit *g);

#endif
