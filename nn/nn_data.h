/* nn_data: a labelled data set for classification or regression.
 *
 * Features are float32, row-major `n x d` (sample i, feature j at
 * x[i*d + j]). Labels are class indices 0..n_classes-1. Class and feature
 * names are owned strings; a feature name is changed only with
 * nn_data_set_feature_name (the default ones share one block). A
 * regression set (task NN_TASK_REGRESS) has instead float targets,
 * row-major `n x n_targets`, possibly standardized
 * (t_mean/t_std then give the original units: t * std + mean); its labels
 * are all 0 and it has one class, so that code that only knows classes
 * still sees a well-formed set. A data set owns all of its memory; every
 * function that returns one hands ownership to the caller, who releases it
 * with nn_data_free(). */
#ifndef NN_DATA_H
#define NN_DATA_H

#include <stdint.h>

#include "nn_err.h"

/* What a data set's targets are. */
typedef enum nn_task {
    NN_TASK_CLASSIFY = 0, /* labels: class indices */
    NN_TASK_REGRESS = 1   /* targets: real numbers */
} nn_task;

typedef struct nn_data {
    char *name;           /* "moons", "iris", "train", a file name */
    int n;                /* samples */
    int d;                /* features per sample */
    float *x;             /* n*d features */
    int *y;               /* n labels */
    int n_classes;        /* >= 1 */
    char **class_names;   /* n_classes names ("0", "1", "setosa", ...) */
    char **feature_names; /* d names ("x1", "sepal length (cm)", ...) */
    /* Images: each row is channels x height x width values (NCHW, as
     * PyTorch: channel by channel, row by row), channels * height * width
     * == d; all three 0 for plain rows. Copies and subsets keep them. */
    int channels, height, width;
    /* Regression (all zero/NULL for classification): */
    nn_task task;         /* NN_TASK_CLASSIFY or NN_TASK_REGRESS */
    int n_targets;        /* targets per sample (>= 1 for regression) */
    float *t;             /* n*n_targets targets */
    char **target_names;  /* n_targets names ("y", "y1", ...) */
    float *t_mean, *t_std; /* n_targets each when the targets are
                              standardized, else NULL */
} nn_data;

/* Allocates a data set of n samples, d features and k classes with zeroed
 * features and labels, default names ("x1".., "0"..) and the given name.
 * n may be 0 (an empty set); d and k must be >= 1; the size must pass
 * nn_data_check_size. Returns NULL and fills `e` on bad sizes or
 * allocation failure. */
nn_data *nn_data_new(const char *name, int n, int d, int k, nn_err *e);

/* Allocates a regression set of n samples, d features and k targets
 * (k >= 1), zeroed, with default names ("x1".., "y" for one target,
 * "y1".. for more). NULL and `e` filled on bad sizes or OOM. */
nn_data *nn_data_new_regression(const char *name, int n, int d, int k,
                                nn_err *e);

/* Replaces the name of target j (0..n_targets-1) with a copy of `name`.
 * Returns -1 on an index out of range or allocation failure. */
int nn_data_set_target_name(nn_data *data, int j, const char *name,
                            nn_err *e);

/* Standardizes the targets of a regression set in place with the mean and
 * standard deviation of `fit` (a regression set with as many targets; may
 * be `data` itself), recording the scale so that nn_data_unscale_targets
 * gives the original units back. Scaling twice composes. Returns 0, or -1
 * on a classification set, a target count mismatch or OOM. */
int nn_data_standardize_targets(nn_data *data, const nn_data *fit,
                                nn_err *e);

/* Turns n rows of k model outputs (k = data->n_targets) into the data's
 * original target units, in place: out * t_std + t_mean. Does nothing when
 * the targets are not standardized. */
void nn_data_unscale_targets(const nn_data *data, float *out, int n);

/* Gives `out` (a new set from nn_data_new with out->n rows, as `from`'s
 * features) the task, targets names and scale of `from`, and the targets
 * of rows idx[0..out->n) of `from` (idx NULL: the first out->n rows).
 * Does nothing for a classification `from`. Returns 0 or -1 on OOM. */
int nn_data_copy_targets(nn_data *out, const nn_data *from, const int *idx,
                         nn_err *e);

/* Checks, before anything is allocated, that a data set of n samples and
 * d features (numbers as a user gave them, maybe far beyond an int) can be
 * made: its features and labels fit in the machine's memory and it holds
 * at most INT_MAX values (n x d), and n and d are each at most INT_MAX
 * (so an empty set of absurdly wide rows is refused too). Returns 0, or
 * -1 with a message giving the size in GiB. */
int nn_data_check_size(double n, double d, nn_err *e);

/* Frees the data set and everything it owns; NULL is allowed. */
void nn_data_free(nn_data *data);

/* Replace the name of class c (0..n_classes-1) or feature j (0..d-1) with a
 * copy of `name`. Return -1 on an index out of range or allocation failure
 * (the old name is kept). */
int nn_data_set_class_name(nn_data *data, int c, const char *name, nn_err *e);
int nn_data_set_feature_name(nn_data *data, int j, const char *name, nn_err *e);

/* A deep copy, renamed to `name` (NULL keeps the name). NULL on failure. */
nn_data *nn_data_copy(const nn_data *data, const char *name, nn_err *e);

/* A new data set made of the rows idx[0..m) of `data`, same classes and
 * feature names. NULL on failure. */
nn_data *nn_data_subset(const nn_data *data, const int *idx, int m,
                        const char *name, nn_err *e);

/* Renames a data set (copies the string). Returns -1 on allocation failure. */
int nn_data_rename(nn_data *data, const char *name, nn_err *e);

/* Checks labels are in 0..n_classes-1: 0, or -1 with the first row that
 * is not (nothing that reads a set's class names by label is safe then). */
int nn_data_check_labels(const nn_data *data, nn_err *e);

/* Checks labels are in 0..n_classes-1 and features are finite; the message
 * names the first bad row. A regression set's targets must be finite
 * (the row is named) and, over two or more rows, not all the same (a
 * constant target leaves nothing to learn). Returns 0 or -1. */
int nn_data_validate(const nn_data *data, nn_err *e);

/* Number of samples of each class, written to counts[0..n_classes). */
void nn_data_class_counts(const nn_data *data, int *counts);

/* Splits `data` into a first part with round(frac*n) samples and a second
 * with the rest, shuffled with `seed`. With `stratify`, each class is split
 * in the same proportion. 0 < frac < 1; each part must get at least one
 * sample. The parts are named "<name>/train" and "<name>/test".
 * Returns 0 and two new sets, or -1. */
int nn_data_split(const nn_data *data, double frac, int stratify,
                  uint64_t seed, nn_data **first, nn_data **second,
                  nn_err *e);

/* Standardization fitted on one data set: per-feature mean and standard
 * deviation (a feature with zero deviation keeps scale 1). */
typedef struct nn_scaler {
    int d;
    float *mean;
    float *std;
} nn_scaler;

/* Fits a scaler on `data`: per feature, or for images per channel (every
 * pixel of a channel gets that channel's mean and deviation, as
 * torchvision's Normalize). Returns NULL on failure (empty data, OOM). */
nn_scaler *nn_scaler_fit(const nn_data *data, nn_err *e);

/* Applies (x - mean) / std in place to an n x d block of rows (d must equal
 * scaler->d), for data sets and for rows given to predict. */
void nn_scaler_apply(const nn_scaler *s, float *x, int n);

/* Frees the scaler; NULL is allowed. */
void nn_scaler_free(nn_scaler *s);

#endif
