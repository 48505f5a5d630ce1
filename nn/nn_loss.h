/* nn_loss: the loss functions, as mean losses over a batch with their
 * gradients.
 *
 * Cross-entropies take logits and fuse the final sigmoid/softmax into the
 * loss, as torch's BCEWithLogitsLoss and CrossEntropyLoss do: they stay
 * finite for logits of any size (+-1000 included). Labels are class
 * indices: 0/1 for one output, 0..k-1 for k outputs; the caller checks
 * their range. None of these functions allocates or fails. */
#ifndef NN_LOSS_H
#define NN_LOSS_H

/* Mean binary cross-entropy of n logits z against labels y (0 or 1).
 * When grad is not NULL, writes d loss / d z (n values) to it. */
float nn_loss_bce_logits(const float *z, const int *y, int n, float *grad);

/* Mean softmax cross-entropy of n rows of k logits against class indices
 * y. When grad is not NULL, writes d loss / d z (n x k) to it. */
float nn_loss_ce_logits(const float *z, const int *y, int n, int k,
                        float *grad);

/* Mean squared error over all n x k outputs against the labels as targets:
 * the label itself for k = 1, one-hot rows for k > 1 (as torch's MSELoss
 * with reduction "mean"). When grad is not NULL, writes d loss / d out. */
float nn_loss_mse(const float *out, const int *y, int n, int k, float *grad);

/* Losses against real targets t (n x k, row-major, as the outputs), means
 * over all n x k values as torch's MSELoss, L1Loss and HuberLoss with
 * reduction "mean". When grad is not NULL, each writes d loss / d out
 * (n x k) to it. */

/* Mean squared error: mean of (out - t)^2. */
float nn_loss_mse_t(const float *out, const float *t, int n, int k,
                    float *grad);

/* Mean absolute error: mean of |out - t|; the gradient of |0| is 0, as
 * torch's sign(). */
float nn_loss_mae(const float *out, const float *t, int n, int k,
                  float *grad);

/* Huber loss with threshold delta > 0: 0.5 d^2 where |d| < delta, else
 * delta (|d| - 0.5 delta), with d = out - t. */
float nn_loss_huber(const float *out, const float *t, int n, int k,
                    float delta, float *grad);

#endif
