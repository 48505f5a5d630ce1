/* nn_bench: the engine's training speed on three fixed workloads, and the
 * machine's sgemm peak, for bench/run to compare with PyTorch.
 *
 *   nn_bench [-r REPS] [-a ACT] a|b|c|t|m|r|s|peak|core ...
 *
 * Workloads (Adam, synthetic data, relu between layers, softmax/sigmoid
 * fused with the loss, shuffled mini-batches):
 *   a: 2-16-16-1,          1000 samples, batch 32,  50 epochs
 *   b: 784-256-128-10,    60000 samples, batch 128, 1 epoch
 *   c: 1024-1024-1024-10, 16384 samples, batch 256, 1 epoch
 * and for the activation table, the hidden layers' activation set by -a
 * (relu, tanh, sigmoid, gelu or gelu_tanh, GELU's tanh approximation;
 * relu by default; for the workloads named after it):
 *   t: 2-32-32-1,          1000 samples, batch 32,  50 epochs
 *   m: 64-256-128-10,     20000 samples, batch 128, 2 epochs
 * and regression (issue 14: a 1-D curve, y = sin(x1) + x2 / 2, MSE, no
 * output activation, relu between layers):
 *   r: 2-32-32-1,          1000 samples, batch 32,  50 epochs
 * and the widest net of bench/sweep.py (relu, sigmoid output):
 *   s: 2-128-128-1,         800 samples, batch 32, 200 epochs
 * Each prints "name samples/s GFLOP/s seconds" (name "t-tanh" and so on
 * for t and m): the best of REPS timed
 * trainings (default 5) after one untimed warm-up, each on a fresh model
 * (torch_bench.py does the same count), FLOPs counted as the products a
 * training step does: 2 per weight for the forward pass, 2 for the weight
 * gradient, 2 for the input gradient except the first layer's.
 * "peak" prints "peak GFLOP/s": the best square sgemm (1024 to 2048) on
 * all cores, through the engine or on OpenBLAS's own threads;
 * "core" prints OpenBLAS's core and, if any, the better one for this CPU. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "nn_blas.h"
#include "nn_cpu.h"
#include "nn_layer.h"
#include "nn_rng.h"
#include "nn_train.h"

struct workload {
    const char *name;
    int widths[4];   /* input, hidden..., output */
    int n_widths;
    int n, batch, epochs;
};

static const struct workload workloads[] = {
    {"a", {2, 16, 16, 1}, 4, 1000, 32, 50},
    {"b", {784, 256, 128, 10}, 4, 60000, 128, 1},
    {"c", {1024, 1024, 1024, 10}, 4, 16384, 256, 1},
    {"t", {2, 32, 32, 1}, 4, 1000, 32, 50},
    {"m", {64, 256, 128, 10}, 4, 20000, 128, 2},
    {"r", {2, 32, 32, 1}, 4, 1000, 32, 50},
    {"s", {2, 128, 128, 1}, 4, 800, 32, 200},
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double flops_per_sample(const struct workload *w)
{
    double f = 0;
    for (int i = 0; i + 1 < w->n_widths; i++) {
        double p = (double)w->widths[i] * w->widths[i + 1];
        f += (i == 0 ? 4 : 6) * p;
    }
    return f;
}

/* The hidden layers' activation (-a) and its name. */
struct act {
    nn_layer_spec spec;
    const char *name;
};

static int run(const struct workload *w, int reps, const struct act *hidden)
{
    nn_err e;
    int k = w->widths[w->n_widths - 1];
    int reg = strcmp(w->name, "r") == 0;
    nn_data *d = reg ? nn_data_new_regression(w->name, w->n, w->widths[0], 1,
                                              &e)
                     : nn_data_new(w->name, w->n, w->widths[0],
                                   k < 2 ? 2 : k, &e);
    if (!d) {
        fprintf(stderr, "nn_bench: %s\n", e.msg);
        return 1;
    }
    nn_rng r;
    nn_rng_seed(&r, 1);
    for (size_t i = 0; i < (size_t)w->n * w->widths[0]; i++)
        d->x[i] = nn_rng_normal(&r);
    for (int i = 0; i < w->n; i++)
        d->y[i] = (int)nn_rng_below(&r, (uint32_t)d->n_classes);
    for (int i = 0; reg && i < w->n; i++)
        d->t[i] = sinf(d->x[2 * i]) + 0.5f * d->x[2 * i + 1];
    nn_layer_spec layers[8];
    int n_layers = 0;
    for (int i = 1; i < w->n_widths; i++) {
        layers[n_layers++] = (nn_layer_spec){NN_LINEAR, w->widths[i], 0, 0, 0, 0};
        nn_layer_spec act = {k == 1 ? NN_SIGMOID : NN_SOFTMAX, 0, 0, 0, 0, 0};
        if (i + 1 < w->n_widths)
            act = hidden->spec;
        if (!reg || i + 1 < w->n_widths) /* a regression net ends linear */
            layers[n_layers++] = act;
    }
    nn_train_opts o = nn_train_defaults();
    o.epochs = w->epochs;
    o.batch = w->batch;
    double best = 1e30;
    for (int rep = -1; rep < reps; rep++) { /* -1: the warm-up */
        nn_model *m = nn_model_new(w->widths[0], layers, n_layers, 1, &e);
        if (!m) {
            fprintf(stderr, "nn_bench: %s\n", e.msg);
            return 1;
        }
        double t0 = now();
        int rc = nn_train(m, d, &o, NULL, &e);
        double t = now() - t0;
        nn_model_free(m);
        if (rc < 0) {
            fprintf(stderr, "nn_bench: %s\n", e.msg);
            return 1;
        }
        if (rep >= 0 && t < best)
            best = t;
    }
    double samples = (double)w->n * w->epochs;
    char name[32];
    int named = w->name[0] == 't' || w->name[0] == 'm';
    snprintf(name, sizeof name, "%s%s%s", w->name, named ? "-" : "",
             named ? hidden->name : "");
    printf("%s %.1f %.2f %.4f\n", name, samples / best,
           samples * flops_per_sample(w) / best * 1e-9, best);
    nn_data_free(d);
    return 0;
}

/* Seconds for one n x n x n product: through the engine (its own split
 * between the cores) or straight on OpenBLAS's threads. */
static double square(int n, int engine, const float *a, const float *b,
                     float *c)
{
    double t0 = now();
    if (engine) {
        nn_blas_sgemm(0, 1, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    } else {
        openblas_set_num_threads(nn_cpu_threads());
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f,
                    a, n, b, n, 0.0f, c, n);
        openblas_set_num_threads(1);
    }
    return now() - t0;
}

/* The best sgemm rate over a few square sizes (big products, all cores,
 * both through the engine and on OpenBLAS's own threads): what the matrix
 * products of training can reach. */
static int peak(void)
{
    int sizes[] = {1024, 1536, 2048}, max = 2048;
    float *a = malloc(sizeof(float) * max * max);
    float *b = malloc(sizeof(float) * max * max);
    float *c = malloc(sizeof(float) * max * max);
    if (!a || !b || !c)
        return 1;
    for (long i = 0; i < (long)max * max; i++) {
        a[i] = (float)(i % 13) * 0.01f;
        b[i] = (float)(i % 7) * 0.01f;
    }
    double best = 0;
    for (int s = 0; s < 3; s++) {
        int n = sizes[s];
        for (int rep = 0; rep < 10; rep++) {
            double rate = 2.0 * n * n * n / square(n, rep % 2, a, b, c) * 1e-9;
            best = rate > best ? rate : best;
        }
    }
    printf("peak %.1f\n", best);
    free(a);
    free(b);
    free(c);
    return 0;
}

int main(int argc, char **argv)
{
    int reps = 5;
    struct act hidden = {{NN_RELU, 0, 0, 0, 0, 0}, "relu"};
    for (int i = 1; i < argc; i++) {
        int rc = 0;
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
            if (reps < 1) {
                fprintf(stderr, "nn_bench: -r needs a count >= 1\n");
                return 2;
            }
        } else if (strcmp(argv[i], "-a") == 0 && i + 1 < argc) {
            const char *name = argv[++i];
            int tanh_form = strcmp(name, "gelu_tanh") == 0;
            int k = tanh_form ? NN_GELU : nn_layer_kind_from_name(name);
            if (k != NN_RELU && k != NN_TANH && k != NN_SIGMOID
                && k != NN_GELU) {
                fprintf(stderr, "nn_bench: -a takes relu, tanh, "
                                "sigmoid, gelu or gelu_tanh\n");
                return 2;
            }
            hidden = (struct act){{(nn_layer_kind)k, 0,
                                   tanh_form ? NN_GELU_TANH : 0.0f, 0, 0, 0},
                                  name};
        } else if (strcmp(argv[i], "peak") == 0) {
            rc = peak();
        } else if (strcmp(argv[i], "core") == 0) {
            const char *better = nn_cpu_better_coretype();
            printf("core %s %s threads %d\n", nn_cpu_corename(),
                   better ? better : "-", nn_cpu_threads());
        } else {
            int found = 0;
            for (size_t j = 0; j < sizeof workloads / sizeof *workloads; j++)
                if (strcmp(argv[i], workloads[j].name) == 0) {
                    rc = run(&workloads[j], reps, &hidden);
                    found = 1;
                }
            if (!found) {
                fprintf(stderr, "usage: nn_bench [-r REPS] [-a ACT] "
                                "a|b|c|t|m|r|s|peak|core ...\n");
                return 2;
            }
        }
        if (rc)
            return rc;
        fflush(stdout);
    }
    return 0;
}
