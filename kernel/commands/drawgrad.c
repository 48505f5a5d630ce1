#include <stdlib.h>
#include <string.h>

#include "drawgrad.h"
#include "netdraw.h"
#include "sb.h"
#include "show.h"
#include "view.h"

nn_model *drawgrad_model(nn_model *m, const nn_trace *t)
{
    nn_err err;
    nn_model *c = nn_model_copy(m, &err);
    if (!c)
        return NULL;
    float *p = nn_model_params(c);
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *l = &t->layers[i];
        if (!l->gw)
            continue;
        size_t off = nn_model_layer_offset(c, i), nw = l->nw;
        for (size_t j = 0; j < nw; j++)
            p[off + j] = -l->gw[j];
        for (int j = 0; j < l->nb; j++)
            p[off + nw + j] = -l->gb[j];
    }
    return c;
}

int drawgrad_plot(lang_run *run, net_value *n, nn_model *pushes,
                  const char *note, const char *display_id, int update)
{
    netdraw_net d = {
        .model = pushes,
        .features = n->n_features == nn_model_in(n->model)
                    ? (const char *const *)n->feature_names : NULL,
        .classes = (const char *const *)n->class_names,
        .n_classes = n->n_classes,
        .note = note,
        .quantity = "-dL/dw",
    };
    char *svg = pushes && note ? netdraw_svg(&d) : NULL;
    char *text = pushes && note ? netdraw_text(&d) : NULL;
    return show_plot(run, svg, text, display_id, update);
}

/* Draws the diagram of the pushes of trace t on rows of `name`. */
static int show_pushes(lang_run *run, net_value *n, const nn_trace *t,
                       const char *name)
{
    nn_model *c = drawgrad_model(n->model, t);
    char *note = sb_printf("-dL/dw on %d row%s of %s, loss %.4g", t->n,
                           t->n == 1 ? "" : "s", name,
                           (double)t->loss_value);
    int rc = drawgrad_plot(run, n, c, note, NULL, 0);
    nn_model_free(c);
    free(note);
    return rc;
}

int drawgrad_show(lang_run *run, const args *a, value *net,
                  const value *data)
{
    net_value *n = net->as.net;
    nn_model *m = n->model;
    nn_data *copy = NULL;
    const nn_data *seen = view_data(run, a, n, data, &copy, NULL);
    if (!seen || view_check_width(run, a, m, seen) < 0) {
        nn_data_free(copy);
        return -1;
    }
    nn_optim_spec sgd = nn_optim_defaults(NN_SGD);
    nn_err err;
    nn_trace *t = NULL;
    int rows = seen->n < DRAWGRAD_ROWS ? seen->n : DRAWGRAD_ROWS;
    int rc = nn_train_check(m, seen, NN_LOSS_AUTO, &err) < 0
             || !(t = nn_trace_step(m, seen->x, seen->y, rows, NN_LOSS_AUTO,
                                    &sgd, &err))
             ? view_fail(run, a, "ValueError", &err)
             : show_pushes(run, n, t, seen->name);
    nn_trace_free(t);
    nn_data_free(copy);
    return rc;
}
