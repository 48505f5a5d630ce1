/* net: building the model of a net value and the checks on its shape.
 *
 * A net is written as a chain of layers; it is built into an nn_model when
 * its input width is known: at once for `input(2) -> ...`, else when fit
 * first sees the data. */
#ifndef NET_H
#define NET_H

#include <stdint.h>

#include "run.h"

/* Checks what is wrong with a chain whatever data it meets: a softmax over
 * a single output. Returns 0, or -1 with a ShapeError pointing at `at`. */
int net_check_chain(lang_run *run, const value *net, const node *at);

/* Builds the model of `net` for inputs of width `in`, initialised from
 * `seed`. Returns 0, or -1 with an error pointing at `at`. */
int net_build(lang_run *run, value *net, int in, uint64_t seed,
              const node *at);

#endif
