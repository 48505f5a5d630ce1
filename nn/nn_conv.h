/* nn_conv: the image layers: 2-D convolution, max and average pooling,
 * forward and backward, on batches of images stored as PyTorch stores
 * them (NCHW: image, channel, row, column, row-major).
 *
 * A convolution is im2col + one OpenBLAS product over the whole batch: the
 * patch under each output pixel becomes a row of `cols` (n*P rows of K =
 * in_c*k*k values, in the order of the weight's [in, kh, kw]), so that
 * Z = cols W^T is one large product that nn_blas splits between the
 * cores, then bias (and the activation after it, when asked) is fused into
 * the copy of Z back to NCHW. Weights are [out, in, kh, kw] as
 * torch.nn.Conv2d's. None of these functions allocates: the caller gives
 * the scratch whose size nn_conv_cols_len() tells. Image loops are split
 * between the cores with nn_pool_split; results do not depend on the
 * split. */
#ifndef NN_CONV_H
#define NN_CONV_H

#include <stddef.h>

#include "nn_layer.h"

/* The geometry of one convolution or pooling layer. For pooling, out_c =
 * in_c, k = stride = the window size and pad = 0. */
typedef struct nn_conv_geom {
    int in_c, in_h, in_w;
    int out_c, k, stride, pad;
    int out_h, out_w;
} nn_conv_geom;

/* Output size along one side: (in + 2 pad - k) / stride + 1, or 0 when the
 * window does not fit (in + 2 pad < k) or an argument is out of range
 * (in, k, stride >= 1, pad >= 0). */
int nn_conv_out_size(int in, int k, int stride, int pad);

/* Fills out_h and out_w of g from the other fields. Returns 0, or -1
 * when the window does not fit the padded input (out_h or out_w is 0). */
int nn_conv_geom_plan(nn_conv_geom *g);

/* Floats of the im2col scratch a convolution over n images needs:
 * n * out_h * out_w * in_c * k * k. */
size_t nn_conv_cols_len(const nn_conv_geom *g, int n);

/* Floats of the transposed-output scratch (forward and backward):
 * n * out_h * out_w * out_c. */
size_t nn_conv_tmp_len(const nn_conv_geom *g, int n);

/* Convolution forward over n images x (n x in_c x in_h x in_w): writes
 * z = conv(x, w) + b (n x out_c x out_h x out_w) and, when act is not
 * NULL, y = act(z) (an activation kind of nn_layer_activate; y must not
 * alias z). cols (nn_conv_cols_len) keeps the patches for the backward
 * pass; tmp (nn_conv_tmp_len) is scratch. */
void nn_conv2d_forward(const nn_conv_geom *g, const float *x, int n,
                       const float *w, const float *b, float *z,
                       const nn_layer_spec *act, float *y, float *cols,
                       float *tmp);

/* Convolution backward after nn_conv2d_forward on the same x and n: from
 * gz, the gradient with respect to z, writes the weight gradient gw
 * [out, in, k, k] and bias gradient gb [out] (overwritten, not added),
 * and when gx is not NULL the input gradient gx (n x in_c x in_h x in_w).
 * Overwrites cols and tmp. */
void nn_conv2d_backward(const nn_conv_geom *g, int n, const float *w,
                        const float *gz, float *gw, float *gb, float *gx,
                        float *cols, float *tmp);

/* Max pooling forward: y (n x c x out_h x out_w) is the largest value of
 * each k x k window of x with the given stride (the first one on ties, as
 * PyTorch). */
void nn_maxpool_forward(const nn_conv_geom *g, const float *x, int n,
                        float *y);

/* Max pooling backward: gx = 0 but for each window's largest input (the
 * same one the forward pass picked), which gets the window's gradient
 * (added, where windows overlap). */
void nn_maxpool_backward(const nn_conv_geom *g, const float *x, int n,
                         const float *gy, float *gx);

/* Average pooling forward: the mean of each k x k window. */
void nn_avgpool_forward(const nn_conv_geom *g, const float *x, int n,
                        float *y);

/* Average pooling backward: each window's gradient divided by k*k goes to
 * each of its inputs (added where windows overlap). */
void nn_avgpool_backward(const nn_conv_geom *g, int n, const float *gy,
                         float *gx);

#endif
