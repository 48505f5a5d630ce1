#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "nn_metrics.h"
#include "nn_safetensors.h"
#include "nn_train.h"
#include "plot.h"
#include "show.h"
#include "train.h"

/* malloc'd printf; NULL on OOM. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

static value *none(ev *x, const args *a)
{
    value *v = value_none();
    if (!v)
        lang_err_oom(x->e, a->call->pos);
    return v;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The statement running, to point errors about the whole command at. */
static int stmt_err(ev *x, const args *a, const char *ename, const char *msg)
{
    return lang_err_set(x->e, ename, a->call->pos, a->call->len, "%s", msg);
}

/* The trained model of net argument i, or NULL with an error. */
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

/* Class names the net answers with: those of the data it was fit on, else
 * "0".."k-1" written into `own` (k entries of 12 bytes). */
static const char *const *class_names(const net_value *n, int k, char *own,
                                      const char **ptrs)
{
    if (n->n_classes == k)
        return (const char *const *)n->class_names;
    for (int c = 0; c < k; c++) {
        snprintf(own + 12 * c, 12, "%d", c);
        ptrs[c] = own + 12 * c;
    }
    return ptrs;
}

/* Number of classes a model with `out` outputs predicts. */
static int n_classes_of(int out)
{
    return out == 1 ? 2 : out;
}

/* Remembers what the net was fit on: classes, scaler, data name. */
static int remember_data(net_value *n, const value *data)
{
    const nn_data *d = data->as.data.set;
    char **names = calloc((size_t)d->n_classes, sizeof *names);
    char *on = strdup(d->name);
    nn_scaler *s = value_scaler_copy(data->as.data.scaler);
    int ok = names && on && (s || !data->as.data.scaler);
    for (int c = 0; ok && c < d->n_classes; c++)
        ok = (names[c] = strdup(d->class_names[c])) != NULL;
    if (!ok) {
        for (int c = 0; names && c < d->n_classes; c++)
            free(names[c]);
        free(names);
        free(on);
        nn_scaler_free(s);
        return -1;
    }
    for (int c = 0; c < n->n_classes; c++)
        free(n->class_names[c]);
    free(n->class_names);
    free(n->fit_on);
    nn_scaler_free(n->scaler);
    n->class_names = names;
    n->n_classes = d->n_classes;
    n->fit_on = on;
    n->scaler = s;
    return 0;
}

/* ---- fit ------------------------------------------------------------- */

typedef struct fit_run {
    ev *x;
    float *tl, *vl, *ta, *va;   /* per completed epoch */
    int done, total, every, verbose, has_val;
    double last_draw;
    char display_id[48];
    int epoch, step, steps;     /* the last completed step */
    int draw_failed;
} fit_run;

static int draw_curves(fit_run *r, int update)
{
    char *svg = plot_curves_svg(r->tl, r->has_val ? r->vl : NULL, r->ta,
                                r->has_val ? r->va : NULL, r->done, r->total);
    char *html = svg ? plot_svg_html(svg) : NULL;
    free(svg);
    char *text;
    if (r->done == 0)
        text = fmt("training: epoch 0/%d", r->total);
    else if (r->has_val)
        text = fmt("epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  "
                   "val_acc %.4f", r->done, r->total, r->tl[r->done - 1],
                   r->ta[r->done - 1], r->vl[r->done - 1], r->va[r->done - 1]);
    else
        text = fmt("epoch %d/%d  loss %.4f  acc %.4f", r->done, r->total,
                   r->tl[r->done - 1], r->ta[r->done - 1]);
    r->last_draw = now_s();
    if (!html || !text) {
        free(html);
        free(text);
        return -1;
    }
    return show_display(r->x, html, text, r->display_id, update);
}

static void progress_line(fit_run *r)
{
    int i = r->done - 1;
    char *s = r->has_val
        ? fmt("epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f\n",
              r->done, r->total, r->tl[i], r->ta[i], r->vl[i], r->va[i])
        : fmt("epoch %d/%d  loss %.4f  acc %.4f\n", r->done, r->total,
              r->tl[i], r->ta[i]);
    if (s)
        r->x->out->stream(r->x->out->ctx, "stdout", s);
    free(s);
}

static int on_progress(void *ctx, const nn_progress *p)
{
    fit_run *r = ctx;
    const interp_out *out = r->x->out;
    r->epoch = p->epoch;
    r->step = p->step;
    r->steps = p->steps;
    if (p->epoch_done && r->done < r->total) {
        int i = r->done++;
        r->tl[i] = p->train_loss;
        r->ta[i] = p->train_acc;
        r->vl[i] = p->val_loss;
        r->va[i] = p->val_acc;
        if (r->verbose && (r->done % r->every == 0 || r->done == 1))
            progress_line(r);
        if (now_s() - r->last_draw >= 0.2 && draw_curves(r, 1) < 0)
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
}

static int fit_run_alloc(fit_run *r, int epochs)
{
    float *buf = malloc((size_t)epochs * 4 * sizeof *buf);
    if (!buf)
        return -1;
    r->tl = buf;
    r->vl = buf + epochs;
    r->ta = buf + 2 * (size_t)epochs;
    r->va = buf + 3 * (size_t)epochs;
    return 0;
}

value *train_fit(ev *x, const args *a)
{
    static unsigned fit_count;
    value *net, *data, *val;
    int epochs, batch, patience, restore, seed, shuffle, verbose;
    double min_delta;
    nn_train_opts o = nn_train_defaults();
    if (arg_value(x, a, 0, V_NET, &net) < 0
        || arg_value(x, a, 1, V_DATA, &data) < 0
        || arg_int(x, a, 2, 100, 1, 10000000, &epochs) < 0
        || arg_int(x, a, 3, 32, 1, 1 << 30, &batch) < 0
        || fit_optim(x, a, &o.optim) < 0 || fit_loss(x, a, &o.loss) < 0
        || arg_value(x, a, 6, V_DATA, &val) < 0
        || arg_int(x, a, 7, 0, 0, 10000000, &patience) < 0
        || arg_num(x, a, 8, 0, 0, INFINITY, &min_delta) < 0
        || arg_bool(x, a, 9, 1, &restore) < 0
        || arg_int(x, a, 11, 0, 0, 2147483647, &seed) < 0
        || arg_bool(x, a, 12, 1, &shuffle) < 0
        || arg_bool(x, a, 13, 1, &verbose) < 0)
        return NULL;
    if (fit_check(x, a, net, data, val, o.loss, (uint64_t)seed) < 0)
        return NULL;
    fit_run r;
    memset(&r, 0, sizeof r);
    r.x = x;
    r.total = epochs;
    r.every = epochs >= 10 ? epochs / 10 : 1;
    r.verbose = verbose;
    r.has_val = val != NULL;
    snprintf(r.display_id, sizeof r.display_id, "cnn-fit-%d-%u", (int)getpid(),
             ++fit_count);
    if (fit_run_alloc(&r, epochs) < 0) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    o.epochs = epochs;
    o.batch = batch;
    o.seed = (uint64_t)seed;
    o.shuffle = shuffle;
    o.val = val ? val->as.data.set : NULL;
    o.patience = patience;
    o.min_delta = (float)min_delta;
    o.restore_best = restore;
    o.progress = on_progress;
    o.ctx = &r;
    nn_history h;
    memset(&h, 0, sizeof h);
    nn_err err;
    value *result = NULL;
    double t0 = now_s();
    if (draw_curves(&r, 0) < 0) {
        lang_err_oom(x->e, a->call->pos);
        free(r.tl);
        return NULL;
    }
    int rc = nn_train(net->as.net.model, data->as.data.set, &o, &h, &err);
    if (rc >= 0 && h.epochs > 0) {
        net->as.net.epochs += h.epochs;
        if (remember_data(&net->as.net, data) < 0)
            rc = -2;
    }
    if (rc >= 0 && r.done > 0 && draw_curves(&r, 1) < 0)
        rc = -2;
    if (rc == -1)
        stmt_err(x, a, "ValueError", err.msg);
    else if (rc == -2 || r.draw_failed)
        lang_err_oom(x->e, a->call->pos);
    else if (rc == 1 && r.steps == 0)
        lang_err_set(x->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted before its first step; the net is "
                     "unchanged");
    else if (rc == 1)
        lang_err_set(x->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted in epoch %d/%d at step %d/%d; the net "
                     "keeps the weights of its last completed step (%d full "
                     "epoch%s done)", r.epoch + 1, epochs, r.step, r.steps,
                     h.epochs, h.epochs == 1 ? "" : "s");
    else {
        if (h.epochs > 0)
            fit_summary(&r, &h, now_s() - t0);
        result = none(x, a);
    }
    nn_history_free(&h);
    free(r.tl);
    return result;
}

/* ---- data the net sees ------------------------------------------------ */

/* The data to run the net on: `data` itself, or a copy standardized with
 * the net's scaler when the net was fit on standardized data and `data`
 * is raw (then *copy is set, the caller frees it, and *note says so). */
static const nn_data *net_view(ev *x, const args *a, const net_value *n,
                               const value *data, nn_data **copy,
                               char **note)
{
    const nn_data *d = data->as.data.set;
    *copy = NULL;
    *note = NULL;
    if (!n->scaler || data->as.data.scaler)
        return d;
    nn_err err;
    if (!(*copy = nn_data_copy(d, NULL, &err))
        || !(*note = fmt("%s is standardized with the scaler of %s, the "
                         "data the net was fit on", d->name, n->fit_on))) {
        nn_data_free(*copy);
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

/* ---- decision boundary -------------------------------------------------- */

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

/* The boundary of model m over the range of 2-D data `shown` (points drawn
 * in its coordinates); grid points go through scaler s first when not
 * NULL. Returns an <img> HTML string, or NULL on OOM (or engine error). */
static char *boundary_html(nn_model *m, const nn_data *shown,
                           const nn_scaler *s, const char *const *names,
                           int k)
{
    int out = nn_model_out(m), cells = GRID * GRID;
    float x0, x1, y0, y1;
    axis_range(shown->x, shown->n, 2, &x0, &x1);
    axis_range(shown->x + 1, shown->n, 2, &y0, &y1);
    float *pts = malloc((size_t)cells * 2 * sizeof *pts);
    float *prob = malloc((size_t)cells * (size_t)out * sizeof *prob);
    int *grid = malloc((size_t)cells * sizeof *grid);
    float *conf = malloc((size_t)cells * sizeof *conf);
    float *px = malloc((size_t)shown->n * sizeof *px);
    float *py = malloc((size_t)shown->n * sizeof *py);
    char *html = NULL;
    nn_err err;
    if (pts && prob && grid && conf && px && py) {
        for (int j = 0; j < GRID; j++)
            for (int i = 0; i < GRID; i++) {
                pts[2 * (j * GRID + i)] = x0 + (i + 0.5f) * (x1 - x0) / GRID;
                pts[2 * (j * GRID + i) + 1] = y0 + (j + 0.5f) * (y1 - y0) / GRID;
            }
        if (s)
            nn_scaler_apply(s, pts, cells);
        for (int i = 0; i < shown->n; i++) {
            px[i] = shown->x[2 * i];
            py[i] = shown->x[2 * i + 1];
        }
        if (nn_model_predict(m, pts, cells, prob, &err) == 0) {
            for (int c = 0; c < cells; c++) {
                const float *p = prob + (size_t)c * out;
                grid[c] = nn_predict_class(p, out);
                conf[c] = out == 1 ? fmaxf(p[0], 1 - p[0]) : p[grid[c]];
            }
            char *svg = plot_boundary_svg(grid, conf, GRID, GRID, x0, x1, y0,
                                          y1, px, py, shown->y, shown->n, k,
                                          names, shown->feature_names[0],
                                          shown->feature_names[1]);
            html = svg ? plot_svg_html(svg) : NULL;
            free(svg);
        }
    }
    free(pts);
    free(prob);
    free(grid);
    free(conf);
    free(px);
    free(py);
    return html;
}

/* ---- evaluate ------------------------------------------------------------ */

static int metrics_tables(const nn_metrics *mt, char **html, char **text)
{
    const char *avg = mt->k > 2 ? " (macro)" : "";
    static const char *const head[] = { "metric", "value" };
    char *cells[10] = { 0 };
    cells[0] = fmt("accuracy");
    cells[1] = fmt("%.4f", mt->accuracy);
    cells[2] = fmt("precision%s", avg);
    cells[3] = fmt("%.4f", mt->precision);
    cells[4] = fmt("recall%s", avg);
    cells[5] = fmt("%.4f", mt->recall);
    cells[6] = fmt("F1%s", avg);
    cells[7] = fmt("%.4f", mt->f1);
    cells[8] = fmt("log loss");
    cells[9] = fmt("%.4f", mt->log_loss);
    int ok = 1;
    for (int i = 0; i < 10; i++)
        ok = ok && cells[i];
    *html = ok ? plot_table_html(head, (const char *const *)cells, 5, 2) : NULL;
    *text = ok ? plot_table_text(head, (const char *const *)cells, 5, 2) : NULL;
    for (int i = 0; i < 10; i++)
        free(cells[i]);
    return *html && *text ? 0 : -1;
}

/* Runs the model over d: probabilities (n x out) and predicted classes. */
static int run_model(ev *x, const args *a, nn_model *m, const nn_data *d,
                     float **prob, int **pred)
{
    int out = nn_model_out(m);
    nn_err err;
    *prob = malloc((size_t)d->n * (size_t)out * sizeof **prob + 1);
    *pred = malloc((size_t)d->n * sizeof **pred + 1);
    if (!*prob || !*pred) {
        free(*prob);
        free(*pred);
        return lang_err_oom(x->e, a->call->pos);
    }
    if (nn_model_predict(m, d->x, d->n, *prob, &err) < 0) {
        free(*prob);
        free(*pred);
        return stmt_err(x, a, "MemoryError", err.msg);
    }
    for (int i = 0; i < d->n; i++)
        (*pred)[i] = nn_predict_class(*prob + (size_t)i * out, out);
    return 0;
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
    const net_value *n = &net->as.net;
    nn_data *copy;
    char *note;
    const nn_data *d = net_view(x, a, n, data, &copy, &note);
    if (!d)
        return NULL;
    nn_err err;
    float *prob = NULL;
    int *pred = NULL;
    value *result = NULL;
    nn_metrics mt;
    memset(&mt, 0, sizeof mt);
    int out = nn_model_out(m), k = n_classes_of(out);
    if (check_width(x, a, m, d) < 0)
        goto done;
    if (d->n_classes > k) {
        lang_err_set(x->e, "ShapeError", a->call->pos, a->call->len,
                     "%s has %d classes, but the net predicts %d", d->name,
                     d->n_classes, k);
        goto done;
    }
    if (run_model(x, a, m, d, &prob, &pred) < 0)
        goto done;
    if (nn_metrics_compute(&mt, d->y, pred, prob, out, d->n, k, &err) < 0) {
        stmt_err(x, a, "ValueError", err.msg);
        goto done;
    }
    char own[12 * 64];
    const char *ptrs[64];
    const char *const *names = k <= 64 ? class_names(n, k, own, ptrs)
                                       : (const char *const *)n->class_names;
    char *mh = NULL, *mtx = NULL;
    char *ch = plot_confusion_html(mt.confusion, k, names);
    char *ct = plot_confusion_text(mt.confusion, k, names);
    char *bh = boundary && d->d == 2
        ? boundary_html(m, data->as.data.set, copy ? n->scaler : NULL, names, k)
        : NULL;
    char *html = NULL, *text = NULL;
    if (metrics_tables(&mt, &mh, &mtx) == 0 && ch && ct) {
        html = fmt("<div><p><b>%s</b>: %d samples%s%s</p>%s<p>confusion "
                   "matrix (rows: true class, columns: predicted)</p>%s%s"
                   "</div>", d->name, d->n, note ? "; " : "",
                   note ? note : "", mh, ch, bh ? bh : "");
        text = fmt("%s: %d samples%s%s\n%s\nconfusion matrix (rows: true "
                   "class, columns: predicted)\n%s", d->name, d->n,
                   note ? "; " : "", note ? note : "", mtx, ct);
    }
    free(mh);
    free(mtx);
    free(ch);
    free(ct);
    free(bh);
    if (!html || !text) {
        free(html);
        free(text);
        lang_err_oom(x->e, a->call->pos);
    } else if (show_display(x, html, text, NULL, 0) == 0) {
        result = none(x, a);
    }
done:
    nn_metrics_free(&mt);
    free(prob);
    free(pred);
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
static int predict_table(const net_value *n, int out, const float *shown_x,
                         int rows, int d, const int *truth,
                         const char *const *truth_names, const float *prob,
                         char **html, char **text)
{
    int k = n_classes_of(out);
    int kshow = k <= 10 ? k : 0;
    int cols = 3 + (truth ? 1 : 0) + kshow;
    char own[12 * 10];
    const char *ptrs[10];
    const char *const *names = k <= 10 ? class_names(n, k, own, ptrs)
        : (n->n_classes == k ? (const char *const *)n->class_names : NULL);
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
            ok = (head[c++] = hcells[j] = fmt("P(%s)", names[j])) != NULL;
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
        r[c++] = fmt("%d", i + 1);
        r[c++] = strdup(in);
        if (truth)
            r[c++] = strdup(truth_names[truth[i]]);
        r[c++] = names ? strdup(names[cls]) : fmt("%d", cls);
        for (int j = 0; j < kshow; j++)
            r[c++] = fmt("%.4f", out == 1 ? (j ? p[0] : 1 - p[0]) : p[j]);
        for (int j = 0; j < cols; j++)
            ok = ok && r[j];
    }
    *html = ok ? plot_table_html(head, (const char *const *)cells, rows, cols) : NULL;
    *text = ok ? plot_table_text(head, (const char *const *)cells, rows, cols) : NULL;
    for (int j = 0; hcells && j < kshow; j++)
        free(hcells[j]);
    free(hcells);
    free(head);
    for (int i = 0; cells && i < rows * cols; i++)
        free(cells[i]);
    free(cells);
    return *html && *text ? 0 : -1;
}

value *train_predict(ev *x, const args *a)
{
    value *net, *rows_v = a->v[1];
    int limit;
    nn_model *m;
    if (arg_value(x, a, 0, V_NET, &net) < 0
        || arg_int(x, a, 2, 20, 1, 1 << 30, &limit) < 0
        || !(m = trained(x, a, net)))
        return NULL;
    const net_value *n = &net->as.net;
    if (rows_v->kind != V_LIST && rows_v->kind != V_DATA) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "TypeError", pos, len,
                     "predict takes rows ([[0.5, -0.2], [1, 0.3]]) or a data "
                     "set, not %s", value_kind_name(rows_v));
        return NULL;
    }
    int rows, d, out = nn_model_out(m);
    float *raw = NULL, *in = NULL, *prob = NULL;
    nn_data *copy = NULL;
    char *note = NULL, *more = NULL, *html = NULL, *text = NULL;
    const nn_data *set = NULL;
    value *result = NULL;
    nn_err err;
    if (rows_v->kind == V_LIST) {
        if (!(raw = literal_rows(x, a, rows_v, &rows, &d)))
            return NULL;
        in = raw;
        if (d == nn_model_in(m) && n->scaler) {
            in = malloc((size_t)rows * d * sizeof *in);
            note = fmt("rows standardized with the scaler of %s, the data "
                       "the net was fit on", n->fit_on);
            if (!in || !note) {
                lang_err_oom(x->e, a->call->pos);
                goto done;
            }
            memcpy(in, raw, (size_t)rows * d * sizeof *in);
            nn_scaler_apply(n->scaler, in, rows);
        }
    } else {
        if (!(set = net_view(x, a, n, rows_v, &copy, &note)))
            return NULL;
        rows = set->n < limit ? set->n : limit;
        d = set->d;
        in = set->x;
        if (set->n > rows && !(more = fmt("... %d more rows (limit=%d)",
                                         set->n - rows, limit))) {
            lang_err_oom(x->e, a->call->pos);
            goto done;
        }
    }
    if (d != nn_model_in(m)) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "ShapeError", pos, len, "the net takes %d "
                     "feature%s per row, but %s %d", nn_model_in(m),
                     nn_model_in(m) == 1 ? "" : "s",
                     set ? "the data set has" : "the rows have", d);
        goto done;
    }
    if (!(prob = malloc((size_t)rows * out * sizeof *prob))) {
        lang_err_oom(x->e, a->call->pos);
        goto done;
    }
    if (nn_model_predict(m, in, rows, prob, &err) < 0) {
        stmt_err(x, a, "MemoryError", err.msg);
        goto done;
    }
    const nn_data *shown = rows_v->kind == V_DATA ? rows_v->as.data.set : NULL;
    char *th, *tt;
    if (predict_table(n, out, shown ? shown->x : raw, rows, d,
                      shown ? shown->y : NULL,
                      shown ? (const char *const *)shown->class_names : NULL,
                      prob, &th, &tt) < 0) {
        lang_err_oom(x->e, a->call->pos);
        goto done;
    }
    html = fmt("<div>%s%s%s%s%s</div>", note ? "<p>" : "", note ? note : "",
               note ? "</p>" : "", th, more ? more : "");
    text = fmt("%s%s%s%s%s", note ? note : "", note ? "\n" : "", tt,
               more ? more : "", more ? "\n" : "");
    free(th);
    free(tt);
    if (!html || !text) {
        free(html);
        free(text);
        lang_err_oom(x->e, a->call->pos);
    } else if (show_display(x, html, text, NULL, 0) == 0) {
        result = none(x, a);
    }
done:
    if (in != raw && (!set || in != set->x))
        free(in);
    free(raw);
    free(prob);
    free(note);
    free(more);
    nn_data_free(copy);
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
    float *px = malloc((size_t)d->n * sizeof *px + 1);
    float *py = malloc((size_t)d->n * sizeof *py + 1);
    char *html = NULL, *text = NULL;
    if (px && py) {
        for (int i = 0; i < d->n; i++) {
            px[i] = d->x[(size_t)i * d->d + fx];
            py[i] = d->x[(size_t)i * d->d + fy];
        }
        char *svg = plot_scatter_svg(px, py, d->y, d->n, d->n_classes,
                                     (const char *const *)d->class_names,
                                     d->feature_names[fx],
                                     d->feature_names[fy]);
        char *img = svg ? plot_svg_html(svg) : NULL;
        free(svg);
        html = img;
        text = fmt("scatter plot of %s: %d samples, %s against %s, %d "
                   "classes%s", d->name, d->n, d->feature_names[fy],
                   d->feature_names[fx], d->n_classes,
                   d->d > 2 ? " (other features: plot data, x=2, y=3)" : "");
    }
    free(px);
    free(py);
    if (!html || !text) {
        free(html);
        free(text);
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    return show_display(x, html, text, NULL, 0) < 0 ? NULL : none(x, a);
}

static value *plot_boundary(ev *x, const args *a, value *net, value *data)
{
    nn_model *m = trained(x, a, net);
    if (!m)
        return NULL;
    const net_value *n = &net->as.net;
    const nn_data *d = data->as.data.set;
    if (d->d != 2 || nn_model_in(m) != 2) {
        int len, pos = arg_pos(a, 1, &len);
        lang_err_set(x->e, "ShapeError", pos, len,
                     "a decision boundary needs 2 features: %s has %d "
                     "(plot %s draws its points)", d->name, d->d, d->name);
        return NULL;
    }
    int k = n_classes_of(nn_model_out(m));
    char own[12 * 64];
    const char *ptrs[64];
    if (k > 64 && n->n_classes != k) {
        stmt_err(x, a, "ValueError", "too many classes to draw");
        return NULL;
    }
    const char *const *names = class_names(n, k, own, ptrs);
    const nn_scaler *s = n->scaler && !data->as.data.scaler ? n->scaler : NULL;
    char *html = boundary_html(m, d, s, names, k);
    char *text = fmt("decision boundary of the net over %s (%d classes)",
                     d->name, k);
    if (!html || !text) {
        free(html);
        free(text);
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    return show_display(x, html, text, NULL, 0) < 0 ? NULL : none(x, a);
}

value *train_plot(ev *x, const args *a)
{
    value *what = a->v[0], *data;
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
    if (show_summary(net, &html, &text) < 0) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    return show_display(x, html, text, NULL, 0) < 0 ? NULL : none(x, a);
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
    char *s = fmt("saved the net (%zu parameters) to %s\n",
                  nn_model_n_params(m), path);
    if (s)
        x->out->stream(x->out->ctx, "stdout", s);
    free(s);
    return none(x, a);
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
