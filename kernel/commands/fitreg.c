#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitreg.h"
#include "nn_lstsq.h"
#include "sb.h"

const char *fitreg_score(const nn_data *d)
{
    return d && d->task == NN_TASK_REGRESS ? "R2" : "acc";
}

int fitreg_delta(lang_run *run, const args *a, nn_loss_kind loss,
                 float *delta)
{
    if (arg_float(run, a, "delta", delta) < 0)
        return -1;
    if (!arg_get(a, "delta"))
        return 0;
    int len, pos = arg_pos(a, "delta", &len);
    if (loss != NN_LOSS_HUBER)
        return lang_err_set(run->e, "ValueError", pos, len,
                            "delta is the threshold of the Huber loss: "
                            "give loss=\"huber\" with it, or leave it out");
    if (!(*delta > 0.0f))
        return lang_err_set(run->e, "ValueError", pos, len,
                            "delta must be above 0 (errors beyond it count "
                            "linearly), got %g", (double)*delta);
    return 0;
}

/* One row of the comparison: name, gradient descent, least squares. */
static void row(sb *b, const char *name, float gd, float ls)
{
    sb_fmt(b, "  %-18.18s %12.4f %14.4f %12.2e\n", name, (double)gd,
           (double)ls, (double)(gd - ls));
}

int fitreg_after(lang_run *run, const args *a, nn_model *m, const nn_data *d)
{
    if (d->task != NN_TASK_REGRESS || nn_model_n_layers(m) != 1
        || nn_model_layer(m, 0)->kind != NN_LINEAR)
        return 0;
    int k = d->n_targets, f = d->d;
    float *w = malloc(((size_t)k * f + (size_t)k) * sizeof *w);
    if (!w)
        return lang_err_oom(run->e, a->call->pos);
    nn_err err;
    if (nn_lstsq(d, w, w + (size_t)k * f, &err) < 0) {
        /* too few rows for the exact solution: nothing to compare */
        free(w);
        return 0;
    }
    const float *p = nn_model_params(m);
    sb b = {0};
    sb_fmt(&b, "linear regression: gradient descent vs exact least "
               "squares (LAPACK sgelsd)\n  %-18s %12s %14s %12s\n",
           "parameter", "fit", "least squares", "difference");
    for (int c = 0; c < k; c++) {
        for (int j = 0; j < f; j++) {
            char name[64];
            if (k == 1)
                snprintf(name, sizeof name, "w[%.40s]", d->feature_names[j]);
            else
                snprintf(name, sizeof name, "w[%.20s, %.20s]",
                         d->target_names[c], d->feature_names[j]);
            row(&b, name, p[(size_t)c * f + j], w[(size_t)c * f + j]);
        }
        char name[64];
        if (k == 1)
            snprintf(name, sizeof name, "bias");
        else
            snprintf(name, sizeof name, "bias[%.40s]", d->target_names[c]);
        row(&b, name, p[(size_t)k * f + c], w[(size_t)k * f + c]);
    }
    free(w);
    char *text = sb_done(&b);
    if (!text)
        return lang_err_oom(run->e, a->call->pos);
    run->out->stream(run->out->ctx, "stdout", text);
    free(text);
    return 0;
}

int fitreg_remember(net_value *n, const nn_data *d)
{
    nn_data_free(n->targets);
    n->targets = NULL;
    if (d->task != NN_TASK_REGRESS)
        return 0;
    n->targets = nn_data_subset(d, NULL, 0, d->name, NULL);
    return n->targets ? 0 : -1;
}

/* Appends v to buf (size bytes) after a comma unless first. */
static void join(char *buf, size_t size, int first, const char *v)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", first ? "" : ",", v);
}

void fitreg_meta(const net_value *n, nn_st_extra *x)
{
    const nn_data *t = n->targets;
    if (!t)
        return;
    char names[256] = "", mean[256] = "", std[256] = "";
    for (int j = 0; j < t->n_targets; j++) {
        join(names, sizeof names, j == 0, t->target_names[j]);
        if (t->t_mean) {
            char v[32];
            snprintf(v, sizeof v, "%.9g", (double)t->t_mean[j]);
            join(mean, sizeof mean, j == 0, v);
            snprintf(v, sizeof v, "%.9g", (double)t->t_std[j]);
            join(std, sizeof std, j == 0, v);
        }
    }
    nn_st_extra_add(x, "task", "regression");
    nn_st_extra_add(x, "targets", names);
    if (t->t_mean) {
        nn_st_extra_add(x, "target_mean", mean);
        nn_st_extra_add(x, "target_std", std);
    }
}

/* Reads k comma-separated numbers of s into v (those missing keep
 * their value). */
static void numbers(const char *s, float *v, int k)
{
    for (int j = 0; s && *s && j < k; j++) {
        char *end;
        double d = strtod(s, &end);
        if (end != s && isfinite(d))
            v[j] = (float)d;
        s = strchr(end, ',');
        s = s ? s + 1 : NULL;
    }
}

int fitreg_from_meta(net_value *n, int k, const nn_st_extra *x)
{
    const char *task = nn_st_extra_get(x, "task");
    if (!task || strcmp(task, "regression") != 0)
        return 0;
    nn_data *t = nn_data_new_regression("loaded", 0, 1, k, NULL);
    if (!t)
        return -1;
    const char *names = nn_st_extra_get(x, "targets");
    for (int j = 0; names && *names && j < k; j++) {
        const char *comma = strchr(names, ',');
        size_t len = comma ? (size_t)(comma - names) : strlen(names);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)len, names);
        if (len && nn_data_set_target_name(t, j, name, NULL) < 0)
            goto fail;
        names = comma ? comma + 1 : "";
    }
    if (nn_st_extra_get(x, "target_mean")) {
        t->t_mean = calloc((size_t)k, sizeof *t->t_mean);
        t->t_std = malloc((size_t)k * sizeof *t->t_std);
        if (!t->t_mean || !t->t_std)
            goto fail;
        for (int j = 0; j < k; j++)
            t->t_std[j] = 1.0f;
        numbers(nn_st_extra_get(x, "target_mean"), t->t_mean, k);
        numbers(nn_st_extra_get(x, "target_std"), t->t_std, k);
    }
    nn_data_free(n->targets);
    n->targets = t;
    return 0;
fail:
    nn_data_free(t);
    return -1;
}
