#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_optim.h"
#include "nn_pool.h"
#include "nn_tensor.h"

struct nn_optim {
    nn_optim_spec spec;
    size_t n;
    float lr;        /* current, after the schedule */
    long step;       /* updates done */
    float *m;        /* SGD/RMSprop momentum buffer, Adam first moment */
    float *v;        /* Adam second moment, RMSprop square average */
    /* The step in progress, for the parts run in parallel. */
    float *p;
    const float *g;
    float *const *parts;           /* gradient parts summed into parts[0] */
    int n_parts;
    float step_size, bc2, decay;   /* Adam/AdamW */
};

/* With the gradient in parts, the pool's threads have just run them and
 * are awake: from this many parameters on, the update is split between
 * them too. */
#define NN_OPTIM_SPLIT_MIN 4096

static const char *names[NN_OPTIM_KINDS] = {
    [NN_SGD] = "sgd", [NN_ADAM] = "adam", [NN_ADAMW] = "adamw",
    [NN_RMSPROP] = "rmsprop",
};

const char *nn_optim_name(nn_optim_kind kind)
{
    return (unsigned)kind < NN_OPTIM_KINDS ? names[kind] : "unknown";
}

int nn_optim_kind_from_name(const char *name)
{
    for (int k = 0; k < NN_OPTIM_KINDS; k++)
        if (strcmp(name, names[k]) == 0)
            return k;
    return -1;
}

nn_optim_spec nn_optim_defaults(nn_optim_kind kind)
{
    nn_optim_spec s = {
        .kind = kind, .lr = 0.001f, .beta1 = 0.9f, .beta2 = 0.999f,
        .eps = 1e-8f, .alpha = 0.99f, .schedule = NN_SCHED_NONE,
        .step_size = 10, .gamma = 0.1f,
    };
    if (kind == NN_SGD || kind == NN_RMSPROP)
        s.lr = 0.01f;
    if (kind == NN_ADAMW)
        s.weight_decay = 0.01f;
    return s;
}

static int check(const nn_optim_spec *s, nn_err *e)
{
    if ((unsigned)s->kind >= NN_OPTIM_KINDS)
        return nn_err_set(e, "unknown optimizer kind %d", (int)s->kind);
    const char *name = names[s->kind];
    if (!(s->lr > 0.0f) || !isfinite(s->lr))
        return nn_err_set(e, "%s: lr must be a positive number, got %g",
                          name, (double)s->lr);
    if (!(s->weight_decay >= 0.0f) || !isfinite(s->weight_decay))
        return nn_err_set(e, "%s: weight_decay must be >= 0, got %g", name,
                          (double)s->weight_decay);
    if (s->kind == NN_SGD || s->kind == NN_RMSPROP) {
        if (!(s->momentum >= 0.0f) || !isfinite(s->momentum))
            return nn_err_set(e, "%s: momentum must be >= 0, got %g", name,
                              (double)s->momentum);
    }
    if (s->kind == NN_SGD && s->nesterov && s->momentum == 0.0f)
        return nn_err_set(e, "sgd: nesterov needs a momentum > 0 "
                          "(e.g. momentum=0.9)");
    if (s->kind == NN_ADAM || s->kind == NN_ADAMW) {
        if (!(s->beta1 >= 0.0f && s->beta1 < 1.0f))
            return nn_err_set(e, "%s: beta1 must be in [0, 1), got %g", name,
                              (double)s->beta1);
        if (!(s->beta2 >= 0.0f && s->beta2 < 1.0f))
            return nn_err_set(e, "%s: beta2 must be in [0, 1), got %g", name,
                              (double)s->beta2);
    }
    if (s->kind != NN_SGD && !(s->eps >= 0.0f))
        return nn_err_set(e, "%s: eps must be >= 0, got %g", name,
                          (double)s->eps);
    if (s->kind == NN_RMSPROP && !(s->alpha >= 0.0f && s->alpha <= 1.0f))
        return nn_err_set(e, "rmsprop: alpha must be in [0, 1], got %g",
                          (double)s->alpha);
    if (s->schedule == NN_SCHED_STEP
        && (s->step_size < 1 || !(s->gamma >= 0.0f)))
        return nn_err_set(e, "step schedule: step_size must be >= 1 and "
                          "gamma >= 0, got %d and %g", s->step_size,
                          (double)s->gamma);
    if (s->schedule == NN_SCHED_COSINE
        && (s->t_max < 0 || !(s->eta_min >= 0.0f)))
        return nn_err_set(e, "cosine schedule: t_max and eta_min must be "
                          ">= 0, got %d and %g", s->t_max,
                          (double)s->eta_min);
    if ((unsigned)s->schedule > NN_SCHED_COSINE)
        return nn_err_set(e, "unknown schedule kind %d", (int)s->schedule);
    return 0;
}

nn_optim *nn_optim_new(const nn_optim_spec *spec, size_t n, nn_err *e)
{
    if (check(spec, e))
        return NULL;
    nn_optim *o = calloc(1, sizeof *o);
    if (o) {
        o->m = nn_tensor_alloc(n);
        o->v = nn_tensor_alloc(n);
    }
    if (!o || !o->m || !o->v) {
        nn_optim_free(o);
        nn_err_oom(e, "the optimizer state", 2 * n * sizeof(float));
        return NULL;
    }
    memset(o->m, 0, n * sizeof(float));
    memset(o->v, 0, n * sizeof(float));
    o->spec = *spec;
    o->n = n;
    o->lr = spec->lr;
    return o;
}

void nn_optim_free(nn_optim *o)
{
    if (!o)
        return;
    free(o->m);
    free(o->v);
    free(o);
}

/* torch.optim.SGD: d = g + wd p; buf = d on the first step, then
 * momentum buf + d; d = d + momentum buf (nesterov) or buf; p -= lr d. */
NN_VECTORIZE static void sgd(nn_optim *o, size_t begin, size_t end)
{
    float lr = o->lr, wd = o->spec.weight_decay, mu = o->spec.momentum;
    float *restrict p = o->p, *restrict buf = o->m;
    const float *restrict g = o->g;
    int first = o->step == 0, nesterov = o->spec.nesterov;
    for (size_t i = begin; i < end; i++) {
        float d = g[i] + wd * p[i];
        if (mu != 0.0f) {
            buf[i] = first ? d : mu * buf[i] + d;
            d = nesterov ? d + mu * buf[i] : buf[i];
        }
        p[i] -= lr * d;
    }
}

/* torch.optim.Adam / AdamW: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps), the division by
 * sqrt(1-b2^t) as a product by its inverse (one rounding apart from
 * torch, one division less per weight). Adam adds wd p to g,
 * AdamW first scales p by 1 - lr wd. */
NN_VECTORIZE static void adam(nn_optim *o, size_t begin, size_t end)
{
    const nn_optim_spec *s = &o->spec;
    float b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    float c1 = (float)(1.0 - (double)b1), c2 = (float)(1.0 - (double)b2);
    float step = o->step_size, inv_bc2 = 1.0f / o->bc2, decay = o->decay;
    float wd = s->kind == NN_ADAM ? s->weight_decay : 0.0f;
    float *restrict p = o->p, *restrict m = o->m, *restrict v = o->v;
    const float *restrict g = o->g;
    for (size_t i = begin; i < end; i++) {
        float pi = p[i] * decay;
        float d = g[i] + wd * pi;
        m[i] = m[i] * b1 + d * c1;
        v[i] = v[i] * b2 + d * d * c2;
        p[i] = pi - step * (m[i] / (sqrtf(v[i]) * inv_bc2 + eps));
    }
}

/* torch.optim.RMSprop: v = a v + (1-a) g^2; d = g / (sqrt(v) + eps);
 * with momentum buf = momentum buf + d, p -= lr buf; else p -= lr d. */
NN_VECTORIZE static void rmsprop(nn_optim *o, size_t begin, size_t end)
{
    const nn_optim_spec *s = &o->spec;
    float lr = o->lr, wd = s->weight_decay, mu = s->momentum, eps = s->eps;
    float a = s->alpha, c = (float)(1.0 - (double)s->alpha);
    float *restrict p = o->p, *restrict buf = o->m, *restrict v = o->v;
    const float *restrict g = o->g;
    for (size_t i = begin; i < end; i++) {
        float d = g[i] + wd * p[i];
        v[i] = v[i] * a + d * d * c;
        d = d / (sqrtf(v[i]) + eps);
        if (mu != 0.0f) {
            buf[i] = buf[i] * mu + d;
            d = buf[i];
        }
        p[i] -= lr * d;
    }
}

/* Sums the gradient parts of [begin, end) into the first, element by
 * element in part order. */
NN_VECTORIZE static void sum_parts(nn_optim *o, size_t begin, size_t end)
{
    float *restrict g = o->parts[0];
    for (int j = 1; j < o->n_parts; j++) {
        const float *restrict h = o->parts[j];
        for (size_t i = begin; i < end; i++)
            g[i] += h[i];
    }
}

static void update(void *ctx, size_t begin, size_t end)
{
    nn_optim *o = ctx;
    if (o->n_parts > 1)
        sum_parts(o, begin, end);
    switch (o->spec.kind) {
    case NN_SGD:
        sgd(o, begin, end);
        break;
    case NN_ADAM:
    case NN_ADAMW:
        adam(o, begin, end);
        break;
    default:
        rmsprop(o, begin, end);
        break;
    }
}

/* The step's constants, from the step count and the current lr. */
static void begin_step(nn_optim *o, float *params, const float *grads)
{
    const nn_optim_spec *s = &o->spec;
    double t = (double)o->step + 1;
    o->p = params;
    o->g = grads;
    o->step_size = (float)(o->lr / (1.0 - pow(s->beta1, t)));
    o->bc2 = (float)sqrt(1.0 - pow(s->beta2, t));
    o->decay = s->kind == NN_ADAMW
                   ? (float)(1.0 - (double)o->lr * s->weight_decay)
                   : 1.0f;
}

void nn_optim_step(nn_optim *o, float *params, const float *grads)
{
    assert(o && params && grads);
    begin_step(o, params, grads);
    o->n_parts = 1;
    nn_pool_run(update, o, o->n);
    o->step++;
}

void nn_optim_step_parts(nn_optim *o, float *params, float *const *grads,
                         int parts)
{
    assert(o && params && grads && parts >= 1);
    begin_step(o, params, grads[0]);
    o->parts = grads;
    o->n_parts = parts;
    if (parts > 1 && o->n >= NN_OPTIM_SPLIT_MIN)
        nn_pool_split(update, o, o->n, 64);
    else
        nn_pool_run(update, o, o->n);
    o->step++;
}

float nn_optim_set_epoch(nn_optim *o, int epoch, int epochs)
{
    const nn_optim_spec *s = &o->spec;
    double lr = s->lr;
    if (s->schedule == NN_SCHED_STEP) {
        lr *= pow(s->gamma, epoch / s->step_size);
    } else if (s->schedule == NN_SCHED_COSINE) {
        int t_max = s->t_max > 0 ? s->t_max : epochs;
        lr = s->eta_min + (lr - s->eta_min) *
                              (1.0 + cos(M_PI * epoch / t_max)) / 2.0;
    }
    o->lr = (float)lr;
    return o->lr;
}
