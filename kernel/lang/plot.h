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

/* Training curves: loss (left panel) and accuracy (right panel) per epoch
 * for train and, when val_loss is not NULL, validation. `done` epochs have
 * values; the x axis spans `total` epochs so a live plot grows to the
 * right without rescaling. Accuracy arrays may be NULL (loss only). */
char *plot_curves_svg(const float *train_loss, const float *val_loss,
                      const float *train_acc, const float *val_acc,
                      int done, int total);

/* Decision boundary of a 2-D classifier: a gw x gh grid of predicted
 * classes (grid[j*gw + i] for x = x0 + (i+0.5)(x1-x0)/gw, y = y0 +
 * (j+0.5)(y1-y0)/gh) with confidence conf[] in [0,1] (may be NULL) drawn
 * as tinted cells, and n points (px, py, label) drawn as dots on top. k
 * classes, colours from one palette shared by all plots. */
char *plot_boundary_svg(const int *grid, const float *conf, int gw, int gh,
                        float x0, float x1, float y0, float y1,
                        const float *px, const float *py, const int *label,
                        int n, int k, const char *const *class_names,
                        const char *xlabel, const char *ylabel);

/* A scatter plot of n points coloured by label, with a legend. */
char *plot_scatter_svg(const float *px, const float *py, const int *label,
                       int n, int k, const char *const *class_names,
                       const char *xlabel, const char *ylabel);

/* Confusion matrix (k*k counts, row = true, column = predicted) as an HTML
 * table with cells shaded by count, and as aligned plain text. */
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

#endif
