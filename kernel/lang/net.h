/* net: building the model of a net value and the checks on its shape.
 *
 * A net is written as a chain of layers; it is built into an nn_model when
 * its input width is known: at once for `input(2) -> ...`, else when fit
 * first sees the data. */
#ifndef NET_H
#define NET_H

#include <stdint.h>

#include "run.h"

/* The most layers a net written in a cell may have. The deepest nets
 * people train from a notebook have hundreds of layers (ResNet-1001 has
 * about a thousand, counting activations as this language does, a few
 * thousand); ten thousand leaves ample room, while a chain of 100,000 is
 * a mistake, and would make every pass, summary and drawing of the net
 * walk all of them. */
#define NET_MAX_LAYERS 10000

/* Checks what is wrong with a chain whatever data it meets: a softmax over
 * a single output. Returns 0, or -1 with a ShapeError pointing at `at`. */
int net_check_chain(lang_run *run, const value *net, const node *at);

/* net_check_chain over layers[from, n) of a chain being built, the
 * layers before `from` already checked: *width is the width they end
 * with (the chain's input width, 0 when unknown, for from = 0) and is
 * updated. Returns 0, or -1 with a ShapeError pointing at `at`. */
int net_check_layers(lang_run *run, const nn_layer_spec *layers, int from,
                     int n, int *width, const node *at);

/* Builds the model of `net` for inputs of width `in` (images of the
 * net's in_shape when input(c, h, w) gave one of that size), initialised
 * from `seed`. Returns 0, or -1 with an error pointing at `at`. */
int net_build(lang_run *run, value *net, int in, uint64_t seed,
              const node *at);

/* net_build for input shape {c, h, w} (images) or {width, 0, 0} (rows). */
int net_build_image(lang_run *run, value *net, const int shape[3],
                    uint64_t seed, const node *at);

/* net_build for data d: its width, or, when the net has conv2d or pooling
 * layers and its width was not fixed by input(d), d's image shape, or
 * 1 x s x s when d has s*s features and no shape (digits: 1 x 8 x 8).
 * Returns 0, or -1 with an error pointing at `at`. */
int net_build_for(lang_run *run, value *net, const nn_data *d,
                  uint64_t seed, const node *at);

#endif
