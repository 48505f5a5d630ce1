/* netdraw: a net drawn as the lecture's fully connected diagram.
 *
 * One column of nodes per column of netcol.h: the inputs (named by
 * feature), then the outputs of each linear layer (the last named by
 * class), with the activation written under each column. Every
 * connection between two drawn nodes is a line whose colour is the sign
 * of its weight (blue positive, orange negative, as TensorFlow
 * Playground) and whose width and opacity grow with its magnitude,
 * relative to the largest weight of its layer; a hidden or output node is
 * filled with the colour of its bias. A layer of more than NETDRAW_SHOW
 * neurons shows its first and last few and a count of those left out;
 * past NETDRAW_EDGES connections only the strongest of each layer are
 * drawn, and the diagram says so (netlayout.h places it all).
 *
 * For a net over two features, each neuron past the inputs can carry a
 * small heatmap of its output over the input plane (computed by the
 * caller): hidden neurons in the weight colours around 0 (around 0.5 after
 * a sigmoid), outputs in the colours of their classes (palette.h) as in
 * classplot.h's decision boundary.
 *
 * A net over images is not drawn as neurons: both functions hand it to
 * convdraw.h, which draws its stack of layers (heat is then ignored).
 *
 * Knows nothing of the cell language or of Jupyter: reads the model's
 * weights and returns new strings. */
#ifndef NETDRAW_H
#define NETDRAW_H

#include "netcol.h"      /* the columns heat[] is given for */
#include "netlayout.h"
#include "nn_model.h"

#define NETDRAW_SHOW NETLAYOUT_SHOW   /* a layer wider is shortened */
#define NETDRAW_EDGES NETLAYOUT_EDGES /* at most so many lines drawn */
#define NETDRAW_GRID_MAX 128  /* heatmap points across, at most */

/* What to draw. Only `model` is required. */
typedef struct netdraw_net {
    nn_model *model;                /* read, never changed */
    const char *const *features;    /* nn_model_in names, or NULL: x1.. */
    /* Class names, used when there are as many as outputs ("0".. else);
     * a single sigmoid output is named "P(second class)", or "P(1)". */
    const char *const *classes;
    int n_classes;
    const char *note;               /* said after the title, or NULL */
    /* Heatmaps, or NULL: heat[c] for column c >= 1 (heat[0] is unused)
     * holds the outputs of that column's neurons over a grid x grid plane,
     * neuron by neuron: heat[c][(u * grid + j) * grid + i] is neuron u at
     * the i-th point across and the j-th point up. A NULL heat[c] leaves
     * that column without heatmaps; a grid outside 1..NETDRAW_GRID_MAX, or
     * a net without exactly two inputs, leaves them all out. */
    const float *const *heat;
    int grid;
    /* What the model's parameters stand for, named in the caption and
     * the text ("weight" and "largest weights" when NULL): a caller may
     * draw other numbers in their place, as draw's gradients (plain
     * ASCII, no XML specials). */
    const char *quantity;
} netdraw_net;

/* The diagram as a self-contained SVG document, 700 px wide on an opaque
 * white card (heatmaps embedded as PNG data URIs), with a caption keying
 * colours and widths and saying what was left out. n and n->model must
 * not be NULL. malloc'd for the caller; NULL on OOM. */
char *netdraw_svg(const netdraw_net *n);

/* The text form: the title, a table of the layers (neurons, activation,
 * the names of inputs and outputs) and the largest weights of each linear
 * layer. n and n->model must not be NULL. malloc'd for the caller; NULL
 * on OOM. */
char *netdraw_text(const netdraw_net *n);

#endif
