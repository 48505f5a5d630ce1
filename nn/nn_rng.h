/* nn_rng: a small, seeded, portable random number generator.
 *
 * xoshiro256** seeded through splitmix64: the same seed gives the same
 * stream on every machine, which makes weights, shuffles, dropout masks and
 * generated data sets reproducible. A generator is a plain value; copy it
 * to fork a stream. */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>

typedef struct nn_rng {
    uint64_t s[4];
} nn_rng;

/* Seeds the generator; every seed (0 included) gives a valid stream. */
void nn_rng_seed(nn_rng *r, uint64_t seed);

/* Next 64 random bits. */
uint64_t nn_rng_next(nn_rng *r);

/* Uniform float in [0, 1). */
float nn_rng_uniform(nn_rng *r);

/* Uniform integer in [0, n) without modulo bias; n must be > 0. */
uint32_t nn_rng_below(nn_rng *r, uint32_t n);

/* Standard normal sample (mean 0, standard deviation 1), Box-Muller. */
float nn_rng_normal(nn_rng *r);

/* Shuffles idx[0..n) in place (Fisher-Yates). */
void nn_rng_shuffle(nn_rng *r, int *idx, int n);

#endif
