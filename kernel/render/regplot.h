/* regplot: the plots of regression: points (x, y) with a line over them,
 * for predicted against actual values (with the identity line y = x),
 * residuals against predictions (with the line y = 0), and a net's fitted
 * curve over the data of one feature.
 *
 * Each function returns a new NUL-terminated string (the caller frees
 * it), or NULL when memory runs out. */
#ifndef REGPLOT_H
#define REGPLOT_H

typedef struct regplot {
    const float *px, *py;   /* n points (non-finite ones are skipped) */
    int n;
    const float *lx, *ly;   /* ln points of a polyline drawn over them, in
                               order of x; NULL: none */
    int ln;
    int identity;           /* draw the line y = x across the plot */
    int zero;               /* draw the line y = 0 across the plot */
    const char *xlabel, *ylabel;
    const char *title;      /* may be NULL */
} regplot;

/* The plot as SVG: points in the first class colour, the polyline and the
 * reference lines over them. p must not be NULL. */
char *regplot_svg(const regplot *p);

/* The plot as text, for consoles: the title, the axes' ranges and a map of
 * characters: '*' for points, '.' for the polyline and the reference
 * lines. p must not be NULL. */
char *regplot_text(const regplot *p);

#endif
