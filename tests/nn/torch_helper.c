/* The C side of the PyTorch cross-check (torch_check.py runs it).
 *
 *   torch_helper DIR
 *
 * For each case below, writes into DIR/<case>/: the data (data.txt: one
 * row per line, label last), the settings (config.txt: key value lines),
 * the initial model (init.safetensors), the loss of each of the first 10
 * optimizer steps (losses.txt), the model after them (final.safetensors)
 * and its predictions on the data (pred.txt). Regression cases (config
 * "targets k") end each data row with k real targets instead of a
 * label. Mini-batches are taken in
 * order (no shuffling) so that torch can take the same ones.
 *
 * Each trace case writes DIR/trace_<case>/: init.safetensors, data.txt
 * (TRACE_ROWS rows), config.txt, and trace.txt: one traced step
 * (nn_trace_step) as lines "NAME LAYER v1 v2 ...": out, gout (absent for
 * a final activation fused into the loss), gw, gb, dw, db, and "loss -1
 * v". */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nn_rng.h"
#include "nn_safetensors.h"
#include "nn_trace.h"
#include "nn_train.h"

#define ROWS 64
#define BATCH 16
#define STEPS 10

struct arch {
    const char *name;
    int in, k;
    nn_loss_kind loss;
    nn_layer_spec layers[10];
    int n_layers;
    int side;       /* images of 1 x side x side when not 0 */
    int targets;  /* regression: targets per row; 0: classes */
};

static const struct arch archs[] = {
    {"bce", 2, 2, NN_LOSS_BCE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0}, {NN_LINEAR, 6, 0, 0, 0, 0},
      {NN_TANH, 0, 0, 0, 0, 0}, {NN_LINEAR, 1, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0}}, 6, 0, 0},
    {"ce", 4, 3, NN_LOSS_CE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_GELU, 0, 0, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0},
      {NN_SOFTMAX, 0, 0, 0, 0, 0}}, 4, 0, 0},
    {"logits", 4, 3, NN_LOSS_CE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_LEAKY_RELU, 0, 0.1f, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0}}, 3, 0, 0},
    {"mse", 4, 3, NN_LOSS_MSE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0},
      {NN_SOFTMAX, 0, 0, 0, 0, 0}}, 4, 0, 0},
    {"conv", 36, 3, NN_LOSS_CE,
     {{.kind = NN_CONV2D, .units = 4, .kernel = 3, .pad = NN_PAD_SAME},
      {.kind = NN_RELU}, {.kind = NN_MAXPOOL2D, .kernel = 2},
      {.kind = NN_CONV2D, .units = 6, .kernel = 2},
      {.kind = NN_TANH}, {.kind = NN_AVGPOOL2D, .kernel = 2},
      {.kind = NN_FLATTEN}, {.kind = NN_LINEAR, .units = 3}}, 8, 6, 0},
    /* regression: 3 features, 2 real targets */
    {"reg_mse", 3, 1, NN_LOSS_MSE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0}, {NN_LINEAR, 2, 0, 0, 0, 0}}, 3, 0, 2},
    {"reg_mae", 3, 1, NN_LOSS_MAE,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0}, {NN_LINEAR, 2, 0, 0, 0, 0}}, 3, 0, 2},
    {"reg_huber", 3, 1, NN_LOSS_HUBER,
     {{NN_LINEAR, 8, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0}, {NN_LINEAR, 2, 0, 0, 0, 0}}, 3, 0, 2},
    {"reg_line", 1, 1, NN_LOSS_MSE, {{NN_LINEAR, 1, 0, 0, 0, 0}}, 1, 0, 1},
    {"conv_bn", 36, 3, NN_LOSS_CE,
     {{.kind = NN_CONV2D, .units = 4, .kernel = 3, .pad = NN_PAD_SAME},
      {.kind = NN_BATCHNORM}, {.kind = NN_RELU},
      {.kind = NN_MAXPOOL2D, .kernel = 2}, {.kind = NN_FLATTEN},
      {.kind = NN_LINEAR, .units = 8}, {.kind = NN_BATCHNORM},
      {.kind = NN_RELU}, {.kind = NN_LINEAR, .units = 3}}, 9, 6, 0},
    /* both forms of GELU */
    {"gelu", 4, 3, NN_LOSS_CE,
     {{.kind = NN_LINEAR, .units = 8}, {.kind = NN_GELU, .arg = NN_GELU_TANH},
      {.kind = NN_LINEAR, .units = 6}, {.kind = NN_GELU},
      {.kind = NN_LINEAR, .units = 3}}, 5, 0, 0},
};

struct run {
    const char *name;
    int arch;
    nn_optim_kind optim;
    float lr, momentum, weight_decay;
    int nesterov;
    nn_schedule_kind schedule;
    float delta;    /* huber's threshold; 0: the default 1 */
};

static const struct run runs[] = {
    {"bce_sgd", 0, NN_SGD, 0.1f, 0.9f, 0.001f, 1, NN_SCHED_NONE, 0},
    {"bce_adam", 0, NN_ADAM, 0.01f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"ce_sgd", 1, NN_SGD, 0.2f, 0.5f, 0, 0, NN_SCHED_STEP, 0},
    {"ce_adam", 1, NN_ADAM, 0.02f, 0, 0.01f, 0, NN_SCHED_NONE, 0},
    {"logits_adamw", 2, NN_ADAMW, 0.02f, 0, 0.1f, 0, NN_SCHED_COSINE, 0},
    {"logits_rmsprop", 2, NN_RMSPROP, 0.01f, 0.5f, 0, 0, NN_SCHED_NONE, 0},
    {"mse_sgd", 3, NN_SGD, 0.5f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"conv_adam", 4, NN_ADAM, 0.01f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"reg_mse_adam", 5, NN_ADAM, 0.02f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"reg_mae_sgd", 6, NN_SGD, 0.1f, 0.9f, 0, 0, NN_SCHED_NONE, 0},
    {"reg_huber_adam", 7, NN_ADAM, 0.05f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"reg_huber_d03", 7, NN_SGD, 0.1f, 0.5f, 0, 0, NN_SCHED_NONE, 0.3f},
    {"reg_line_sgd", 8, NN_SGD, 0.1f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"conv_bn_adam", 9, NN_ADAM, 0.01f, 0, 0, 0, NN_SCHED_NONE, 0},
    {"gelu_adam", 10, NN_ADAM, 0.02f, 0, 0, 0, NN_SCHED_NONE, 0},
};

/* Regression: targets t_j = 2 x_(j mod in) - x_0 x_(in-1) + noise, of a
 * size that puts some of huber's errors beyond its delta. */
static nn_data *make_regression(const struct arch *a, uint64_t seed)
{
    nn_data *d = nn_data_new_regression("cross", ROWS, a->in, a->targets,
                                        NULL);
    if (!d)
        return NULL;
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < ROWS; i++) {
        float *x = d->x + i * a->in;
        for (int j = 0; j < a->in; j++)
            x[j] = nn_rng_normal(&r);
        for (int j = 0; j < a->targets; j++)
            d->t[i * a->targets + j] = 2.0f * x[j % a->in]
                                       - x[0] * x[a->in - 1]
                                       + 0.3f * nn_rng_normal(&r);
    }
    return d;
}

/* Class c's centre plus noise, so that training has something to learn. */
static nn_data *make_data(const struct arch *a, uint64_t seed)
{
    if (a->targets)
        return make_regression(a, seed);
    nn_data *d = nn_data_new("cross", ROWS, a->in, a->k, NULL);
    if (!d)
        return NULL;
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < ROWS; i++) {
        d->y[i] = (int)nn_rng_below(&r, (uint32_t)a->k);
        for (int j = 0; j < a->in; j++)
            d->x[i * a->in + j] = (j % a->k == d->y[i] ? 1.5f : -0.5f) +
                                  nn_rng_normal(&r);
    }
    return d;
}

struct record {
    float loss[STEPS];
    int steps;
};

static int record_step(void *ctx, const nn_progress *p)
{
    struct record *r = ctx;
    r->loss[r->steps++] = p->batch_loss;
    return r->steps == STEPS;
}

static int fail(const char *what, const char *msg)
{
    fprintf(stderr, "torch_helper: %s: %s\n", what, msg);
    return 1;
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fopen(path, "w");
}

static int one_run(const char *top, const struct run *run)
{
    const struct arch *a = &archs[run->arch];
    char dir[400], path[512];
    snprintf(dir, sizeof dir, "%s/%s", top, run->name);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return fail(dir, strerror(errno));
    nn_err e;
    nn_data *d = make_data(a, 100 + (uint64_t)run->arch);
    nn_model *m = a->side ? nn_model_new_image(1, a->side, a->side, a->layers,
                                               a->n_layers, 7, &e)
                          : nn_model_new(a->in, a->layers, a->n_layers, 7, &e);
    if (!d || !m)
        return fail(run->name, m ? "no data" : e.msg);
    snprintf(path, sizeof path, "%s/init.safetensors", dir);
    if (nn_safetensors_save(m, path, &e))
        return fail(path, e.msg);

    nn_train_opts o = nn_train_defaults();
    o.epochs = (STEPS + ROWS / BATCH - 1) / (ROWS / BATCH);
    o.batch = BATCH;
    o.shuffle = 0;
    o.loss = a->loss;
    if (run->delta > 0)
        o.huber_delta = run->delta;
    o.optim = nn_optim_defaults(run->optim);
    o.optim.lr = run->lr;
    o.optim.momentum = run->momentum;
    o.optim.nesterov = run->nesterov;
    o.optim.weight_decay = run->weight_decay;
    o.optim.schedule = run->schedule;
    o.optim.step_size = 1;
    o.optim.gamma = 0.5f;
    struct record rec = {.steps = 0};
    o.progress = record_step;
    o.ctx = &rec;
    if (nn_train(m, d, &o, NULL, &e) < 0)
        return fail(run->name, e.msg);

    FILE *cfg = open_in(dir, "config.txt"), *data = open_in(dir, "data.txt");
    FILE *loss = open_in(dir, "losses.txt"), *pred = open_in(dir, "pred.txt");
    if (!cfg || !data || !loss || !pred)
        return fail(dir, strerror(errno));
    fprintf(cfg, "loss %s\noptim %s\nlr %.9g\nmomentum %.9g\nnesterov %d\n"
            "weight_decay %.9g\nbeta1 %.9g\nbeta2 %.9g\neps %.9g\n"
            "alpha %.9g\nschedule %d\nstep_size %d\ngamma %.9g\n"
            "epochs %d\nbatch %d\nsteps %d\ntargets %d\ndelta %.9g\n",
            nn_loss_name(a->loss), nn_optim_name(run->optim),
            (double)o.optim.lr, (double)o.optim.momentum, o.optim.nesterov,
            (double)o.optim.weight_decay, (double)o.optim.beta1,
            (double)o.optim.beta2, (double)o.optim.eps,
            (double)o.optim.alpha, (int)o.optim.schedule, o.optim.step_size,
            (double)o.optim.gamma, o.epochs, BATCH, STEPS, a->targets,
            (double)o.huber_delta);
    for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < a->in; j++)
            fprintf(data, "%.9g ", (double)d->x[i * a->in + j]);
        for (int j = 0; j < a->targets; j++)
            fprintf(data, "%.9g%s", (double)d->t[i * a->targets + j],
                    j + 1 < a->targets ? " " : "\n");
        if (!a->targets)
            fprintf(data, "%d\n", d->y[i]);
    }
    for (int s = 0; s < rec.steps; s++)
        fprintf(loss, "%.9g\n", (double)rec.loss[s]);
    float out[ROWS * 3];
    if (nn_model_predict(m, d->x, ROWS, out, &e))
        return fail(run->name, e.msg);
    for (int i = 0; i < ROWS * nn_model_out(m); i++)
        fprintf(pred, "%.9g\n", (double)out[i]);
    fclose(cfg);
    fclose(data);
    fclose(loss);
    fclose(pred);
    /* a regression model records its task and target scale, as the
     * kernel's save does */
    nn_st_extra extra = {0};
    if (a->targets) {
        nn_st_extra_add(&extra, "task", "regression");
        nn_st_extra_add(&extra, "targets", a->targets == 1 ? "y" : "y1,y2");
        nn_st_extra_add(&extra, "target_mean", "1.5");
        nn_st_extra_add(&extra, "target_std", "0.25");
    }
    snprintf(path, sizeof path, "%s/final.safetensors", dir);
    if (nn_safetensors_save_extra(m, path, &extra, &e))
        return fail(path, e.msg);
    nn_model_free(m);
    nn_data_free(d);
    return 0;
}

#define TRACE_ROWS 4

struct trace_case {
    const char *name;
    int arch;
    nn_optim_kind optim;
    float lr, momentum;
};

static const struct trace_case traces[] = {
    {"trace_bce_adam", 0, NN_ADAM, 0.01f, 0},
    {"trace_ce_sgd", 1, NN_SGD, 0.1f, 0.9f},
    {"trace_mse_rmsprop", 3, NN_RMSPROP, 0.01f, 0},
};

static void put_row(FILE *f, const char *name, int layer, const float *v,
                    size_t n)
{
    fprintf(f, "%s %d", name, layer);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %.9g", (double)v[i]);
    fprintf(f, "\n");
}

static int one_trace(const char *top, const struct trace_case *c)
{
    const struct arch *a = &archs[c->arch];
    char dir[400], path[512];
    snprintf(dir, sizeof dir, "%s/%s", top, c->name);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return fail(dir, strerror(errno));
    nn_err e;
    nn_data *d = make_data(a, 200 + (uint64_t)c->arch);
    nn_model *m = nn_model_new(a->in, a->layers, a->n_layers, 9, &e);
    if (!d || !m)
        return fail(c->name, m ? "no data" : e.msg);
    snprintf(path, sizeof path, "%s/init.safetensors", dir);
    if (nn_safetensors_save(m, path, &e))
        return fail(path, e.msg);
    nn_optim_spec o = nn_optim_defaults(c->optim);
    o.lr = c->lr;
    o.momentum = c->momentum;
    nn_trace *t = nn_trace_step(m, d->x, d->y, TRACE_ROWS, a->loss, &o, &e);
    if (!t)
        return fail(c->name, e.msg);
    FILE *cfg = open_in(dir, "config.txt"), *data = open_in(dir, "data.txt");
    FILE *tr = open_in(dir, "trace.txt");
    if (!cfg || !data || !tr)
        return fail(dir, strerror(errno));
    fprintf(cfg, "loss %s\noptim %s\nlr %.9g\nmomentum %.9g\nnesterov 0\n"
            "weight_decay 0\nbeta1 %.9g\nbeta2 %.9g\neps %.9g\n"
            "alpha %.9g\n", nn_loss_name(a->loss), nn_optim_name(c->optim),
            (double)o.lr, (double)o.momentum, (double)o.beta1,
            (double)o.beta2, (double)o.eps, (double)o.alpha);
    for (int i = 0; i < TRACE_ROWS; i++) {
        for (int j = 0; j < a->in; j++)
            fprintf(data, "%.9g ", (double)d->x[i * a->in + j]);
        fprintf(data, "%d\n", d->y[i]);
    }
    fprintf(tr, "loss -1 %.9g\n", (double)t->loss_value);
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *l = &t->layers[i];
        size_t len = (size_t)TRACE_ROWS * l->width;
        put_row(tr, "out", i, l->out, len);
        if (l->gout)
            put_row(tr, "gout", i, l->gout, len);
        if (!l->gw)
            continue;
        size_t nw = (size_t)l->width * l->in;
        put_row(tr, "gw", i, l->gw, nw);
        put_row(tr, "gb", i, l->gb, (size_t)l->width);
        put_row(tr, "dw", i, l->dw, nw);
        put_row(tr, "db", i, l->db, (size_t)l->width);
    }
    fclose(cfg);
    fclose(data);
    fclose(tr);
    nn_trace_free(t);
    nn_model_free(m);
    nn_data_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: torch_helper DIR\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        if (one_run(argv[1], &runs[i]))
            return 1;
        printf("%s\n", runs[i].name);
    }
    for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++) {
        if (one_trace(argv[1], &traces[i]))
            return 1;
        printf("%s\n", traces[i].name);
    }
    return 0;
}
