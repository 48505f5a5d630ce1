/* chart: training curves (loss and accuracy against epochs) of one run,
 * or of several runs to compare them, as SVG and as text with sparklines.
 *
 * Each function returns a new NUL-terminated string (the caller frees
 * it), or NULL when memory runs out. */
#ifndef CHART_H
#define CHART_H

/* Training curves: loss (left panel) and accuracy (right panel) for train
 * and validation. Each array holds n points (any may be NULL: that series
 * is not drawn; without accuracies there is one panel); point i is the
 * value after epoch (i+1)*every. The x axis spans the epochs of the points
 * (n*every), so a long fit fills the plot; `total` is the number of
 * epochs asked for, named beside the axis ("epoch (of 1000)") when more
 * than that. An accuracy axis stays within 0..1. Non-finite values are
 * skipped (the line breaks there). Negative n or total read as 0, every
 * below 1 as 1. */
typedef struct chart_curves {
    const float *train_loss, *val_loss, *train_acc, *val_acc;
    int n, every, total;
    const char *title;        /* above the panels; may be NULL */
} chart_curves;

#define CHART_MAX_RUNS 10 /* runs compared on one chart: one colour each */

/* The curves as SVG: train solid, validation dashed, with a legend. c
 * must not be NULL. */
char *chart_curves_svg(const chart_curves *c);

/* The curves as text: the title, then one line per series with its first
 * value, a sparkline (U+2581..U+2588 across the x axis, train and
 * validation of a panel on one scale) and its last value. c must not be
 * NULL. */
char *chart_curves_text(const chart_curves *c);

/* chart_curves_svg and chart_curves_text with the right panel named
 * `score` (e.g. "R2"; NULL: "accuracy") where an accuracy would be; its
 * axis is not kept above 0, as a score such as R2 may be negative. */
char *chart_curves_svg_score(const chart_curves *c, const char *score);
char *chart_curves_text_score(const chart_curves *c, const char *score);

/* Several runs on one chart, to compare them: run i (of n, at most
 * CHART_MAX_RUNS: more are left out) in colour i, train solid and
 * validation dashed, named names[i] in a legend under the title (keys
 * that do not fit in its width wrap to more rows, the chart growing); the
 * panels take in every run and the x axis spans the longest. The text
 * form has a sparkline per run and series, runs of a panel on one scale.
 * The runs' own titles are not used. runs and names must not be NULL
 * when n > 0 (a NULL name is shown empty); title may be NULL. */
char *chart_compare_svg(const chart_curves *runs, const char *const *names,
                        int n, const char *title);
char *chart_compare_text(const chart_curves *runs, const char *const *names,
                         int n, const char *title);

/* As chart_compare_svg and chart_compare_text, with the loss panel named
 * `ylabel` (not NULL) instead of "loss", on its axis and text rows: a
 * chart of other per-epoch values (fit's gradient norms). */
char *chart_named_svg(const chart_curves *runs, const char *const *names,
                      int n, const char *title, const char *ylabel);
char *chart_named_text(const chart_curves *runs, const char *const *names,
                       int n, const char *title, const char *ylabel);

#endif
