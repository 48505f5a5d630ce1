/* nn_train: mini-batch training of a model on a data set, with
 * validation, early stopping, a progress callback and a history.
 *
 * The loss is fused with the model's last activation where that is
 * numerically better: binary cross-entropy on a model ending in sigmoid is
 * computed from the logits (BCEWithLogits), softmax cross-entropy on a
 * model ending in softmax from the logits (log-sum-exp). */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include <stdint.h>

#include "nn_data.h"
#include "nn_err.h"
#include "nn_model.h"
#include "nn_optim.h"

typedef enum nn_loss_kind {
    NN_LOSS_AUTO,  /* BCE for 1 output, cross-entropy for k outputs */
    NN_LOSS_BCE,   /* binary cross-entropy, 1 output, labels 0/1 */
    NN_LOSS_CE,    /* softmax cross-entropy, k outputs, class indices */
    NN_LOSS_MSE,   /* mean squared error against 0/1 (1 output) or one-hot;
                      against the targets of a regression set */
    NN_LOSS_MAE,   /* mean absolute error, regression only */
    NN_LOSS_HUBER  /* Huber loss with the options' huber_delta (1, torch's
                      default, unless set), regression only */
} nn_loss_kind;

/* On a regression set, NN_LOSS_AUTO is MSE. */

/* "auto", "bce", "cross_entropy", "mse", "mae", "huber", and the reverse
 * (-1 if unknown). */
const char *nn_loss_name(nn_loss_kind kind);
int nn_loss_kind_from_name(const char *name);

/* Checks that model and data fit together before training: input width
 * equals data->d, output width and last activation suit the number of
 * classes and the loss. For a regression set the net must end in
 * n_targets outputs without sigmoid/softmax and the loss be auto, mse, mae
 * or huber ("net ends in softmax, but 'd' has a continuous target: end it
 * with linear(1)"); mae and huber on a classification set are refused. The message says how to fix it, e.g. "net ends in
 * 1 output with sigmoid, but train has 3 classes: end it with linear(3) ->
 * softmax". Returns 0 or -1. */
int nn_train_check(const nn_model *m, const nn_data *data, nn_loss_kind loss,
                   nn_err *e);

/* What the callback sees after each optimizer step. */
typedef struct nn_progress {
    int epoch;          /* 0-based epoch being run */
    int epochs;         /* total planned */
    int step;           /* step within the epoch, 1-based */
    int steps;          /* steps per epoch */
    float batch_loss;   /* loss of the batch just used */
    int epoch_done;     /* 1 on the last step of an epoch: the fields below are set */
    float train_loss, train_acc;   /* mean over the epoch; for a
                                      regression set train_acc (and
                                      val_acc) is R^2 = 1 - SSE / SST over
                                      all targets */
    float val_loss, val_acc;       /* NAN without validation data */
    float lr;
} nn_progress;

/* Return nonzero to stop training (the model keeps its last step). */
typedef int (*nn_progress_fn)(void *ctx, const nn_progress *p);

typedef struct nn_train_opts {
    int epochs;               /* >= 1 */
    int batch;                /* >= 1; larger than n means full batch */
    uint64_t seed;            /* shuffling and dropout */
    int shuffle;              /* reshuffle every epoch (default 1) */
    nn_loss_kind loss;
    nn_optim_spec optim;
    const nn_data *val;       /* NULL for none */
    int patience;             /* early stopping on val loss (train loss
                                 without val); 0 = off */
    float min_delta;          /* improvement needed to reset patience */
    int restore_best;         /* with patience: keep the best weights */
    float huber_delta;        /* NN_LOSS_HUBER's threshold, finite and
                                 > 0 (default 1, as torch's HuberLoss), in
                                 the units of data->t (standardized
                                 targets when they were) */
    nn_progress_fn progress;  /* NULL for none */
    void *ctx;
} nn_train_opts;

/* Sensible defaults: 100 epochs, batch 32, seed 0, shuffle, auto loss,
 * Adam lr 0.001, no validation, no early stopping, huber_delta 1. */
nn_train_opts nn_train_defaults(void);

/* Loss and accuracy per completed epoch. Owned by the caller; release with
 * nn_history_free(). */
typedef struct nn_history {
    int epochs;                       /* completed epochs */
    float *train_loss, *train_acc;
    float *val_loss, *val_acc;        /* NAN entries without validation */
    int stopped;                      /* 1 when the callback stopped it */
    int early_stopped;                /* 1 when patience ran out */
    int best_epoch;                   /* epoch of lowest monitored loss */
} nn_history;

void nn_history_free(nn_history *h);

/* Trains `m` on `data`. Fills `h` (may be NULL) with the epochs that ran.
 * Returns 0 when all epochs ran or early stopping ended it, 1 when the
 * callback stopped it (the model is left at its last completed step), -1 on
 * error (mismatched shapes, bad labels, OOM, a loss that is not finite:
 * the step and epoch are named) with the reason in `e`; the model then
 * has the parameters it had before the call. */
int nn_train(nn_model *m, const nn_data *data, const nn_train_opts *opts,
             nn_history *h, nn_err *e);

/* The loss of the last forward pass of `m` on n rows, computed as
 * nn_train computes it (a final sigmoid/softmax fused into a
 * cross-entropy): the mean loss is returned, *top is set to the layer
 * whose output the gradient is for (the layer below a fused activation,
 * -1 when that is the input), and grad (n x width of that layer, at most
 * n x the widest layer) receives d loss / d output of *top. Labels y are
 * class indices the caller has checked. Does not allocate or fail. */
float nn_train_batch_loss(const nn_model *m, nn_loss_kind loss,
                          const float *x, const int *y, int n, float *grad,
                          int *top);

/* Mean loss and accuracy (R^2 for a regression set) of `m` on `data` in
 * eval mode (NN_LOSS_HUBER with delta 1); probabilities of each row (a regression net's outputs, in the
 * data's scaled units) go to `prob` (n x out) when it is not NULL.
 * Returns 0 or -1. */
int nn_evaluate(nn_model *m, const nn_data *data, nn_loss_kind loss,
                float *loss_out, float *acc_out, float *prob, nn_err *e);

/* Class predicted from a row of model output: argmax over k outputs, or
 * out[0] >= 0.5 for one output. */
int nn_predict_class(const float *out, int k);

#endif
