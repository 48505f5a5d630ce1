#include <stdlib.h>
#include <string.h>

#include "images.h"
#include "nn_idx.h"

/* A new engine data set as a value, or its error as `kind` at the call. */
static value *wrap(lang_run *run, const args *a, nn_data *d,
                   const char *kind, const nn_err *err)
{
    if (!d) {
        lang_err_engine(run->e, kind, a->call->pos, a->call->len, NULL,
                        err);
        return NULL;
    }
    value *v = value_data(d, NULL);
    if (!v) {
        nn_data_free(d);
        lang_err_oom(run->e, a->call->pos);
    }
    return v;
}

static value *run_fashion(lang_run *run, const args *a)
{
    const char *part;
    if (arg_str(run, a, "part", &part) < 0)
        return NULL;
    if (strcmp(part, "train") != 0 && strcmp(part, "test") != 0) {
        int len, pos = arg_pos(a, "part", &len);
        lang_err_set(run->e, "ValueError", pos, len,
                     "part is \"train\" (60,000 images) or \"test\" "
                     "(10,000), not \"%s\"", part);
        return NULL;
    }
    nn_err err;
    nn_data *d = nn_idx_fashion_mnist(NULL, strcmp(part, "test") == 0, &err);
    return wrap(run, a, d, "OSError", &err);
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
    return wrap(run, a, d, "ValueError", &err);
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
    value *r = wrap(run, a, t, "ValueError", &err);
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

static const param p_fashion[] = {
    PARAM_STR("part", "train",
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

static const builtin table[] = {
    { "fashion_mnist", B_DATA, p_fashion, 0, 0, run_fashion,
      "Zalando's 28x28 grey clothing images in 10 classes (Debian package "
      "dataset-fashion-mnist)", { 0 } },
    { "idx", B_FUNC, p_idx, 2, 0, run_idx,
      "images and labels from a pair of IDX files (MNIST's format)",
      { 0 } },
    { "take", B_FUNC, p_take, 1, 0, run_take,
      "the first n samples of a data set, for quick experiments", { 0 } },
};

const builtin_family images_family = {
    "images", table, sizeof table / sizeof *table
};
