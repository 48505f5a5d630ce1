/* svg: the pieces every chart is drawn with: the document and its title,
 * the frame (a plot area with axes, a light grid at the ticks, tick labels
 * and axis titles), legend entries, and the HTML that embeds a chart.
 *
 * Everything is appended to a string builder (sb.h), which reports an
 * allocation failure once, at sb_done(). Coordinates are pixels, written
 * with at most one decimal (sb_num) to keep documents small. Text a user
 * named is escaped with esc_put. Documents are self-contained (no scripts,
 * no external fonts) so they render in VS Code, JupyterLab and
 * nbconvert's HTML when wrapped by svg_html(). */
#ifndef SVG_H
#define SVG_H

#include <stddef.h>

#include "axis.h"
#include "sb.h"

/* The stroke of dashed lines (validation curves), an attribute. */
#define SVG_DASH " stroke-dasharray=\"6 3\""

/* A plot area and its axes. */
typedef struct svg_frame {
    double x, y, w, h; /* the plot area, in pixels */
    double bx;         /* left edge of the box it was placed in */
    axis ax, ay;
} svg_frame;

/* Opens a w x h document (sans-serif, 11 px) on an opaque white card;
 * the caller closes it with "</svg>\n". */
void svg_open(sb *b, int w, int h);

/* A chart's title (NULL or "": nothing), bold, at the top left, its
 * baseline at y. */
void svg_title(sb *b, const char *title, double y);

/* Appends "x y". */
void svg_point(sb *b, double x, double y);

/* Estimated width in pixels of n characters of sans-serif at `size` px;
 * enough for layout (margins, legend columns) without font metrics. */
double svg_glyphs_px(size_t n, double size);

/* The pixel of value v on the frame's x axis, and on its y axis (up). */
double svg_fx(const svg_frame *f, double v);
double svg_fy(const svg_frame *f, double v);

/* Places the plot area of f in a box of the figure whose top left corner
 * is (bx, by) and height bh, leaving room on the left for the y tick
 * labels (at least `chars` wide) and title and at the bottom for the x
 * ones; the caller sets f->w. The axes must already be fitted. */
void svg_frame_place(svg_frame *f, double bx, double by, double bh,
                     size_t chars);

/* Light grey grid lines at the ticks, to be drawn under the data. */
void svg_frame_grid(sb *b, const svg_frame *f);

/* Left and bottom spines with outward ticks, tick labels and the axis
 * titles (either may be NULL), to be drawn over the data. */
void svg_frame_axes(sb *b, const svg_frame *f, const char *xlabel,
                    const char *ylabel);

/* A legend entry at (x, y): a short line of `color` ("#rrggbb"), dashed
 * or solid, then its label. Returns the width it takes. */
double svg_line_key(sb *b, double x, double y, const char *color,
                    int dashed, const char *label);

/* The width svg_line_key() takes for label. */
double svg_key_width(const char *label);

/* A column of k class keys (a dot of the class's colour, then its name as
 * palette_name gives it), the first centred at (x, y), 18 px apart. */
void svg_class_legend(sb *b, double x, double y, int k,
                      const char *const *names);

/* Wraps an SVG document (NULL reads as "") as `<img alt="plot"
 * src="data:image/svg+xml;base64,...">`, the form every frontend and
 * nbconvert renders. A new string for the caller; NULL on OOM. */
char *svg_html(const char *svg);

#endif
