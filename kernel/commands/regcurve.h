/* regcurve: a regression net's fitted curve over the points of a data set
 * of one feature, the plot that `plot net on data` and a live
 * `fit ..., boundary=true` show for regression. */
#ifndef REGCURVE_H
#define REGCURVE_H

#include "nn_data.h"
#include "nn_model.h"

/* The curve of model m (one input, one or more outputs: the first is
 * drawn) over the x range of regression set `shown` (one feature), with
 * its points, under `title`, as SVG and text (malloc'd for the caller).
 * Curve inputs go through scaler s first when not NULL; the net's outputs
 * are turned into the original units with the target scale of `scale`
 * (the set the net was fit on; NULL: none), the points' targets with
 * shown's own. Returns 0, or -1 with both NULL when memory runs out or
 * the model fails. */
int regcurve_plot(nn_model *m, const nn_data *shown, const nn_scaler *s,
                  const nn_data *scale, const char *title, char **svg,
                  char **text);

#endif
