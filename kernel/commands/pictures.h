/* pictures: what the commands show of image data: `plot data` on images
 * draws a grid of samples with their class names; evaluate adds a gallery
 * of misclassified images. */
#ifndef PICTURES_H
#define PICTURES_H

#include "builtin.h"
#include "nn_model.h"

/* Displays a grid of the first 16 images of an image data set (one of
 * each class first, when the set has them) with their class names, as
 * SVG and text. Returns the command's none value, or NULL with run->e
 * set (MemoryError). */
value *pictures_plot_images(lang_run *run, const args *a, const value *data);


/* After evaluate on image data d (as the net sees it, k class names in
 * `names`): displays up to 16 misclassified images, in order, with their
 * true and predicted classes, or nothing when all are right. Returns 0,
 * or -1 with run->e set. */
int pictures_misclassified(lang_run *run, const args *a, nn_model *m,
                           const nn_data *d, const char *const *names,
                           int k);

/* After draw net: when the model's first layer is conv2d, displays its
 * filters as small images (the mean over input channels), "filter 1" ...
 * Returns 0 (nothing shown for other nets), or -1 with run->e set. */
int pictures_filters(lang_run *run, const args *a, nn_model *m);

#endif
