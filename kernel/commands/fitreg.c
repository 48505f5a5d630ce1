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
