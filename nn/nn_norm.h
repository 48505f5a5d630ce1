/* nn_norm: batch normalisation, forward and backward, as PyTorch's
 * BatchNorm1d (rows of C features: S = 1) and BatchNorm2d (images of C
 * channels of S = H*W pixels, NCHW).
 *
 * Values are n x C x S blocks (index (i*C + c)*S + j). Each channel c is
 * normalised over its n*S values: in train mode by the batch's mean and
 * biased variance, which also move the running statistics
 * (running = (1 - NN_BN_MOMENTUM) running + NN_BN_MOMENTUM batch, the
 * variance unbiased, as PyTorch); in eval mode by the running statistics.
 * y = gamma * xhat + beta with xhat = (x - mean) / sqrt(var + NN_BN_EPS).
 * Sums are accumulated in double. None of these functions allocates. */
#ifndef NN_NORM_H
#define NN_NORM_H

#define NN_BN_MOMENTUM 0.1f
#define NN_BN_EPS 1e-5f

/* The shape of one batchnorm layer's input. */
typedef struct nn_norm_geom {
    int c;   /* channels (features) >= 1 */
    int s;   /* values per channel of one sample: H*W, or 1 for rows */
} nn_norm_geom;

/* Forward pass over n >= 1 samples x: writes y and xhat (n*c*s each) and
 * invstd[c] = 1 / sqrt(var + eps) of the statistics used. In train mode
 * (training != 0) the batch's statistics, which also update run_mean and
 * run_var (c each); in eval mode run_mean and run_var, left unchanged. */
void nn_norm_forward(const nn_norm_geom *g, int n, int training,
                     const float *x, const float *gamma, const float *beta,
                     float *run_mean, float *run_var, float *y, float *xhat,
                     float *invstd);

/* Backward pass after nn_norm_forward on the same n, in the same mode:
 * from gy, the gradient with respect to y, writes ggamma and gbeta (c
 * each, overwritten) and, when gx is not NULL, the gradient with respect
 * to x (n*c*s; in train mode through the batch's statistics). */
void nn_norm_backward(const nn_norm_geom *g, int n, int training,
                      const float *gy, const float *xhat, const float *gamma,
                      const float *invstd, float *gx, float *ggamma,
                      float *gbeta);

#endif
