/* convdraw: a net over images drawn as its stack of layers.
 *
 * The fully connected diagram (netdraw.h) draws a neuron per input
 * feature, which says nothing true of a conv net: its inputs are pixels
 * shared by every filter position. A net whose input is images is drawn
 * instead as a row of boxes, one for the input and one per layer, each
 * with the layer, the shape of its output (C x H x W, or the width of a
 * row) and, for a layer with parameters, how many and the norm of its
 * weights (or of the numbers a caller put in their place, as draw's
 * gradients). netdraw_svg and netdraw_text hand such nets here.
 *
 * Knows nothing of the cell language or of Jupyter: reads the model and
 * returns new strings. */
#ifndef CONVDRAW_H
#define CONVDRAW_H

#include "nn_model.h"

/* Whether m takes images (and is drawn here rather than as neurons). */
int convdraw_wants(const nn_model *m);

/* The stack as a self-contained SVG document, 700 px wide on an opaque
 * white card; `note` (or NULL) is said after the title, `quantity` (or
 * NULL: "weight") names what the parameters stand for (plain ASCII).
 * m must not be NULL. malloc'd for the caller; NULL on OOM. */
char *convdraw_svg(const nn_model *m, const char *note,
                   const char *quantity);

/* The text form: the title and a table of the layers (output shape,
 * parameters, norm). m must not be NULL. malloc'd for the caller; NULL on
 * OOM. */
char *convdraw_text(const nn_model *m, const char *note,
                    const char *quantity);

#endif
