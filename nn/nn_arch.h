/* nn_arch: what an architecture (a list of layer specs on an input shape)
 * needs, worked out before a model is built, so that a model file's
 * claims can be checked before anything is allocated. */
#ifndef NN_ARCH_H
#define NN_ARCH_H

#include "nn_layer.h"

/* Bytes of weights (and batchnorm running statistics and batch counts)
 * the n layers need on input shape s ({c, h, w}, h = w = 0 for rows of c
 * features), counted in double (no overflow). Shapes that do not fit are
 * left to nn_model_new_image to refuse. */
double nn_arch_weight_bytes(const nn_layer_spec *specs, int n,
                            const int s[3]);

#endif
