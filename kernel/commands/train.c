#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "nn_metrics.h"
#include "nn_safetensors.h"
#include "nn_train.h"
#include "draw.h"
#include "chart.h"
#include "classplot.h"
#include "confusion.h"
#include "show.h"
#include "text.h"
#include "train.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Fills an error pointing at the whole command; returns -1. */
static int stmt_err(ev *x, const args *a, const char *ename, const char *msg)
{
    return lang_err_set(x->e, ename, a->call->pos, a->call->len, "%s", msg);
}

/* The model of the net (argument 0), or NULL with a ValueError when it is
 * not built yet. */
static nn_model *trained(ev *x, const args *a, value *net)
{
    if (net->as.net.model)
        return net->as.net.model;
    int len, pos = arg_pos(a, 0, &len);
    lang_err_set(x->e, "ValueError", pos, len,
                 "the net is not built yet: fit it first (fit net on train)"
                 " or start it with input(d)");
    return NULL;
}

/* Frees n strings and the array holding them. */
static void strv_free(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* A malloc'd copy of n strings; NULL on OOM. */
static char **strv_dup(char *const *v, int n)
{
    char **c = calloc((size_t)n, sizeof *c);
    for (int i = 0; c && i < n; i++)
        if (!(c[i] = strdup(v[i]))) {
            strv_free(c, i);
            return NULL;
        }
    return c;
}

/* The names of the k classes a net predicts: those of the data it was fit
 * on, else "0".."k-1", made once and kept in the net (a loaded net, or one
 * not fit yet). NULL when memory runs out: tables then write numbers and
 * plots "class c". */
static const char *const *class_names(net_value *n, int k)
{
    if (n->n_classes == k)
        return (const char *const *)n->class_names;
    char **names = calloc((size_t)k, sizeof *names);
    int ok = names != NULL;
    for (int c = 0; ok && c < k; c++)
        ok = (names[c] = text_fmt("%d", c)) != NULL;
    if (!ok) {
        strv_free(names, k);
        return NULL;
    }
    strv_free(n->class_names, n->n_classes);
    n->class_names = names;
    n->n_classes = k;
    return (const char *const *)names;
}

/* Number of classes a model with `out` outputs predicts. */
static int n_classes_of(int out)
{
    return out == 1 ? 2 : out;
}

/* Remembers what the net was fit on: classes, features, scaler, data
 * name. */
static int remember_data(net_value *n, const value *data)
{
    const nn_data *d = data->as.data.set;
    char **classes = strv_dup(d->class_names, d->n_classes);
    char **features = strv_dup(d->feature_names, d->d);
    char *on = strdup(d->name);
    nn_scaler *s = value_scaler_copy(data->as.data.scaler);
    if (!classes || !features || !on || (!s && data->as.data.scaler)) {
        strv_free(classes, d->n_classes);
        strv_free(features, d->d);
        free(on);
        nn_scaler_free(s);
        return -1;
    }
    strv_free(n->class_names, n->n_classes);
    strv_free(n->feature_names, n->n_features);
    free(n->fit_on);
    nn_scaler_free(n->scaler);
    n->class_names = classes;
    n->n_classes = d->n_classes;
    n->feature_names = features;
    n->n_features = d->d;
    n->fit_on = on;
    n->scaler = s;
    return 0;
}

/* ---- decision boundary -------------------------------------------------- */

/* Feature j of every sample of d, malloc'd; NULL on OOM. */
static float *column(const nn_data *d, int j)
{
    float *c = malloc((size_t)d->n * sizeof *c + 1);
    for (int i = 0; c && i < d->n; i++)
        c[i] = d->x[(size_t)i * d->d + j];
    return c;
}

#define GRID 100

static void axis_range(const float *x, int n, int stride, float *lo, float *hi)
{
    float a = INFINITY, b = -INFINITY;
    for (int i = 0; i < n; i++) {
        a = fminf(a, x[(size_t)i * stride]);
        b = fmaxf(b, x[(size_t)i * stride]);
    }
    if (!(b > a)) {
        a -= 1;
        b += 1;
    }
    float pad = (b - a) * 0.05f;
    *lo = a - pad;
    *hi = b + pad;
}

/* The decision boundary of model m over the range of 2-D data `shown`
 * (points drawn in its coordinates; grid points go through scaler s first
 * when not NULL), under `title`, as SVG and text (malloc'd for the
 * caller). Returns 0, or -1 with both NULL when memory runs out. */
static int boundary_plot(nn_model *m, const nn_data *shown,
                         const nn_scaler *s, const char *const *names, int k,
                         const char *title, char **svg, char **text)
{
    int out = nn_model_out(m), cells = GRID * GRID;
    float x0, x1, y0, y1;
    axis_range(shown->x, shown->n, 2, &x0, &x1);
    axis_range(shown->x + 1, shown->n, 2, &y0, &y1);
    float *pts = malloc((size_t)cells * 2 * sizeof *pts);
    float *prob = malloc((size_t)cells * (size_t)out * sizeof *prob);
    int *grid = malloc((size_t)cells * sizeof *grid);
    float *conf = malloc((size_t)cells * sizeof *conf);
    float *px = column(shown, 0), *py = column(shown, 1);
    nn_err err;
    *svg = *text = NULL;
    if (pts && prob && grid && conf && px && py) {
        for (int j = 0; j < GRID; j++)
            for (int i = 0; i < GRID; i++) {
                float *pt = pts + 2 * (j * GRID + i);
                pt[0] = x0 + (i + 0.5f) * (x1 - x0) / GRID;
                pt[1] = y0 + (j + 0.5f) * (y1 - y0) / GRID;
            }
        if (s)
            nn_scaler_apply(s, pts, cells);
        if (nn_model_predict(m, pts, cells, prob, &err) == 0) {
            for (int c = 0; c < cells; c++) {
                const float *p = prob + (size_t)c * out;
                grid[c] = nn_predict_class(p, out);
                conf[c] = out == 1 ? fmaxf(p[0], 1 - p[0]) : p[grid[c]];
            }
            classplot_points pp = {
                .px = px, .py = py, .label = shown->y, .n = shown->n, .k = k,
                .class_names = names, .xlabel = shown->feature_names[0],
                .ylabel = shown->feature_names[1], .title = title,
            };
            classplot_grid g = { grid, conf, GRID, GRID, x0, x1, y0, y1 };
            *svg = classplot_boundary_svg(&pp, &g);
            *text = classplot_boundary_text(&pp, &g);
        }
    }
    free(pts);
    free(prob);
    free(grid);
    free(conf);
    free(px);
    free(py);
    return text_both(svg, text);
}

/* ---- fit ------------------------------------------------------------- */

#define CURVE_POINTS 1024 /* points kept of each curve, however many epochs */

typedef struct fit_run {
    ev *x;
    net_value *net;
    int base_epochs;            /* the net's epochs before this fit */
    const nn_data *data;        /* the training data */
    /* curve point i holds the values after epoch (i+1)*every; when the
     * arrays fill up, every other point is dropped and `every` doubles */
    float tl[CURVE_POINTS], vl[CURVE_POINTS];
    float ta[CURVE_POINTS], va[CURVE_POINTS];
    int points, every;
    nn_progress last;           /* the last completed epoch */
    int done, total, line_every, verbose, has_val, boundary, draw;
    float lr;                   /* the optimizer's learning rate */
    double last_draw, last_line;
    char curves_id[48], boundary_id[48], draw_id[48];
    int epoch, step, steps;     /* the last completed step */
    int draw_failed;
} fit_run;

/* Keeps the curve point of the epoch just completed, if it is one. */
static void record_point(fit_run *r, const nn_progress *p)
{
    if (r->done % r->every)
        return;
    if (r->points == CURVE_POINTS) {
        for (int i = 0; i < CURVE_POINTS / 2; i++) {
            r->tl[i] = r->tl[2 * i + 1];
            r->vl[i] = r->vl[2 * i + 1];
            r->ta[i] = r->ta[2 * i + 1];
            r->va[i] = r->va[2 * i + 1];
        }
        r->points = CURVE_POINTS / 2;
        r->every *= 2;
        if (r->done % r->every)
            return;
    }
    r->tl[r->points] = p->train_loss;
    r->vl[r->points] = p->val_loss;
    r->ta[r->points] = p->train_acc;
    r->va[r->points] = p->val_acc;
    r->points++;
}

/* The losses and accuracies of the last completed epoch, then `end`
 * ("training: epoch 0/N" before the first). malloc'd; NULL on OOM. */
static char *epoch_line(const fit_run *r, const char *end)
{
    const nn_progress *p = &r->last;
    if (r->done == 0)
        return text_fmt("training: epoch 0/%d%s", r->total, end);
    if (r->has_val)
        return text_fmt("epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  "
                        "val_acc %.4f%s", r->done, r->total, p->train_loss,
                        p->train_acc, p->val_loss, p->val_acc, end);
    return text_fmt("epoch %d/%d  loss %.4f  acc %.4f%s", r->done, r->total,
                    p->train_loss, p->train_acc, end);
}

/* Draws (update = 0) or redraws (update = 1) the live loss curves. */
static int draw_curves(fit_run *r, int update)
{
    char *title = text_fmt("training on %s: epoch %d/%d", r->data->name,
                           r->done, r->total);
    chart_curves c = {
        .train_loss = r->tl, .val_loss = r->has_val ? r->vl : NULL,
        .train_acc = r->ta, .val_acc = r->has_val ? r->va : NULL,
        .n = r->points, .every = r->every, .total = r->total, .title = title,
    };
    char *svg = title ? chart_curves_svg(&c) : NULL;
    char *text = title ? chart_curves_text(&c) : NULL;
    free(title);
    return show_plot(r->x, svg, text, r->curves_id, update);
}

/* Draws or redraws the live decision boundary over the training data. */
static int draw_boundary(fit_run *r, int update)
{
    const nn_data *d = r->data;
    nn_model *m = r->net->model;
    int k = n_classes_of(nn_model_out(m));
    char *title = text_fmt("decision boundary on %s: epoch %d/%d", d->name,
                           r->done, r->total);
    char *svg = NULL, *text = NULL;
    if (title)
        boundary_plot(m, d, NULL, d->n_classes == k
                      ? (const char *const *)d->class_names : NULL, k, title,
                      &svg, &text);
    free(title);
    return show_plot(r->x, svg, text, r->boundary_id, update);
}

/* Keeps the run's curves in the net for plot [net, ...]. Returns 0, or
 * -1 on OOM (the net keeps its earlier curves). */
static int remember_curves(net_value *n, const fit_run *r)
{
    size_t pts = (size_t)r->points;
    float *c = malloc(4 * pts * sizeof *c + 1);
    if (!c)
        return -1;
    memcpy(c, r->tl, pts * sizeof *c);
    memcpy(c + pts, r->vl, pts * sizeof *c);
    memcpy(c + 2 * pts, r->ta, pts * sizeof *c);
    memcpy(c + 3 * pts, r->va, pts * sizeof *c);
    free(n->curve);
    n->curve = c;
    n->curve_n = r->points;
    n->curve_every = r->every;
    n->curve_total = r->done;
    n->curve_val = r->has_val;
    return 0;
}

/* Draws every live plot of the run. */
static int draw_live(fit_run *r, int update)
{
    r->last_draw = now_s();
    return draw_curves(r, update) < 0
           || (r->boundary && draw_boundary(r, update) < 0)
           || (r->draw && draw_show(r->x, r->net, r->data->d == 2 ? r->data
                                    : NULL, r->draw_id, update) < 0) ? -1 : 0;
}

static void progress_line(fit_run *r)
{
    char *s = epoch_line(r, "\n");
    if (s)
        r->x->out->stream(r->x->out->ctx, "stdout", s);
    free(s);
    r->last_line = now_s();
}

/* After each step: records finished epochs, prints a progress line every
 * tenth of the epochs (and at least every 10 s), redraws the live plots
 * at most five times a second. Nonzero stops training. */
static int on_progress(void *ctx, const nn_progress *p)
{
    fit_run *r = ctx;
    const interp_out *out = r->x->out;
    r->epoch = p->epoch;
    r->step = p->step;
    r->steps = p->steps;
    if (p->epoch_done && r->done < r->total) {
        r->done++;
        r->net->epochs = r->base_epochs + r->done;
        r->last = *p;
        record_point(r, p);
        double t = now_s();
        if (r->verbose && (r->done % r->line_every == 0 || r->done == 1
                           || t - r->last_line >= 10))
            progress_line(r);
        if (t - r->last_draw >= 0.2 && draw_live(r, 1) < 0)
            r->draw_failed = 1;
    }
    return out->interrupted(out->ctx) || r->draw_failed;
}

/* Reads the optimizer and schedule options into o. */
static int fit_optim(ev *x, const args *a, nn_optim_spec *o)
{
    value *opt, *sched;
    if (arg_value(x, a, 4, V_OPTIM, &opt) < 0
        || arg_value(x, a, 10, V_SCHED, &sched) < 0)
        return -1;
    *o = opt ? opt->as.optim : nn_optim_defaults(NN_ADAM);
    if (sched) {
        o->schedule = sched->as.sched.kind;
        o->step_size = sched->as.sched.step_size;
        o->gamma = sched->as.sched.gamma;
        o->t_max = sched->as.sched.t_max;
        o->eta_min = sched->as.sched.eta_min;
    }
    return 0;
}

static int fit_loss(ev *x, const args *a, nn_loss_kind *loss)
{
    const char *name;
    if (arg_str(x, a, 5, "auto", &name) < 0)
        return -1;
    int k = nn_loss_kind_from_name(name);
    if (k >= 0) {
        *loss = (nn_loss_kind)k;
        return 0;
    }
    static const char *const names[] = { "auto", "bce", "cross_entropy",
                                         "mse" };
    int len, pos = arg_pos(a, 5, &len);
    lang_err_set(x->e, "ValueError", pos, len,
                 "unknown loss \"%s\" (auto, bce, cross_entropy or mse)", name);
    diag_suggest(x->e, name, names, 4);
    return -1;
}

/* Reads fit's arguments: the net, the data, the validation data (NULL when
 * not given), the training options (all but the progress callback) and
 * verbose. Returns 0, or -1 with the error at the argument. */
static int fit_args(ev *x, const args *a, value **net, value **data,
                    value **val, nn_train_opts *o, int *verbose)
{
    int epochs, batch, patience, restore, seed, shuffle;
    double min_delta;
    *o = nn_train_defaults();
    if (arg_value(x, a, 0, V_NET, net) < 0
        || arg_value(x, a, 1, V_DATA, data) < 0
        || arg_int(x, a, 2, 100, 1, 2147483647, &epochs) < 0
        || arg_int(x, a, 3, 32, 1, 1 << 30, &batch) < 0
        || fit_optim(x, a, &o->optim) < 0 || fit_loss(x, a, &o->loss) < 0
        || arg_value(x, a, 6, V_DATA, val) < 0
        || arg_int(x, a, 7, 0, 0, 10000000, &patience) < 0
        || arg_num(x, a, 8, 0, 0, INFINITY, &min_delta) < 0
        || arg_bool(x, a, 9, 1, &restore) < 0
        || arg_int(x, a, 11, 0, 0, 2147483647, &seed) < 0
        || arg_bool(x, a, 12, 1, &shuffle) < 0
        || arg_bool(x, a, 13, 1, verbose) < 0)
        return -1;
    o->epochs = epochs;
    o->batch = batch;
    o->seed = (uint64_t)seed;
    o->shuffle = shuffle;
    o->val = *val ? (*val)->as.data.set : NULL;
    o->patience = patience;
    o->min_delta = (float)min_delta;
    o->restore_best = restore;
    return 0;
}

/* Warns (stderr) when raw features are large: such data trains badly or
 * not at all (saturated activations), and the fix is one line. */
static void fit_warn_scale(ev *x, const value *data)
{
    const nn_data *d = data->as.data.set;
    if (data->as.data.scaler)
        return;
    int worst = -1;
    float top = 100.0f;
    for (size_t i = 0; i < (size_t)d->n * d->d; i++)
        if (fabsf(d->x[i]) > top) {
            top = fabsf(d->x[i]);
            worst = (int)(i % (size_t)d->d);
        }
    if (worst < 0)
        return;
    char *msg = text_fmt("warning: feature '%s' of %s reaches %g; nets "
                         "train best on standardized data: train, test = "
                         "standardize(train, test)\n",
                         d->feature_names[worst], d->name, (double)top);
    if (msg)
        x->out->stream(x->out->ctx, "stderr", msg);
    free(msg);
}

/* Checks data, validation data and net fit together; builds the net. */
static int fit_check(ev *x, const args *a, value *net, const value *data,
                     const value *val, nn_loss_kind loss, uint64_t seed)
{
    net_value *n = &net->as.net;
    const nn_data *d = data->as.data.set;
    nn_err err;
    /* A net whose width came from other data and that was never trained
     * is rebuilt for this data. */
    int rebuild = n->model && !n->in_fixed && n->epochs == 0 && n->in != d->d;
    if ((!n->model || rebuild)
        && net_build(x, net, n->in_fixed ? n->in : d->d, seed, a->call) < 0)
        return -1;
    if (nn_train_check(n->model, d, loss, &err) < 0)
        return stmt_err(x, a, "ShapeError", err.msg);
    if (!val)
        return 0;
    const nn_data *v = val->as.data.set;
    if (nn_train_check(n->model, v, loss, &err) < 0)
        return stmt_err(x, a, "ShapeError", err.msg);
    if (!data->as.data.scaler != !val->as.data.scaler) {
        int len, pos = arg_pos(a, 6, &len);
        return lang_err_set(x->e, "ValueError", pos, len,
                            "%s is standardized but %s is not: standardize "
                            "both together (%s, %s = standardize(%s, %s))",
                            data->as.data.scaler ? d->name : v->name,
                            data->as.data.scaler ? v->name : d->name,
                            d->name, v->name, d->name, v->name);
    }
    return 0;
}

static void fit_summary(fit_run *r, const nn_history *h, double secs)
{
    char line[512];
    int e = h->epochs - 1;
    size_t n = (size_t)snprintf(line, sizeof line,
                                "trained %d epoch%s in %.*f %s: loss %.4f  "
                                "acc %.4f", h->epochs,
                                h->epochs == 1 ? "" : "s",
                                secs < 1 ? 1 : 2, secs < 1 ? secs * 1e3 : secs,
                                secs < 1 ? "ms" : "s",
                                (double)h->train_loss[e],
                                (double)h->train_acc[e]);
    if (r->has_val && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              "  val_loss %.4f  val_acc %.4f",
                              (double)h->val_loss[e], (double)h->val_acc[e]);
    if (h->early_stopped && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              "; stopped early, best epoch %d",
                              h->best_epoch + 1);
    if (n < sizeof line - 1)
        strcat(line, "\n");
    r->x->out->stream(r->x->out->ctx, "stdout", line);
    /* a loss that ends above where it started: the steps overshoot */
    if (h->epochs >= 5 && h->train_loss[e] > h->train_loss[0]) {
        char *warn = text_fmt("warning: the loss rose from %.4f after epoch "
                              "1 to %.4f: the learning rate (lr=%g) is "
                              "probably too high; try lr=%g\n",
                              (double)h->train_loss[0],
                              (double)h->train_loss[e], (double)r->lr,
                              (double)r->lr / 10);
        if (warn)
            r->x->out->stream(r->x->out->ctx, "stderr", warn);
        free(warn);
    }
}

/* How fit ends, from the code of nn_train (-2: out of memory after it):
 * the error, or the summary line and none. */
static value *fit_end(ev *x, const args *a, int rc, const nn_err *err,
                      fit_run *r, const nn_history *h, double t0)
{
    if (rc == -1)
        stmt_err(x, a, "ValueError", err->msg);
    else if (rc == -2 || r->draw_failed)
        lang_err_oom(x->e, a->call->pos);
    else if (rc == 1 && r->steps == 0)
        lang_err_set(x->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted before its first step; the net is "
                     "unchanged");
    else if (rc == 1)
        lang_err_set(x->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted in epoch %d/%d at step %d/%d; the net "
                     "keeps the weights of its last completed step (%d full "
                     "epoch%s done)", r->epoch + 1, r->total, r->step,
                     r->steps, h->epochs, h->epochs == 1 ? "" : "s");
    else {
        if (h->epochs > 0)
            fit_summary(r, h, now_s() - t0);
        return builtin_none(x, a);
    }
    return NULL;
}

value *train_fit(ev *x, const args *a)
{
    static unsigned fit_count;
    value *net, *data, *val;
    int verbose, boundary, draw;
    nn_train_opts o;
    if (fit_args(x, a, &net, &data, &val, &o, &verbose) < 0
        || arg_bool(x, a, 14, 0, &boundary) < 0
        || arg_bool(x, a, 15, 0, &draw) < 0)
        return NULL;
    const nn_data *d = data->as.data.set;
    if (boundary && d->d != 2) {
        int len, pos = arg_pos(a, 14, &len);
        lang_err_set(x->e, "ShapeError", pos, len,
                     "a live decision boundary needs 2 features: %s has %d",
                     d->name, d->d);
        return NULL;
    }
    if (fit_check(x, a, net, data, val, o.loss, o.seed) < 0)
        return NULL;
    if (verbose)
        fit_warn_scale(x, data);
    fit_run *r = calloc(1, sizeof *r);
    if (!r) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    *r = (fit_run){
        .x = x, .net = &net->as.net,
        .base_epochs = net->as.net.epochs, .draw = draw, .data = d, .every = 1,
        .total = o.epochs, .line_every = o.epochs >= 10 ? o.epochs / 10 : 1,
        .verbose = verbose, .has_val = val != NULL, .boundary = boundary,
        .lr = o.optim.lr, .last_line = now_s(),
    };
    unsigned id = ++fit_count;
    snprintf(r->curves_id, sizeof r->curves_id, "cnn-fit-%d-%u",
             (int)getpid(), id);
    snprintf(r->boundary_id, sizeof r->boundary_id, "cnn-boundary-%d-%u",
             (int)getpid(), id);
    snprintf(r->draw_id, sizeof r->draw_id, "cnn-draw-%d-%u", (int)getpid(),
             id);
    o.progress = on_progress;
    o.ctx = r;
    double t0 = now_s();
    if (draw_live(r, 0) < 0) {
        free(r);
        return NULL;
    }
    nn_history h;
    memset(&h, 0, sizeof h);
    nn_err err;
    int rc = nn_train(net->as.net.model, d, &o, &h, &err);
    net->as.net.epochs = r->base_epochs;
    if (rc >= 0 && h.epochs > 0) {
        net->as.net.epochs += h.epochs;
        if (remember_data(&net->as.net, data) < 0)
            rc = -2;
    }
    if (rc >= 0 && r->done > 0
        && (draw_live(r, 1) < 0 || remember_curves(&net->as.net, r) < 0))
        rc = -2;
    value *result = fit_end(x, a, rc, &err, r, &h, t0);
    nn_history_free(&h);
    free(r);
    return result;
}

/* Shows html and text (taken; either NULL when making it failed) as what
 * a command displays. Returns none, or NULL with the error set. */
static value *shown(ev *x, const args *a, char *html, char *text)
{
    if (show_display(x, html, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(x, a);
}

/* ---- data the net sees ------------------------------------------------ */

const nn_data *train_view(ev *x, const args *a, const net_value *n,
                          const value *data, nn_data **copy, char **note)
{
    const nn_data *d = data->as.data.set;
    *copy = NULL;
    if (note)
        *note = NULL;
    if (!n->scaler || data->as.data.scaler)
        return d;
    nn_err err;
    if (!(*copy = nn_data_copy(d, NULL, &err))
        || (note && !(*note = text_fmt("%s is standardized with the scaler "
                                       "of %s, the data the net was fit on",
                                       d->name, n->fit_on)))) {
        nn_data_free(*copy);
        *copy = NULL;
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    nn_scaler_apply(n->scaler, (*copy)->x, (*copy)->n);
    return *copy;
}

static int check_width(ev *x, const args *a, nn_model *m, const nn_data *d)
{
    if (nn_model_in(m) == d->d)
        return 0;
    int len, pos = arg_pos(a, 1, &len);
    return lang_err_set(x->e, "ShapeError", pos, len,
                        "the net takes %d features, but %s has %d",
                        nn_model_in(m), d->name, d->d);
}

/* ---- evaluate ------------------------------------------------------------ */

static int metrics_tables(const nn_metrics *mt, char **html, char **text)
{
    const char *avg = mt->k > 2 ? " (macro)" : "";
    static const char *const head[] = { "metric", "value" };
    char *cells[10] = { 0 };
    cells[0] = text_fmt("accuracy");
    cells[1] = text_fmt("%.4f", mt->accuracy);
    cells[2] = text_fmt("precision%s", avg);
    cells[3] = text_fmt("%.4f", mt->precision);
    cells[4] = text_fmt("recall%s", avg);
    cells[5] = text_fmt("%.4f", mt->recall);
    cells[6] = text_fmt("F1%s", avg);
    cells[7] = text_fmt("%.4f", mt->f1);
    cells[8] = text_fmt("log loss");
    cells[9] = text_fmt("%.4f", mt->log_loss);
    int ok = 1;
    for (int i = 0; i < 10; i++)
        ok = ok && cells[i];
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, 5, 2, html, text) == 0;
    for (int i = 0; i < 10; i++)
        free(cells[i]);
    return ok ? 0 : -1;
}

/* Precision, recall, F1 and support of each class (as sklearn's
 * classification_report) as HTML and text. Returns 0, or -1 with both
 * NULL on OOM. */
static int class_tables(const nn_metrics *mt, const char *const *names,
                        char **html, char **text)
{
    static const char *const head[] = { "class", "precision", "recall", "F1",
                                        "support" };
    int k = mt->k, n = 5 * k;
    char **cells = calloc((size_t)n, sizeof *cells);
    int ok = cells != NULL;
    for (int c = 0; ok && c < k; c++) {
        char **row = cells + 5 * c;
        row[0] = names ? strdup(names[c]) : text_fmt("%d", c);
        row[1] = text_fmt("%.4f", mt->class_precision[c]);
        row[2] = text_fmt("%.4f", mt->class_recall[c]);
        row[3] = text_fmt("%.4f", mt->class_f1[c]);
        row[4] = text_fmt("%d", mt->support[c]);
        for (int j = 0; j < 5; j++)
            ok = ok && row[j];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, k, 5, html, text) == 0;
    strv_free(cells, cells ? n : 0);
    return ok ? 0 : -1;
}

#define EVAL_CHUNK 8192 /* rows predicted between interrupt checks */

/* The metrics of model m over d (k classes). Returns 0, or -1 with the
 * error set (mt then holds nothing to free). */
static int evaluate_metrics(ev *x, const args *a, nn_model *m,
                            const nn_data *d, int k, nn_metrics *mt)
{
    int out = nn_model_out(m);
    nn_err err;
    float *prob = malloc((size_t)d->n * (size_t)out * sizeof *prob + 1);
    int *pred = malloc((size_t)d->n * sizeof *pred + 1);
    int rc = 0;
    if (!prob || !pred)
        rc = lang_err_oom(x->e, a->call->pos);
    /* in chunks, so that an interrupt stops a long evaluation */
    for (int i = 0; rc == 0 && i < d->n; i += EVAL_CHUNK) {
        int rows = d->n - i < EVAL_CHUNK ? d->n - i : EVAL_CHUNK;
        if (x->out->interrupted(x->out->ctx))
            rc = lang_err_set(x->e, "KeyboardInterrupt", a->call->pos,
                              a->call->len, "evaluate interrupted after %d "
                              "of %d samples", i, d->n);
        else if (nn_model_predict(m, d->x + (size_t)i * d->d, rows,
                                  prob + (size_t)i * out, &err) < 0)
            rc = stmt_err(x, a, "MemoryError", err.msg);
    }
    if (rc == 0) {
        for (int i = 0; i < d->n; i++)
            pred[i] = nn_predict_class(prob + (size_t)i * out, out);
        if (nn_metrics_compute(mt, d->y, pred, prob, out, d->n, k, &err) < 0)
            rc = stmt_err(x, a, "ValueError", err.msg);
    }
    free(prob);
    free(pred);
    return rc;
}

/* Shows the metrics and confusion matrix of mt over d (the data the net
 * saw), and with `boundary` over 2-D data the decision boundary drawn over
 * `data` as the user gave it (grid points through boundary_s when it is
 * not NULL). Returns none, or NULL with the error set. */
static value *evaluate_show(ev *x, const args *a, nn_model *m,
                            net_value *n, const value *data,
                            const nn_data *d, const char *note,
                            const nn_metrics *mt, int boundary,
                            const nn_scaler *boundary_s)
{
    int k = mt->k;
    const char *const *names = class_names(n, k);
    char *mh = NULL, *mtx = NULL, *kh = NULL, *kt = NULL;
    char *ch = confusion_html(mt->confusion, k, names);
    char *ct = confusion_text(mt->confusion, k, names);
    char *html = NULL, *text = NULL;
    if (metrics_tables(mt, &mh, &mtx) == 0
        && class_tables(mt, names, &kh, &kt) == 0 && ch && ct) {
        const char *sep = note ? "; " : "";
        note = note ? note : "";
        html = text_fmt("<div><p><b>%s</b>: %d samples%s%s</p>%s<p>per "
                        "class</p>%s<p>confusion matrix (rows: true class, "
                        "columns: predicted)</p>%s</div>", d->name, d->n, sep,
                        note, mh, kh, ch);
        text = text_fmt("%s: %d samples%s%s\n%s\nper class\n%s\nconfusion "
                        "matrix (rows: true class, columns: predicted)\n%s",
                        d->name, d->n, sep, note, mtx, kt, ct);
    }
    free(mh);
    free(mtx);
    free(kh);
    free(kt);
    free(ch);
    free(ct);
    if (show_display(x, html, text, NULL, 0) < 0)
        return NULL;
    if (boundary && d->d == 2) {
        const nn_data *shown_d = data->as.data.set;
        char *title = text_fmt("decision boundary on %s", shown_d->name);
        char *svg = NULL, *btext = NULL;
        if (title)
            boundary_plot(m, shown_d, boundary_s, names, k, title, &svg,
                          &btext);
        free(title);
        if (show_plot(x, svg, btext, NULL, 0) < 0)
            return NULL;
    }
    return builtin_none(x, a);
}

value *train_evaluate(ev *x, const args *a)
{
    value *net, *data;
    int boundary;
    nn_model *m;
    if (arg_value(x, a, 0, V_NET, &net) < 0
        || arg_value(x, a, 1, V_DATA, &data) < 0
        || arg_bool(x, a, 2, 1, &boundary) < 0 || !(m = trained(x, a, net)))
        return NULL;
    net_value *n = &net->as.net;
    nn_data *copy;
    char *note;
    const nn_data *d = train_view(x, a, n, data, &copy, &note);
    if (!d)
        return NULL;
    value *result = NULL;
    nn_metrics mt;
    memset(&mt, 0, sizeof mt);
    int k = n_classes_of(nn_model_out(m));
    if (check_width(x, a, m, d) < 0)
        goto done;
    if (d->n_classes > k) {
        lang_err_set(x->e, "ShapeError", a->call->pos, a->call->len,
                     "%s has %d classes, but the net predicts %d", d->name,
                     d->n_classes, k);
        goto done;
    }
    if (evaluate_metrics(x, a, m, d, k, &mt) == 0)
        result = evaluate_show(x, a, m, n, data, d, note, &mt, boundary,
                               copy ? n->scaler : NULL);
done:
    nn_metrics_free(&mt);
    free(note);
    nn_data_free(copy);
    return result;
}

/* ---- predict ---------------------------------------------------------- */

/* Literal rows ([[1, 2], [3, 4]] or one row [1, 2]) as an n x d block. */
static float *literal_rows(ev *x, const args *a, const value *v, int *n,
                           int *d)
{
    int len, pos = arg_pos(a, 1, &len);
    int nested = v->as.list.n > 0 && v->as.list.items[0]->kind == V_LIST;
    int rows = nested ? v->as.list.n : 1;
    int width = nested ? v->as.list.items[0]->as.list.n : v->as.list.n;
    if (rows == 0 || width == 0) {
        lang_err_set(x->e, "ValueError", pos, len,
                     "predict needs at least one row with values, e.g. "
                     "predict net [[0.5, -0.2]]");
        return NULL;
    }
    float *buf = malloc((size_t)rows * (size_t)width * sizeof *buf);
    if (!buf) {
        lang_err_oom(x->e, pos);
        return NULL;
    }
    for (int i = 0; i < rows; i++) {
        const value *row = nested ? v->as.list.items[i] : v;
        if (row->kind != V_LIST || row->as.list.n != width) {
            lang_err_set(x->e, "ShapeError", pos, len,
                         "row %d has %d values but row 1 has %d: every row "
                         "needs the same number of features", i + 1,
                         row->kind == V_LIST ? row->as.list.n : 1, width);
            free(buf);
            return NULL;
        }
        for (int j = 0; j < width; j++) {
            const value *c = row->as.list.items[j];
            if (c->kind != V_NUM) {
                lang_err_set(x->e, "TypeError", pos, len,
                             "row %d, value %d is %s, not a number", i + 1,
                             j + 1, value_kind_name(c));
                free(buf);
                return NULL;
            }
            buf[(size_t)i * width + j] = (float)c->as.num;
        }
    }
    *n = rows;
    *d = width;
    return buf;
}

/* The prediction table: row, inputs, [true class], class, probabilities. */
static int predict_table(net_value *n, int out, const float *shown_x,
                         int rows, int d, const int *truth,
                         const char *const *truth_names, const float *prob,
                         char **html, char **text)
{
    int k = n_classes_of(out);
    int kshow = k <= 10 ? k : 0;
    int cols = 3 + (truth ? 1 : 0) + kshow;
    const char *const *names = class_names(n, k);
    const char **head = calloc((size_t)cols, sizeof *head);
    char **hcells = calloc((size_t)kshow + 1, sizeof *hcells);
    char **cells = calloc((size_t)rows * cols + 1, sizeof *cells);
    int ok = head && hcells && cells, c = 0;
    if (ok) {
        head[c++] = "row";
        head[c++] = "input";
        if (truth)
            head[c++] = "true";
        head[c++] = "predicted";
        for (int j = 0; ok && j < kshow; j++)
            ok = (head[c++] = hcells[j] = (names ? text_fmt("P(%s)", names[j]) : text_fmt("P(%d)", j)))
                 != NULL;
    }
    for (int i = 0; ok && i < rows; i++) {
        const float *p = prob + (size_t)i * out;
        int cls = nn_predict_class(p, out);
        char **r = cells + (size_t)i * cols;
        char in[160];
        size_t w = 0;
        for (int j = 0; j < d && w < sizeof in - 16; j++)
            w += (size_t)snprintf(in + w, sizeof in - w, "%s%.4g",
                                  j ? ", " : "[", shown_x[(size_t)i * d + j]);
        snprintf(in + w, sizeof in - w, "%s", d > 0 && w < sizeof in - 16
                 ? "]" : ", ...]");
        c = 0;
        r[c++] = text_fmt("%d", i + 1);
        r[c++] = strdup(in);
        if (truth)
            r[c++] = strdup(truth_names[truth[i]]);
        r[c++] = names ? strdup(names[cls]) : text_fmt("%d", cls);
        for (int j = 0; j < kshow; j++)
            r[c++] = text_fmt("%.4f", out == 1 ? (j ? p[0] : 1 - p[0])
                                               : p[j]);
        for (int j = 0; j < cols; j++)
            ok = ok && r[j];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, cols, html, text) == 0;
    for (int j = 0; hcells && j < kshow; j++)
        free(hcells[j]);
    free(hcells);
    free(head);
    for (int i = 0; cells && i < rows * cols; i++)
        free(cells[i]);
    free(cells);
    return ok ? 0 : -1;
}

/* The rows predict runs the net on. */
typedef struct predict_rows {
    const nn_data *set;   /* the data set given (as given), or NULL */
    float *raw;           /* literal rows as written, or NULL */
    float *scaled;        /* raw standardized for the net, or NULL */
    nn_data *copy;        /* set standardized for the net, or NULL */
    const float *in;      /* what the net sees: rows x d */
    int rows, d;
    char *note;           /* how the rows were standardized, or NULL */
    char *more;           /* the rows past limit, or NULL */
} predict_rows;

static void predict_rows_free(predict_rows *p)
{
    free(p->raw);
    free(p->scaled);
    nn_data_free(p->copy);
    free(p->note);
    free(p->more);
}

/* Reads predict's rows (literal rows or a data set, at most `limit` of a
 * set) into p, standardized with the net's scaler when it has one.
 * Returns 0, or -1 with the error set; p is to be freed either way. */
static int predict_read(ev *x, const args *a, const net_value *n,
                        int limit, predict_rows *p)
{
    const value *v = a->v[1];
    memset(p, 0, sizeof *p);
    if (v->kind != V_LIST && v->kind != V_DATA) {
        int len, pos = arg_pos(a, 1, &len);
        return lang_err_set(x->e, "TypeError", pos, len,
                            "predict takes rows ([[0.5, -0.2], [1, 0.3]]) "
                            "or a data set, not %s", value_kind_name(v));
    }
    if (v->kind == V_DATA) {
        const nn_data *seen = train_view(x, a, n, v, &p->copy, &p->note);
        if (!seen)
            return -1;
        p->set = v->as.data.set;
        p->rows = seen->n < limit ? seen->n : limit;
        p->d = seen->d;
        p->in = seen->x;
        if (seen->n > p->rows
            && !(p->more = text_fmt("... %d more rows (limit=%d)",
                                    seen->n - p->rows, limit)))
            return lang_err_oom(x->e, a->call->pos);
        return 0;
    }
    if (!(p->raw = literal_rows(x, a, v, &p->rows, &p->d)))
        return -1;
    p->in = p->raw;
    if (p->d != nn_model_in(n->model) || !n->scaler)
        return 0;
    size_t size = (size_t)p->rows * p->d * sizeof *p->scaled;
    p->scaled = malloc(size);
    p->note = text_fmt("rows standardized with the scaler of %s, the data "
                       "the net was fit on", n->fit_on);
    if (!p->scaled || !p->note)
        return lang_err_oom(x->e, a->call->pos);
    memcpy(p->scaled, p->raw, size);
    nn_scaler_apply(n->scaler, p->scaled, p->rows);
    p->in = p->scaled;
    return 0;
}

value *train_predict(ev *x, const args *a)
{
    value *net;
    int limit;
    nn_model *m;
    if (arg_value(x, a, 0, V_NET, &net) < 0
        || arg_int(x, a, 2, 20, 1, 1 << 30, &limit) < 0
        || !(m = trained(x, a, net)))
        return NULL;
    net_value *n = &net->as.net;
    int out = nn_model_out(m);
    float *prob = NULL;
    value *result = NULL;
    nn_err err;
    predict_rows p;
    if (predict_read(x, a, n, limit, &p) < 0)
        goto done;
    if (p.d != nn_model_in(m)) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "ShapeError", pos, len, "the net takes %d "
                     "feature%s per row, but %s %d", nn_model_in(m),
                     nn_model_in(m) == 1 ? "" : "s",
                     p.set ? "the data set has" : "the rows have", p.d);
        goto done;
    }
    if (!(prob = malloc((size_t)p.rows * out * sizeof *prob))) {
        lang_err_oom(x->e, a->call->pos);
        goto done;
    }
    if (nn_model_predict(m, p.in, p.rows, prob, &err) < 0) {
        stmt_err(x, a, "MemoryError", err.msg);
        goto done;
    }
    char *th, *tt;
    if (predict_table(n, out, p.set ? p.set->x : p.raw, p.rows, p.d,
                      p.set ? p.set->y : NULL,
                      p.set ? (const char *const *)p.set->class_names : NULL,
                      prob, &th, &tt) < 0) {
        lang_err_oom(x->e, a->call->pos);
        goto done;
    }
    const char *note = p.note ? p.note : "", *more = p.more ? p.more : "";
    char *html = text_fmt("<div>%s%s%s%s%s</div>", p.note ? "<p>" : "", note,
                          p.note ? "</p>" : "", th, more);
    char *text = text_fmt("%s%s%s%s%s", note, p.note ? "\n" : "", tt,
                          p.more ? "\n" : "", more);
    free(th);
    free(tt);
    result = shown(x, a, html, text);
done:
    free(prob);
    predict_rows_free(&p);
    return result;
}

/* ---- plot, summary, save, load ------------------------------------------ */

static value *plot_scatter(ev *x, const args *a, const value *data)
{
    const nn_data *d = data->as.data.set;
    int fx, fy;
    if (arg_int(x, a, 2, 0, 0, d->d - 1, &fx) < 0
        || arg_int(x, a, 3, d->d > 1 ? 1 : 0, 0, d->d - 1, &fy) < 0)
        return NULL;
    char *svg = NULL, *text = NULL;
    if (show_scatter(d, fx, fy, &svg, &text) < 0) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    if (d->d > 2)
        text = text_cat(text, text_fmt("(other features: plot %s, x=2, "
                                       "y=3)\n", d->name));
    if (show_plot(x, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(x, a);
}

static value *plot_boundary(ev *x, const args *a, value *net, value *data)
{
    nn_model *m = trained(x, a, net);
    if (!m)
        return NULL;
    net_value *n = &net->as.net;
    const nn_data *d = data->as.data.set;
    if (d->d != 2 || nn_model_in(m) != 2) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "ShapeError", pos, len,
                     "a decision boundary needs 2 features: %s has %d "
                     "(plot %s draws its points)", d->name, d->d, d->name);
        return NULL;
    }
    int k = n_classes_of(nn_model_out(m));
    const char *const *names = class_names(n, k);
    const nn_scaler *s = n->scaler && !data->as.data.scaler ? n->scaler : NULL;
    char *title = text_fmt("decision boundary on %s", d->name);
    char *svg = NULL, *text = NULL;
    if (title)
        boundary_plot(m, d, s, names, k, title, &svg, &text);
    free(title);
    if (show_plot(x, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(x, a);
}

/* plot [net, ...]: the curves of each net's last fit on one chart, each
 * named as written in the list. */
static value *plot_compare(ev *x, const args *a, const value *list)
{
    int n = list->as.list.n;
    const node *at = a->at[0];
    if (n < 1 || n > 10 || at->kind != N_LIST) {
        int len, pos = arg_pos(a, 0, &len);
        lang_err_set(x->e, "ValueError", pos, len, "plot compares 1 to 10 "
                     "nets, written in a list: plot [net1, net2]");
        return NULL;
    }
    chart_curves runs[10];
    char *names[10] = { 0 };
    int ok = 1;
    for (int i = 0; ok && i < n; i++) {
        const value *v = list->as.list.items[i];
        const node *k = at->kids[i];
        if (v->kind != V_NET || !v->as.net.curve) {
            lang_err_set(x->e, v->kind == V_NET ? "ValueError" : "TypeError",
                         k->pos, k->len, "%.*s %s", k->len, x->src + k->pos,
                         v->kind == V_NET ? "has not been fit yet: fit it "
                         "first" : "is not a net: plot [net1, net2] compares "
                         "the training curves of nets");
            ok = 0;
            break;
        }
        const net_value *nv = &v->as.net;
        const float *c = nv->curve;
        size_t pts = (size_t)nv->curve_n;
        runs[i] = (chart_curves){
            .train_loss = c, .val_loss = nv->curve_val ? c + pts : NULL,
            .train_acc = c + 2 * pts,
            .val_acc = nv->curve_val ? c + 3 * pts : NULL,
            .n = nv->curve_n, .every = nv->curve_every,
            .total = nv->curve_total,
        };
        ok = (names[i] = text_fmt("%.*s", k->len, x->src + k->pos)) != NULL;
        if (!ok)
            lang_err_oom(x->e, a->call->pos);
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
    if (!ok || show_plot(x, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(x, a);
}

value *train_plot(ev *x, const args *a)
{
    value *what = a->v[0], *data;
    if (what->kind == V_LIST)
        return plot_compare(x, a, what);
    if (arg_value(x, a, 1, V_DATA, &data) < 0)
        return NULL;
    if (what->kind == V_DATA && !data)
        return plot_scatter(x, a, what);
    if (what->kind == V_NET && data)
        return plot_boundary(x, a, what, data);
    int len, pos = arg_pos(a, 0, &len);
    lang_err_set(x->e, "TypeError", pos, len, "%s",
                 what->kind == V_NET ? "plot a net on data: plot net on test"
                 : "plot draws a data set (plot data) or a net's decision "
                   "boundary (plot net on data)");
    return NULL;
}

value *train_summary(ev *x, const args *a)
{
    value *net;
    char *html, *text;
    if (arg_value(x, a, 0, V_NET, &net) < 0)
        return NULL;
    show_summary(net, &html, &text);
    return shown(x, a, html, text);
}

value *train_save(ev *x, const args *a)
{
    value *net;
    const char *path;
    nn_model *m;
    nn_err err;
    if (arg_value(x, a, 0, V_NET, &net) < 0 || arg_str(x, a, 1, NULL, &path) < 0
        || !(m = trained(x, a, net)))
        return NULL;
    if (nn_safetensors_save(m, path, &err) < 0) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "OSError", pos, len, "%s", err.msg);
        return NULL;
    }
    char *s = text_fmt("saved the net (%zu parameters) to %s\n",
                       nn_model_n_params(m), path);
    if (s)
        x->out->stream(x->out->ctx, "stdout", s);
    free(s);
    return builtin_none(x, a);
}

value *train_load(ev *x, const args *a)
{
    const char *path;
    nn_err err;
    if (arg_str(x, a, 0, NULL, &path) < 0)
        return NULL;
    nn_model *m = nn_safetensors_load(path, &err);
    if (!m) {
        int len, pos = arg_pos(a, 0, &len);
        lang_err_set(x->e, "OSError", pos, len, "%s", err.msg);
        return NULL;
    }
    int nl = nn_model_n_layers(m);
    nn_layer_spec *l = malloc((size_t)nl * sizeof *l);
    value *v = NULL;
    if (l) {
        for (int i = 0; i < nl; i++)
            l[i] = *nn_model_layer(m, i);
        v = value_net(l, nl, nn_model_in(m));
        free(l);
    }
    if (!v) {
        nn_model_free(m);
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    v->as.net.model = m;
    return v;
}
