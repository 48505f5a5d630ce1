#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "nn_csv.h"
#include "nn_gen.h"
#include "nn_sets.h"

value *data_wrap(lang_run *run, const args *a, nn_data *d,
                 const char *kind, const nn_err *err)
{
    assert(run && a && kind && err);
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

/* A generator's or a bundled set's data, or its error as a ValueError. */
static value *wrap(lang_run *run, const args *a, nn_data *d, const nn_err *err)
{
    return data_wrap(run, a, d, "ValueError", err);
}

#define MAX_N 10000000
#define MAX_SEED 2147483647

/* Reads the sample count n (the parameter "n") of a set of d
 * features. Its memory is checked before its range, so that moons(n=1e12)
 * says how many GiB it would take rather than only that n is too big. */
static int arg_samples(lang_run *run, const args *a, double d, int *n)
{
    double v;
    nn_err err;
    if (arg_num_within(run, a, "n", 1, INFINITY, &v) < 0)
        return -1;
    if (nn_data_check_size(v, d, &err) < 0) {
        int len, pos = arg_pos(a, "n", &len);
        return lang_err_engine(run->e, "ValueError", pos, len, a->fn->name,
                               &err);
    }
    return arg_int(run, a, "n", n);
}

/* A generator of two features and two classes: xor, moons. */
typedef nn_data *gen2_fn(int n, float noise, uint64_t seed, nn_err *e);

/* Runs gen with the arguments (n, noise, seed). */
static value *gen2(lang_run *run, const args *a, gen2_fn *gen)
{
    int n, seed;
    double noise;
    nn_err err;
    if (arg_samples(run, a, 2, &n) < 0 || arg_num(run, a, "noise", &noise) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    return wrap(run, a, gen(n, (float)noise, (uint64_t)seed, &err), &err);
}

static value *data_xor(lang_run *run, const args *a)
{
    return gen2(run, a, nn_gen_xor);
}

static value *data_moons(lang_run *run, const args *a)
{
    return gen2(run, a, nn_gen_moons);
}

static value *data_circles(lang_run *run, const args *a)
{
    int n, seed;
    double noise, factor;
    nn_err err;
    if (arg_samples(run, a, 2, &n) < 0 || arg_num(run, a, "noise", &noise) < 0
        || arg_num(run, a, "factor", &factor) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    return wrap(run, a, nn_gen_circles(n, (float)noise, (float)factor,
                                     (uint64_t)seed, &err), &err);
}

static value *data_spirals(lang_run *run, const args *a)
{
    int k, n, seed;
    double noise;
    nn_err err;
    if (arg_int(run, a, "k", &k) < 0 || arg_samples(run, a, 2, &n) < 0
        || arg_num(run, a, "noise", &noise) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    return wrap(run, a, nn_gen_spirals(n, k, (float)noise, (uint64_t)seed,
                                     &err), &err);
}

static value *data_blobs(lang_run *run, const args *a)
{
    int k, d, n, seed;
    double spread, dd;
    nn_err err;
    /* d is read as a number first, so a huge d reports the memory the
     * samples would take rather than only that d is too big. */
    if (arg_int(run, a, "k", &k) < 0
        || arg_num_within(run, a, "d", 1, INFINITY, &dd) < 0
        || arg_samples(run, a, dd, &n) < 0 || arg_int(run, a, "d", &d) < 0
        || arg_num(run, a, "spread", &spread) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    return wrap(run, a, nn_gen_blobs(n, k, d, (float)spread, (uint64_t)seed,
                                   &err), &err);
}

static value *data_bundled(lang_run *run, const args *a)
{
    nn_err err;
    return wrap(run, a, nn_sets_load(a->fn->name, &err), &err);
}

/* The kind of a failed csv read: OSError when the system refused the
 * file (missing, not a regular file, no permission: what load says of
 * the same mistake), ValueError for bad contents. */
static const char *csv_error_kind(const nn_err *err)
{
    return err->kind == NN_ERR_OS ? "OSError" : "ValueError";
}

/* csv's task: NN_CSV_TASK_*, or -1 with a ValueError at the argument. */
static int csv_task(lang_run *run, const args *a)
{
    const char *task;
    /* the choices in the order of NN_CSV_TASK_AUTO, _CLASSIFY, _REGRESS */
    return arg_choice(run, a, "task", &task);
}

/* 1 when every class name of d is a number: the target was numeric. */
static int numeric_classes(const nn_data *d)
{
    for (int c = 0; c < d->n_classes; c++) {
        char *end;
        double v = strtod(d->class_names[c], &end);
        if (end == d->class_names[c] || *end || !isfinite(v))
            return 0;
    }
    return 1;
}

/* The one line csv prints when, not told, it decided what a numeric
 * target is: a continuous value or classes. A text target, or several
 * targets (a list says regression), say nothing. */
static void csv_said(lang_run *run, const nn_data *d, int task,
                     const char *column)
{
    if (task != NN_CSV_TASK_AUTO)
        return;
    char line[512];
    if (d->task == NN_TASK_REGRESS && d->n_targets == 1)
        snprintf(line, sizeof line, "csv: read target '%.100s' as a "
                 "continuous value (regression): its values are numbers, not "
                 "all whole or more than %d distinct; task=\"classification\" "
                 "reads it as classes\n", d->target_names[0],
                 NN_CSV_MAX_AUTO_CLASSES);
    else if (d->task == NN_TASK_CLASSIFY && numeric_classes(d))
        snprintf(line, sizeof line, "csv: read target '%.100s' as %d "
                 "class%s: its values are whole numbers, at most %d "
                 "distinct; task=\"regression\" reads it as numbers\n",
                 column, d->n_classes, d->n_classes == 1 ? "" : "es",
                 NN_CSV_MAX_AUTO_CLASSES);
    else
        return;
    run->out->stream(run->out->ctx, "stdout", line);
}

/* A list of column names for csv's target into opts (names borrowed
 * from the list, in *names: the caller frees it). Returns 0, or -1 with
 * the error at the argument. */
static int csv_targets(lang_run *run, const args *a, const value *t,
                       nn_csv_options *opts, const char ***names)
{
    int n = t->as.list.n, len, pos = arg_pos(a, "target", &len);
    if (n == 0)
        return lang_err_set(run->e, "ValueError", pos, len, "target=[] names "
                            "no column: give one name or a list of them");
    if (!(*names = malloc((size_t)n * sizeof **names)))
        return lang_err_oom(run->e, pos);
    for (int j = 0; j < n; j++) {
        const value *v = t->as.list.items[j];
        if (v->kind != V_STR)
            return lang_err_set(run->e, "TypeError", pos, len, "target item "
                                "%d is not a column name: a list of targets "
                                "holds names (strings)", j + 1);
        (*names)[j] = v->as.str;
    }
    opts->target = (*names)[0];
    if (n > 1) {
        opts->targets = *names;
        opts->n_targets = n;
    }
    return 0;
}

static value *data_csv(lang_run *run, const args *a)
{
    const char *path;
    char index[32];
    const char *target = NULL, **names = NULL;
    nn_err err;
    int task = csv_task(run, a);
    if (task < 0 || arg_str(run, a, "path", &path) < 0)
        return NULL;
    char column[NN_CSV_COLUMN_MAX];
    nn_csv_options opts = { .task = task, .poll = run->out->interrupted,
                            .poll_ctx = run->out->ctx, .column = column };
    value *t = arg_get(a, "target");
    if (t && t->kind == V_NUM) {
        int col;
        if (arg_int(run, a, "target", &col) < 0)
            return NULL;
        snprintf(index, sizeof index, "%d", col);
        target = index;
    } else if (t && t->kind == V_NONE) {
        target = NULL;
    } else if (t && t->kind == V_LIST) {
        if (csv_targets(run, a, t, &opts, &names) < 0) {
            free(names);
            return NULL;
        }
        target = opts.target;
    } else if (arg_str(run, a, "target", &target) < 0) {
        return NULL;
    }
    /* Reading a large file takes seconds: the reader polls for an
     * interrupt every 64 KiB and every 4096 rows. */
    opts.target = target;
    nn_data *d = nn_csv_read_with(path, &opts, &err);
    free(names);
    if (!d) {
        int len, pos = arg_pos(a, "path", &len);
        int stopped = run->out->interrupted(run->out->ctx);
        lang_err_engine(run->e, stopped ? "KeyboardInterrupt"
                                        : csv_error_kind(&err),
                        pos, len, NULL, &err);
        return NULL;
    }
    csv_said(run, d, task, column);
    return wrap(run, a, d, &err);
}

/* A list of two data values sharing `scaler` copies (either may be NULL). */
static value *pair(lang_run *run, const args *a, nn_data *p, nn_data *q,
                   const nn_scaler *scaler)
{
    value *l = value_list(2);
    if (l) {
        l->as.list.items[0] = value_data(p, NULL);
        if (l->as.list.items[0])
            p = NULL;
        l->as.list.items[1] = value_data(q, NULL);
        if (l->as.list.items[1])
            q = NULL;
    }
    for (int i = 0; l && i < 2; i++) {
        value *d = l->as.list.items[i];
        if (!d || (scaler
                   && !(d->as.data.scaler = value_scaler_copy(scaler)))) {
            value_unref(l);
            l = NULL;
        }
    }
    nn_data_free(p);
    nn_data_free(q);
    if (!l)
        lang_err_oom(run->e, a->call->pos);
    return l;
}

static value *data_split(lang_run *run, const args *a)
{
    value *d;
    double frac;
    int stratify, seed;
    if (arg_value(run, a, "data", &d) < 0
        || arg_num(run, a, "fraction", &frac) < 0
        || arg_bool(run, a, "stratify", &stratify) < 0
        || arg_int(run, a, "seed", &seed) < 0)
        return NULL;
    nn_data *p, *q;
    nn_err err;
    if (nn_data_split(d->as.data.set, frac, stratify, (uint64_t)seed, &p, &q,
                      &err) < 0) {
        lang_err_engine(run->e, "ValueError", a->call->pos, a->call->len,
                        NULL, &err);
        return NULL;
    }
    return pair(run, a, p, q, d->as.data.scaler);
}

/* A standardized copy of data value v with its own copy of scaler s; its
 * targets too, with the mean and std of tfit's, when tfit is not NULL. */
static value *standardized(const value *v, const nn_scaler *s,
                           const nn_data *tfit, nn_err *err)
{
    nn_data *c = nn_data_copy(v->as.data.set, NULL, err);
    if (!c)
        return NULL;
    nn_scaler_apply(s, c->x, c->n);
    if (tfit && nn_data_standardize_targets(c, tfit, err) < 0) {
        nn_data_free(c);
        return NULL;
    }
    nn_scaler *own = value_scaler_copy(s);
    value *r = own ? value_data(c, own) : NULL;
    if (!r) {
        nn_data_free(c);
        nn_scaler_free(own);
        nn_err_set(err, "out of memory");
    }
    return r;
}

static value *data_standardize(lang_run *run, const args *a)
{
    int target;
    if (arg_bool(run, a, "target", &target) < 0)
        return NULL;
    if (a->nrest == 0) {
        lang_err_set(run->e, "TypeError", a->call->pos, a->call->len,
                     "standardize needs data sets: train, test = "
                     "standardize(train, test)");
        return NULL;
    }
    for (int i = 0; i < a->nrest; i++) {
        const value *v = a->rest[i];
        const node *at = a->rest_at[i];
        const char *bad = NULL;
        if (v->kind != V_DATA)
            bad = value_kind_name(v);
        else if (v->as.data.scaler)
            bad = "already standardized";
        else if (target && v->as.data.set->task != NN_TASK_REGRESS)
            bad = "a classification set: target=true standardizes a "
                  "continuous target";
        if (bad) {
            lang_err_set(run->e,
                         v->kind == V_DATA ? "ValueError" : "TypeError",
                         at->pos, at->len, "standardize: argument %d is %s",
                         i + 1, bad);
            return NULL;
        }
        if (i > 0 && v->as.data.set->d != a->rest[0]->as.data.set->d) {
            lang_err_set(run->e, "ShapeError", at->pos, at->len,
                         "standardize: %s has %d features but %s has %d",
                         v->as.data.set->name, v->as.data.set->d,
                         a->rest[0]->as.data.set->name,
                         a->rest[0]->as.data.set->d);
            return NULL;
        }
    }
    nn_err err;
    nn_scaler *s = nn_scaler_fit(a->rest[0]->as.data.set, &err);
    if (!s) {
        lang_err_engine(run->e, "ValueError", a->rest_at[0]->pos,
                        a->rest_at[0]->len, NULL, &err);
        return NULL;
    }
    value *r = a->nrest == 1 ? NULL : value_list(a->nrest);
    int ok = a->nrest == 1 || r;
    for (int i = 0; ok && i < a->nrest; i++) {
        value *v = standardized(a->rest[i], s,
                                target ? a->rest[0]->as.data.set : NULL,
                                &err);
        ok = v != NULL;
        if (a->nrest == 1)
            r = v;
        else if (v)
            r->as.list.items[i] = v;
    }
    nn_scaler_free(s);
    if (!ok) {
        value_unref(r);
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    return r;
}

/* ---- the family ---------------------------------------------------- */

#define N(def) PARAM_INT("n", def, 1, MAX_N, "the number of samples")
#define NOISE(def) \
    PARAM_NUM("noise", def, 0, 10, "standard deviation of the added noise")
#define SEED PARAM_INT("seed", 0, 0, MAX_SEED, "the same seed, the same data")

static const param p_none[] = { PARAM_END };
static const param p_gen2[] = { N(200), NOISE(0.1), SEED, PARAM_END };
static const param p_circles[] = {
    N(200), NOISE(0.05),
    PARAM_NUM("factor", 0.5, 0.01, 0.99, "radius of the inner circle"),
    SEED, PARAM_END
};
static const param p_spirals[] = {
    PARAM_INT("k", 3, 2, 100, "the number of arms (classes)"),
    N(300), NOISE(0.1), SEED, PARAM_END
};
static const param p_blobs[] = {
    PARAM_INT("k", 3, 1, 1000, "the number of blobs (classes)"),
    PARAM_INT("d", 2, 1, 10000, "the number of features"),
    N(300),
    PARAM_NUM("spread", 1, 0, 100, "standard deviation of each blob"),
    SEED, PARAM_END
};
static const param p_csv[] = {
    PARAM_STR("path", NULL, "the CSV file, with a header row"),
    { "target", P_VALUE, 0, 0, 1 << 20, "none", V_NONE,
      "the target column: its name or 0-based index (none: the last), "
      "or a list of names: several targets (regression)", NULL },
    PARAM_CHOICE("task", "auto",
                 CHOICES("auto", "classification", "regression"),
                 "auto: numbers with a fraction or over 50 distinct values "
                 "are regression, else classes"),
    PARAM_END
};
static const param p_standardize[] = {
    PARAM_BOOL("target", 0,
               "standardize the continuous target of regression sets too"),
    PARAM_END
};
static const param p_split[] = {
    PARAM_VALUE("data", V_DATA, NULL, "the data set to split"),
    PARAM_NUM("fraction", 0.8, 0.0001, 0.9999,
              "the share of the samples in the first part"),
    PARAM_BOOL("stratify", 0, "split each class in the same proportion"),
    SEED, PARAM_END
};

static const builtin table[] = {
    { "xor", B_DATA, p_gen2, 0, 0, data_xor,
      "points in [-1, 1]^2, class 1 when x1*x2 < 0", { 0 } },
    { "moons", B_DATA, p_gen2, 0, 0, data_moons,
      "two interleaving half circles", { 0 } },
    { "circles", B_DATA, p_circles, 0, 0, data_circles,
      "a circle around a smaller circle", { 0 } },
    { "spirals", B_DATA, p_spirals, 0, 0, data_spirals,
      "k spiral arms, one class each", { 0 } },
    { "blobs", B_DATA, p_blobs, 0, 0, data_blobs,
      "k Gaussian blobs in d dimensions", { 0 } },
    { "iris", B_DATA, p_none, 0, 0, data_bundled,
      "Fisher's iris flowers: 150 samples, 4 features, 3 classes", { 0 } },
    { "wine", B_DATA, p_none, 0, 0, data_bundled,
      "wines of three cultivars: 178 samples, 13 features", { 0 } },
    { "breast_cancer", B_DATA, p_none, 0, 0, data_bundled,
      "breast tumours: 569 samples, 30 features, 2 classes", { 0 } },
    { "digits", B_DATA, p_none, 0, 0, data_bundled,
      "8x8 images of handwritten digits: 1797 samples, 10 classes",
      { 0 } },
    { "diabetes", B_DATA, p_none, 0, 0, data_bundled,
      "diabetes progression: 442 samples, 10 features, a continuous "
      "target", { 0 } },
    { "csv", B_FUNC, p_csv, 1, 0, data_csv,
      "reads a data set from a CSV file", { 0 } },
    { "split", B_FUNC, p_split, 1, 0, data_split,
      "shuffles and splits a data set in two", { 0 } },
    { "standardize", B_FUNC, p_standardize, 0, 1, data_standardize,
      "standardizes data sets with the mean and std of the first",
      { 0 } },
};

const builtin_family data_family = {
    "data", table, sizeof table / sizeof *table
};
