/* boundary: the decision boundary of a model over 2-D data, the plot that
 * fit, evaluate and plot show. */
#ifndef BOUNDARY_H
#define BOUNDARY_H

#include "nn_data.h"
#include "nn_model.h"

/* The decision boundary of model m over the range of 2-D data `shown`
 * (points drawn in its coordinates; grid points go through scaler s first
 * when not NULL), the k classes named `names` (may be NULL), under
 * `title`, as SVG and text (malloc'd for the caller). Returns 0, or -1
 * with both NULL when memory runs out or the model fails. */
int boundary_plot(nn_model *m, const nn_data *shown, const nn_scaler *s,
                  const char *const *names, int k, const char *title,
                  char **svg, char **text);

#endif
