#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_data.h"
#include "nn_rng.h"
#include "nn_tensor.h"

/* Replaces the owned string *slot with a copy of s. */
static int set_string(char **slot, const char *s, nn_err *e)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (!copy)
        return nn_err_oom(e, "a name", len);
    memcpy(copy, s, len);
    free(*slot);
    *slot = copy;
    return 0;
}

static void free_names(char **names, int count)
{
    if (!names)
        return;
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* The default feature names "x1" .. "xd" are one block: the d pointers,
 * then the strings they point to, so that a set of a million features
 * costs one allocation, not a million (an IDX header alone can ask for
 * that many). A name set later (nn_data_set_feature_name) is a string of
 * its own; in_block tells the two apart by address. */

/* The bytes of "x1\0" .. "xd\0". */
static size_t default_chars(int d)
{
    size_t total = 0;
    long first = 1;
    for (size_t digits = 1; first <= d; digits++, first *= 10) {
        long last = first * 10 - 1 < d ? first * 10 - 1 : d;
        total += (size_t)(last - first + 1) * (digits + 2);
    }
    return total;
}

/* Writes "x" and the decimal digits of v >= 1 at s, then a NUL; returns
 * the bytes written. (snprintf took most of the time of a million.) */
static size_t default_name(char *s, int v)
{
    char digits[16];
    size_t n = 0;
    for (; v > 0; v /= 10)
        digits[n++] = (char)('0' + v % 10);
    s[0] = 'x';
    for (size_t i = 0; i < n; i++)
        s[1 + i] = digits[n - 1 - i];
    s[n + 1] = '\0';
    return n + 2;
}

/* The block of default names of d >= 1 features, or NULL. */
static char **default_feature_names(int d)
{
    size_t head = (size_t)d * sizeof(char *);
    char **names = malloc(head + default_chars(d));
    if (!names)
        return NULL;
    char *s = (char *)names + head;
    for (int j = 0; j < d; j++) {
        names[j] = s;
        s += default_name(s, j + 1);
    }
    return names;
}

/* Whether name is one of the default names in the block `names` of d,
 * whose strings take `chars` bytes (default_chars(d)). */
static int in_block(char *const *names, int d, size_t chars,
                    const char *name)
{
    uintptr_t first = (uintptr_t)(names + d), at = (uintptr_t)name;
    return at >= first && at < first + chars;
}

static void free_feature_names(char **names, int d)
{
    if (!names)
        return;
    size_t chars = default_chars(d);
    for (int j = 0; j < d; j++)
        if (!in_block(names, d, chars, names[j]))
            free(names[j]);
    free(names);
}

/* "11.2 GiB"; "1.12e+290 GiB" past what %.1f reads well. */
static const char *gib(double bytes, char *buf, size_t size)
{
    double g = bytes / (1024.0 * 1024.0 * 1024.0);
    snprintf(buf, size, g < 1e9 ? "%.1f GiB" : "%.3g GiB", g);
    return buf;
}

int nn_data_check_size(double n, double d, nn_err *e)
{
    char need[48], have[48];
    /* float features and int labels */
    double bytes = n * (d * sizeof(float) + sizeof(int));
    double memory = (double)nn_tensor_machine_memory();
    if (bytes > memory)
        return nn_err_set(e, "a data set of %.15g samples x %.15g features "
                          "would take %s, more than this machine's %s of "
                          "memory", n, d, gib(bytes, need, sizeof need),
                          gib(memory, have, sizeof have));
    if (n * d > INT_MAX || n > INT_MAX || d > INT_MAX)
        return nn_err_set(e, "a data set of %.15g samples x %.15g features "
                          "would hold %.15g values (%s); at most %d "
                          "(samples x features) are supported", n, d, n * d,
                          gib(bytes, need, sizeof need), INT_MAX);
    return 0;
}

nn_data *nn_data_new(const char *name, int n, int d, int k, nn_err *e)
{
    if (n < 0 || d < 1 || k < 1) {
        nn_err_set(e, "bad data set size: %d samples, %d features, %d classes "
                   "(need samples >= 0, features >= 1, classes >= 1)", n, d, k);
        return NULL;
    }
    if (nn_data_check_size(n, d, e) < 0)
        return NULL;
    size_t cells = (size_t)n * (size_t)d;
    nn_data *data = calloc(1, sizeof *data);
    if (!data) {
        nn_err_oom(e, "a data set", sizeof *data);
        return NULL;
    }
    data->n = n;
    data->d = d;
    data->n_classes = k;
    /* Allocate at least one element so an empty set still has buffers. */
    data->x = calloc(cells ? cells : 1, sizeof(float));
    data->y = calloc(n ? (size_t)n : 1, sizeof(int));
    data->class_names = calloc((size_t)k, sizeof(char *));
    data->feature_names = default_feature_names(d);
    if (!data->x || !data->y || !data->class_names || !data->feature_names) {
        nn_err_oom(e, "a data set", cells * sizeof(float) + (size_t)n * sizeof(int));
        nn_data_free(data);
        return NULL;
    }
    char buf[32];
    for (int c = 0; c < k; c++) {
        snprintf(buf, sizeof buf, "%d", c);
        if (set_string(&data->class_names[c], buf, e) < 0)
            goto fail;
    }
    if (set_string(&data->name, name ? name : "data", e) < 0)
        goto fail;
    return data;
fail:
    nn_data_free(data);
    return NULL;
}

void nn_data_free(nn_data *data)
{
    if (!data)
        return;
    free(data->name);
    free(data->x);
    free(data->y);
    free_names(data->class_names, data->n_classes);
    free_feature_names(data->feature_names, data->d);
    free(data->t);
    free_names(data->target_names, data->n_targets);
    free(data->t_mean);
    free(data->t_std);
    free(data);
}

int nn_data_set_class_name(nn_data *data, int c, const char *name, nn_err *e)
{
    if (c < 0 || c >= data->n_classes)
        return nn_err_set(e, "class %d out of range: data has %d classes", c,
                          data->n_classes);
    return set_string(&data->class_names[c], name, e);
}

int nn_data_set_feature_name(nn_data *data, int j, const char *name, nn_err *e)
{
    if (j < 0 || j >= data->d)
        return nn_err_set(e, "feature %d out of range: data has %d features", j,
                          data->d);
    char *copy = NULL;
    if (set_string(&copy, name, e) < 0)
        return -1;
    if (!in_block(data->feature_names, data->d, default_chars(data->d),
                  data->feature_names[j]))
        free(data->feature_names[j]);
    data->feature_names[j] = copy;
    return 0;
}

/* A new set of m rows with the names of `data` (rows left zero). */
static nn_data *new_like(const nn_data *data, int m, const char *name, nn_err *e)
{
    nn_data *out = nn_data_new(name ? name : data->name, m, data->d,
                               data->n_classes, e);
    if (!out)
        return NULL;
    for (int c = 0; c < data->n_classes; c++)
        if (set_string(&out->class_names[c], data->class_names[c], e) < 0)
            goto fail;
    size_t chars = default_chars(data->d);
    for (int j = 0; j < data->d; j++) /* a default name is there already */
        if (!in_block(data->feature_names, data->d, chars,
                      data->feature_names[j])
            && nn_data_set_feature_name(out, j, data->feature_names[j], e) < 0)
            goto fail;
    out->channels = data->channels;
    out->height = data->height;
    out->width = data->width;
    return out;
fail:
    nn_data_free(out);
    return NULL;
}

nn_data *nn_data_subset(const nn_data *data, const int *idx, int m,
                        const char *name, nn_err *e)
{
    if (m < 0) {
        nn_err_set(e, "subset size %d is negative", m);
        return NULL;
    }
    for (int i = 0; i < m; i++)
        if (idx[i] < 0 || idx[i] >= data->n) {
            nn_err_set(e, "row %d out of range: '%s' has %d rows", idx[i],
                       data->name, data->n);
            return NULL;
        }
    nn_data *out = new_like(data, m, name, e);
    if (!out)
        return NULL;
    size_t d = (size_t)data->d;
    for (int i = 0; i < m; i++) {
        memcpy(out->x + (size_t)i * d, data->x + (size_t)idx[i] * d,
               d * sizeof(float));
        out->y[i] = data->y[idx[i]];
    }
    if (nn_data_copy_targets(out, data, idx, e) < 0) {
        nn_data_free(out);
        return NULL;
    }
    return out;
}

nn_data *nn_data_copy(const nn_data *data, const char *name, nn_err *e)
{
    nn_data *out = new_like(data, data->n, name, e);
    if (!out)
        return NULL;
    memcpy(out->x, data->x, (size_t)data->n * (size_t)data->d * sizeof(float));
    memcpy(out->y, data->y, (size_t)data->n * sizeof(int));
    if (nn_data_copy_targets(out, data, NULL, e) < 0) {
        nn_data_free(out);
        return NULL;
    }
    return out;
}

int nn_data_rename(nn_data *data, const char *name, nn_err *e)
{
    return set_string(&data->name, name, e);
}

/* A regression set's targets: finite, and not constant over 2+ rows. */
static int validate_targets(const nn_data *data, nn_err *e)
{
    if (data->task != NN_TASK_REGRESS)
        return 0;
    int k = data->n_targets;
    for (int i = 0; i < data->n; i++)
        for (int j = 0; j < k; j++) {
            float v = data->t[(size_t)i * k + j];
            if (!isfinite(v))
                return nn_err_set(e, "'%s' row %d: target '%s' is %s, not a "
                                  "finite number: drop or fix that row",
                                  data->name, i + 1, data->target_names[j],
                                  isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf");
        }
    for (int j = 0; j < k && data->n >= 2; j++) {
        int i = 1;
        while (i < data->n && data->t[(size_t)i * k + j] == data->t[j])
            i++;
        if (i == data->n)
            return nn_err_set(e, "target '%s' of '%s' is constant (%g in "
                              "every row): there is nothing to learn",
                              data->target_names[j], data->name,
                              (double)data->t[j]);
    }
    return 0;
}

int nn_data_check_labels(const nn_data *data, nn_err *e)
{
    for (int i = 0; i < data->n; i++) {
        int y = data->y[i];
        if (y < 0 || y >= data->n_classes)
            return nn_err_set(e, "'%s' row %d: label %d out of range: data has "
                              "%d classes", data->name, i + 1, y,
                              data->n_classes);
    }
    return 0;
}

int nn_data_validate(const nn_data *data, nn_err *e)
{
    if (nn_data_check_labels(data, e) < 0)
        return -1;
    for (int i = 0; i < data->n; i++) {
        for (int j = 0; j < data->d; j++)
            if (!isfinite(data->x[(size_t)i * (size_t)data->d + (size_t)j]))
                return nn_err_set(e, "'%s' row %d: feature '%s' is not a "
                                  "finite number", data->name, i + 1,
                                  data->feature_names[j]);
    }
    return validate_targets(data, e);
}

void nn_data_class_counts(const nn_data *data, int *counts)
{
    memset(counts, 0, (size_t)data->n_classes * sizeof(int));
    for (int i = 0; i < data->n; i++)
        if (data->y[i] >= 0 && data->y[i] < data->n_classes)
            counts[data->y[i]]++;
}

/* Sizes of each class's share of the first part so that the shares add up
 * to `target`: floor(frac * count) each, then one more for the classes with
 * the largest remainders (lower class first on ties). */
static void stratified_shares(const int *counts, int k, double frac,
                              int target, int *share)
{
    int assigned = 0;
    for (int c = 0; c < k; c++) {
        share[c] = (int)floor(frac * counts[c]);
        assigned += share[c];
    }
    while (assigned < target) {
        int best = -1;
        double best_rem = -1.0;
        for (int c = 0; c < k; c++) {
            double rem = frac * counts[c] - share[c];
            if (share[c] < counts[c] && rem > best_rem) {
                best = c;
                best_rem = rem;
            }
        }
        share[best]++;
        assigned++;
    }
}

/* Fills order[0..n): the row indices with the first part's `target` rows
 * first. Stratified: each class is shuffled and cut at its share, then each
 * part is shuffled so classes are mixed. Returns -1 on OOM. */
static int split_order(const nn_data *data, double frac, int stratify,
                       int target, nn_rng *rng, int *order, nn_err *e)
{
    int n = data->n, k = data->n_classes;
    if (!stratify) {
        for (int i = 0; i < n; i++)
            order[i] = i;
        nn_rng_shuffle(rng, order, n);
        return 0;
    }
    int *counts = calloc((size_t)k * 4 + (size_t)n, sizeof(int));
    if (!counts)
        return nn_err_oom(e, "split indices",
                          ((size_t)k * 4 + (size_t)n) * sizeof(int));
    int *share = counts + k, *start = counts + 2 * k, *cursor = counts + 3 * k;
    int *grouped = counts + 4 * k;
    nn_data_class_counts(data, counts);
    stratified_shares(counts, k, frac, target, share);
    /* Rows grouped by class: class c occupies [start[c], start[c]+counts[c]). */
    for (int c = 1; c < k; c++)
        start[c] = start[c - 1] + counts[c - 1];
    memcpy(cursor, start, (size_t)k * sizeof(int));
    for (int i = 0; i < n; i++)
        grouped[cursor[data->y[i]]++] = i;
    int a = 0, b = target;
    for (int c = 0; c < k; c++) {
        int *rows = grouped + start[c];
        nn_rng_shuffle(rng, rows, counts[c]);
        for (int i = 0; i < counts[c]; i++) {
            if (i < share[c])
                order[a++] = rows[i];
            else
                order[b++] = rows[i];
        }
    }
    nn_rng_shuffle(rng, order, target);
    nn_rng_shuffle(rng, order + target, n - target);
    free(counts);
    return 0;
}

int nn_data_split(const nn_data *data, double frac, int stratify,
                  uint64_t seed, nn_data **first, nn_data **second,
                  nn_err *e)
{
    *first = *second = NULL;
    if (!(frac > 0.0 && frac < 1.0))
        return nn_err_set(e, "split fraction %g must be between 0 and 1", frac);
    int n = data->n;
    int target = (int)floor(frac * n + 0.5);
    if (target < 1 || target > n - 1)
        return nn_err_set(e, "cannot split '%s' (%d samples) at %g: each part "
                          "needs at least one sample", data->name, n, frac);
    if (stratify && nn_data_validate(data, e) < 0)
        return -1;
    int *order = malloc((size_t)n * sizeof(int));
    if (!order)
        return nn_err_oom(e, "split indices", (size_t)n * sizeof(int));
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    if (split_order(data, frac, stratify, target, &rng, order, e) < 0) {
        free(order);
        return -1;
    }
    size_t len = strlen(data->name) + sizeof "/train";
    char *name = malloc(len);
    if (!name) {
        free(order);
        return nn_err_oom(e, "a name", len);
    }
    snprintf(name, len, "%s/train", data->name);
    *first = nn_data_subset(data, order, target, name, e);
    snprintf(name, len, "%s/test", data->name);
    if (*first)
        *second = nn_data_subset(data, order + target, n - target, name, e);
    free(name);
    free(order);
    if (!*second) {
        nn_data_free(*first);
        *first = NULL;
        return -1;
    }
    return 0;
}

/* The per-channel scaler of an image set, written per feature. */
static void fit_channels(const nn_data *data, nn_scaler *s)
{
    size_t plane = (size_t)data->height * data->width;
    for (int c = 0; c < data->channels; c++) {
        double sum = 0, sq = 0, count = (double)data->n * plane;
        for (int i = 0; i < data->n; i++) {
            const float *p = data->x + (size_t)i * data->d + c * plane;
            for (size_t j = 0; j < plane; j++)
                sum += p[j];
        }
        double mean = sum / count;
        for (int i = 0; i < data->n; i++) {
            const float *p = data->x + (size_t)i * data->d + c * plane;
            for (size_t j = 0; j < plane; j++)
                sq += (p[j] - mean) * (p[j] - mean);
        }
        double sd = sqrt(sq / count);
        for (size_t j = 0; j < plane; j++) {
            s->mean[c * plane + j] = (float)mean;
            s->std[c * plane + j] = sd > 0.0 ? (float)sd : 1.0f;
        }
    }
}

nn_scaler *nn_scaler_fit(const nn_data *data, nn_err *e)
{
    if (data->n < 1) {
        nn_err_set(e, "cannot fit a scaler on '%s': it has no samples",
                   data->name);
        return NULL;
    }
    int d = data->d;
    nn_scaler *s = calloc(1, sizeof *s);
    double *sum = calloc((size_t)d * 2, sizeof(double));
    if (s) {
        s->d = d;
        s->mean = malloc((size_t)d * sizeof(float));
        s->std = malloc((size_t)d * sizeof(float));
    }
    if (!s || !sum || !s->mean || !s->std) {
        nn_err_oom(e, "a scaler", (size_t)d * (2 * sizeof(float) + 2 * sizeof(double)));
        nn_scaler_free(s);
        free(sum);
        return NULL;
    }
    if (data->channels > 0 && data->height > 0) {
        fit_channels(data, s);
        free(sum);
        return s;
    }
    double *sq = sum + d;
    for (int i = 0; i < data->n; i++)
        for (int j = 0; j < d; j++)
            sum[j] += data->x[(size_t)i * (size_t)d + (size_t)j];
    for (int j = 0; j < d; j++)
        sum[j] /= data->n;
    /* Two passes: the deviation from the mean is accurate even when the mean
     * is large next to the spread. Population deviation, as sklearn. */
    for (int i = 0; i < data->n; i++)
        for (int j = 0; j < d; j++) {
            double dev = data->x[(size_t)i * (size_t)d + (size_t)j] - sum[j];
            sq[j] += dev * dev;
        }
    for (int j = 0; j < d; j++) {
        double sd = sqrt(sq[j] / data->n);
        s->mean[j] = (float)sum[j];
        s->std[j] = sd > 0.0 ? (float)sd : 1.0f;
    }
    free(sum);
    return s;
}

void nn_scaler_apply(const nn_scaler *s, float *x, int n)
{
    assert(s && (x || n <= 0));
    size_t d = (size_t)s->d;
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            x[(size_t)i * d + j] = (x[(size_t)i * d + j] - s->mean[j]) / s->std[j];
}

void nn_scaler_free(nn_scaler *s)
{
    if (!s)
        return;
    free(s->mean);
    free(s->std);
    free(s);
}
