/* imagegrid: a grid of small images of a data set with their class names
 * (and predicted classes), as SVG and as text for the console.
 *
 * Each image is a grey PNG data URI (the channels' mean, black to white
 * over the shown images' range, so standardized data shows too), drawn
 * at twice its size with its caption under it. */
#ifndef IMAGEGRID_H
#define IMAGEGRID_H

#include "nn_data.h"

/* The rows rows[0..n) of image set d (d->height > 0; n >= 1) under
 * `title`, with the true class under each and, when pred is not NULL,
 * the predicted class pred[i] ("true -> predicted"). Writes a new SVG
 * document to *svg and a text form (the captions and the first image in
 * characters) to *text, both for the caller. Returns 0, or -1 with both
 * NULL on OOM. */
int imagegrid_render(const nn_data *d, const int *rows, int n,
                     const int *pred, const char *title, char **svg,
                     char **text);

#endif
