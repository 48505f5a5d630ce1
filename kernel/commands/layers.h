/* layers: the builtins that make one-layer nets: input(width),
 * linear(units), the activations (relu, leaky_relu(slope), sigmoid, tanh,
 * softmax, gelu(approximate), identity) and dropout(p); `->` chains them. */
#ifndef LAYERS_H
#define LAYERS_H

#include "builtin.h"

extern const builtin_family layers_family;

#endif
