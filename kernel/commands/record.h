/* record: the records commands give as values, and how records show.
 *
 * fit gives a history, evaluate its metrics (record.h builds both from
 * what the engine returns); a record prints as a table of its fields, a
 * list of records as one table with a row per record (table(results)).
 * Field names are fixed here so docs/language.md can list them. */
#ifndef RECORD_H
#define RECORD_H

#include <jansson.h>

#include "nn_metrics.h"
#include "nn_train.h"
#include "value.h"

/* Building a record: r = value_rec(), ok = r != NULL, then
 * record_field(r, &ok, name, v) for each field (v taken; NULL when making
 * it failed: *ok turns 0 and later values are only dropped), then
 * record_done(r, ok): r, or NULL (r dropped) when anything failed. */
void record_field(value *r, int *ok, const char *name, value *v);
value *record_done(value *r, int ok);

/* fit's history: loss, val_loss, acc, val_acc (lists of one number per
 * epoch; val_* none without validate=), epochs, seconds. With `regress`
 * the scores are R^2 and named r2 and val_r2. A new record, or NULL on
 * OOM. */
value *record_history(const nn_history *h, int has_val, int regress,
                      double seconds);

/* evaluate's metrics on a regression set: mse, rmse, mae and r2 (over
 * all targets) and, for k > 1 targets, each as a list per target
 * (mse_per_target, ...). A new record, or NULL on OOM. */
value *record_regmetrics(const nn_regmetrics *mt);

/* predict's values of a regression net for `rows` rows of d inputs x:
 * inputs (rows x d), features (as record_predictions), targets (the k
 * target names) and value (rows x k, in the target's units). A new
 * record, or NULL on OOM. */
value *record_values(const float *x, int rows, int d, const float *val,
                     int k, const char *const *targets,
                     const char *const *features);

/* evaluate's metrics: accuracy, loss (the log loss), precision, recall,
 * f1 and confusion (a list of rows, row = true class). A new record, or
 * NULL on OOM. */
value *record_metrics(const nn_metrics *mt);

/* predict's predictions of `rows` rows of d inputs x (as given) with
 * `out` outputs each in prob: inputs (rows x d), features (the d input
 * names, from `features` or x1, x2, ...), prob (rows x k probabilities,
 * k = 2 for one sigmoid output) and class (the predicted class of each
 * row, its name from `names` when not NULL, else its number). rows,
 * d >= 1. A new record, or NULL on OOM. */
value *record_predictions(const float *x, int rows, int d, const float *prob,
                          int out, const char *const *names,
                          const char *const *features);

/* Nonzero when record r has the fields record_predictions or
 * record_values gives. */
int record_is_predictions(const value *r);

/* Appends a number field (r2, mae, ...) to record r: for commands that
 * measure more than record_metrics does. Returns 0, or -1 on OOM (r
 * unchanged). */
int record_add_num(value *r, const char *name, double x);

/* A list of n floats as a list value (NaN stays NaN). NULL on OOM. */
value *record_floats(const float *x, int n);

/* The text/html + text/plain bundle of a record (a table of its fields)
 * or of a list of records (one row each, a column per field any of them
 * has). NULL when v is neither, or on OOM. */
json_t *record_bundle(const value *v);

/* The cells of that table for v (a record, or a list whose items are
 * all records): 0 with *html and *text malloc'd, or -1 (not such a
 * value, or OOM: both NULL). */
int record_tables(const value *v, char **html, char **text);

#endif
