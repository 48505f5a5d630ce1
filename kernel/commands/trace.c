#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_trace.h"
#include "predict.h"
#include "record.h"
#include "sb.h"
#include "show.h"
#include "table.h"
#include "trace.h"
#include "view.h"

/* A trace is shown in full when it is this small, else summarised. */
#define FULL_ROWS 4
#define FULL_WIDTH 8
#define FULL_PARAMS 40

/* ---- the rows and their targets ------------------------------------ */

/* The labels of n literal rows: `target`, one class index (below k) per
 * row (a number for one row), all checked, the first `keep` stored in y.
 * 0, or -1 with the error set. */
static int read_target(lang_run *run, const args *a, int n, int keep, int k,
                       int *y)
{
    const value *t = arg_get(a, "target");
    int len, pos = arg_pos(a, "target", &len);
    if (!t || t->kind == V_NONE)
        return lang_err_set(run->e, "ValueError", a->call->pos, a->call->len,
                            "trace needs the target of each row, e.g. "
                            "trace net on [[0.5, -0.2]], target=[1]");
    int many = t->kind == V_LIST;
    int have = many ? t->as.list.n : 1;
    if (have != n)
        return lang_err_set(run->e, "ShapeError", pos, len, "%d row%s but "
                            "%d target%s: give one class per row", n,
                            n == 1 ? "" : "s", have, have == 1 ? "" : "s");
    for (int i = 0; i < n; i++) {
        double c;
        int ok = many ? value_list_num(t, i, &c)
                      : (t->kind == V_NUM || t->kind == V_BOOL);
        if (!many && ok)
            c = t->as.num;
        if (!ok || c != floor(c) || c < 0 || c > 1e9)
            return lang_err_set(run->e, "ValueError", pos, len, "target %d "
                                "is not a class index (0, 1, ...)", i + 1);
        if (c >= k)
            return lang_err_set(run->e, "ValueError", pos, len, "target %d "
                                "is class %g, but the net tells %d classes "
                                "apart (0 to %d)", i + 1, c, k, k - 1);
        if (i < keep)
            y[i] = (int)c;
    }
    return 0;
}

/* The batch as a data set: literal rows with their targets (standardized
 * with the net's scaler when it has one), or the first `limit` rows of a
 * data set. NULL with the error set. */
static nn_data *trace_batch(lang_run *run, const args *a, const net_value *n,
                            int limit)
{
    const value *v = arg_get(a, "rows");
    int len, pos = arg_pos(a, "rows", &len);
    if (v->kind == V_DATA) {
        nn_data *copy = NULL;
        const nn_data *seen = view_data(run, a, n, v, &copy, NULL);
        if (!seen)
            return NULL;
        int rows = seen->n < limit ? seen->n : limit;
        nn_data *d = nn_data_new(seen->name, rows, seen->d,
                                 seen->n_classes, NULL);
        if (d) {
            memcpy(d->x, seen->x, (size_t)rows * seen->d * sizeof *d->x);
            memcpy(d->y, seen->y, (size_t)rows * sizeof *d->y);
        }
        nn_data_free(copy);
        if (!d)
            lang_err_oom(run->e, pos);
        return d;
    }
    if (v->kind != V_LIST) {
        lang_err_set(run->e, "TypeError", pos, len, "trace takes rows "
                     "([[0.5, -0.2]]) or a data set, not %s",
                     value_kind_name(v));
        return NULL;
    }
    int rows, width;
    float *x = predict_literal_rows(run, a, v, limit, &rows, &width);
    if (!x)
        return NULL;
    int k = nn_model_out(n->model);
    nn_data *d = nn_data_new("the rows", rows < limit ? rows : limit, width,
                             k == 1 ? 2 : k, NULL);
    if (!d || read_target(run, a, rows, d->n, d->n_classes, d->y) < 0) {
        if (!d)
            lang_err_oom(run->e, pos);
        free(x);
        nn_data_free(d);
        return NULL;
    }
    memcpy(d->x, x, (size_t)d->n * width * sizeof *x);
    free(x);
    if (n->scaler && width == nn_model_in(n->model))
        nn_scaler_apply(n->scaler, d->x, d->n);
    return d;
}

/* ---- what is shown ------------------------------------------------- */

/* "[0.1234, -0.5]" of v[0..n), at most 8 values then ", ...". */
static char *vec(const float *v, int n)
{
    sb s;
    sb_init(&s);
    for (int i = 0; i < n && i < 8; i++)
        sb_fmt(&s, "%s%.4g", i ? ", " : "[", (double)v[i]);
    sb_fmt(&s, "%s", n > 8 ? ", ...]" : "]");
    return sb_done(&s);
}

/* Cells of one value per batch row, rows apart by "; ". */
static char *rows_cell(const float *v, int n, int width)
{
    sb s;
    sb_init(&s);
    for (int r = 0; r < n; r++) {
        char *c = vec(v + (size_t)r * width, width);
        sb_fmt(&s, "%s%s", r ? "; " : "", c ? c : "");
        free(c);
    }
    return sb_done(&s);
}

/* A table being filled, cell by cell (a NULL cell after a failed
 * allocation makes the whole table fail). */
typedef struct grid {
    const char *const *head;
    char **cells;
    int rows, cols, at, failed;
} grid;

static int grid_open(grid *g, const char *const *head, int cols, int rows)
{
    *g = (grid){ .head = head, .rows = rows, .cols = cols };
    g->cells = calloc((size_t)rows * cols + 1, sizeof *g->cells);
    return g->cells ? 0 : -1;
}

/* Takes cell c (malloc'd or NULL) as the next cell. */
static void grid_put(grid *g, char *c)
{
    if (!c)
        g->failed = 1;
    g->cells[g->at++] = c;
}

/* The table's HTML and text appended to h and t, then the grid freed.
 * 0, or -1 on OOM. */
static int grid_close(grid *g, const char *title, sb *h, sb *t)
{
    char *html = NULL, *text = NULL;
    int rc = g->failed ? -1 : show_table(g->head, g->cells, g->at / g->cols,
                                         g->cols, &html, &text);
    if (rc == 0) {
        sb_fmt(h, "<h4>%s</h4>%s", title, html);
        sb_fmt(t, "\n%s\n%s\n", title, text);
    }
    free(html);
    free(text);
    view_strv_free(g->cells, g->rows * g->cols);
    return rc;
}

/* The label of layer i: "2 linear(4)" for the second layer with weights
 * (linear or conv2d), the layer itself ("sigmoid") for the others. */
static char *layer_label(nn_model *m, int i)
{
    char name[64];
    nn_layer_format(nn_model_layer(m, i), name, sizeof name);
    if (!nn_model_layer_params(m, i))
        return strdup(name);
    int k = 0;
    for (int j = 0; j <= i; j++)
        k += nn_model_layer_params(m, j) != 0;
    return sb_printf("%d %s", k, name);
}

/* "W[2,3]" for weight j of a linear layer, "W[2,1,3,3]" ([out, in, kh,
 * kw], from 1) of a conv2d layer. malloc'd, NULL on OOM. */
static char *weight_name(const nn_layer_spec *s, const nn_trace_layer *l,
                         size_t j)
{
    if (s->kind == NN_BATCHNORM)
        return sb_printf("gamma[%zu]", j + 1);
    if (s->kind != NN_CONV2D)
        return sb_printf("W[%zu,%zu]", j / l->in + 1, j % l->in + 1);
    size_t k = (size_t)s->kernel, in = l->nw / (size_t)s->units / (k * k);
    return sb_printf("W[%zu,%zu,%zu,%zu]", j / (in * k * k) + 1,
                     j / (k * k) % in + 1, j / k % k + 1, j % k + 1);
}

/* Whether a trace is small enough to show every number. */
static int trace_full(const nn_trace *t, int in)
{
    int ok = t->n <= FULL_ROWS && in <= FULL_WIDTH;
    for (int i = 0; i < t->n_layers; i++)
        ok = ok && t->layers[i].width <= FULL_WIDTH
             && (size_t)t->layers[i].width * (t->layers[i].in + 1)
                <= FULL_PARAMS;
    return ok;
}

/* The forward and backward table: each layer's output and the gradient of
 * the loss with respect to it, in full or as norms. */
static int pass_table(nn_model *m, const nn_trace *t, const float *x,
                      int full, sb *h, sb *txt)
{
    static const char *const head_full[] = { "layer", "output",
                                             "dL/d output" };
    static const char *const head_sum[] = { "layer", "output norm",
                                            "dL/d output norm" };
    grid g;
    if (grid_open(&g, full ? head_full : head_sum, 3, t->n_layers + 1) < 0)
        return -1;
    int in = nn_model_in(m);
    grid_put(&g, strdup("input"));
    grid_put(&g, full ? rows_cell(x, t->n, in)
                      : table_general(nn_trace_norm(x, (size_t)t->n * in), 4));
    grid_put(&g, strdup(""));
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *l = &t->layers[i];
        size_t len = (size_t)t->n * l->width;
        grid_put(&g, layer_label(m, i));
        grid_put(&g, full ? rows_cell(l->out, t->n, l->width)
                          : table_general(nn_trace_norm(l->out, len), 4));
        if (!l->gout)
            grid_put(&g, strdup("(fused with the loss)"));
        else
            grid_put(&g, full ? rows_cell(l->gout, t->n, l->width)
                              : table_general(nn_trace_norm(l->gout, len),
                                              4));
    }
    return grid_close(&g, "forward pass, then the gradient flowing back",
                      h, txt);
}

/* Every weight and bias of layer i: value, gradient, update. */
static void params_full(grid *g, nn_model *m, const nn_trace *t, int i)
{
    const nn_trace_layer *l = &t->layers[i];
    const float *w = nn_model_params(m) + nn_model_layer_offset(m, i);
    size_t nw = l->nw;
    for (size_t j = 0; j < nw + (size_t)l->nb; j++) {
        int bias = j >= nw;
        grid_put(g, layer_label(m, i));
        grid_put(g, bias ? sb_printf("b[%zu]", j - nw + 1)
                         : weight_name(nn_model_layer(m, i), l, j));
        grid_put(g, table_general((double)w[j], 6));
        grid_put(g, table_general(bias ? l->gb[j - nw] : l->gw[j], 6));
        grid_put(g, table_general(bias ? l->db[j - nw] : l->dw[j], 6));
    }
}

/* Layer i's weights in norms, and its largest weight gradient. */
static void params_summary(grid *g, nn_model *m, const nn_trace *t, int i)
{
    const nn_trace_layer *l = &t->layers[i];
    const float *w = nn_model_params(m) + nn_model_layer_offset(m, i);
    size_t nw = l->nw, big = 0;
    for (size_t j = 1; j < nw; j++)
        if (fabsf(l->gw[j]) > fabsf(l->gw[big]))
            big = j;
    double du = hypot(nn_trace_norm(l->dw, nw),
                      nn_trace_norm(l->db, (size_t)l->nb));
    char *at = weight_name(nn_model_layer(m, i), l, big);
    grid_put(g, layer_label(m, i));
    grid_put(g, table_general(nn_trace_norm(w, nw), 4));
    grid_put(g, table_general(nn_trace_norm(l->gw, nw), 4));
    grid_put(g, table_general(nn_trace_norm(l->gb, (size_t)l->nb), 4));
    grid_put(g, at ? sb_printf("%s = %.4g", at, (double)l->gw[big]) : NULL);
    free(at);
    grid_put(g, table_general(du, 4));
}

/* The weights table: every parameter, or each layer's norms. */
static int param_table(nn_model *m, const nn_trace *t, int full, sb *h,
                       sb *txt)
{
    static const char *const head_full[] = { "layer", "parameter", "value",
                                             "dL/dp", "update" };
    static const char *const head_sum[] = { "layer", "weight norm",
                                            "dL/dW norm", "dL/db norm",
                                            "largest dL/dW", "update norm" };
    int rows = 0;
    for (int i = 0; i < t->n_layers; i++)
        if (t->layers[i].gw)
            rows += full ? (int)t->layers[i].nw + t->layers[i].nb : 1;
    grid g;
    if (grid_open(&g, full ? head_full : head_sum, full ? 5 : 6, rows) < 0)
        return -1;
    for (int i = 0; i < t->n_layers; i++)
        if (t->layers[i].gw)
            (full ? params_full : params_summary)(&g, m, t, i);
    return grid_close(&g, "weights and biases: value, gradient dL/dp, and "
                      "the update (new - old)", h, txt);
}

/* What trace shows: the step's heading, the two tables and whether the
 * step was applied; `of` names the data set the rows came from (NULL:
 * literal rows). This is the one place the trace becomes a result. */
/* rows x cols floats as a packed list of rows (a row when rows is 1 and
 * `flat`), or none for NULL. NULL on OOM. */
static value *matrix(const float *x, int rows, int cols, int flat)
{
    if (!x)
        return value_none();
    value *l = flat ? value_packed(cols, 1, 1) : value_packed(rows, cols, 2);
    for (size_t i = 0; l && i < (size_t)rows * cols; i++)
        l->as.list.nums[i] = x[i];
    return l;
}

/* A list of one value per layer (linear layers only when `linear`), each
 * made by `pick` from the layer. NULL on OOM. */
static value *per_layer(const nn_trace *t, int linear,
                        value *(*pick)(const nn_trace *, int))
{
    int n = 0;
    for (int i = 0; i < t->n_layers; i++)
        n += !linear || t->layers[i].gw != NULL;
    value *l = value_list(n);
    for (int i = 0, j = 0; l && i < t->n_layers; i++) {
        if (linear && !t->layers[i].gw)
            continue;
        if (!(l->as.list.items[j++] = pick(t, i))) {
            value_unref(l);
            return NULL;
        }
    }
    if (l && value_list_nest(l) < 0) {
        value_unref(l);
        return NULL;
    }
    return l;
}

static value *pick_out(const nn_trace *t, int i)
{
    return matrix(t->layers[i].out, t->n, t->layers[i].width, 0);
}
static value *pick_gout(const nn_trace *t, int i)
{
    return matrix(t->layers[i].gout, t->n, t->layers[i].width, 0);
}
/* A weight-shaped array of layer i: a row per output unit (a conv2d
 * layer: per filter, its in x k x k weights in a row). */
static value *weight_rows(const nn_trace *t, int i, const float *w)
{
    const nn_trace_layer *l = &t->layers[i];
    return matrix(w, l->nb, (int)(l->nw / (size_t)l->nb), 0);
}
static value *pick_gw(const nn_trace *t, int i)
{
    return weight_rows(t, i, t->layers[i].gw);
}
static value *pick_gb(const nn_trace *t, int i)
{
    return matrix(t->layers[i].gb, 1, t->layers[i].nb, 1);
}
static value *pick_dw(const nn_trace *t, int i)
{
    return weight_rows(t, i, t->layers[i].dw);
}
static value *pick_db(const nn_trace *t, int i)
{
    return matrix(t->layers[i].db, 1, t->layers[i].nb, 1);
}

/* trace's value: loss, loss_name, lr, optimizer, rows; out and grad_out
 * (a matrix per layer, rows x width; grad_out none for an activation
 * fused into the loss); grad, grad_b, update, update_b (per layer with
 * weights: W's gradient a row per output unit or filter, b's, and the
 * optimizer's new - old).
 * A new record, or NULL on OOM. */
static value *trace_record(const nn_trace *t)
{
    value *r = value_rec();
    int ok = r != NULL;
    record_field(r, &ok, "loss", value_num(t->loss_value));
    record_field(r, &ok, "loss_name", value_str(nn_loss_name(t->loss)));
    record_field(r, &ok, "lr", value_num(t->lr));
    record_field(r, &ok, "optimizer", value_str(nn_optim_name(t->optim)));
    record_field(r, &ok, "rows", value_num(t->n));
    record_field(r, &ok, "out", per_layer(t, 0, pick_out));
    record_field(r, &ok, "grad_out", per_layer(t, 0, pick_gout));
    record_field(r, &ok, "grad", per_layer(t, 1, pick_gw));
    record_field(r, &ok, "grad_b", per_layer(t, 1, pick_gb));
    record_field(r, &ok, "update", per_layer(t, 1, pick_dw));
    record_field(r, &ok, "update_b", per_layer(t, 1, pick_db));
    return record_done(r, ok);
}

static value *trace_result(lang_run *run, const args *a, nn_model *m,
                           const nn_trace *t, const nn_data *batch,
                           const char *of, int applied)
{
    sb h, txt;
    sb_init(&h);
    sb_init(&txt);
    int full = trace_full(t, batch->d);
    char *head = sb_printf("one step of %s (lr %g) on %d row%s%s%s: loss "
                           "%s = %.6g", nn_optim_name(t->optim),
                           (double)t->lr, t->n, t->n == 1 ? "" : "s",
                           of ? " of " : "", of ? of : "",
                           nn_loss_name(t->loss),
                           (double)t->loss_value);
    const char *end = applied ? "the step was applied: the net's weights "
                                "are now the new ones"
                              : "nothing changed: apply=true makes this step";
    sb_fmt(&h, "<div><p>%s</p>", head ? head : "");
    sb_fmt(&txt, "%s\n", head ? head : "");
    int rc = head ? 0 : -1;
    free(head);
    rc = rc < 0 || pass_table(m, t, batch->x, full, &h, &txt) < 0
         || param_table(m, t, full, &h, &txt) < 0 ? -1 : 0;
    sb_fmt(&h, "<p>%s</p></div>", end);
    sb_fmt(&txt, "\n%s", end);
    char *html = sb_done(&h), *text = sb_done(&txt);
    if (rc < 0) {
        free(html);
        free(text);
        html = text = NULL;
    }
    if (show_display(run, html, text, NULL, 0) < 0)
        return NULL;
    return builtin_made(run, a, trace_record(t));
}

/* ---- the command --------------------------------------------------- */

static int trace_loss(lang_run *run, const args *a, nn_loss_kind *loss)
{
    const char *name;
    if (arg_choice(run, a, "loss", &name) < 0)
        return -1;
    int k = nn_loss_kind_from_name(name);
    assert(k >= 0 && "each choice is a loss the engine names");
    *loss = (nn_loss_kind)k;
    return 0;
}

static value *trace_cmd(lang_run *run, const args *a)
{
    value *net, *opt;
    int limit, apply;
    nn_loss_kind loss = NN_LOSS_AUTO;
    nn_model *m;
    if (arg_value(run, a, "net", &net) < 0
        || arg_int(run, a, "limit", &limit) < 0
        || arg_bool(run, a, "apply", &apply) < 0
        || arg_value(run, a, "optimizer", &opt) < 0
        || trace_loss(run, a, &loss) < 0
        || !(m = view_model(run, a, net)))
        return NULL;
    nn_optim_spec spec = opt ? *opt->as.optim : nn_optim_defaults(NN_ADAM);
    nn_data *batch = trace_batch(run, a, net->as.net, limit);
    if (!batch)
        return NULL;
    nn_err err;
    nn_trace *t = NULL;
    value *result = NULL;
    if (view_check_width(run, a, m, batch) < 0)
        goto done;
    if (batch->task == NN_TASK_REGRESS || net->as.net->targets) {
        int len, pos = arg_pos(a, "net", &len);
        lang_err_set(run->e, "ValueError", pos, len, "trace shows a step "
                     "on class labels; a regression net (continuous "
                     "targets) cannot be traced yet");
        goto done;
    }
    if (nn_train_check(m, batch, loss, &err) < 0
        || !(t = nn_trace_step(m, batch->x, batch->y, batch->n, loss, &spec,
                               &err))) {
        view_fail(run, a, "ValueError", &err);
        goto done;
    }
    const value *rows = arg_get(a, "rows");
    result = trace_result(run, a, m, t, batch, rows->kind == V_DATA
                          ? rows->as.data.set->name : NULL, apply);
    if (result && apply)
        nn_trace_apply(m, t);
done:
    nn_trace_free(t);
    nn_data_free(batch);
    return result;
}

/* ---- the family ---------------------------------------------------- */

static const param p_trace[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net whose step is traced"),
    PARAM_VALUE("rows", V_NONE, NULL,
                "literal rows ([[x1, x2], ...]) or a data set"),
    PARAM_VALUE("target", V_NONE, "none",
                "the class of each literal row ([1, 0] or 1 for one row)"),
    PARAM_INT("limit", 4, 1, 1 << 20, "the most rows of the batch"),
    PARAM_VALUE("optimizer", V_OPTIM, "adam()",
                "the optimizer whose update is shown"),
    PARAM_CHOICE("loss", "auto", CHOICES("auto", "bce", "cross_entropy", "mse"),
                 "auto: bce for one output, cross_entropy for more"),
    PARAM_BOOL("apply", 0, "make the step: change the net's weights"),
    PARAM_END
};

static const builtin table[] = {
    { "trace", B_COMMAND, p_trace, 2, 0, trace_cmd,
      "shows one training step layer by layer: outputs, loss, gradients, "
      "update",
      { "on", 0, 1, "trace net on [[0.5, -0.2]], target=[1]", 0 } },
};

const builtin_family trace_family = {
    "trace", table, sizeof table / sizeof *table
};
