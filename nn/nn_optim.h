/* nn_optim: optimizers that update a model's contiguous parameter buffer
 * from its gradient buffer, with optional weight decay and learning-rate
 * schedule. The update rules follow torch.optim exactly (same defaults,
 * same order of operations) so that runs can be cross-checked. */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include <stddef.h>

#include "nn_err.h"

typedef enum nn_optim_kind {
    NN_SGD,      /* with momentum and nesterov as options */
    NN_ADAM,
    NN_ADAMW,
    NN_RMSPROP,
    NN_OPTIM_KINDS
} nn_optim_kind;

typedef enum nn_schedule_kind {
    NN_SCHED_NONE,
    NN_SCHED_STEP,    /* lr * gamma^(epoch / step_size), as StepLR */
    NN_SCHED_COSINE   /* eta_min + (lr - eta_min)(1 + cos(pi epoch/t_max))/2 */
} nn_schedule_kind;

typedef struct nn_optim_spec {
    nn_optim_kind kind;
    float lr;            /* learning rate */
    float momentum;      /* SGD: 0 = plain; RMSprop: momentum too */
    int nesterov;        /* SGD only; needs momentum > 0 */
    float beta1, beta2;  /* Adam/AdamW */
    float eps;           /* Adam/AdamW/RMSprop */
    float alpha;         /* RMSprop smoothing constant */
    float weight_decay;  /* L2 added to the gradient; decoupled for AdamW */
    nn_schedule_kind schedule;
    int step_size;       /* NN_SCHED_STEP: epochs between decays */
    float gamma;         /* NN_SCHED_STEP: decay factor */
    int t_max;           /* NN_SCHED_COSINE: epochs of a half period (0 = all epochs) */
    float eta_min;       /* NN_SCHED_COSINE: final learning rate */
} nn_optim_spec;

/* The defaults of torch.optim for `kind` (SGD lr 0.01, Adam lr 0.001
 * betas (0.9, 0.999) eps 1e-8, AdamW weight_decay 0.01, RMSprop lr 0.01
 * alpha 0.99 eps 1e-8), no schedule. */
nn_optim_spec nn_optim_defaults(nn_optim_kind kind);

/* Lower-case name ("sgd", "adam", "adamw", "rmsprop") and the reverse
 * (-1 when unknown). */
const char *nn_optim_name(nn_optim_kind kind);
int nn_optim_kind_from_name(const char *name);

typedef struct nn_optim nn_optim;

/* Creates an optimizer for a buffer of n parameters with its own state
 * (moments). Returns NULL on bad settings (lr <= 0, nesterov without
 * momentum, betas outside [0, 1)) or OOM, with the reason in `e`. */
nn_optim *nn_optim_new(const nn_optim_spec *spec, size_t n, nn_err *e);

/* Frees the optimizer; NULL is allowed. */
void nn_optim_free(nn_optim *o);

/* One update of params[0..n) from grads[0..n) with the current lr. */
void nn_optim_step(nn_optim *o, float *params, const float *grads);

/* The same update from a gradient given in `parts` >= 1 buffers of n
 * floats, one per part of a batch whose rows were split between threads:
 * they are summed element by element, in order, into grads[0], which
 * holds the whole gradient afterwards (the others are left as they were).
 * The result depends on `parts`, not on how many threads run it. */
void nn_optim_step_parts(nn_optim *o, float *params, float *const *grads,
                         int parts);

/* Sets the learning rate for `epoch` (0-based) of `epochs` from the
 * schedule, and returns it. */
float nn_optim_set_epoch(nn_optim *o, int epoch, int epochs);

#endif
