#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "chart.h"
#include "pictures.h"
#include "plotcmd.h"
#include "regcurve.h"
#include "sb.h"
#include "show.h"
#include "view.h"

static value *plot_scatter(lang_run *run, const args *a, const value *data)
{
    const nn_data *d = data->as.data.set;
    int fx, fy;
    if (arg_int_within(run, a, "x", 0, d->d - 1, &fx) < 0
        || arg_int_within(run, a, "y", 0, d->d - 1, &fy) < 0)
        return NULL;
    if (d->d == 1)
        fy = 0;     /* the default y=1 does not exist: plot x against x */
    char *svg = NULL, *text = NULL;
    if (show_scatter(d, fx, fy, &svg, &text) < 0) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    if (d->d > 2 && text) {
        sb b = { 0 };
        sb_fmt(&b, "%s(other features: plot %s, x=2, y=3)\n", text, d->name);
        free(text);
        text = sb_done(&b);
    }
    if (show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

/* plot net on data for a regression set of one feature: the fitted
 * curve over the points. */
static value *plot_curve(lang_run *run, const args *a, nn_model *m,
                         const net_value *n, const value *data)
{
    const nn_data *d = data->as.data.set;
    const nn_scaler *s = n->scaler && !data->as.data.scaler ? n->scaler : NULL;
    char *title = sb_printf("fitted curve on %s", d->name);
    char *svg = NULL, *text = NULL;
    if (title)
        regcurve_plot(m, d, s, n->targets ? n->targets : d, title, &svg,
                      &text);
    free(title);
    if (show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

static value *plot_boundary(lang_run *run, const args *a, value *net,
                            value *data)
{
    nn_model *m = view_model(run, a, net);
    if (!m)
        return NULL;
    net_value *n = net->as.net;
    const nn_data *d = data->as.data.set;
    if (d->task == NN_TASK_REGRESS && d->d == 1 && nn_model_in(m) == 1)
        return plot_curve(run, a, m, n, data);
    if (d->d != 2 || nn_model_in(m) != 2) {
        int len, pos = arg_pos(a, "data", &len);
        lang_err_set(run->e, "ShapeError", pos, len,
                     "a decision boundary needs 2 features: %s has %d "
                     "(plot %s draws its points)", d->name, d->d, d->name);
        return NULL;
    }
    int k = view_n_classes(nn_model_out(m));
    const char *const *names = view_classes(n, k);
    const nn_scaler *s = n->scaler && !data->as.data.scaler ? n->scaler : NULL;
    char *title = sb_printf("decision boundary on %s", d->name);
    char *svg = NULL, *text = NULL;
    if (title)
        boundary_plot(m, d, s, names, k, title, &svg, &text);
    free(title);
    if (show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

#define NOT_A_NET "is not a net: plot [net1, net2] compares the training " \
                  "curves of nets"

/* plot [net, ...]: the curves of each net's last fit on one chart, each
 * named as written in the list. */
static value *plot_compare(lang_run *run, const args *a, const value *list)
{
    int n = list->as.list.n;
    const node *at = a->at[builtin_param(a->fn, "what")];
    if (n < 1 || n > 10 || (at->kind != N_LIST && at->kind != N_NUMS)) {
        int len, pos = arg_pos(a, "what", &len);
        lang_err_set(run->e, "ValueError", pos, len, "plot compares 1 to 10 "
                     "nets, written in a list: plot [net1, net2]");
        return NULL;
    }
    chart_curves runs[10];
    char *names[10] = { 0 };
    int ok = 1;
    for (int i = 0; ok && i < n; i++) {
        /* a packed list holds numbers only: no net */
        const value *v = list->as.list.cols ? NULL : list->as.list.items[i];
        int pos, len;
        if (at->kind == N_NUMS) {
            parse_item_span(run->src, at, i, &pos, &len);
        } else {
            pos = at->kids[i]->pos;
            len = at->kids[i]->len;
        }
        if (!v || v->kind != V_NET || !v->as.net->curve) {
            int is_net = v && v->kind == V_NET;
            lang_err_set(run->e, is_net ? "ValueError" : "TypeError", pos,
                         len, "%.*s %s", len, run->src + pos, is_net
                         ? "has not been fit yet: fit it first" : NOT_A_NET);
            ok = 0;
            break;
        }
        const net_value *nv = v->as.net;
        const float *c = nv->curve;
        size_t pts = (size_t)nv->curve_n;
        runs[i] = (chart_curves){
            .train_loss = c, .val_loss = nv->curve_val ? c + pts : NULL,
            .train_acc = c + 2 * pts,
            .val_acc = nv->curve_val ? c + 3 * pts : NULL,
            .n = nv->curve_n, .every = nv->curve_every,
            .total = nv->curve_total,
        };
        ok = (names[i] = sb_printf("%.*s", len, run->src + pos)) != NULL;
        if (!ok)
            lang_err_oom(run->e, a->call->pos);
    }
    char *svg = NULL, *text = NULL;
    if (ok) {
        svg = chart_compare_svg(runs, (const char *const *)names, n,
                               "training curves, last fit of each net");
        text = chart_compare_text(runs, (const char *const *)names, n,
                                 "training curves, last fit of each net");
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    if (!ok || show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

static value *plotcmd_run(lang_run *run, const args *a)
{
    value *what = arg_get(a, "what"), *data;
    if (what->kind == V_LIST)
        return plot_compare(run, a, what);
    if (arg_value(run, a, "data", &data) < 0)
        return NULL;
    if (what->kind == V_DATA && !data && what->as.data.set->height > 0)
        return pictures_plot_images(run, a, what);
    if (what->kind == V_DATA && !data)
        return plot_scatter(run, a, what);
    if (what->kind == V_NET && data)
        return plot_boundary(run, a, what, data);
    int len, pos = arg_pos(a, "what", &len);
    lang_err_set(run->e, "TypeError", pos, len, "%s",
                 what->kind == V_NET ? "plot a net on data: plot net on test"
                 : "plot draws a data set (plot data) or a net's decision "
                   "boundary (plot net on data)");
    return NULL;
}

/* ---- the family ---------------------------------------------------- */

static const param p_plot[] = {
    PARAM_VALUE("what", V_NONE, NULL, "a data set, a net, or a list of nets"),
    PARAM_VALUE("data", V_DATA, "none", "the data under a net's boundary"),
    PARAM_INT("x", 0, 0, 1 << 20, "the feature across (0-based)"),
    PARAM_INT("y", 1, 0, 1 << 20, "the feature up (0-based)"),
    PARAM_END
};

static const builtin table[] = {
    { "plot", B_COMMAND, p_plot, 1, 0, plotcmd_run,
      "plots data, a net's decision boundary, or the curves of nets",
      { "on", 0, 1, "plot data  or  plot net on data", 0 } },
};

const builtin_family plot_family = {
    "plot", table, sizeof table / sizeof *table
};
