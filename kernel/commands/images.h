/* images: the builtins of image data: fashion_mnist(part), idx(images,
 * labels) for any IDX pair (MNIST), take(data, n) for quick experiments,
 * and activations(net, data, sample), the feature maps of a conv net. */
#ifndef IMAGES_H
#define IMAGES_H

#include "builtin.h"

extern const builtin_family images_family;

#endif
