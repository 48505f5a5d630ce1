/* train: the builtins that use a net: fit (with a live loss curve),
 * evaluate (metrics, confusion matrix, decision boundary), predict, plot,
 * summary, save and load.
 *
 * Each is a builtin run function (builtins.h): it reads its arguments from
 * `a`, writes what it shows through x->out, and returns a new reference
 * (none for the commands) or NULL with the error in x->e: a TypeError or
 * ValueError at a wrong argument, a ShapeError when net and data do not
 * fit together, a MemoryError when memory runs out. */
#ifndef TRAIN_H
#define TRAIN_H

#include "builtins.h"

/* fit net on data, ...: trains the net (building it first when its input
 * width is not known yet), drawing the loss curves live and printing a
 * line every tenth of the epochs; the net remembers the classes and
 * scaler of the data. Interrupted, it keeps the weights of its last
 * completed step and fails with a KeyboardInterrupt. */
value *train_fit(ev *x, const args *a);

/* evaluate net on data: displays accuracy, precision, recall, F1 and log
 * loss, the confusion matrix and, for 2-D data, the decision boundary. */
value *train_evaluate(ev *x, const args *a);

/* predict net rows: displays the predicted class and probabilities of
 * literal rows or of the first `limit` samples of a data set. */
value *train_predict(ev *x, const args *a);

/* plot data (a scatter plot of two features) or plot net on data (its
 * decision boundary over 2-D data). */
value *train_plot(ev *x, const args *a);

/* summary net: displays the layer table of the net. */
value *train_summary(ev *x, const args *a);

/* save net to path: writes the trained model as safetensors; an OSError
 * when the file cannot be written. */
value *train_save(ev *x, const args *a);

/* load(path): a new net value with the model of a safetensors file; an
 * OSError when it cannot be read. */
value *train_load(ev *x, const args *a);

/* The data net n runs on: `data` itself, or a copy standardized with the
 * net's scaler when the net was fit on standardized data and `data` is
 * raw (then *copy is set for the caller to free, and *note, when note is
 * not NULL, is a malloc'd line saying so). NULL with a MemoryError at the
 * statement. */
const nn_data *train_view(ev *x, const args *a, const net_value *n,
                          const value *data, nn_data **copy, char **note);

#endif
