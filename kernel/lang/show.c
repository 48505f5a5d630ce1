#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "plot.h"
#include "show.h"

/* A {"text/html": html, "text/plain": text} bundle (html may be NULL).
 * Takes and frees both strings; NULL when text is NULL (OOM). */
static json_t *show_mime(char *html, char *text)
{
    json_t *b = NULL;
    if (text) {
        b = html ? json_pack("{s:s, s:s}", "text/html", html, "text/plain", text)
                 : json_pack("{s:s}", "text/plain", text);
    }
    free(html);
    free(text);
    return b;
}

int show_display(ev *x, char *html, char *text, const char *display_id,
                 int update)
{
    json_t *b = show_mime(html, text);
    if (!b)
        return lang_err_oom(x->e, x->current ? x->current->pos : -1);
    x->out->display(x->out->ctx, b, NULL, display_id, update);
    json_decref(b);
    return 0;
}

/* malloc'd printf. */
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

/* Concatenates a and b (both malloc'd, freed); NULL if either is NULL. */
static char *cat(char *a, char *b)
{
    char *s = a && b ? fmt("%s%s", a, b) : NULL;
    free(a);
    free(b);
    return s;
}

/* Minimal HTML escaping of a name for a heading. */
static char *html_escape(const char *s)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == '<' || *p == '>' ? 4 : *p == '&' ? 5 : 1;
    char *o = malloc(n), *w = o;
    if (!o)
        return NULL;
    for (const char *p = s; *p; p++) {
        if (*p == '<')
            w += sprintf(w, "&lt;");
        else if (*p == '>')
            w += sprintf(w, "&gt;");
        else if (*p == '&')
            w += sprintf(w, "&amp;");
        else
            *w++ = *p;
    }
    *w = '\0';
    return o;
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
    if (ok)
        head[fc] = "class";
    for (int i = 0; ok && i < rows; i++) {
        for (int j = 0; ok && j < fc; j++)
            ok = (cells[i * cols + j] = fmt("%.4g", d->x[i * d->d + j])) != NULL;
        if (ok)
            ok = (cells[i * cols + fc] = strdup(d->class_names[d->y[i]])) != NULL;
    }
    *html = ok ? plot_table_html(head, (const char *const *)cells, rows, cols) : NULL;
    *text = ok ? plot_table_text(head, (const char *const *)cells, rows, cols) : NULL;
    free(head);
    free_cells(cells, rows * cols);
    return *html && *text ? 0 : -1;
}

/* "2 classes: 0 (500), 1 (500)" */
static char *class_line(const nn_data *d)
{
    int *counts = calloc((size_t)d->n_classes, sizeof *counts);
    if (!counts)
        return NULL;
    nn_data_class_counts(d, counts);
    char *s = fmt("%d class%s:", d->n_classes, d->n_classes == 1 ? "" : "es");
    for (int c = 0; s && c < d->n_classes; c++) {
        if (c == 12) {
            s = cat(s, fmt(" ... (%d more)", d->n_classes - 12));
            break;
        }
        s = cat(s, fmt("%s %s (%d)", c ? "," : "", d->class_names[c], counts[c]));
    }
    free(counts);
    return s;
}

static json_t *data_bundle(const value *v)
{
    const nn_data *d = v->as.data.set;
    char *classes = class_line(d);
    char *name = html_escape(d->name);
    char *head = classes
        ? fmt("%d samples, %d features, %s%s", d->n, d->d, classes,
              v->as.data.scaler ? "; standardized (mean 0, std 1 per feature, "
              "fitted on the first set given to standardize)" : "")
        : NULL;
    free(classes);
    char *th = NULL, *tt = NULL;
    char *html = NULL, *text = NULL;
    if (head && name && data_preview(d, &th, &tt) == 0) {
        html = fmt("<div><b>%s</b>: %s%s</div>", name, head, th);
        text = fmt("%s: %s\n%s", d->name, head, tt);
    }
    free(head);
    free(name);
    free(th);
    free(tt);
    if (!html || !text) {
        free(html);
        free(text);
        return NULL;
    }
    return show_mime(html, text);
}

/* ---- nets ------------------------------------------------------------ */

static char *layer_label(const nn_layer_spec *l)
{
    if (l->kind == NN_LINEAR)
        return fmt("linear(%d)", l->units);
    if (l->kind == NN_LEAKY_RELU || l->kind == NN_DROPOUT)
        return fmt("%s(%g)", nn_layer_name(l->kind), (double)l->arg);
    return fmt("%s", nn_layer_name(l->kind));
}

int show_summary(const value *net, char **html, char **text)
{
    const net_value *n = &net->as.net;
    static const char *const head[] = { "#", "Layer", "Output shape",
                                        "Param #" };
    int rows = n->n_layers;
    char **cells = calloc((size_t)rows * 4 + 1, sizeof *cells);
    int ok = cells != NULL, width = n->in;
    size_t total = 0;
    for (int i = 0; ok && i < rows; i++) {
        const nn_layer_spec *l = &n->layers[i];
        char *params;
        if (l->kind == NN_LINEAR) {
            if (width > 0) {
                size_t p = (size_t)width * (size_t)l->units + (size_t)l->units;
                total += p;
                params = fmt("%zu", p);
            } else {
                params = fmt("%d * in + %d", l->units, l->units);
            }
            width = l->units;
        } else {
            params = fmt("0");
        }
        cells[i * 4] = fmt("%d", i);
        cells[i * 4 + 1] = layer_label(l);
        cells[i * 4 + 2] = width > 0 ? fmt("(None, %d)", width)
                                     : fmt("(None, in)");
        cells[i * 4 + 3] = params;
        for (int j = 0; j < 4; j++)
            ok = ok && cells[i * 4 + j];
    }
    char *th = ok ? plot_table_html(head, (const char *const *)cells, rows, 4) : NULL;
    char *tt = ok ? plot_table_text(head, (const char *const *)cells, rows, 4) : NULL;
    free_cells(cells, rows * 4);
    char *foot;
    if (n->in > 0)
        foot = fmt("Input: (None, %d). Total params: %zu%s", n->in, total,
                   n->model ? "" : " (not built yet)");
    else
        foot = fmt("Input width: taken from the data at the first fit "
                   "(or start the chain with input(d)).");
    if (foot && n->epochs > 0 && n->fit_on)
        foot = cat(foot, fmt(" Trained %d epoch%s on %s (%d classes)%s.",
                             n->epochs, n->epochs == 1 ? "" : "s", n->fit_on,
                             n->n_classes,
                             n->scaler ? "; standardizes its inputs" : ""));
    *html = th && foot ? fmt("<div>%s<p>%s</p></div>", th, foot) : NULL;
    *text = tt && foot ? fmt("%s%s%s\n", tt, tt[0] && tt[strlen(tt) - 1]
                             == '\n' ? "" : "\n", foot) : NULL;
    free(th);
    free(tt);
    free(foot);
    if (!*html || !*text) {
        free(*html);
        free(*text);
        *html = *text = NULL;
        return -1;
    }
    return 0;
}

static json_t *net_bundle(const value *v)
{
    char *html, *text;
    if (show_summary(v, &html, &text) < 0)
        return NULL;
    char *r = value_repr(v);
    char *t = r ? fmt("%s\n%s", r, text) : NULL;
    free(r);
    free(text);
    if (!t) {
        free(html);
        return NULL;
    }
    return show_mime(html, t);
}

json_t *show_bundle(const value *v)
{
    if (v->kind == V_DATA)
        return data_bundle(v);
    if (v->kind == V_NET)
        return net_bundle(v);
    char *text = value_repr(v);
    return text ? show_mime(NULL, text) : NULL;
}

/* ---- names ------------------------------------------------------------ */

int show_names(ev *x)
{
    static const char *const head[] = { "name", "kind", "value" };
    const env *en = x->env;
    if (en->n == 0) {
        x->out->stream(x->out->ctx, "stdout",
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
    char *html = ok ? plot_table_html(head, (const char *const *)cells, en->n, 3) : NULL;
    char *text = ok ? plot_table_text(head, (const char *const *)cells, en->n, 3) : NULL;
    free_cells(cells, en->n * 3);
    if (!html || !text) {
        free(html);
        free(text);
        return lang_err_oom(x->e, -1);
    }
    return show_display(x, html, text, NULL, 0);
}
