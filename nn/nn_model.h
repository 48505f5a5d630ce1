/* nn_model: a sequential stack of layers with shapes inferred from the
 * input width.
 *
 * All parameters live in one contiguous float buffer and all gradients in
 * another, laid out layer by layer as PyTorch's nn.Sequential state_dict:
 * for each linear layer i, weight [out, in] then bias [out] (conv2d: weight
 * [out, in, kh, kw] then bias [out]; batchnorm: weight (gamma) [C] then
 * bias (beta) [C], its running statistics apart). Activations for
 * the largest batch seen so far are kept inside the model and grown on
 * demand. A model owns all its memory; free it with nn_model_free(). */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nn_err.h"
#include "nn_layer.h"

typedef struct nn_model nn_model;

/* Builds a model with input width `in` (>= 1) and the given layers (at
 * least one), initialising linear layers from `seed`: He (Kaiming) normal
 * weights when the next activation is of the ReLU family (relu, leaky_relu,
 * gelu; looking through batchnorm, pooling and flatten), Glorot (Xavier)
 * uniform otherwise, zero biases; batchnorm as PyTorch's (weight 1, bias
 * 0, running mean 0 and variance 1).
 * Returns NULL and fills `e` on a width of 0, an unknown kind, a bad
 * dropout p, or when the parameters cannot be allocated (the message gives
 * the size). */
nn_model *nn_model_new(int in, const nn_layer_spec *layers, int n_layers,
                       uint64_t seed, nn_err *e);

/* The same for images of c channels x h rows x w columns (each >= 1),
 * stored as PyTorch's NCHW: a row of the input is c*h*w values, channel
 * by channel, row by row. Layers get their input shape from the layer
 * before; conv2d, maxpool2d and avgpool2d need images, linear needs rows
 * (flatten turns images into rows). Conv2d weights are [out, in, kh, kw]
 * then the bias [out], as torch.nn.Conv2d, initialised as linear layers
 * with fan_in = in*kh*kw. Returns NULL and fills `e` as nn_model_new, and
 * when a layer gets a shape it cannot take: the message names the layer,
 * the shape it gets and what to change. */
nn_model *nn_model_new_image(int c, int h, int w, const nn_layer_spec *layers,
                             int n_layers, uint64_t seed, nn_err *e);

/* A deep copy (parameters, not gradients or optimizer state). NULL on OOM. */
nn_model *nn_model_copy(const nn_model *m, nn_err *e);

/* Frees the model; NULL is allowed. */
void nn_model_free(nn_model *m);

int nn_model_in(const nn_model *m);         /* input width */
int nn_model_out(const nn_model *m);        /* output width */
int nn_model_n_layers(const nn_model *m);
const nn_layer_spec *nn_model_layer(const nn_model *m, int i);
/* Input and output width of layer i. */
int nn_model_layer_in(const nn_model *m, int i);
int nn_model_layer_out(const nn_model *m, int i);
/* The output shape of layer i (the input's for i = -1) into shape: {c, h,
 * w} for images, returning 1, or {width, 0, 0} for rows, returning 0. */
int nn_model_layer_shape(const nn_model *m, int i, int shape[3]);
/* Number of parameters of layer i (0 for activations), and in total. */
size_t nn_model_layer_params(const nn_model *m, int i);
size_t nn_model_n_params(const nn_model *m);

/* The contiguous parameter and gradient buffers (n_params floats each),
 * owned by the model. Layer i's weight starts at nn_model_layer_offset(). */
float *nn_model_params(nn_model *m);
float *nn_model_grads(nn_model *m);
size_t nn_model_layer_offset(const nn_model *m, int i);

/* The running statistics of the batchnorm layers (not trained, not in
 * the parameters): n_state floats owned by the model, layer i's running
 * mean [C] then running variance [C] from nn_model_layer_state_offset(),
 * and the number of batches that moved them (PyTorch's
 * num_batches_tracked). */
size_t nn_model_n_state(const nn_model *m);
float *nn_model_state(nn_model *m);
size_t nn_model_layer_state_offset(const nn_model *m, int i);
int64_t nn_model_layer_tracked(const nn_model *m, int i);
void nn_model_set_layer_tracked(nn_model *m, int i, int64_t batches);

/* Puts batchnorm layer i as new (gamma 1, beta 0, running mean 0,
 * running variance 1, no batches); nothing for another kind. */
void nn_model_reset_norm(nn_model *m, int i);

/* Train mode enables dropout and makes batchnorm use (and move) the
 * batch's statistics; eval mode (the default) disables dropout and makes
 * batchnorm use the running statistics. */
void nn_model_set_training(nn_model *m, int training);

/* Runs the model on n rows of x (n x in) in eval mode and writes n x out
 * values to `out`: probabilities when the model ends in sigmoid/softmax.
 * Returns 0, or -1 when the activations cannot be allocated. */
int nn_model_predict(nn_model *m, const float *x, int n, float *out,
                     nn_err *e);

/* The forward pass on n rows of x (n x in) in the current mode (dropout
 * active in train mode), keeping every layer's output for
 * nn_model_backward(). Returns the model's output (n x out), owned by the
 * model and valid until the next pass, or NULL when n < 1 or the
 * activations cannot be allocated (the message gives the size). */
const float *nn_model_forward(nn_model *m, const float *x, int n, nn_err *e);

/* Layer i's output of the last forward pass (n x layer_out), owned by the
 * model. */
const float *nn_model_layer_output(const nn_model *m, int i);

/* The backward pass after nn_model_forward(m, x, n): given `grad`, the
 * gradient of the loss with respect to the output of layer `top` (n x
 * layer_out(top)), overwrites the gradient buffer with the gradient of
 * every parameter. `top` must be at or above the last linear layer; a loss
 * fused with the final activation passes the layer below it. */
void nn_model_backward(nn_model *m, const float *x, const float *grad, int n,
                       int top);

/* Training steps may split a batch's rows between threads, each part a
 * forward and backward pass of its own rows, when this returns 1: every
 * layer treats rows independently and keeps no scratch shared between
 * them. Linear layers, activations, identity and flatten do; conv2d and
 * pooling (shared patch buffers), batchnorm (batch statistics) and
 * dropout (one stream of masks) do not. */
int nn_model_rows_independent(const nn_model *m);

/* Makes the activation buffers hold batches of n >= 1 rows, as
 * nn_model_forward does for its own n. Returns 0, or -1 when they cannot
 * be allocated. */
int nn_model_reserve(nn_model *m, int n, nn_err *e);

/* nn_model_forward on rows [first, first + n) of a batch alone, x
 * pointing at row `first` of its input: writes those rows of every
 * layer's output and nothing else, so that the parts of one batch can run
 * at the same time on different threads. Needs buffers reserved for
 * first + n rows and, unless first is 0, rows-independent layers
 * (asserted). Returns the model's output for these rows (n x out), owned
 * by the model. nn_model_forward is this on all n rows. */
const float *nn_model_forward_rows(nn_model *m, const float *x, int first,
                                   int n);

/* nn_model_backward on the rows of nn_model_forward_rows(m, x, first,
 * n): grad is their part of the loss gradient (n x layer_out(top)), and
 * the gradient of every parameter over these rows alone is written to
 * `grads` (nn_model_n_params floats: nn_model_grads or a buffer of the
 * caller's). Parts with different rows and grads run at the same time.
 * nn_model_backward is this on all n rows, into nn_model_grads. */
void nn_model_backward_rows(nn_model *m, const float *x, const float *grad,
                            int first, int n, int top, float *grads);

/* One layer's backward pass for its input alone, after nn_model_forward
 * on the same n rows x: given gout, the gradient with respect to layer
 * i's output (n x layer_out(i)), writes the gradient with respect to its
 * input to gin (n x layer_in(i)). For every kind (dropout: through the
 * last pass's mask in train mode). A conv2d layer needs the patches of
 * that forward pass, which nn_model_backward overwrites: run the forward
 * pass again after it; it also overwrites the conv2d layer's slice of the
 * gradient buffer (with the same gradient). What trace shows. */
void nn_model_layer_backward(nn_model *m, int i, const float *x,
                             const float *gout, float *gin, int n);

/* Reseeds the stream that draws dropout masks (nn_train does it from its
 * seed, so that runs repeat). */
void nn_model_seed_dropout(nn_model *m, uint64_t seed);

/* The one-line architecture, e.g. "linear(16) -> relu -> linear(1) ->
 * sigmoid". Writes at most `size` bytes (NUL-terminated) into buf and
 * returns the full length, like snprintf. */
int nn_model_describe(const nn_model *m, char *buf, size_t size);

#endif
