/* nn_idx: image data sets in the IDX format of MNIST and Fashion-MNIST,
 * plain or gzipped (zlib).
 *
 * An IDX file is a 4-byte magic (0, 0, type, number of dimensions), one
 * big-endian 32-bit size per dimension, then the values. Images are
 * unsigned bytes (type 0x08) of 3 dimensions (count, height, width) or 4
 * (count, channels, height, width); labels are unsigned bytes of 1
 * dimension. Pixels become floats in [0, 1] (value / 255), as
 * torchvision's ToTensor. The sizes a header claims are checked against
 * the bytes the file holds (for a gzipped file, against the size its
 * trailer gives) and against the machine's memory before anything is
 * allocated. */
#ifndef NN_IDX_H
#define NN_IDX_H

#include <stddef.h>

#include "nn_data.h"
#include "nn_err.h"

/* Where Debian's dataset-fashion-mnist package puts its files. */
#define NN_IDX_FASHION_DIR "/usr/share/datasets/fashion-mnist"

/* Reads an image file and a label file (each plain or gzipped) into a new
 * data set named `name` with the image shape set, n_classes = largest
 * label + 1 and class names "0", "1", ... Returns NULL with the reason
 * (cannot open, not IDX, sizes that disagree, truncated, no memory). */
nn_data *nn_idx_load(const char *images_path, const char *labels_path,
                     const char *name, nn_err *e);

/* The same on IDX bytes in memory (not gzipped), for tests and fuzzing. */
nn_data *nn_idx_parse(const unsigned char *images, size_t images_len,
                      const unsigned char *labels, size_t labels_len,
                      const char *name, nn_err *e);

/* Fashion-MNIST from dir (NULL: NN_IDX_FASHION_DIR): the 60,000 training
 * images (test = 0) or the 10,000 test images (test = 1), 1x28x28, with
 * the class names T-shirt/top ... Ankle boot. When the files are missing
 * the message names the Debian package to install. */
nn_data *nn_idx_fashion_mnist(const char *dir, int test, nn_err *e);

#endif
