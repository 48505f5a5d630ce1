#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "data.h"
#include "nn_gen.h"
#include "regdata.h"
#include "sb.h"

static value *data_line(lang_run *run, const args *a)
{
    int n, seed;
    float w, b, noise;
    nn_err err;
    if (arg_int(run, a, "n", &n) < 0 || arg_float(run, a, "slope", &w) < 0
        || arg_float(run, a, "intercept", &b) < 0
        || arg_float(run, a, "noise", &noise) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    nn_data *d = nn_gen_linear("line", n, 1, &w, b, noise, (uint64_t)seed,
                               &err);
    return data_wrap(run, a, d, "ValueError", &err);
}

static value *data_plane(lang_run *run, const args *a)
{
    int n, seed;
    float w[2], b, noise;
    nn_err err;
    if (arg_int(run, a, "n", &n) < 0 || arg_float(run, a, "w1", &w[0]) < 0
        || arg_float(run, a, "w2", &w[1]) < 0
        || arg_float(run, a, "b", &b) < 0
        || arg_float(run, a, "noise", &noise) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    nn_data *d = nn_gen_linear("plane", n, 2, w, b, noise, (uint64_t)seed,
                               &err);
    return data_wrap(run, a, d, "ValueError", &err);
}

static value *data_sine(lang_run *run, const args *a)
{
    int n, seed;
    float noise;
    nn_err err;
    if (arg_int(run, a, "n", &n) < 0 || arg_float(run, a, "noise", &noise) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    return data_wrap(run, a, nn_gen_sine(n, noise, (uint64_t)seed, &err),
                     "ValueError", &err);
}

float regdata_target(const nn_data *d, int i, int j)
{
    assert(d && d->task == NN_TASK_REGRESS && j < d->n_targets);
    float v = d->t[(size_t)i * d->n_targets + j];
    return d->t_mean ? v * d->t_std[j] + d->t_mean[j] : v;
}

char *regdata_target_line(const nn_data *d)
{
    assert(d && d->task == NN_TASK_REGRESS);
    sb b = { 0 };
    int k = d->n_targets;
    sb_fmt(&b, k == 1 ? "a continuous target" : "%d continuous targets", k);
    for (int j = 0; j < k; j++) {
        double sum = 0.0, sq = 0.0, lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < d->n; i++) {
            double v = regdata_target(d, i, j);
            sum += v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        double mean = d->n ? sum / d->n : 0.0;
        for (int i = 0; i < d->n; i++) {
            double v = regdata_target(d, i, j) - mean;
            sq += v * v;
        }
        sb_fmt(&b, "%s '%s'", j ? ";" : "", d->target_names[j]);
        if (d->n > 0)
            sb_fmt(&b, ": mean %.4g, std %.4g, from %.4g to %.4g", mean,
                   sqrt(sq / d->n), lo, hi);
    }
    if (d->t_mean)
        sb_str(&b, " (trained on standardized, shown in its units)");
    return sb_done(&b);
}

/* ---- the family ---------------------------------------------------- */

#define N(def) PARAM_INT("n", def, 2, 10000000, "the number of samples")
#define NOISE(def) \
    PARAM_NUM("noise", def, 0, 100, \
              "standard deviation of the noise added to the target")
#define SEED PARAM_INT("seed", 0, 0, 2147483647, "the same seed, the same data")

static const param p_line[] = {
    N(100), PARAM_NUM("slope", 2, -1e6, 1e6, "the true slope"),
    PARAM_NUM("intercept", 1, -1e6, 1e6, "the true intercept"),
    NOISE(0.2), SEED, PARAM_END
};
static const param p_plane[] = {
    N(200), PARAM_NUM("w1", 3, -1e6, 1e6, "the true weight of x1"),
    PARAM_NUM("w2", -2, -1e6, 1e6, "the true weight of x2"),
    PARAM_NUM("b", 0.5, -1e6, 1e6, "the true intercept"),
    NOISE(0.1), SEED, PARAM_END
};
static const param p_sine[] = { N(200), NOISE(0.1), SEED, PARAM_END };

static const builtin table[] = {
    { "line", B_DATA, p_line, 0, 0, data_line,
      "y = slope*x + intercept + noise, x uniform in [-1, 1] (regression)",
      { 0 } },
    { "plane", B_DATA, p_plane, 0, 0, data_plane,
      "y = w1*x1 + w2*x2 + b + noise, x uniform in [-1, 1]^2 (regression)",
      { 0 } },
    { "sine", B_DATA, p_sine, 0, 0, data_sine,
      "y = sin(x) + noise, x uniform in [-pi, pi] (regression)", { 0 } },
};

const builtin_family regdata_family = {
    "regression data", table, sizeof table / sizeof *table
};
