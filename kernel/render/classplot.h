/* classplot: points of two features coloured by class, as a scatter plot
 * or over a classifier's decision boundary, as SVG and as a text map.
 *
 * Each function returns a new NUL-terminated string (the caller frees
 * it), or NULL when memory runs out. Classes are coloured and named as
 * palette.h says, the same as in every other chart. */
#ifndef CLASSPLOT_H
#define CLASSPLOT_H

/* Points of two features coloured by class. px and py may be NULL (no
 * points); class_names (or any entry of it) may be NULL ("class 3" is
 * shown); label may be NULL (every point class 0, no legend); labels
 * outside 0..k-1 are drawn grey; points with a non-finite coordinate are
 * skipped. */
typedef struct classplot_points {
    const float *px, *py;
    const int *label;
    int n, k;
    const char *const *class_names;
    const char *xlabel, *ylabel;
    const char *title;        /* may be NULL */
    const int *pred;          /* the classifier's class of each point, for
                               * the boundary's count; may be NULL */
} classplot_points;

/* A classifier's answers over a rectangle: a gw x gh grid of predicted
 * classes (cls[j*gw + i] for x = x0 + (i+0.5)(x1-x0)/gw, y = y0 +
 * (j+0.5)(y1-y0)/gh) with confidence conf[] in [0,1] (may be NULL). */
typedef struct classplot_grid {
    const int *cls;
    const float *conf;
    int gw, gh;
    float x0, x1, y0, y1;
} classplot_grid;

/* A scatter plot with a class legend. Past 2000 points, every m-th point
 * is drawn (and the plot says "1 in m of n points shown"), so a large data
 * set still makes a small document. p must not be NULL. */
char *classplot_scatter_svg(const classplot_points *p);

/* A decision boundary: the grid as tinted cells (stronger where surer),
 * the points as dots on top; the axes span the grid. p must not be NULL;
 * a NULL g, or one without cells or with an empty or non-finite
 * rectangle, draws the scatter plot alone. */
char *classplot_boundary_svg(const classplot_points *p,
                             const classplot_grid *g);

/* The same two as text: a character map (x across, y up) framed by the
 * axis ranges, with a legend of class symbols ("0".."9", "a".."z", then
 * "+"). The scatter map marks where points lie (several classes in one
 * place: "*"); the boundary map shows the predicted class everywhere and
 * says how many points lie in the region of their own class: those whose
 * p->pred is their label (so the count agrees with the classifier's
 * accuracy), or without p->pred those in a grid cell of their class. p must not
 * be NULL; for the boundary, g and g->cls must not be NULL and gw and gh
 * must be at least 1. */
char *classplot_scatter_text(const classplot_points *p);
char *classplot_boundary_text(const classplot_points *p,
                              const classplot_grid *g);

#endif
