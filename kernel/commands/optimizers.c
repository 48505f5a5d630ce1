#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimizers.h"

/* ---- optimizers and schedules ---------------------------------------- */

/* Reads adam's betas (left out: the engine's defaults, which the
 * descriptor writes as [0.9, 0.999]). */
static int read_betas(lang_run *run, const args *a, nn_optim_spec *o)
{
    value *v = arg_get(a, "betas");
    if (!v)
        return 0;
    int len, pos = arg_pos(a, "betas", &len);
    double b1, b2;
    if (v->kind != V_LIST || v->as.list.n != 2
        || !value_list_num(v, 0, &b1) || !value_list_num(v, 1, &b2))
        return lang_err_set(run->e, "TypeError", pos, len,
                            "%s: betas must be a list of two numbers, "
                            "e.g. betas=[0.9, 0.999]", a->fn->name);
    if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1))   /* NaN too */
        return lang_err_set(run->e, "ValueError", pos, len,
                            "%s: betas must be in [0, 1)", a->fn->name);
    o->beta1 = (float)b1;
    o->beta2 = (float)b2;
    return 0;
}

static value *run_optim(lang_run *run, const args *a)
{
    nn_optim_kind kind = nn_optim_kind_from_name(a->fn->name);
    nn_optim_spec o = nn_optim_defaults(kind);
    double lr, wd, m = 0, eps = o.eps, alpha = o.alpha;
    int nesterov = 0;
    if (arg_num(run, a, "lr", &lr) < 0
        || arg_num(run, a, "weight_decay", &wd) < 0)
        return NULL;
    if (kind == NN_SGD) {
        if (arg_num(run, a, "momentum", &m) < 0
            || arg_bool(run, a, "nesterov", &nesterov) < 0)
            return NULL;
        if (nesterov && m <= 0) {
            int len, pos = arg_pos(a, "nesterov", &len);
            lang_err_set(run->e, "ValueError", pos, len,
                         "sgd: nesterov needs momentum > 0, e.g. "
                         "sgd(lr=0.1, momentum=0.9, nesterov=true)");
            return NULL;
        }
    } else if (kind == NN_RMSPROP) {
        if (arg_num(run, a, "alpha", &alpha) < 0
            || arg_num(run, a, "eps", &eps) < 0
            || arg_num(run, a, "momentum", &m) < 0)
            return NULL;
    } else {
        if (read_betas(run, a, &o) < 0 || arg_num(run, a, "eps", &eps) < 0)
            return NULL;
    }
    o.lr = (float)lr;
    o.momentum = (float)m;
    o.nesterov = nesterov;
    o.eps = (float)eps;
    o.alpha = (float)alpha;
    o.weight_decay = (float)wd;
    return builtin_made(run, a, value_optim(&o));
}

static value *run_step(lang_run *run, const args *a)
{
    sched_value s = { NN_SCHED_STEP, 0, 0.1f, 0, 0 };
    double gamma;
    if (arg_int(run, a, "size", &s.step_size) < 0
        || arg_num(run, a, "gamma", &gamma) < 0)
        return NULL;
    s.gamma = (float)gamma;
    return builtin_made(run, a, value_sched(&s));
}

static value *run_cosine(lang_run *run, const args *a)
{
    sched_value s = { NN_SCHED_COSINE, 0, 0, 0, 0 };
    double eta_min;
    if (arg_int(run, a, "t_max", &s.t_max) < 0
        || arg_num(run, a, "eta_min", &eta_min) < 0)
        return NULL;
    s.eta_min = (float)eta_min;
    return builtin_made(run, a, value_sched(&s));
}

/* ---- the family ---------------------------------------------------- */

#define LR(def) PARAM_NUM("lr", def, 1e-12, 1e3, "the learning rate")
#define WEIGHT_DECAY(def) \
    PARAM_NUM("weight_decay", def, 0, 1, "L2 weight decay")
#define EPS PARAM_NUM("eps", 1e-8, 0, 1, "added to the denominator")
#define BETAS PARAM_VALUE("betas", V_LIST, "[0.9, 0.999]", \
    "decay of the running averages of the gradient and its square")

static const param p_sgd[] = {
    LR(0.01),
    PARAM_NUM("momentum", 0, 0, 1, "the momentum factor"),
    PARAM_BOOL("nesterov", 0, "Nesterov momentum"),
    WEIGHT_DECAY(0),
    PARAM_END
};
static const param p_adam[] = {
    LR(0.001), BETAS, EPS, WEIGHT_DECAY(0), PARAM_END
};
static const param p_adamw[] = {
    LR(0.001), BETAS, EPS, WEIGHT_DECAY(0.01), PARAM_END
};
static const param p_rmsprop[] = {
    LR(0.01),
    PARAM_NUM("alpha", 0.99, 0, 1, "the smoothing constant"),
    EPS,
    PARAM_NUM("momentum", 0, 0, 1, "the momentum factor"),
    WEIGHT_DECAY(0),
    PARAM_END
};
static const param p_step[] = {
    PARAM_INT("size", 1, 1, 1 << 30, "epochs between two decays"),
    PARAM_NUM("gamma", 0.1, 0, 1, "the factor of each decay"),
    PARAM_END
};
static const param p_cosine[] = {
    PARAM_INT("t_max", 0, 0, 1 << 30,
              "epochs to anneal over (0: all the epochs of the fit)"),
    PARAM_NUM("eta_min", 0, 0, 1e3, "the learning rate at the end"),
    PARAM_END
};

static const builtin table[] = {
    { "sgd", B_OPTIM, p_sgd, 0, 0, run_optim,
      "stochastic gradient descent, with optional momentum", { 0 } },
    { "adam", B_OPTIM, p_adam, 0, 0, run_optim,
      "Adam, the default optimizer of fit", { 0 } },
    { "adamw", B_OPTIM, p_adamw, 0, 0, run_optim,
      "Adam with decoupled weight decay", { 0 } },
    { "rmsprop", B_OPTIM, p_rmsprop, 0, 0, run_optim, "RMSprop", { 0 } },
    { "step", B_SCHED, p_step, 1, 0, run_step,
      "a schedule: the learning rate times gamma every size epochs",
      { 0 } },
    { "cosine", B_SCHED, p_cosine, 0, 0, run_cosine,
      "a schedule: cosine annealing down to eta_min", { 0 } },
};

const builtin_family optimizers_family = {
    "optimizers", table, sizeof table / sizeof *table
};
