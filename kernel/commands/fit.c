#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boundary.h"
#include "chart.h"
#include "draw.h"
#include "fit.h"
#include "fitlive.h"
#include "gradfit.h"
#include "record.h"
#include "fitreg.h"
#include "regcurve.h"
#include "net.h"
#include "nn_train.h"
#include "sb.h"
#include "show.h"
#include "view.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Remembers what the net was fit on: classes, features, scaler, data
 * name. */
static int remember_data(net_value *n, const value *data)
{
    const nn_data *d = data->as.data.set;
    char **classes = view_strv_dup(d->class_names, d->n_classes);
    char **features = view_strv_dup(d->feature_names, d->d);
    char *on = strdup(d->name);
    nn_scaler *s = value_scaler_copy(data->as.data.scaler);
    if (!classes || !features || !on || (!s && data->as.data.scaler)) {
        view_strv_free(classes, d->n_classes);
        view_strv_free(features, d->d);
        free(on);
        nn_scaler_free(s);
        return -1;
    }
    view_strv_free(n->class_names, n->n_classes);
    view_strv_free(n->feature_names, n->n_features);
    free(n->fit_on);
    nn_scaler_free(n->scaler);
    n->class_names = classes;
    n->n_classes = d->n_classes;
    n->feature_names = features;
    n->n_features = d->d;
    n->fit_on = on;
    n->scaler = s;
    return fitreg_remember(n, d);
}

/* ---- fit ------------------------------------------------------------- */

#define CURVE_POINTS 1024 /* points kept of each curve, however many epochs */

typedef struct fit_run {
    lang_run *run;
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
    double line_gap;            /* seconds between timed progress lines */
    double epoch_t0;            /* when the current epoch began */
    char curves_id[48], boundary_id[48], draw_id[48];
    int epoch, step, steps;     /* the last completed step */
    int draw_failed;
    double deadline;            /* seconds=: when to stop (0: never) */
    double budget;              /* seconds= as given */
    int out_of_time;            /* training stopped at the deadline */
    gradfit *grads;             /* gradients=true, else NULL */
    fitlive live;               /* the epoch under way */
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
        return sb_printf("training: epoch 0/%d%s", r->total, end);
    const char *acc = fitreg_score(r->data);
    if (r->has_val)
        return sb_printf("epoch %d/%d  loss %.4f  %s %.4f  val_loss %.4f  "
                        "val_%s %.4f%s", r->done, r->total, p->train_loss,
                        acc, p->train_acc, p->val_loss, acc, p->val_acc, end);
    return sb_printf("epoch %d/%d  loss %.4f  %s %.4f%s", r->done, r->total,
                    p->train_loss, acc, p->train_acc, end);
}

/* Draws (update = 0) or redraws (update = 1) the loss curves under
 * display id `id` (NULL: a display of its own), `state` after the title:
 * " (live)" while training, "" for the final chart. */
static int draw_curves(fit_run *r, const char *id, int update,
                       const char *state)
{
    char *title = sb_printf("training on %s: epoch %d/%d%s", r->data->name,
                           r->done, r->total, state);
    chart_curves c = {
        .train_loss = r->tl, .val_loss = r->has_val ? r->vl : NULL,
        .train_acc = r->ta, .val_acc = r->has_val ? r->va : NULL,
        .n = r->points, .every = r->every, .total = r->total, .title = title,
    };
    const char *score = r->data->task == NN_TASK_REGRESS ? "R2" : NULL;
    char *svg = title ? chart_curves_svg_score(&c, score) : NULL;
    char *text = title ? chart_curves_text_score(&c, score) : NULL;
    free(title);
    return show_plot(r->run, svg, text, id, update);
}

/* Draws or redraws the decision boundary over the training data, as
 * draw_curves does the curves. */
static int draw_boundary(fit_run *r, const char *id, int update,
                         const char *state)
{
    const nn_data *d = r->data;
    nn_model *m = r->net->model;
    int k = view_n_classes(nn_model_out(m));
    int reg = d->task == NN_TASK_REGRESS;
    char *title = sb_printf("%s on %s: epoch %d/%d%s", reg ? "fitted curve"
                           : "decision boundary", d->name, r->done, r->total,
                           state);
    char *svg = NULL, *text = NULL;
    if (title && reg)
        regcurve_plot(m, d, NULL, d, title, &svg, &text);
    else if (title)
        boundary_plot(m, d, NULL, d->n_classes == k
                      ? (const char *const *)d->class_names : NULL, k, title,
                      &svg, &text);
    free(title);
    return show_plot(r->run, svg, text, id, update);
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
    if (!update) /* the first drawing: the fit starts */
        fitlive_start(&r->live, r->last_draw);
    else
        fitlive_drawn(&r->live, r->last_draw);
    return draw_curves(r, r->curves_id, update, " (live)") < 0
           || (r->boundary
               && draw_boundary(r, r->boundary_id, update, " (live)") < 0)
           || (r->draw && draw_show(r->run, r->net, r->data->d == 2 ? r->data
                                    : NULL, r->draw_id, update) < 0)
           || (r->grads && gradfit_show(r->grads, r->run, update, " (live)")
                           < 0) ? -1 : 0;
}

/* Ends the live plots: each live display is emptied through an update,
 * and the final plots are sent as new displays. A client that honours
 * updates (Notebook, JupyterLab, VS Code, nbclient) shows each plot once;
 * one that ignores them (jupyter console) shows the final state after the
 * live display's first frame. */
static int draw_final(fit_run *r)
{
    return show_clear(r->run, r->curves_id) < 0
           || (r->boundary && show_clear(r->run, r->boundary_id) < 0)
           || (r->draw && show_clear(r->run, r->draw_id) < 0)
           || draw_curves(r, NULL, 0, "") < 0
           || (r->boundary && draw_boundary(r, NULL, 0, "") < 0)
           || (r->draw && draw_show(r->run, r->net, r->data->d == 2 ? r->data
                                    : NULL, NULL, 0) < 0)
           || (r->grads && gradfit_final(r->grads, r->run) < 0) ? -1 : 0;
}

/* A fit that failed, or stopped before its first epoch, has no final
 * chart: its live plots are redrawn in place, titled as stopped. */
static int draw_stopped(fit_run *r)
{
    return draw_curves(r, r->curves_id, 1, " (stopped)") < 0
           || (r->boundary
               && draw_boundary(r, r->boundary_id, 1, " (stopped)") < 0)
           || (r->grads && gradfit_show(r->grads, r->run, 1, " (stopped)") < 0)
           ? -1 : 0;
}

static void progress_line(fit_run *r)
{
    char *s = epoch_line(r, "\n");
    if (s)
        r->run->out->stream(r->run->out->ctx, "stdout", s);
    free(s);
    r->last_line = now_s();
}

#define LINE_GAP_MAX 10.0 /* a long fit prints a line at least this often */

/* After each step: records finished epochs, prints a progress line after
 * the first epoch, every tenth of the epochs, and in a long fit after 1,
 * 2, 4 and 8 s, then every 10 s; redraws the live plots at most five
 * times a second. Nonzero stops training. */
static int on_progress(void *ctx, const nn_progress *p)
{
    fit_run *r = ctx;
    const interp_out *out = r->run->out;
    r->epoch = p->epoch;
    r->step = p->step;
    r->steps = p->steps;
    if (r->grads)
        gradfit_step(r->grads, r->net->model, p);
    fitlive_step(&r->live, p);
    if (fitlive_due(&r->live, p, now_s())) {
        char *state = fitlive_state(&r->live, p);
        if (!state || draw_curves(r, r->curves_id, 1, state) < 0)
            r->draw_failed = 1;
        free(state);
    }
    if (p->epoch_done && r->done < r->total) {
        r->done++;
        r->net->epochs = r->base_epochs + r->done;
        r->last = *p;
        record_point(r, p);
        double t = now_s();
        r->epoch_t0 = t;
        if (r->verbose && t - r->last_line >= r->line_gap) {
            progress_line(r);
            r->line_gap = fmin(2 * r->line_gap, LINE_GAP_MAX);
        } else if (r->verbose && (r->done % r->line_every == 0
                                  || r->done == 1)) {
            progress_line(r);
        }
        if (t - r->last_draw >= 0.2 && draw_live(r, 1) < 0)
            r->draw_failed = 1;
    } else if (r->verbose && p->steps > 0
               && now_s() - r->last_line >= r->line_gap
               && now_s() - r->epoch_t0 >= r->line_gap) {
        /* a slow epoch: say where it is rather than stay silent */
        char *s = sb_printf("epoch %d/%d: step %d/%d\n", p->epoch + 1,
                            r->total, p->step, p->steps);
        if (s)
            out->stream(out->ctx, "stdout", s);
        free(s);
        r->last_line = now_s();
        r->line_gap = fmin(2 * r->line_gap, LINE_GAP_MAX);
    }
    if (r->deadline > 0 && now_s() >= r->deadline)
        r->out_of_time = 1;
    return out->interrupted(out->ctx) || r->draw_failed || r->out_of_time;
}

/* Reads the optimizer and schedule options into o. */
static int fit_optim(lang_run *run, const args *a, nn_optim_spec *o)
{
    value *opt, *sched;
    if (arg_value(run, a, "optimizer", &opt) < 0
        || arg_value(run, a, "schedule", &sched) < 0)
        return -1;
    *o = opt ? *opt->as.optim : nn_optim_defaults(NN_ADAM);
    if (sched) {
        o->schedule = sched->as.sched.kind;
        o->step_size = sched->as.sched.step_size;
        o->gamma = sched->as.sched.gamma;
        o->t_max = sched->as.sched.t_max;
        o->eta_min = sched->as.sched.eta_min;
    }
    return 0;
}

static int fit_loss(lang_run *run, const args *a, nn_loss_kind *loss)
{
    const char *name;
    if (arg_choice(run, a, "loss", &name) < 0)
        return -1;
    int k = nn_loss_kind_from_name(name);
    assert(k >= 0 && "each choice is a loss the engine names");
    *loss = (nn_loss_kind)k;
    return 0;
}

/* Reads fit's arguments: the net, the data, the validation data (NULL when
 * not given), the training options (all but the progress callback) and
 * verbose. Returns 0, or -1 with the error at the argument. */
static int fit_args(lang_run *run, const args *a, value **net, value **data,
                    value **val, nn_train_opts *o, int *verbose)
{
    int epochs, batch, patience, restore, seed, shuffle;
    *o = nn_train_defaults();
    if (arg_value(run, a, "net", net) < 0
        || arg_value(run, a, "data", data) < 0
        || arg_int(run, a, "epochs", &epochs) < 0
        || arg_int(run, a, "batch", &batch) < 0
        || fit_optim(run, a, &o->optim) < 0 || fit_loss(run, a, &o->loss) < 0
        || fitreg_delta(run, a, o->loss, &o->huber_delta) < 0
        || arg_value(run, a, "validate", val) < 0
        || arg_int(run, a, "patience", &patience) < 0
        || arg_float(run, a, "min_delta", &o->min_delta) < 0
        || arg_bool(run, a, "restore_best", &restore) < 0
        || arg_int(run, a, "seed", &seed) < 0
        || arg_bool(run, a, "shuffle", &shuffle) < 0
        || arg_bool(run, a, "verbose", verbose) < 0)
        return -1;
    o->epochs = epochs;
    o->batch = batch;
    o->seed = (uint64_t)seed;
    o->shuffle = shuffle;
    o->val = *val ? (*val)->as.data.set : NULL;
    o->patience = patience;
    o->restore_best = restore;
    return 0;
}

/* Warns (stderr) when raw features are large: such data trains badly or
 * not at all (saturated activations), and the fix is one line. */
static void fit_warn_scale(lang_run *run, const value *data)
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
    char *msg = sb_printf("warning: feature '%s' of %s reaches %g; nets "
                         "train best on standardized data: train, test = "
                         "standardize(train, test)\n",
                         d->feature_names[worst], d->name, (double)top);
    if (msg)
        run->out->stream(run->out->ctx, "stderr", msg);
    free(msg);
}

/* Checks data, validation data and net fit together; builds the net. */
static int fit_check(lang_run *run, const args *a, value *net,
                     const value *data, const value *val, nn_loss_kind loss,
                     uint64_t seed)
{
    net_value *n = net->as.net;
    const nn_data *d = data->as.data.set;
    nn_err err;
    /* A net whose width came from other data and that was never trained
     * is rebuilt for this data. */
    int rebuild = n->model && !n->in_fixed && n->epochs == 0 && n->in != d->d;
    if ((!n->model || rebuild)
        && net_build_for(run, net, d, seed, a->call) < 0)
        return -1;
    if (nn_train_check(n->model, d, loss, &err) < 0)
        return view_fail(run, a, "ShapeError", &err);
    if (!val)
        return 0;
    const nn_data *v = val->as.data.set;
    if (nn_train_check(n->model, v, loss, &err) < 0)
        return view_fail(run, a, "ShapeError", &err);
    if (!data->as.data.scaler != !val->as.data.scaler) {
        int len, pos = arg_pos(a, "validate", &len);
        return lang_err_set(run->e, "ValueError", pos, len,
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
                                "%s %.4f", h->epochs,
                                h->epochs == 1 ? "" : "s",
                                secs < 1 ? 1 : 2, secs < 1 ? secs * 1e3 : secs,
                                secs < 1 ? "ms" : "s",
                                (double)h->train_loss[e],
                                fitreg_score(r->data),
                                (double)h->train_acc[e]);
    if (r->has_val && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              "  val_loss %.4f  val_%s %.4f",
                              (double)h->val_loss[e], fitreg_score(r->data),
                              (double)h->val_acc[e]);
    if (h->early_stopped && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              "; stopped early, best epoch %d",
                              h->best_epoch + 1);
    if (n < sizeof line - 1)
        strcat(line, "\n");
    r->run->out->stream(r->run->out->ctx, "stdout", line);
    /* a loss that ends above where it started: the steps overshoot */
    if (h->epochs >= 5 && h->train_loss[e] > h->train_loss[0]) {
        char *warn = sb_printf("warning: the loss rose from %.4f after epoch "
                              "1 to %.4f: the learning rate (lr=%g) is "
                              "probably too high; try lr=%g\n",
                              (double)h->train_loss[0],
                              (double)h->train_loss[e], (double)r->lr,
                              (double)r->lr / 10);
        if (warn)
            r->run->out->stream(r->run->out->ctx, "stderr", warn);
        free(warn);
    }
}

/* A fit stopped by its time budget (seconds=): the summary of the epochs
 * done and a line saying why it stopped; not an error. */
static value *fit_out_of_time(lang_run *run, const args *a, fit_run *r,
                              const nn_history *h, double t0)
{
    if (h->epochs > 0)
        fit_summary(r, h, now_s() - t0);
    char *s = h->epochs > 0
        ? sb_printf("stopped by the time budget (seconds=%g) after %d of %d "
                    "epochs; fit again to train on\n", r->budget, r->done,
                    r->total)
        : sb_printf("stopped by the time budget (seconds=%g) in epoch 1 at "
                    "step %d/%d, before a full epoch; the net keeps the "
                    "weights of its last completed step\n", r->budget,
                    r->step, r->steps);
    if (s)
        run->out->stream(run->out->ctx, "stdout", s);
    free(s);
    return builtin_none(run, a);
}

/* How fit ends, from the code of nn_train (-2: out of memory after it):
 * the error, or the summary line and none. */
static value *fit_end(lang_run *run, const args *a, int rc, const nn_err *err,
                      fit_run *r, const nn_history *h, double t0)
{
    const interp_out *out = run->out;
    if (rc == -1)
        view_fail(run, a, "ValueError", err);
    else if (rc == -2 || r->draw_failed)
        lang_err_oom(run->e, a->call->pos);
    else if (rc == 1 && r->out_of_time && !out->interrupted(out->ctx))
        return fit_out_of_time(run, a, r, h, t0);
    else if (rc == 1 && r->steps == 0)
        lang_err_set(run->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted before its first step; the net is "
                     "unchanged");
    else if (rc == 1)
        lang_err_set(run->e, "KeyboardInterrupt", a->call->pos, a->call->len,
                     "fit interrupted in epoch %d/%d at step %d/%d; the net "
                     "keeps the weights of its last completed step (%d full "
                     "epoch%s done)", r->epoch + 1, r->total, r->step,
                     r->steps, h->epochs, h->epochs == 1 ? "" : "s");
    else {
        double secs = now_s() - t0;
        if (h->epochs > 0)
            fit_summary(r, h, secs);
        if (fitreg_after(run, a, r->net->model, r->data) < 0)
            return NULL;
        int regress = r->data->task == NN_TASK_REGRESS;
        return builtin_made(run, a, record_history(h, r->has_val, regress,
                                                   secs));
    }
    return NULL;
}

/* Names the fit's live displays, unique in the process. */
static void fit_ids(fit_run *r)
{
    static unsigned fit_count;
    unsigned id = ++fit_count;
    snprintf(r->curves_id, sizeof r->curves_id, "cnn-fit-%d-%u",
             (int)getpid(), id);
    snprintf(r->boundary_id, sizeof r->boundary_id, "cnn-boundary-%d-%u",
             (int)getpid(), id);
    snprintf(r->draw_id, sizeof r->draw_id, "cnn-draw-%d-%u", (int)getpid(),
             id);
}

static value *fit_cmd(lang_run *run, const args *a)
{
    value *net, *data, *val;
    int verbose, boundary, draw, grads;
    double budget;
    nn_train_opts o;
    if (fit_args(run, a, &net, &data, &val, &o, &verbose) < 0
        || arg_bool(run, a, "boundary", &boundary) < 0
        || arg_bool(run, a, "draw", &draw) < 0
        || arg_num(run, a, "seconds", &budget) < 0
        || arg_bool(run, a, "gradients", &grads) < 0)
        return NULL;
    const nn_data *d = data->as.data.set;
    if (boundary && d->d != (d->task == NN_TASK_REGRESS ? 1 : 2)) {
        int len, pos = arg_pos(a, "boundary", &len);
        lang_err_set(run->e, "ShapeError", pos, len,
                     d->task == NN_TASK_REGRESS
                         ? "a live fitted curve needs 1 feature: %s has %d"
                         : "a live decision boundary needs 2 features: %s "
                           "has %d", d->name, d->d);
        return NULL;
    }
    if (fit_check(run, a, net, data, val, o.loss, o.seed) < 0)
        return NULL;
    if (verbose)
        fit_warn_scale(run, data);
    fit_run *r = calloc(1, sizeof *r);
    if (!r) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    *r = (fit_run){
        .run = run, .net = net->as.net,
        .base_epochs = net->as.net->epochs, .draw = draw, .data = d, .every = 1,
        .total = o.epochs, .line_every = o.epochs >= 10 ? o.epochs / 10 : 1,
        .verbose = verbose, .has_val = val != NULL, .boundary = boundary,
        .lr = o.optim.lr, .last_line = now_s(), .line_gap = 1,
        .epoch_t0 = now_s(),
    };
    fit_ids(r);
    o.progress = on_progress;
    o.ctx = r;
    double t0 = now_s();
    r->budget = budget;
    r->deadline = budget > 0 ? t0 + budget : 0;
    if (grads && !(r->grads = gradfit_new(net->as.net->model, o.epochs,
                                         draw ? net->as.net : NULL))) {
        free(r);
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    if (draw_live(r, 0) < 0) {
        gradfit_free(r->grads);
        free(r);
        return NULL;
    }
    nn_history h;
    memset(&h, 0, sizeof h);
    nn_err err;
    int rc = nn_train(net->as.net->model, d, &o, &h, &err);
    net->as.net->epochs = r->base_epochs;
    if (rc >= 0 && h.epochs > 0) {
        net->as.net->epochs += h.epochs;
        if (remember_data(net->as.net, data) < 0)
            rc = -2;
    }
    if (rc >= 0 && r->done > 0
        && (draw_final(r) < 0 || remember_curves(net->as.net, r) < 0))
        rc = -2;
    else if ((rc < 0 || r->done == 0) && draw_stopped(r) < 0 && rc >= 0)
        rc = -2;
    value *result = fit_end(run, a, rc, &err, r, &h, t0);
    nn_history_free(&h);
    gradfit_free(r->grads);
    free(r);
    return result;
}

/* ---- the family ---------------------------------------------------- */

/* fit's parameters, in the order a call may give them by position. */
static const param p_fit[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net to train"),
    PARAM_VALUE("data", V_DATA, NULL, "the training data"),
    PARAM_INT("epochs", 100, 1, 2147483647, "passes over the data"),
    PARAM_INT("batch", 32, 1, 1 << 30, "samples per step"),
    PARAM_VALUE("optimizer", V_OPTIM, "adam()",
                "sgd(...), adam(...), adamw(...) or rmsprop(...)"),
    PARAM_CHOICE("loss", "auto",
                 CHOICES("auto", "bce", "cross_entropy", "mse", "mae", "huber"),
                 "auto: bce for one output, cross_entropy for more, mse for "
                 "regression"),
    PARAM_NUM("delta", 1, 0, INFINITY,
              "loss=\"huber\": errors beyond it count linearly, not squared"),
    PARAM_VALUE("validate", V_DATA, "none",
                "a data set measured after every epoch"),
    PARAM_INT("patience", 0, 0, 10000000,
              "stop after this many epochs without improvement (0: never)"),
    PARAM_NUM("min_delta", 0, 0, INFINITY,
              "the least change that counts as an improvement"),
    PARAM_BOOL("restore_best", 1, "on an early stop, keep the best weights"),
    PARAM_VALUE("schedule", V_SCHED, "none", "step(...) or cosine()"),
    PARAM_INT("seed", 0, 0, 2147483647,
              "shuffling, dropout and the first weights"),
    PARAM_BOOL("shuffle", 1, "shuffle the samples every epoch"),
    PARAM_BOOL("verbose", 1, "print a line every tenth of the epochs"),
    PARAM_BOOL("boundary", 0, "draw the decision boundary live (2 features)"),
    PARAM_BOOL("draw", 0, "draw the diagram of the net live"),
    PARAM_NUM("seconds", 0, 0, INFINITY,
              "stop cleanly after this many seconds (0: no limit)"),
    PARAM_BOOL("gradients", 0,
               "chart each layer's gradient norm per epoch live (log scale)"),
    PARAM_END
};

static const builtin table[] = {
    { "fit", B_COMMAND, p_fit, 2, 0, fit_cmd,
      "trains a net on a data set",
      { "on", 0, 1, "fit net on train, epochs=100", 0 } },
};

const builtin_family fit_family = {
    "fit", table, sizeof table / sizeof *table
};
