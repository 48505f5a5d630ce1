#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classplot.h"
#include "esc.h"
#include "net.h"
#include "record.h"
#include "regdata.h"
#include "sb.h"
#include "show.h"
#include "svg.h"
#include "table.h"

/* A {"text/html": html, "text/plain": text} bundle. Takes and frees both
 * strings; NULL when either is NULL (an allocation failed) or on OOM. */
static json_t *mime_both(char *html, char *text)
{
    json_t *b = html && text ? json_pack("{s:s, s:s}", "text/html", html,
                                         "text/plain", text)
                             : NULL;
    free(html);
    free(text);
    return b;
}

/* Displays bundle b (taken; NULL when making it failed: a MemoryError). */
static int display_bundle(lang_run *run, json_t *b, const char *display_id,
                          int update)
{
    if (!b)
        return lang_err_oom(run->e, run->current ? run->current->pos : -1);
    run->out->display(run->out->ctx, b, NULL, display_id, update);
    json_decref(b);
    return 0;
}

int show_display(lang_run *run, char *html, char *text, const char *display_id,
                 int update)
{
    return display_bundle(run, mime_both(html, text), display_id, update);
}

int show_plot(lang_run *run, char *svg, char *text, const char *display_id,
              int update)
{
    char *html = svg ? svg_html(svg) : NULL;
    json_t *b = html && text ? json_pack("{s:s, s:s}", "text/html", html,
                                         "text/plain", text)
                             : NULL;
    /* an update (up to five a second in a live chart) carries the chart
     * once: every frontend ranks text/html above image/svg+xml */
    if (b && !update && json_object_set_new(b, "image/svg+xml",
                                            json_string(svg)) < 0) {
        json_decref(b);
        b = NULL;
    }
    free(svg);
    free(html);
    free(text);
    return display_bundle(run, b, display_id, update);
}

int show_clear(lang_run *run, const char *display_id)
{
    assert(run && display_id);
    return display_bundle(run, json_pack("{s:s}", "text/plain", ""),
                          display_id, 1);
}

int show_table(const char *const *head, char *const *cells, int rows,
               int cols, char **html, char **text)
{
    *html = table_html(head, (const char *const *)cells, rows, cols);
    *text = table_text(head, (const char *const *)cells, rows, cols);
    return show_both_or_neither(html, text);
}

int show_both_or_neither(char **a, char **b)
{
    assert(a && b);
    if (*a && *b)
        return 0;
    free(*a);
    free(*b);
    *a = *b = NULL;
    return -1;
}

/* ---- data sets --------------------------------------------------------- */

#define PREVIEW_ROWS 5
#define PREVIEW_COLS 8

static void free_cells(char **cells, int n)
{
    if (!cells)
        return;
    for (int i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* The first rows of a data set as a table (features, then the class). */
static int data_preview(const nn_data *d, char **html, char **text)
{
    int rows = d->n < PREVIEW_ROWS ? d->n : PREVIEW_ROWS;
    int fc = d->d < PREVIEW_COLS ? d->d : PREVIEW_COLS;
    int cols = fc + 1;
    const char **head = calloc((size_t)cols, sizeof *head);
    char **cells = calloc((size_t)(rows * cols) + 1, sizeof *cells);
    int ok = head && cells;
    for (int j = 0; ok && j < fc; j++)
        head[j] = d->feature_names[j];
    int reg = d->task == NN_TASK_REGRESS;
    if (ok)
        head[fc] = reg ? d->target_names[0] : "class";
    for (int i = 0; ok && i < rows; i++) {
        char **r = cells + i * cols;
        for (int j = 0; ok && j < fc; j++)
            ok = (r[j] = table_general(d->x[i * d->d + j], 4)) != NULL;
        if (ok)
            ok = (r[fc] = reg ? sb_printf("%.4g",
                                          (double)regdata_target(d, i, 0))
                              : strdup(d->class_names[d->y[i]])) != NULL;
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, cols, html, text) == 0;
    free(head);
    free_cells(cells, rows * cols);
    return ok ? 0 : -1;
}

/* "2 classes: 0 (500), 1 (500)" */
static char *class_line(const nn_data *d)
{
    if (d->task == NN_TASK_REGRESS)
        return regdata_target_line(d);
    int *counts = calloc((size_t)d->n_classes, sizeof *counts);
    if (!counts)
        return NULL;
    nn_data_class_counts(d, counts);
    sb b = { 0 };
    sb_fmt(&b, "%d class%s:", d->n_classes, d->n_classes == 1 ? "" : "es");
    for (int c = 0; c < d->n_classes; c++) {
        if (c == 12) {
            sb_fmt(&b, " ... (%d more)", d->n_classes - 12);
            break;
        }
        sb_fmt(&b, "%s %s (%d)", c ? "," : "", d->class_names[c], counts[c]);
    }
    free(counts);
    return sb_done(&b);
}

int show_scatter(const nn_data *d, int fx, int fy, char **svg, char **text)
{
    float *px = malloc((size_t)d->n * sizeof *px + 1);
    float *py = malloc((size_t)d->n * sizeof *py + 1);
    char *title = sb_printf("%s: %d samples", d->name, d->n);
    *svg = *text = NULL;
    if (px && py && title) {
        for (int i = 0; i < d->n; i++) {
            px[i] = d->x[(size_t)i * d->d + fx];
            py[i] = d->x[(size_t)i * d->d + fy];
        }
        classplot_points p = {
            .px = px, .py = py, .label = d->y, .n = d->n, .k = d->n_classes,
            .class_names = (const char *const *)d->class_names,
            .xlabel = d->feature_names[fx], .ylabel = d->feature_names[fy],
            .title = title,
        };
        *svg = classplot_scatter_svg(&p);
        *text = classplot_scatter_text(&p);
    }
    free(px);
    free(py);
    free(title);
    return show_both_or_neither(svg, text);
}

static json_t *data_bundle(const value *v)
{
    const nn_data *d = v->as.data.set;
    char *classes = class_line(d);
    char *name = esc_html(d->name);
    char *head = classes
        ? sb_printf("%d samples, %d features, %s%s", d->n, d->d, classes,
                   v->as.data.scaler ? "; standardized (mean 0, std 1 per "
                   "feature, fitted on the first set given to standardize)"
                   : "")
        : NULL;
    free(classes);
    char *th = NULL, *tt = NULL, *svg = NULL, *st = NULL, *img = NULL;
    char *html = NULL, *text = NULL;
    int plot = d->d == 2;
    if (plot && show_scatter(d, 0, 1, &svg, &st) == 0)
        img = svg_html(svg);
    if (head && name && (!plot || img) && data_preview(d, &th, &tt) == 0) {
        html = sb_printf("<div><b>%s</b>: %s%s%s</div>", name, head, th,
                        plot ? img : "");
        text = sb_printf("%s: %s\n%s%s%s", d->name, head, tt,
                        plot ? "\n" : "", plot ? st : "");
    }
    free(head);
    free(name);
    free(th);
    free(tt);
    free(st);
    free(img);
    json_t *b = mime_both(html, text);
    if (b && svg && json_object_set_new(b, "image/svg+xml", json_string(svg)))
        json_decref(b), b = NULL;
    free(svg);
    return b;
}

/* ---- nets ------------------------------------------------------------ */

static char *layer_label(const nn_layer_spec *l)
{
    char label[64];
    nn_layer_format(l, label, sizeof label);
    return strdup(label);
}

/* Row i of the summary of a built image model (Keras' shapes:
 * "(None, 16, 14, 14)", "(None, 784)" after flatten). */
static void image_row(const nn_model *m, int i, char **r, size_t *total)
{
    int sh[3];
    size_t p = nn_model_layer_params(m, i);
    *total += p;
    r[3] = sb_printf("%zu", p);
    r[2] = nn_model_layer_shape(m, i, sh)
               ? sb_printf("(None, %d, %d, %d)", sh[0], sh[1], sh[2])
               : sb_printf("(None, %d)", sh[0]);
}

/* The layer table of a summary: one row a layer (index, label, output
 * shape, parameters); *total gets the parameters of the known widths.
 * Returns 0, or -1 with both NULL on OOM. */
static int summary_table(const net_value *n, size_t *total, char **html,
                         char **text)
{
    static const char *const head[] = { "#", "Layer", "Output shape",
                                        "Param #" };
    int rows = n->n_layers;
    char **cells = calloc((size_t)rows * 4 + 1, sizeof *cells);
    int ok = cells != NULL, width = n->in;
    *total = 0;
    for (int i = 0; ok && i < rows; i++) {
        const nn_layer_spec *l = &n->layers[i];
        char **r = cells + i * 4;
        int sh[3];
        if (n->model && nn_model_layer_shape(n->model, -1, sh)) {
            image_row(n->model, i, r, total);
        } else if (l->kind == NN_BATCHNORM) {
            *total += width > 0 ? 2 * (size_t)width : 0;
            r[3] = width > 0 ? sb_printf("%d", 2 * width)
                             : sb_printf("2 * channels");
        } else if (l->kind != NN_LINEAR) {
            r[3] = sb_printf("0");
        } else if (width > 0) {
            size_t p = (size_t)width * (size_t)l->units + (size_t)l->units;
            *total += p;
            r[3] = sb_printf("%zu", p);
        } else {
            r[3] = sb_printf("%d * in + %d", l->units, l->units);
        }
        if (l->kind == NN_LINEAR)
            width = l->units;
        r[0] = sb_printf("%d", i);
        r[1] = layer_label(l);
        if (!r[2])
            r[2] = width > 0 ? sb_printf("(None, %d)", width)
                             : sb_printf("(None, in)");
        ok = r[0] && r[1] && r[2] && r[3];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, rows, 4, html, text) == 0;
    free_cells(cells, rows * 4);
    return ok ? 0 : -1;
}

/* The line under the table: input width, total parameters, training. */
static char *summary_foot(const net_value *n, size_t total)
{
    sb b = { 0 };
    int s[3];
    if (n->model && nn_model_layer_shape(n->model, -1, s))
        sb_fmt(&b, "Input: (None, %d, %d, %d). Total params: %zu.", s[0],
               s[1], s[2], total);
    else if (n->in > 0)
        sb_fmt(&b, "Input: (None, %d). Total params: %zu%s.", n->in, total,
               n->model ? "" : " (not built yet)");
    else
        sb_str(&b, "Input width: taken from the data at the first fit "
                   "(or start the chain with input(d)).");
    if (n->epochs > 0 && n->fit_on && n->targets)
        sb_fmt(&b, " Trained %d epoch%s on %s (regression of '%s'%s)%s.",
               n->epochs, n->epochs == 1 ? "" : "s", n->fit_on,
               n->targets->target_names[0],
               n->targets->n_targets > 1 ? " and more" : "",
               n->scaler ? "; standardizes its inputs" : "");
    else if (n->epochs > 0 && n->fit_on)
        sb_fmt(&b, " Trained %d epoch%s on %s (%d classes)%s.", n->epochs,
               n->epochs == 1 ? "" : "s", n->fit_on, n->n_classes,
               n->scaler ? "; standardizes its inputs" : "");
    return sb_done(&b);
}

int show_summary(const value *net, char **html, char **text)
{
    const net_value *n = net->as.net;
    size_t total;
    char *th, *tt, *foot = NULL;
    *html = *text = NULL;
    if (summary_table(n, &total, &th, &tt) == 0
        && (foot = summary_foot(n, total))) {
        const char *nl = tt[0] && tt[strlen(tt) - 1] == '\n' ? "" : "\n";
        *html = sb_printf("<div>%s<p>%s</p></div>", th, foot);
        *text = sb_printf("%s%s%s\n", tt, nl, foot);
    }
    free(th);
    free(tt);
    free(foot);
    return show_both_or_neither(html, text);
}

static json_t *net_bundle(const value *v)
{
    char *html, *text;
    if (show_summary(v, &html, &text) < 0)
        return NULL;
    char *r = value_repr(v);
    char *t = r ? sb_printf("%s\n%s", r, text) : NULL;
    free(r);
    free(text);
    return mime_both(html, t);
}

json_t *show_bundle(const value *v)
{
    assert(v);
    if (v->kind == V_DATA)
        return data_bundle(v);
    if (v->kind == V_NET)
        return net_bundle(v);
    json_t *records = record_bundle(v);    /* NULL: not records */
    if (records)
        return records;
    char *text = value_repr(v);
    json_t *b = text ? json_pack("{s:s}", "text/plain", text) : NULL;
    free(text);
    return b;
}

/* ---- names ------------------------------------------------------------ */

int show_names(lang_run *run)
{
    assert(run);
    static const char *const head[] = { "name", "kind", "value" };
    const env *en = run->env;
    if (en->n == 0) {
        run->out->stream(run->out->ctx, "stdout",
                       "no names defined yet (name = value defines one)\n");
        return 0;
    }
    char **cells = calloc((size_t)en->n * 3 + 1, sizeof *cells);
    int ok = cells != NULL;
    for (int i = 0; ok && i < en->n; i++) {
        const value *v = en->vals[i];
        cells[i * 3] = strdup(en->names[i]);
        cells[i * 3 + 1] = strdup(value_kind_name(v));
        cells[i * 3 + 2] = value_repr(v);
        ok = cells[i * 3] && cells[i * 3 + 1] && cells[i * 3 + 2];
        if (ok && strlen(cells[i * 3 + 2]) > 80)
            strcpy(cells[i * 3 + 2] + 76, "...");
    }
    char *html = NULL, *text = NULL;
    if (ok)
        show_table(head, cells, en->n, 3, &html, &text);
    free_cells(cells, en->n * 3);
    return show_display(run, html, text, NULL, 0);
}
