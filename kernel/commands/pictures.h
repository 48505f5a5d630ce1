/* pictures: what the commands show of image data: `plot data` on images
 * draws a grid of samples with their class names. */
#ifndef PICTURES_H
#define PICTURES_H

#include "builtin.h"

/* Displays a grid of the first 16 images of an image data set (one of
 * each class first, when the set has them) with their class names, as
 * SVG and text. Returns the command's none value, or NULL with run->e
 * set (MemoryError). */
value *pictures_plot_images(lang_run *run, const args *a, const value *data);

#endif
