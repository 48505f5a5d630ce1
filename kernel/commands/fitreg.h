/* fitreg: what fit says differently for a regression set: R2 where
 * accuracy would be, and for a linear model the exact least-squares
 * weights next to those gradient descent found. */
#ifndef FITREG_H
#define FITREG_H

#include "builtin.h"
#include "nn_data.h"
#include "nn_model.h"
#include "nn_safetensors.h"
#include "nn_train.h"

/* The name of the score fit reports per epoch on `d`: "R2" for a
 * regression set, "acc" otherwise. A static string. */
const char *fitreg_score(const nn_data *d);

/* Reads fit's `delta` into *delta: Huber loss's threshold, as torch's
 * HuberLoss(delta=...) and Keras's Huber(delta=...). A delta given with
 * a loss other than huber, or a delta of 0, is a ValueError at the
 * argument (returns -1); else returns 0. */
int fitreg_delta(lang_run *run, const args *a, nn_loss_kind loss,
                 float *delta);

/* After a fit of `m` on `d`: when d is a regression set and m is one
 * linear layer, writes to stdout a table of the learned weights and bias
 * next to the exact least-squares solution (LAPACK sgelsd), so that a
 * student sees gradient descent reach the closed form. Otherwise writes
 * nothing. Returns 0, or -1 on OOM (nothing written; the error set). */
int fitreg_after(lang_run *run, const args *a, nn_model *m,
                 const nn_data *d);

/* Remembers in net n whether it was fit on a regression set (n->targets:
 * d's target names and scale), replacing what it held. Returns 0, or -1
 * on OOM (n->targets then NULL). */
int fitreg_remember(net_value *n, const nn_data *d);

/* The metadata save writes for net n: for a net fit on a regression set,
 * "task": "regression", "targets": its target names joined by commas and,
 * when its targets were standardized, "target_mean" and "target_std"
 * (comma-separated numbers: original = value * std + mean). Nothing for
 * a classifier. */
void fitreg_meta(const net_value *n, nn_st_extra *x);

/* Gives net n (just loaded, of k outputs) the target names and scale of
 * metadata x when it says "task": "regression". Returns 0, or -1 on OOM
 * (n->targets NULL). Numbers that do not parse are left as 0 and 1. */
int fitreg_from_meta(net_value *n, int k, const nn_st_extra *x);

#endif
