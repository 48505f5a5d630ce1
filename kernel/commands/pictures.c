#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "imagegrid.h"
#include "nn_train.h"
#include "pictures.h"
#include "sb.h"
#include "show.h"

#define GRID 16

/* Up to GRID rows: the first sample of each class, then the next ones in
 * order. Returns the count. */
static int pick_rows(const nn_data *d, int *rows)
{
    int n = 0;
    char *taken = calloc((size_t)d->n + 1, 1);
    for (int c = 0; taken && c < d->n_classes && n < GRID; c++)
        for (int i = 0; i < d->n; i++)
            if (d->y[i] == c) {
                rows[n++] = i;
                taken[i] = 1;
                break;
            }
    for (int i = 0; i < d->n && n < GRID; i++)
        if (!taken || !taken[i])
            rows[n++] = i;
    free(taken);
    return n;
}

value *pictures_plot_images(lang_run *run, const args *a, const value *data)
{
    const nn_data *d = data->as.data.set;
    int rows[GRID], n = pick_rows(d, rows);
    if (n == 0)
        return builtin_none(run, a);
    char *title = sb_printf("%s: %d images of %dx%dx%d, %d classes",
                            d->name, d->n, d->channels, d->height, d->width,
                            d->n_classes);
    char *svg = NULL, *text = NULL;
    int bad = !title || imagegrid_render(d, rows, n, NULL, title, &svg,
                                         &text) < 0;
    free(title);
    if (bad) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    if (show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

#define CHUNK 256 /* images predicted at a time while looking */

/* Up to GRID misclassified rows of d into rows and their predictions into
 * pred; returns the count, or -1 on a failed prediction (err set). */
static int find_wrong(nn_model *m, const nn_data *d, int *rows, int *pred,
                      nn_err *err)
{
    int out = nn_model_out(m), n = 0;
    float *prob = malloc((size_t)CHUNK * out * sizeof *prob);
    if (!prob) {
        nn_err_oom(err, "the predictions", (size_t)CHUNK * out * 4);
        return -1;
    }
    for (int i = 0; i < d->n && n < GRID; i += CHUNK) {
        int len = d->n - i < CHUNK ? d->n - i : CHUNK;
        if (nn_model_predict(m, d->x + (size_t)i * d->d, len, prob, err)) {
            free(prob);
            return -1;
        }
        for (int r = 0; r < len && n < GRID; r++) {
            int p = nn_predict_class(prob + (size_t)r * out, out);
            if (p != d->y[i + r]) {
                rows[n] = i + r;
                pred[n++] = p;
            }
        }
    }
    free(prob);
    return n;
}

int pictures_misclassified(lang_run *run, const args *a, nn_model *m,
                           const nn_data *d, const char *const *names,
                           int k)
{
    int rows[GRID], pred[GRID];
    nn_err err;
    int n = find_wrong(m, d, rows, pred, &err);
    if (n < 0)
        return lang_err_engine(run->e, "MemoryError", a->call->pos,
                               a->call->len, NULL, &err);
    if (n == 0)
        return 0;
    /* the captions use the net's class names */
    nn_data shown = *d;
    shown.class_names = (char **)names;
    shown.n_classes = k;
    char *title = sb_printf("misclassified images of %s (true -> "
                            "predicted), the first %d", d->name, n);
    char *svg = NULL, *text = NULL;
    int bad = !title || imagegrid_render(&shown, rows, n, pred, title, &svg,
                                         &text) < 0;
    free(title);
    if (bad)
        return lang_err_oom(run->e, a->call->pos);
    return show_plot(run, svg, text, NULL, 0);
}

int pictures_filters(lang_run *run, const args *a, nn_model *m)
{
    const nn_layer_spec *l = nn_model_layer(m, 0);
    int in[3];
    if (l->kind != NN_CONV2D || !nn_model_layer_shape(m, -1, in))
        return 0;
    int f = l->units, k = l->kernel, shown = f < 64 ? f : 64;
    nn_err err;
    /* the filters as a data set of f images in x k x k, class i = filter */
    nn_data *d = nn_data_new("filters", f, in[0] * k * k, f, &err);
    int *rows = malloc((size_t)f * sizeof *rows);
    char label[64], name[32];
    int bad = !d || !rows;
    for (int i = 0; !bad && i < f; i++) {
        snprintf(name, sizeof name, "filter %d", i + 1);
        bad = nn_data_set_class_name(d, i, name, &err) < 0;
        d->y[i] = rows[i] = i;
    }
    char *svg = NULL, *text = NULL, *title = NULL;
    if (!bad) {
        memcpy(d->x, nn_model_params(m) + nn_model_layer_offset(m, 0),
               (size_t)f * in[0] * k * k * sizeof *d->x);
        d->channels = in[0], d->height = d->width = k;
        nn_layer_format(l, label, sizeof label);
        title = sb_printf("the first layer's filters, %s (black: most "
                          "negative weight, white: most positive)", label);
        bad = !title || imagegrid_render(d, rows, shown, NULL, title, &svg,
                                         &text) < 0;
    }
    free(title);
    free(rows);
    nn_data_free(d);
    if (bad)
        return lang_err_oom(run->e, a->call->pos);
    return show_plot(run, svg, text, NULL, 0);
}
