#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_loss.h"
#include "nn_pool.h"
#include "nn_regress.h"
#include "nn_rng.h"
#include "nn_tensor.h"
#include "nn_train.h"

/* Rows per forward pass when evaluating. */
#define EVAL_ROWS 1024

/* A step's rows are split between the pool's threads (step_parts) from
 * this many multiply-adds of its forward pass on (weights times rows),
 * unless one layer's product reaches STEP_SPLIT_MAX: nn_blas splits such
 * products better, each core packing half of the weights, not all.
 * (bench/nn_bench, interleaved runs: 64-256-128-10 on 128 rows trained at
 * 417-452k samples/s split, 335-385k not; 1024-1024-1024-10 on 256 rows
 * at 10.2-12.7k split, 12.8-13.4k not; 784-256-128-10 on 128 rows the
 * same either way.) */
#define STEP_SPLIT_MIN 65536.0
#define STEP_SPLIT_MAX 8388608.0
/* and in parts of at least this many rows, at most this many parts */
#define STEP_SPLIT_ROWS 8
#define STEP_PARTS_MAX 16

static const char *loss_names[] = {
    [NN_LOSS_AUTO] = "auto", [NN_LOSS_BCE] = "bce",
    [NN_LOSS_CE] = "cross_entropy", [NN_LOSS_MSE] = "mse",
    [NN_LOSS_MAE] = "mae", [NN_LOSS_HUBER] = "huber",
};

const char *nn_loss_name(nn_loss_kind kind)
{
    return (unsigned)kind <= NN_LOSS_HUBER ? loss_names[kind] : "unknown";
}

int nn_loss_kind_from_name(const char *name)
{
    for (int k = 0; k <= NN_LOSS_HUBER; k++)
        if (strcmp(name, loss_names[k]) == 0)
            return k;
    return -1;
}

/* How a loss applies to a model: the resolved kind, and whether the
 * model's final sigmoid/softmax is fused into it (the logits are then the
 * output of the layer below, where the backward pass starts). */
struct task {
    nn_loss_kind loss;
    int k;       /* model outputs */
    int fused;
    int top;     /* layer whose output the loss gradient is for */
    int regress; /* the data has real targets */
    float delta; /* huber's threshold */
};

static struct task task_for(const nn_model *m, nn_loss_kind loss,
                            int regress)
{
    struct task t = {.loss = loss, .k = nn_model_out(m), .delta = 1.0f};
    int last = nn_model_n_layers(m) - 1;
    nn_layer_kind end = nn_model_layer(m, last)->kind;
    t.regress = regress;
    if (t.regress && t.loss == NN_LOSS_AUTO)
        t.loss = NN_LOSS_MSE;
    if (t.loss == NN_LOSS_AUTO)
        t.loss = t.k == 1 ? NN_LOSS_BCE : NN_LOSS_CE;
    t.fused = (t.loss == NN_LOSS_BCE && end == NN_SIGMOID)
              || (t.loss == NN_LOSS_CE && end == NN_SOFTMAX);
    t.top = t.fused ? last - 1 : last;
    return t;
}

static struct task task_of(const nn_model *m, nn_loss_kind loss,
                           const nn_data *data)
{
    return task_for(m, loss, data->task == NN_TASK_REGRESS);
}

/* The values the loss reads after a forward pass on x: logits for fused
 * cross-entropies, the model output otherwise; x and out point at row
 * `first` of the batch. */
static const float *loss_input(const nn_model *m, const struct task *t,
                               const float *x, const float *out, int first)
{
    if (!t->fused)
        return out;
    if (t->top < 0)
        return x;
    return nn_model_layer_output(m, t->top) + (size_t)first * t->k;
}

static const char *data_name(const nn_data *d)
{
    return d->name ? d->name : "the data";
}

int nn_train_check(const nn_model *m, const nn_data *data, nn_loss_kind loss,
                   nn_err *e)
{
    if ((unsigned)loss > NN_LOSS_HUBER)
        return nn_err_set(e, "unknown loss kind %d", (int)loss);
    if (!data || data->n < 1)
        return nn_err_set(e, "'%s' is empty: there is nothing to train or "
                          "evaluate on", data ? data_name(data) : "data");
    const char *name = data_name(data);
    if (nn_model_in(m) != data->d)
        return nn_err_set(e, "net takes %d inputs, but '%s' has %d "
                          "features: build it on data with %d features",
                          nn_model_in(m), name, data->d, nn_model_in(m));
    struct task t = task_of(m, loss, data);
    int k = data->n_classes, out = t.k;
    const char *end = nn_layer_name(
        nn_model_layer(m, nn_model_n_layers(m) - 1)->kind);
    if (t.regress || t.loss > NN_LOSS_MSE) {
        if (nn_regress_check(m, data, nn_loss_name(t.loss), end, e) < 0)
            return -1;
    } else if (t.loss == NN_LOSS_BCE) {
        if (out != 1)
            return nn_err_set(e, "binary cross-entropy needs 1 output, but "
                              "the net ends in %d outputs with %s: end it "
                              "with linear(1) -> sigmoid, or use "
                              "cross_entropy", out, end);
        if (k > 2)
            return nn_err_set(e, "net ends in 1 output with %s, but '%s' "
                              "has %d classes: end it with linear(%d) -> "
                              "softmax", end, name, k, k);
        if (strcmp(end, "softmax") == 0)
            return nn_err_set(e, "softmax over 1 output is always 1: end "
                              "the net with linear(1) -> sigmoid");
    } else if (t.loss == NN_LOSS_CE) {
        if (out != k)
            return nn_err_set(e, "net ends in %d output%s with %s, but '%s' "
                              "has %d classes: end it with linear(%d) -> "
                              "softmax", out, out == 1 ? "" : "s", end, name,
                              k, k);
        if (strcmp(end, "sigmoid") == 0)
            return nn_err_set(e, "cross-entropy over %d outputs needs "
                              "softmax (or no activation) at the end, not "
                              "sigmoid: end it with linear(%d) -> softmax",
                              out, out);
    } else if (out != 1 ? out != k : k > 2) {
        return nn_err_set(e, "net ends in %d output%s, but '%s' has %d "
                          "classes: for mse end it with linear(%d)", out,
                          out == 1 ? "" : "s", name, k, k);
    }
    return nn_data_validate(data, e);
}

int nn_predict_class(const float *out, int k)
{
    if (k == 1)
        return out[0] >= 0.5f;
    int best = 0;
    for (int j = 1; j < k; j++)
        if (out[j] > out[best])
            best = j;
    return best;
}

/* Mean loss of n rows given what the loss reads (`in`, see loss_input);
 * writes the gradient when grad is not NULL. */
static float batch_loss(const struct task *t, const float *in, const int *y,
                        const float *tg, int n, float *grad)
{
    if (t->regress)
        return t->loss == NN_LOSS_MAE ? nn_loss_mae(in, tg, n, t->k, grad)
               : t->loss == NN_LOSS_HUBER
                   ? nn_loss_huber(in, tg, n, t->k, t->delta, grad)
                   : nn_loss_mse_t(in, tg, n, t->k, grad);
    switch (t->loss) {
    case NN_LOSS_BCE:
        return nn_loss_bce_logits(in, y, n, grad);
    case NN_LOSS_CE:
        return nn_loss_ce_logits(in, y, n, t->k, grad);
    default:
        return nn_loss_mse(in, y, n, t->k, grad);
    }
}

float nn_train_batch_loss(const nn_model *m, nn_loss_kind loss,
                          const float *x, const int *y, int n, float *grad,
                          int *top)
{
    assert(m && y && grad && top && n >= 1);
    struct task t = task_for(m, loss, 0);
    const float *out = nn_model_layer_output(m, nn_model_n_layers(m) - 1);
    *top = t.top;
    return batch_loss(&t, loss_input(m, &t, x, out, 0), y, NULL, n, grad);
}

/* Rows whose predicted class is their label. Logits of a cross-entropy
 * predict class 1 (one output) from z >= 0, the same as sigmoid >= 0.5.
 * For real targets tg: the sum of squared errors. */
static double count_correct(const struct task *t, const float *in,
                            const int *y, const float *tg, int n)
{
    if (t->regress)
        return nn_regress_sse(in, tg, n, t->k);
    int right = 0;
    for (int i = 0; i < n; i++) {
        const float *row = in + (size_t)i * t->k;
        int c = t->loss != NN_LOSS_MSE && t->k == 1
                    ? row[0] >= 0.0f
                    : nn_predict_class(row, t->k);
        right += c == y[i];
    }
    return right;
}

/* Accuracy from the rows right, or R^2 from the squared error. */
static float epoch_score(const struct task *t, const nn_data *data,
                         double right)
{
    if (t->regress)
        return (float)(1.0 - right / nn_regress_sst(data));
    return (float)(right / data->n);
}

/* Loss and accuracy of the model on data, probabilities to prob when not
 * NULL. Leaves the model in eval mode. Model and data are already
 * checked. */
static int evaluate(nn_model *m, const struct task *t, const nn_data *data,
                    float *loss_out, float *acc_out, float *prob, nn_err *e)
{
    double sum = 0.0, right = 0.0;
    nn_layer_spec to_prob = {.kind = t->k == 1 ? NN_SIGMOID : NN_SOFTMAX};
    nn_model_set_training(m, 0);
    for (int r = 0; r < data->n; r += EVAL_ROWS) {
        int rows = data->n - r < EVAL_ROWS ? data->n - r : EVAL_ROWS;
        const float *x = data->x + (size_t)r * data->d;
        const float *out = nn_model_forward(m, x, rows, e);
        if (!out)
            return -1;
        const float *in = loss_input(m, t, x, out, 0);
        const float *tg = t->regress ? data->t + (size_t)r * t->k : NULL;
        sum += (double)batch_loss(t, in, data->y + r, tg, rows, NULL) * rows;
        right += count_correct(t, in, data->y + r, tg, rows);
        if (prob) {
            float *p = prob + (size_t)r * t->k;
            if (!t->fused && t->loss < NN_LOSS_MSE && !t->regress)
                nn_layer_activate(&to_prob, out, p, rows, t->k);
            else
                memcpy(p, out, (size_t)rows * t->k * sizeof *p);
        }
    }
    if (loss_out)
        *loss_out = (float)(sum / data->n);
    if (acc_out)
        *acc_out = epoch_score(t, data, right);
    return 0;
}

int nn_evaluate(nn_model *m, const nn_data *data, nn_loss_kind loss,
                float *loss_out, float *acc_out, float *prob, nn_err *e)
{
    if (nn_train_check(m, data, loss, e))
        return -1;
    struct task t = task_of(m, loss, data);
    return evaluate(m, &t, data, loss_out, acc_out, prob, e);
}

nn_train_opts nn_train_defaults(void)
{
    return (nn_train_opts){
        .epochs = 100, .batch = 32, .seed = 0, .shuffle = 1,
        .loss = NN_LOSS_AUTO, .optim = nn_optim_defaults(NN_ADAM),
        .huber_delta = 1.0f,
    };
}

void nn_history_free(nn_history *h)
{
    if (!h)
        return;
    free(h->train_loss);
    free(h->train_acc);
    free(h->val_loss);
    free(h->val_acc);
    memset(h, 0, sizeof *h);
}

/* Everything one training run allocates, freed together. */
struct run {
    int *idx;          /* order of the rows */
    float *xb;         /* batch features */
    int *yb;           /* batch labels */
    float *tb;         /* batch targets (regression) */
    float *grad;       /* loss gradient, batch x width(top) */
    float *best;       /* best parameters (restore_best) */
    float *start;      /* parameters before the run: restored on error */
    int parts;         /* a step's rows are split into this many parts */
    float **grads;     /* their weight gradients: [0] the model's own */
    nn_optim *optim;
    nn_history h;
    int cap;           /* epochs the history has room for */
};

static void run_free(struct run *r)
{
    free(r->idx);
    free(r->xb);
    free(r->yb);
    free(r->tb);
    free(r->grad);
    free(r->best);
    free(r->start);
    for (int j = 1; r->grads && j < r->parts; j++)
        free(r->grads[j]);
    free(r->grads);
    nn_optim_free(r->optim);
    nn_history_free(&r->h);
}

/* Makes room in h for `cap` epochs (*have already there). The history
 * grows as epochs complete, so a run of a billion epochs does not ask for
 * gigabytes up front. Returns 0, or -1 when memory runs out (h unchanged
 * but for arrays already grown). */
static int history_room(nn_history *h, int *have, int cap)
{
    float **a[] = { &h->train_loss, &h->train_acc, &h->val_loss, &h->val_acc };
    for (int i = 0; i < 4; i++) {
        float *p = realloc(*a[i], (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        *a[i] = p;
    }
    *have = cap;
    return 0;
}

/* How many parts a training step on `batch` rows is split into: one per
 * core of the pool when the model's rows are independent and the step
 * has at least STEP_SPLIT_MIN multiply-adds (and no layer's product
 * STEP_SPLIT_MAX), each part of at least STEP_SPLIT_ROWS rows; otherwise
 * 1. The parts depend only on the model, the batch and the thread count,
 * and so do the results. */
static int step_parts(nn_model *m, int batch)
{
    int parts = nn_pool_parts();
    if (parts < 2 || !nn_model_rows_independent(m))
        return 1;
    double macs = 0.0, widest = 0.0;
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        double p = (double)nn_model_layer_params(m, i);
        macs += p;
        widest = p > widest ? p : widest;
    }
    if (macs * batch < STEP_SPLIT_MIN || widest * batch >= STEP_SPLIT_MAX)
        return 1;
    if (parts > batch / STEP_SPLIT_ROWS)
        parts = batch / STEP_SPLIT_ROWS;
    if (parts > STEP_PARTS_MAX)
        parts = STEP_PARTS_MAX;
    return parts < 2 ? 1 : parts;
}

/* Decides the parts of a step and gives each part after the first a
 * gradient buffer of its own. */
static int step_grads(struct run *r, nn_model *m, int batch, nn_err *e)
{
    size_t n_params = nn_model_n_params(m);
    r->parts = step_parts(m, batch);
    r->grads = calloc((size_t)r->parts, sizeof *r->grads);
    if (!r->grads)
        return nn_err_oom(e, "the training buffers",
                          (size_t)r->parts * sizeof *r->grads);
    r->grads[0] = nn_model_grads(m);
    for (int j = 1; j < r->parts; j++) {
        r->grads[j] = nn_tensor_alloc(n_params ? n_params : 1);
        if (!r->grads[j]) {
            r->parts = j;
            return nn_err_oom(e, "the gradients of a split batch",
                              n_params * sizeof(float));
        }
    }
    return 0;
}

static int run_alloc(struct run *r, nn_model *m, const nn_data *data,
                     const nn_train_opts *o, int batch, nn_err *e)
{
    int epochs = o->epochs;
    size_t width = (size_t)nn_model_out(m);
    size_t n_params = nn_model_n_params(m);
    size_t bytes = (size_t)data->n * sizeof(int) +
                   (size_t)batch * ((size_t)data->d + width + 1) * 4;
    r->idx = malloc((size_t)data->n * sizeof *r->idx);
    r->xb = malloc((size_t)batch * data->d * sizeof *r->xb);
    r->yb = malloc((size_t)batch * sizeof *r->yb);
    r->grad = malloc((size_t)batch * width * sizeof *r->grad);
    r->tb = malloc((size_t)batch * width * sizeof *r->tb);
    r->start = malloc((n_params ? n_params : 1) * sizeof *r->start);
    bytes += n_params * sizeof *r->start;
    if (o->patience > 0 && o->restore_best) {
        r->best = malloc((n_params ? n_params : 1) * sizeof *r->best);
        bytes += n_params * sizeof *r->best;
    }
    if (!r->idx || !r->xb || !r->yb || !r->grad || !r->tb || !r->start
        || history_room(&r->h, &r->cap, epochs < 1024 ? epochs : 1024) < 0
        || (o->patience > 0 && o->restore_best && !r->best))
        return nn_err_oom(e, "the training buffers", bytes);
    memcpy(r->start, nn_model_params(m), n_params * sizeof *r->start);
    if (step_grads(r, m, batch, e))
        return -1;
    r->optim = nn_optim_new(&o->optim, n_params, e);
    return r->optim ? 0 : -1;
}

static int check_opts(const nn_train_opts *o, nn_err *e)
{
    if (o->epochs < 1)
        return nn_err_set(e, "epochs must be at least 1, got %d", o->epochs);
    if (o->batch < 1)
        return nn_err_set(e, "batch must be at least 1, got %d", o->batch);
    if (o->patience < 0)
        return nn_err_set(e, "patience must be >= 0, got %d", o->patience);
    if (!(o->min_delta >= 0.0f))
        return nn_err_set(e, "min_delta must be >= 0, got %g",
                          (double)o->min_delta);
    if (o->loss == NN_LOSS_HUBER
        && !(o->huber_delta > 0.0f && isfinite(o->huber_delta)))
        return nn_err_set(e, "huber's delta must be above 0, got %g",
                          (double)o->huber_delta);
    return 0;
}

/* Where early stopping stands: the best monitored loss so far and the
 * epochs since it improved. */
struct watch {
    float best;
    int wait;
};

/* Records the finished epoch in the history and early-stopping watch.
 * Returns 1 when patience has run out, -1 when the history cannot grow. */
static int end_epoch(struct run *r, nn_model *m, const nn_train_opts *o,
                     struct watch *w, const nn_progress *p, nn_err *e)
{
    nn_history *h = &r->h;
    if (h->epochs == r->cap) {
        int cap = r->cap <= o->epochs / 2 ? 2 * r->cap : o->epochs;
        if (history_room(h, &r->cap, cap) < 0)
            return nn_err_oom(e, "the training history",
                              (size_t)cap * 4 * sizeof(float));
    }
    int ep = h->epochs++;
    h->train_loss[ep] = p->train_loss;
    h->train_acc[ep] = p->train_acc;
    h->val_loss[ep] = p->val_loss;
    h->val_acc[ep] = p->val_acc;
    float monitored = o->val ? p->val_loss : p->train_loss;
    if (ep == 0 || monitored < w->best - o->min_delta) {
        w->best = monitored;
        w->wait = 0;
        h->best_epoch = ep;
        if (r->best)
            memcpy(r->best, nn_model_params(m),
                   nn_model_n_params(m) * sizeof *r->best);
        return 0;
    }
    return o->patience > 0 && ++w->wait >= o->patience;
}

/* The error for a loss that is not finite. */
static int diverged(float loss, const nn_progress *p, nn_err *e)
{
    return nn_err_set(e, "the loss became %s at step %d of epoch %d: "
                      "training diverged; lower the learning rate (the "
                      "net keeps the weights it had before this fit)",
                      isnan(loss) ? "NaN" : loss > 0 ? "inf" : "-inf",
                      p->step, p->epoch + 1);
}

/* A step's rows in parts (one or more), each run by one of the pool's
 * threads: its rows' forward pass, loss and backward pass into a gradient
 * buffer of its own. */
struct split {
    struct run *r;
    nn_model *m;
    const nn_data *data;
    const struct task *t;
    const int *idx;
    int rows, parts;
    float loss[STEP_PARTS_MAX];     /* mean over each part's rows */
    double right[STEP_PARTS_MAX];
};

/* Part j's rows: [rows j / parts, rows (j + 1) / parts). */
static int part_first(int rows, int parts, int j)
{
    return (int)((long long)rows * j / parts);
}

static void split_part(void *ctx, size_t begin, size_t end)
{
    struct split *s = ctx;
    struct run *r = s->r;
    const nn_data *data = s->data;
    const struct task *t = s->t;
    int d = data->d, k = t->k;
    for (int j = (int)begin; j < (int)end; j++) {
        int first = part_first(s->rows, s->parts, j);
        int n = part_first(s->rows, s->parts, j + 1) - first;
        const int *idx = s->idx + first;
        float *xb = r->xb + (size_t)first * d;
        float *tb = t->regress ? r->tb + (size_t)first * k : NULL;
        nn_tensor_gather(data->x, idx, n, d, xb);
        for (int i = 0; i < n; i++)
            r->yb[first + i] = data->y[idx[i]];
        if (tb)
            nn_tensor_gather(data->t, idx, n, k, tb);
        const float *out = nn_model_forward_rows(s->m, xb, first, n);
        const float *in = loss_input(s->m, t, xb, out, first);
        float *grad = r->grad + (size_t)first * k;
        s->loss[j] = batch_loss(t, in, r->yb + first, tb, n, grad);
        s->right[j] = count_correct(t, in, r->yb + first, tb, n);
        if (!isfinite(s->loss[j]))
            continue;
        /* the part's mean loss, weighed as its share of the batch */
        float share = (float)n / (float)s->rows;
        for (size_t i = 0; n < s->rows && i < (size_t)n * k; i++)
            grad[i] *= share;
        nn_model_backward_rows(s->m, xb, grad, first, n, t->top,
                               r->grads[j]);
    }
}

/* One optimizer step on the rows idx[0..rows): the batch loss goes to
 * *loss and the rows predicted right are added to *right. The rows are
 * split into r->parts parts (one when there are fewer rows), run on the
 * pool's threads. A loss that is not finite is reported before it can
 * reach the parameters. */
static int train_step(struct run *r, nn_model *m, const nn_data *data,
                      const struct task *t, const nn_progress *p,
                      const int *idx, int rows, float *loss, double *right,
                      nn_err *e)
{
    if (nn_model_reserve(m, rows, e))
        return -1;
    struct split s = { .r = r, .m = m, .data = data, .t = t, .idx = idx,
                       .rows = rows,
                       .parts = rows >= r->parts ? r->parts : 1 };
    if (s.parts > 1)
        nn_pool_split(split_part, &s, (size_t)s.parts, 1);
    else
        split_part(&s, 0, 1);
    double sum = 0.0;
    for (int j = 0; j < s.parts; j++) {
        int n = part_first(rows, s.parts, j + 1)
                - part_first(rows, s.parts, j);
        if (!isfinite(s.loss[j]))
            return diverged(s.loss[j], p, e);
        sum += (double)s.loss[j] * n;
        *right += s.right[j];
    }
    *loss = (float)(sum / rows);
    if (!isfinite(*loss))
        return diverged(*loss, p, e);
    nn_optim_step_parts(r->optim, nn_model_params(m), r->grads, s.parts);
    return 0;
}

/* Runs the epochs; returns 0 (done or early-stopped), 1 (stopped by the
 * callback) or -1. */
static int run_epochs(struct run *r, nn_model *m, const nn_data *data,
                      const nn_train_opts *o, int batch, nn_err *e)
{
    struct task t = task_of(m, o->loss, data);
    t.delta = o->huber_delta;
    struct watch w = {0};
    nn_rng rng;
    nn_rng_seed(&rng, o->seed);
    nn_model_seed_dropout(m, nn_rng_next(&rng));
    for (int i = 0; i < data->n; i++)
        r->idx[i] = i;
    nn_progress p = {.epochs = o->epochs};
    p.steps = (data->n + batch - 1) / batch;
    for (p.epoch = 0; p.epoch < o->epochs; p.epoch++) {
        double sum = 0.0, right = 0.0;
        p.lr = nn_optim_set_epoch(r->optim, p.epoch, o->epochs);
        if (o->shuffle)
            nn_rng_shuffle(&rng, r->idx, data->n);
        nn_model_set_training(m, 1);
        for (p.step = 1; p.step <= p.steps; p.step++) {
            int first = (p.step - 1) * batch;
            int rows = data->n - first < batch ? data->n - first : batch;
            if (train_step(r, m, data, &t, &p, r->idx + first, rows,
                           &p.batch_loss, &right, e))
                return -1;
            sum += (double)p.batch_loss * rows;
            p.epoch_done = p.step == p.steps;
            int patience_out = 0;
            if (p.epoch_done) {
                p.train_loss = (float)(sum / data->n);
                p.train_acc = epoch_score(&t, data, right);
                p.val_loss = p.val_acc = NAN;
                if (o->val && evaluate(m, &t, o->val, &p.val_loss, &p.val_acc,
                                       NULL, e))
                    return -1;
                patience_out = end_epoch(r, m, o, &w, &p, e);
                if (patience_out < 0)
                    return -1;
            }
            if (o->progress && o->progress(o->ctx, &p)) {
                r->h.stopped = 1;
                return 1;
            }
            if (patience_out) {
                r->h.early_stopped = 1;
                return 0;
            }
        }
    }
    return 0;
}

int nn_train(nn_model *m, const nn_data *data, const nn_train_opts *o,
             nn_history *h, nn_err *e)
{
    if (h)
        memset(h, 0, sizeof *h);
    if (check_opts(o, e) || nn_train_check(m, data, o->loss, e))
        return -1;
    if (o->val && nn_train_check(m, o->val, o->loss, e))
        return -1;
    int batch = o->batch < data->n ? o->batch : data->n;
    struct run r = {0};
    int rc = run_alloc(&r, m, data, o, batch, e);
    if (rc == 0) {
        rc = run_epochs(&r, m, data, o, batch, e);
        /* Weights that made the loss overflow are of no use, and may
         * already be inf or NaN: the model goes back to where it was. */
        if (rc < 0)
            memcpy(nn_model_params(m), r.start,
                   nn_model_n_params(m) * sizeof *r.start);
    }
    nn_model_set_training(m, 0);
    if (rc == 0 && r.best && r.h.epochs > 0)
        memcpy(nn_model_params(m), r.best,
               nn_model_n_params(m) * sizeof *r.best);
    if (rc >= 0 && h) {
        *h = r.h;
        memset(&r.h, 0, sizeof r.h);
    }
    run_free(&r);
    return rc;
}
