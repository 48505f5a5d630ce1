/* nn_layer: the kinds of layer a sequential model is made of.
 *
 * A layer is described by a small value (nn_layer_spec); nn_model builds the
 * stack from an array of them. Forward and backward passes of each kind
 * live in nn_layer.c and work on row-major `batch x features` blocks. */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include <stddef.h>

#include "nn_err.h"

typedef enum nn_layer_kind {
    NN_LINEAR,      /* y = x W^T + b, W is [out, in]; units = out */
    NN_RELU,
    NN_LEAKY_RELU,  /* arg = negative slope (default 0.01) */
    NN_SIGMOID,
    NN_TANH,
    NN_SOFTMAX,     /* over the features of each row */
    NN_GELU,        /* arg = 0: the erf form, as torch.nn.GELU(); arg =
                       NN_GELU_TANH: the tanh approximation, as
                       torch.nn.GELU(approximate="tanh") */
    NN_IDENTITY,
    NN_DROPOUT,     /* arg = drop probability p in [0, 1); identity in eval */
    NN_CONV2D,      /* units = filters, kernel, stride, pad (NN_PAD_SAME) */
    NN_MAXPOOL2D,   /* kernel = window size = stride */
    NN_AVGPOOL2D,   /* kernel = window size = stride */
    NN_FLATTEN,     /* images to rows of c*h*w features (same values) */
    NN_BATCHNORM,   /* per channel (images) or feature (rows), nn_norm.h */
    NN_LAYER_KINDS
} nn_layer_kind;

typedef struct nn_layer_spec {
    nn_layer_kind kind;
    int units;      /* NN_LINEAR: output width; NN_CONV2D: filters (>= 1) */
    float arg;      /* NN_LEAKY_RELU slope, NN_DROPOUT p, NN_GELU form;
                       0 otherwise */
    int kernel;     /* NN_CONV2D kernel side, pooling window side (>= 1) */
    int stride;     /* NN_CONV2D only: >= 1; 0 is read as 1 */
    int pad;        /* NN_CONV2D only: zeros on each side, or NN_PAD_SAME */
} nn_layer_spec;

/* NN_GELU's arg for the tanh approximation. */
#define NN_GELU_TANH 1.0f

/* conv2d's padding that keeps height and width (stride 1, odd kernel):
 * (kernel - 1) / 2 on each side, as PyTorch's padding="same". */
#define NN_PAD_SAME (-1)

/* The lower-case name of a kind ("linear", "leaky_relu", ...); the same
 * names are used in model files and by the cell language. */
const char *nn_layer_name(nn_layer_kind kind);

/* The kind named `name`, or -1 when no kind has that name. */
int nn_layer_kind_from_name(const char *name);

/* Checks the spec of layer i (0-based; the message counts from 1): a
 * known kind, linear with at least 1 unit, dropout p in [0, 1), conv2d
 * and pooling sizes of at least 1, a finite leaky_relu slope, gelu's arg
 * 0 or NN_GELU_TANH. Returns 0, or -1 with the reason in e. Shapes are
 * nn_model's to check. */
int nn_layer_check(const nn_layer_spec *s, int i, nn_err *e);

/* Writes the layer as the model files and descriptions show it:
 * "linear(16)", "leaky_relu(0.01)", "dropout(0.5)", "relu", "gelu",
 * "gelu(tanh)" (the tanh approximation),
 * "conv2d(16, 3, stride=2, padding=same)" (stride and padding only when
 * not 1 and 0), "maxpool2d(2)", "flatten", arguments in
 * the shortest form that reads back as the same float. At most `size`
 * bytes (NUL-terminated) go to buf; returns the full length, as snprintf. */
int nn_layer_format(const nn_layer_spec *spec, char *buf, size_t size);

/* Reads a comma-separated list of layers as nn_layer_format writes them
 * ("linear(16),relu,conv2d(8, 3, padding=same),maxpool2d(2)": commas
 * inside parentheses do not separate) into specs, at most max of them.
 * Grammar:
 *   list  = layer { "," layer }
 *   layer = name [ "(" args ")" ]   (linear, conv2d and pooling need args)
 *   args  = number | int "," int { "," ( "stride=" int | "padding=" int
 *           | "padding=same" ) }     (the second form for conv2d)
 *         | "tanh"                   (gelu only)
 * Returns the count, or -1 with the reason in e (unknown layer, bad or
 * missing argument, too many layers). */
int nn_layer_parse_list(const char *text, nn_layer_spec *specs, int max,
                        nn_err *e);

/* The activation passes below work row by row; from NN_POOL_PARALLEL_MIN
 * values on, their rows are split between the pool's threads (nn_pool),
 * which changes no value. */

/* Forward pass of an activation kind (every kind but NN_LINEAR and
 * NN_DROPOUT) over n*width values: out = f(in). `in` and `out` may alias
 * except for NN_SOFTMAX. */
void nn_layer_activate(const nn_layer_spec *spec, const float *in, float *out,
                       int n, int width);

/* The forward pass of a linear layer's bias fused with the activation
 * after it: adds bias[0..width) to each of the n rows of z in place, then
 * writes f(z) to `out` (which must not alias z), row by row while the row
 * is in cache. */
void nn_layer_activate_bias(const nn_layer_spec *spec, float *z,
                            const float *bias, float *out, int n, int width);

/* Backward pass of an activation kind: given the layer's input `in`, its
 * output `out` and the gradient `gout` with respect to the output, writes
 * the gradient with respect to the input to `gin` (n*width values). */
void nn_layer_activate_backward(const nn_layer_spec *spec, const float *in,
                                const float *out, const float *gout,
                                float *gin, int n, int width);

#endif
