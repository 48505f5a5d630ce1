/* netlayout: where the network diagram puts things: a column of nodes per
 * column of netcol.h, spread across a fixed width, long columns shortened
 * to their first and last few neurons around a gap; and which connections
 * are drawn, at most NETLAYOUT_EDGES, the strongest of each layer first.
 *
 * Pure geometry over a model's weights: writes nothing. */
#ifndef NETLAYOUT_H
#define NETLAYOUT_H

#include "netcol.h"
#include "nn_model.h"

#define NETLAYOUT_WIDTH 700  /* of the diagram, in pixels */
#define NETLAYOUT_SHOW 16    /* a column wider than this is shortened */
#define NETLAYOUT_HEAD 7     /* neurons kept at each end of a long column */
#define NETLAYOUT_EDGES 1500 /* at most this many connections are drawn */
#define NETLAYOUT_LABEL 18   /* characters of a name shown */

/* One column of nodes. */
typedef struct netlayout_col {
    int units;
    int slots;       /* rows drawn: the neurons, or 2*HEAD + 1 with a gap */
    double x, y0;    /* centre of the first row */
    double pitch;    /* between rows */
    double half;     /* half the size of a node */
} netlayout_col;

typedef struct netlayout {
    const nn_model *model;
    netlayout_col *col;
    int ncol;
    const float *const *heat; /* per column as netdraw_net's, or NULL */
    double spacing;  /* between columns */
    double bottom;   /* y below the last row of the tallest column */
    int height;      /* of the whole diagram, caption included */
} netlayout;

/* Lays out the diagram of m (not NULL) with its neurons named by names
 * (not NULL; the names at the sides take room). With heatmaps (heat not
 * NULL: per column as netdraw_net's, a column c >= 1 with a heat[c] is
 * drawn as heatmaps) rows are taller and the nodes of those columns larger
 * squares. Returns 0, or -1 on OOM; netlayout_free it either way. */
int netlayout_make(netlayout *l, const nn_model *m, const netcol_names *names,
                   const float *const *heat);

/* Frees what netlayout_make allocated (l not NULL). */
void netlayout_free(netlayout *l);

/* The neuron drawn in row s of column c, or -1 for the gap. */
int netlayout_unit(const netlayout_col *c, int s);

/* The y of the centre of row s. */
double netlayout_y(const netlayout_col *c, int s);

/* Whether column c's nodes are heatmaps. */
int netlayout_heat(const netlayout *l, int c);

/* A connection drawn. */
typedef struct netlayout_edge {
    float x1, y1, x2, y2;
    float w, r;      /* weight, |weight| / the layer's largest */
    int col;         /* the column it leads to */
} netlayout_edge;

/* The counts the caption reports. */
typedef struct netlayout_count {
    long total;      /* connections of the net */
    long between;    /* between drawn neurons */
    long drawn;
} netlayout_count;

/* The connections between drawn neurons with a finite weight, column by
 * column, keeping the strongest of each layer (in proportion to its share)
 * when there are more than NETLAYOUT_EDGES. Returns a new array for the
 * caller (NULL on OOM), its length in cnt->drawn. */
netlayout_edge *netlayout_edges(const netlayout *l, netlayout_count *cnt);

/* Largest finite |v| of n values (0 when none). */
double netlayout_max_abs(const float *v, size_t n);

#endif
