#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "data.h"
#include "imagegrid.h"
#include "images.h"
#include "nn_idx.h"
#include "sb.h"
#include "show.h"
#include "view.h"

static value *run_fashion(lang_run *run, const args *a)
{
    const char *part;
    if (arg_choice(run, a, "part", &part) < 0)
        return NULL;
    nn_err err;
    nn_data *d = nn_idx_fashion_mnist(NULL, strcmp(part, "test") == 0, &err);
    return data_wrap(run, a, d, "OSError", &err);
}

static value *run_idx(lang_run *run, const args *a)
{
    const char *images, *labels;
    if (arg_str(run, a, "images", &images) < 0
        || arg_str(run, a, "labels", &labels) < 0)
        return NULL;
    const char *base = strrchr(images, '/');
    nn_err err;
    nn_data *d = nn_idx_load(images, labels, base ? base + 1 : images, &err);
    return data_wrap(run, a, d, "ValueError", &err);
}

static value *run_take(lang_run *run, const args *a)
{
    value *v;
    int n;
    if (arg_value(run, a, "data", &v) < 0 || arg_int(run, a, "n", &n) < 0)
        return NULL;
    const nn_data *d = v->as.data.set;
    if (n > d->n)
        n = d->n;
    int *idx = malloc((size_t)(n ? n : 1) * sizeof *idx);
    if (!idx) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        idx[i] = i;
    nn_err err;
    nn_data *t = nn_data_subset(d, idx, n, NULL, &err);
    free(idx);
    value *r = data_wrap(run, a, t, "ValueError", &err);
    if (r && v->as.data.scaler) {
        /* the rows are already standardized: keep the scaler with them */
        nn_scaler *s = malloc(sizeof *s);
        size_t bytes = (size_t)d->d * sizeof(float);
        float *mean = malloc(bytes), *std = malloc(bytes);
        if (!s || !mean || !std) {
            free(s), free(mean), free(std);
            value_unref(r);
            lang_err_oom(run->e, a->call->pos);
            return NULL;
        }
        memcpy(mean, v->as.data.scaler->mean, bytes);
        memcpy(std, v->as.data.scaler->std, bytes);
        *s = (nn_scaler){ d->d, mean, std };
        r->as.data.scaler = s;
    }
    return r;
}

/* The feature maps of layer i (images, shape sh) for one forward pass of
 * one sample, as an image grid: one image a channel (at most 64). */
static int show_maps(lang_run *run, int pos, nn_model *m, int i,
                     const int sh[3], int sample, int shown_layer)
{
    int c = sh[0] < 64 ? sh[0] : 64;
    size_t plane = (size_t)sh[1] * sh[2];
    nn_err err;
    nn_data *d = nn_data_new("maps", c, (int)plane, c, &err);
    int *rows = malloc((size_t)c * sizeof *rows);
    char name[32], label[64], act[64];
    int bad = !d || !rows;
    for (int j = 0; !bad && j < c; j++) {
        snprintf(name, sizeof name, "channel %d", j + 1);
        bad = nn_data_set_class_name(d, j, name, &err) < 0;
        d->y[j] = rows[j] = j;
    }
    char *svg = NULL, *text = NULL, *title = NULL;
    if (!bad) {
        memcpy(d->x, nn_model_layer_output(m, shown_layer),
               (size_t)c * plane * sizeof *d->x);
        d->channels = 1, d->height = sh[1], d->width = sh[2];
        nn_layer_format(nn_model_layer(m, i), label, sizeof label);
        act[0] = '\0';
        if (shown_layer != i)
            snprintf(act, sizeof act, " -> %s",
                     nn_layer_name(nn_model_layer(m, shown_layer)->kind));
        title = sb_printf("layer %d %s%s: %d feature maps of %dx%d, sample "
                          "%d", i, label, act, sh[0], sh[1], sh[2], sample);
        bad = !title || imagegrid_render(d, rows, c, NULL, title, &svg,
                                         &text) < 0;
    }
    free(title);
    free(rows);
    nn_data_free(d);
    if (bad)
        return lang_err_oom(run->e, pos);
    return show_plot(run, svg, text, NULL, 0);
}

/* feature_maps(net, data, sample): each conv2d layer's feature maps (after
 * its activation) for one sample. */
static value *run_feature_maps(lang_run *run, const args *a)
{
    value *net, *data;
    int sample;
    if (arg_value(run, a, "net", &net) < 0
        || arg_value(run, a, "data", &data) < 0
        || arg_int(run, a, "sample", &sample) < 0)
        return NULL;
    net_value *n = net->as.net;
    nn_model *m = n->model;
    int sh[3], len, pos = arg_pos(a, "net", &len);
    if (!m || !nn_model_layer_shape(m, -1, sh))
        return lang_err_set(run->e, "ValueError", pos, len, "%s",
                            m ? "the net has no conv layers: feature_maps "
                                "shows the feature maps of conv nets"
                              : "the net is not built yet: fit it first"),
               NULL;
    nn_data *copy = NULL;
    const nn_data *d = view_data(run, a, n, data, &copy, NULL);
    if (!d)
        return NULL;
    pos = arg_pos(a, "sample", &len);
    nn_err err;
    int rc = 0;
    if (d->d != nn_model_in(m))
        rc = lang_err_set(run->e, "ShapeError", pos, len, "%s has %d "
                          "features; the net takes %d", d->name, d->d,
                          nn_model_in(m));
    else if (sample >= d->n)
        rc = lang_err_set(run->e, "ValueError", pos, len, "sample %d is out "
                          "of range: %s has %d samples (0 to %d)", sample,
                          d->name, d->n, d->n - 1);
    else if (!nn_model_forward(m, d->x + (size_t)sample * d->d, 1, &err))
        rc = lang_err_engine(run->e, "MemoryError", pos, len, NULL, &err);
    for (int i = 0; rc == 0 && i < nn_model_n_layers(m); i++) {
        if (nn_model_layer(m, i)->kind != NN_CONV2D)
            continue;
        int shown = i + 1 < nn_model_n_layers(m)
                    && nn_model_layer_shape(m, i + 1, sh)
                    && nn_model_layer(m, i + 1)->kind != NN_CONV2D
                    && nn_model_layer(m, i + 1)->kind != NN_MAXPOOL2D
                    && nn_model_layer(m, i + 1)->kind != NN_AVGPOOL2D
                    ? i + 1 : i;
        nn_model_layer_shape(m, shown, sh);
        rc = show_maps(run, a->call->pos, m, i, sh, sample, shown);
    }
    nn_data_free(copy);
    return rc < 0 ? NULL : builtin_none(run, a);
}

static const param p_fashion[] = {
    PARAM_CHOICE("part", "train", CHOICES("train", "test"),
                 "\"train\" (60,000 images) or \"test\" (10,000)"),
    PARAM_END
};
static const param p_idx[] = {
    PARAM_STR("images", NULL, "the IDX image file, gzipped or not"),
    PARAM_STR("labels", NULL, "the IDX label file, gzipped or not"),
    PARAM_END
};
static const param p_take[] = {
    PARAM_VALUE("data", V_DATA, NULL, "the data set"),
    PARAM_INT("n", 1000, 1, 2147483647, "how many of its first samples"),
    PARAM_END
};

static const param p_feature_maps[] = {
    PARAM_VALUE("net", V_NET, NULL, "a trained conv net"),
    PARAM_VALUE("data", V_DATA, NULL, "the images"),
    PARAM_INT("sample", 0, 0, 2147483647, "which image (0-based)"),
    PARAM_END
};

static const builtin table[] = {
    { "fashion_mnist", B_DATA, p_fashion, 0, 0, run_fashion,
      "Zalando's 28x28 grey clothing images in 10 classes (Debian package "
      "dataset-fashion-mnist)", { 0 } },
    { "idx", B_FUNC, p_idx, 2, 0, run_idx,
      "images and labels from a pair of IDX files (MNIST's format)",
      { 0 } },
    { "take", B_FUNC, p_take, 1, 0, run_take,
      "the first n samples of a data set, for quick experiments", { 0 } },
    { "feature_maps", B_FUNC, p_feature_maps, 2, 0, run_feature_maps,
      "the feature maps of each conv2d layer of a net for one image",
      { 0 } },
};

const builtin_family images_family = {
    "images", table, sizeof table / sizeof *table
};
