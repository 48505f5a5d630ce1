#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimizers.h"

/* ---- optimizers and schedules ---------------------------------------- */

/* sgd(lr, momentum, nesterov, weight_decay)
 * adam/adamw(lr, betas, eps, weight_decay)
 * rmsprop(lr, alpha, eps, momentum, weight_decay) */
static int read_betas(ev *x, const args *a, int i, nn_optim_spec *o)
{
    value *v = a->v[i];
    if (!v)
        return 0;
    int len, pos = arg_pos(a, i, &len);
    if (v->kind != V_LIST || v->as.list.n != 2
        || v->as.list.items[0]->kind != V_NUM
        || v->as.list.items[1]->kind != V_NUM)
        return lang_err_set(x->e, "TypeError", pos, len,
                            "%s: betas must be a list of two numbers, "
                            "e.g. betas=[0.9, 0.999]", a->fn->name);
    double b1 = v->as.list.items[0]->as.num, b2 = v->as.list.items[1]->as.num;
    if (b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1)
        return lang_err_set(x->e, "ValueError", pos, len,
                            "%s: betas must be in [0, 1)", a->fn->name);
    o->beta1 = (float)b1;
    o->beta2 = (float)b2;
    return 0;
}

static value *run_optim(ev *x, const args *a)
{
    nn_optim_kind kind = nn_optim_kind_from_name(a->fn->name);
    nn_optim_spec o = nn_optim_defaults(kind);
    double lr, wd, m = 0, eps = o.eps, alpha = o.alpha;
    int nesterov = 0;
    if (arg_num(x, a, 0, o.lr, 1e-12, 1e3, &lr) < 0)
        return NULL;
    if (kind == NN_SGD) {
        if (arg_num(x, a, 1, 0, 0, 1, &m) < 0
            || arg_bool(x, a, 2, 0, &nesterov) < 0
            || arg_num(x, a, 3, 0, 0, 1, &wd) < 0)
            return NULL;
        if (nesterov && m <= 0) {
            int len, pos = arg_pos(a, 2, &len);
            lang_err_set(x->e, "ValueError", pos, len,
                         "sgd: nesterov needs momentum > 0, e.g. "
                         "sgd(lr=0.1, momentum=0.9, nesterov=true)");
            return NULL;
        }
    } else if (kind == NN_RMSPROP) {
        if (arg_num(x, a, 1, o.alpha, 0, 1, &alpha) < 0
            || arg_num(x, a, 2, o.eps, 0, 1, &eps) < 0
            || arg_num(x, a, 3, 0, 0, 1, &m) < 0
            || arg_num(x, a, 4, 0, 0, 1, &wd) < 0)
            return NULL;
    } else {
        if (read_betas(x, a, 1, &o) < 0
            || arg_num(x, a, 2, o.eps, 0, 1, &eps) < 0
            || arg_num(x, a, 3, o.weight_decay, 0, 1, &wd) < 0)
            return NULL;
    }
    o.lr = (float)lr;
    o.momentum = (float)m;
    o.nesterov = nesterov;
    o.eps = (float)eps;
    o.alpha = (float)alpha;
    o.weight_decay = (float)wd;
    return builtin_made(x, a, value_optim(&o));
}

static value *run_step(ev *x, const args *a)
{
    sched_value s = { NN_SCHED_STEP, 0, 0.1f, 0, 0 };
    double gamma;
    if (arg_int(x, a, 0, 1, 1, 1 << 30, &s.step_size) < 0
        || arg_num(x, a, 1, 0.1, 0, 1, &gamma) < 0)
        return NULL;
    s.gamma = (float)gamma;
    return builtin_made(x, a, value_sched(&s));
}

static value *run_cosine(ev *x, const args *a)
{
    sched_value s = { NN_SCHED_COSINE, 0, 0, 0, 0 };
    double eta_min;
    if (arg_int(x, a, 0, 0, 0, 1 << 30, &s.t_max) < 0
        || arg_num(x, a, 1, 0, 0, 1e3, &eta_min) < 0)
        return NULL;
    s.eta_min = (float)eta_min;
    return builtin_made(x, a, value_sched(&s));
}


/* ---- the family ---------------------------------------------------- */

static const char *const p_sgd[] = { "lr", "momentum", "nesterov",
                                     "weight_decay", NULL };
static const char *const p_adam[] = { "lr", "betas", "eps", "weight_decay",
                                      NULL };
static const char *const p_rmsprop[] = { "lr", "alpha", "eps", "momentum",
                                         "weight_decay", NULL };
static const char *const p_step[] = { "size", "gamma", NULL };
static const char *const p_cosine[] = { "t_max", "eta_min", NULL };

static const builtin table[] = {
    { "sgd", B_OPTIM, p_sgd, 0, 0, run_optim },
    { "adam", B_OPTIM, p_adam, 0, 0, run_optim },
    { "adamw", B_OPTIM, p_adam, 0, 0, run_optim },
    { "rmsprop", B_OPTIM, p_rmsprop, 0, 0, run_optim },
    { "step", B_SCHED, p_step, 1, 0, run_step },
    { "cosine", B_SCHED, p_cosine, 0, 0, run_cosine },
};

const builtin_family optimizers_family = {
    "optimizers", table, sizeof table / sizeof *table
};
