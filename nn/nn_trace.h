/* nn_trace: one training step laid open, layer by layer, for teaching
 * backpropagation: the forward pass (each layer's output; a linear
 * layer's output is its pre-activation), the loss, the backward pass (the
 * gradient of the loss with respect to each layer's output, each weight
 * and each bias) and the update the optimizer would make.
 *
 * The trace runs the engine's own passes (nn_model_forward,
 * nn_train_batch_loss, nn_model_backward, nn_optim_step), so its weight
 * and bias gradients are the ones a fit would use. It changes nothing in
 * the model: the parameters and the gradient buffer are as before the
 * call (the model's activation scratch is overwritten) until
 * nn_trace_apply(). Also here: per-layer gradient norms, which fit
 * charts. */
#ifndef NN_TRACE_H
#define NN_TRACE_H

#include <stddef.h>

#include "nn_err.h"
#include "nn_model.h"
#include "nn_optim.h"
#include "nn_train.h"

/* One layer of a trace. Arrays are n x width row-major unless said. */
typedef struct nn_trace_layer {
    int in, width;     /* the layer's input and output widths */
    float *out;        /* its output on the batch (linear: pre-activation
                          z = x W^T + b) */
    float *gout;       /* d loss / d out; NULL for a final sigmoid or
                          softmax fused into a cross-entropy (its logits,
                          one layer below, carry the gradient) */
    /* layers with parameters (linear, conv2d) only, NULL otherwise: */
    size_t nw;         /* weights: width*in (linear), out*in*k*k (conv2d) */
    int nb;            /* biases: width (linear), filters (conv2d) */
    float *gw;         /* d loss / d W, [width, in] or [out, in, k, k] */
    float *gb;         /* d loss / d b, [nb] */
    float *dw, *db;    /* the update the optimizer would make: new - old */
} nn_trace_layer;

typedef struct nn_trace {
    int n;                  /* rows in the batch */
    int n_layers;
    int top;                /* layer whose output the loss gradient is for */
    nn_loss_kind loss;      /* the loss used, resolved (never AUTO) */
    float loss_value;       /* mean loss over the batch */
    float lr;               /* the optimizer's learning rate */
    nn_optim_kind optim;    /* and its kind */
    nn_trace_layer *layers; /* n_layers of them */
} nn_trace;

/* Traces one step of `opt` on n rows x (n x in) with class labels y (in
 * range for the model's outputs, as nn_train_check checks), in eval mode
 * (dropout off), with the loss `loss` (AUTO resolved as nn_train does).
 * The update is the first step of a fresh optimizer, as a fit makes it.
 * Returns a malloc'd trace (free with nn_trace_free), or NULL with the
 * reason in e: no linear or conv2d layer (nothing to learn: "no linear
 * layer"), bad optimizer
 * settings, out of memory. */
nn_trace *nn_trace_step(nn_model *m, const float *x, const int *y, int n,
                        nn_loss_kind loss, const nn_optim_spec *opt,
                        nn_err *e);

/* Frees a trace; NULL is allowed. */
void nn_trace_free(nn_trace *t);

/* Adds the trace's update to the parameters of m, the model it was made
 * on (same layers, asserted). */
void nn_trace_apply(nn_model *m, const nn_trace *t);

/* The Euclidean norm of v[0..n), accumulated in double. */
double nn_trace_norm(const float *v, size_t n);

/* The gradient norm of each layer with parameters (linear or conv2d;
 * weight and bias together) from the model's gradient buffer as the last
 * backward pass left it: norms[j] for the j-th such layer (0-based).
 * Returns the number of those layers; writes at most `cap` norms. */
int nn_trace_layer_norms(nn_model *m, double *norms, int cap);

#endif
