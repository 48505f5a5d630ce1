/* conv_bench: the engine's training speed on the conv workload of issue
 * #16, for bench/run-conv to compare with PyTorch (conv_torch.py).
 *
 *   conv_bench [N [REPS]]
 *
 * The net conv2d(16,3,same)-relu-maxpool2-conv2d(32,3,same)-relu-maxpool2-
 * flatten-linear(64)-relu-linear(10), Adam (lr 1e-3), batch 64, one epoch
 * of N synthetic 1x28x28 images (default 60000), shuffled, softmax fused
 * with the cross-entropy. Prints "conv samples/s conv-GFLOP/s seconds"
 * for the best of REPS timed epochs (default 3) after one untimed
 * warm-up, each on a fresh model, then "peak GFLOP/s" (the best square
 * sgemm through the engine) and "rss MB" (the process's peak resident
 * memory). conv-GFLOP/s counts the products of the two conv layers only:
 * 2 per multiply-add of the forward pass, the weight gradient, and the
 * second layer's input gradient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "nn_blas.h"
#include "nn_layer.h"
#include "nn_rng.h"
#include "nn_train.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static const nn_layer_spec net[] = {
    { .kind = NN_CONV2D, .units = 16, .kernel = 3, .pad = NN_PAD_SAME },
    { .kind = NN_RELU },
    { .kind = NN_MAXPOOL2D, .kernel = 2 },
    { .kind = NN_CONV2D, .units = 32, .kernel = 3, .pad = NN_PAD_SAME },
    { .kind = NN_RELU },
    { .kind = NN_MAXPOOL2D, .kernel = 2 },
    { .kind = NN_FLATTEN },
    { .kind = NN_LINEAR, .units = 64 },
    { .kind = NN_RELU },
    { .kind = NN_LINEAR, .units = 10 },
    { .kind = NN_SOFTMAX },
};

/* Class c: a bright c-th horizontal band plus noise. */
static nn_data *make_data(int n)
{
    nn_data *d = nn_data_new("conv", n, 784, 10, NULL);
    if (!d)
        return NULL;
    d->channels = 1, d->height = 28, d->width = 28;
    nn_rng r;
    nn_rng_seed(&r, 1);
    for (int i = 0; i < n; i++) {
        int c = (int)nn_rng_below(&r, 10);
        d->y[i] = c;
        for (int j = 0; j < 784; j++)
            d->x[(size_t)i * 784 + j] =
                (j / 28 / 3 == c ? 1.0f : 0.0f) + 0.5f * nn_rng_normal(&r);
    }
    return d;
}

static double one_epoch(const nn_data *d)
{
    nn_err e;
    nn_model *m = nn_model_new_image(1, 28, 28, net,
                                     (int)(sizeof net / sizeof *net), 7, &e);
    if (!m) {
        fprintf(stderr, "conv_bench: %s\n", e.msg);
        exit(1);
    }
    nn_train_opts o = nn_train_defaults();
    o.epochs = 1;
    o.batch = 64;
    o.loss = NN_LOSS_CE;
    o.optim = nn_optim_defaults(NN_ADAM);
    double t = now();
    if (nn_train(m, d, &o, NULL, &e) < 0) {
        fprintf(stderr, "conv_bench: %s\n", e.msg);
        exit(1);
    }
    t = now() - t;
    nn_model_free(m);
    return t;
}

static double peak(void)
{
    int n = 1024;
    float *a = calloc((size_t)n * n, 4), *b = calloc((size_t)n * n, 4);
    float *c = calloc((size_t)n * n, 4);
    double best = 1e9;
    for (int r = 0; r < 5 && a && b && c; r++) {
        double t = now();
        nn_blas_sgemm(0, 0, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        t = now() - t;
        best = t < best ? t : best;
    }
    free(a), free(b), free(c);
    return 2.0 * n * n * n / best / 1e9;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 60000;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    nn_data *d = make_data(n > 0 ? n : 60000);
    if (!d)
        return 1;
    one_epoch(d);
    double best = 1e9;
    for (int r = 0; r < reps; r++) {
        double t = one_epoch(d);
        best = t < best ? t : best;
    }
    /* multiply-adds a sample: conv1 784*16*9, conv2 196*32*144 */
    double conv1 = 784.0 * 16 * 9, conv2 = 196.0 * 32 * 144;
    double flops = 2 * (2 * conv1 + 3 * conv2);
    printf("conv %.0f %.2f %.3f\n", d->n / best, flops * d->n / best / 1e9,
           best);
    printf("peak %.2f\n", peak());
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    printf("rss %.1f\n", u.ru_maxrss / 1024.0);
    nn_data_free(d);
    return 0;
}
