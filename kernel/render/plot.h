/* plot: charts and tables as SVG, HTML and plain text, from plain numbers.
 *
 * Knows nothing of models or of Jupyter messages: each function takes
 * arrays and returns a new malloc'd NUL-terminated string (the caller
 * frees it), or NULL when memory runs out. SVG is self-contained (no
 * scripts, no external fonts) so it renders in VS Code, JupyterLab and
 * nbconvert's HTML when wrapped by plot_svg_html(). */
#ifndef PLOT_H
#define PLOT_H

#include <stddef.h>

/* Training curves: loss (left panel) and accuracy (right panel) for train
 * and validation. Each array holds n points (any may be NULL: that series
 * is not drawn; without accuracies there is one panel); point i is the
 * value after epoch (i+1)*every. The x axis spans `total` epochs, so a
 * live plot grows to the right without rescaling. Non-finite values are
 * skipped (the line breaks there). */
typedef struct plot_curves {
    const float *train_loss, *val_loss, *train_acc, *val_acc;
    int n, every, total;
    const char *title;        /* above the panels; may be NULL */
} plot_curves;

/* The curves as SVG: train solid, validation dashed, with a legend. */
char *plot_curves_svg(const plot_curves *c);

/* The curves as text: the title, then one line per series with its first
 * value, a sparkline (U+2581..U+2588 across the x axis, train and
 * validation of a panel on one scale) and its last value. */
char *plot_curves_text(const plot_curves *c);

/* Several runs on one chart, to compare them: run i (of n, at most 10)
 * in colour i, train solid and validation dashed, named names[i] in a
 * legend under the title; the panels take in every run and the x axis
 * spans the longest. The text form has a sparkline per run and series,
 * runs of a panel on one scale. The runs' own titles are not used. */
char *plot_compare_svg(const plot_curves *runs, const char *const *names,
                       int n, const char *title);
char *plot_compare_text(const plot_curves *runs, const char *const *names,
                        int n, const char *title);

/* Points of two features coloured by class, for scatter plots and
 * decision boundaries. class_names (or any entry of it) may be NULL
 * ("class 3" is shown); label may be NULL (every point class 0, no
 * legend); labels outside 0..k-1 are drawn grey; points with a non-finite
 * coordinate are skipped. */
typedef struct plot_points {
    const float *px, *py;
    const int *label;
    int n, k;
    const char *const *class_names;
    const char *xlabel, *ylabel;
    const char *title;        /* may be NULL */
} plot_points;

/* A classifier's answers over a rectangle: a gw x gh grid of predicted
 * classes (cls[j*gw + i] for x = x0 + (i+0.5)(x1-x0)/gw, y = y0 +
 * (j+0.5)(y1-y0)/gh) with confidence conf[] in [0,1] (may be NULL). */
typedef struct plot_grid {
    const int *cls;
    const float *conf;
    int gw, gh;
    float x0, x1, y0, y1;
} plot_grid;

/* A scatter plot with a class legend. Past 2000 points, every m-th point
 * is drawn (and the plot says "1 in m of n points shown"), so a large data
 * set still makes a small document. */
char *plot_scatter_svg(const plot_points *p);

/* A decision boundary: the grid as tinted cells (stronger where surer),
 * the points as dots on top. */
char *plot_boundary_svg(const plot_points *p, const plot_grid *g);

/* The same two as text: a character map (x across, y up) framed by the
 * axis ranges, with a legend of class symbols ("0".."9", "a".."z", then
 * "+"). The scatter map marks where points lie (several classes in one
 * place: "*"); the boundary map shows the predicted class everywhere and
 * says how many points lie in the region of their own class. */
char *plot_scatter_text(const plot_points *p);
char *plot_boundary_text(const plot_points *p, const plot_grid *g);

/* Confusion matrix (k*k counts, row = true, column = predicted) as an HTML
 * table with cells shaded by count relative to the row total, and as
 * aligned plain text. names as for the plots above. */
char *plot_confusion_html(const int *cm, int k, const char *const *names);
char *plot_confusion_text(const int *cm, int k, const char *const *names);

/* A table of strings, rows x cols, with a header row, as HTML and as
 * aligned plain text. Numeric-looking cells are right-aligned. */
char *plot_table_html(const char *const *header, const char *const *cells,
                      int rows, int cols);
char *plot_table_text(const char *const *header, const char *const *cells,
                      int rows, int cols);

/* Wraps an SVG document as `<img src="data:image/svg+xml;base64,...">`, the
 * form every frontend and nbconvert renders. */
char *plot_svg_html(const char *svg);

/* Base64 of n bytes (standard alphabet, padded). */
char *plot_base64(const void *data, size_t n);

/* The colour of class c as "#rrggbb": Tableau 10, repeating after ten
 * classes; a negative c gives the grey used for points outside every class.
 * The string is static. Every chart colours classes (and the train and
 * validation curves, as classes 0 and 1) with it. */
const char *plot_class_color(int c);

/* Axis ticks: the densest "nice" values (multiples of a step of 1, 2 or 5
 * times a power of ten) of which at most max_ticks lie in [lo, hi]. Writes
 * them ascending to ticks[] (room for max_ticks), the step to *step (may be
 * NULL), and returns their count: 0 when lo or hi is not finite, hi <= lo,
 * the range is below 1e-6 of its magnitude, or max_ticks < 1. With
 * max_ticks >= 3 at least one tick is returned. */
int plot_ticks(double lo, double hi, int max_ticks, double *ticks,
               double *step);

/* Formats tick v of an axis whose ticks are `step` apart with the decimals
 * the step needs ("0.2", "15", "0.05"), or in exponent form ("2e+06") for
 * magnitudes from 1e6 or steps below 1e-4. Writes at most n bytes to out,
 * NUL-terminated. */
void plot_tick_label(double v, double step, char *out, size_t n);

#endif
