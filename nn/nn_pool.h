/* nn_pool: runs element-wise or coarse work on a small pool of threads,
 * one per core (nn_cpu_threads), started on first use.
 *
 * The work is a function fn(ctx, begin, end) over a range [0, n) that
 * gives the same result however the range is split; the parts depend only
 * on n, the grain and the thread count, so results do not depend on
 * timing. Which thread runs a part does: the caller and the workers claim
 * the parts of a round one by one, and when other programs keep the cores
 * busy (measured: rounds shared with the workers take longer than rounds
 * the caller runs alone) the caller runs every part itself for a while. */
#ifndef NN_POOL_H
#define NN_POOL_H

#include <stddef.h>

/* Below this many elements one core does element-wise work faster than
 * waking others. Adam over the 235k parameters of 784-256-128-10 took
 * 0.09-0.13 ms on two cores instead of 0.17-0.22 on one. */
#define NN_POOL_PARALLEL_MIN ((size_t)1 << 16)

/* Runs fn(ctx, begin, end) over [0, n) split into contiguous parts, one
 * per core (nn_pool_parts()), and returns when all parts are done. Parts
 * start at multiples of 64 elements. Small n (below
 * NN_POOL_PARALLEL_MIN), a pool that cannot start, or a call while
 * another caller uses the pool, run fn(ctx, 0, n) here: fn must give the
 * same result however [0, n) is split (element-wise work). fn must not be
 * NULL. */
void nn_pool_run(void (*fn)(void *ctx, size_t begin, size_t end), void *ctx,
                 size_t n);

/* The same for coarse work whose caller has decided it is worth the
 * threads, whatever n: parts start at multiples of `grain` (>= 1), so a
 * part may be empty. The parts depend only on n, grain and the thread
 * count; as above, a pool that is busy or cannot start runs fn(ctx, 0, n)
 * here. */
void nn_pool_split(void (*fn)(void *ctx, size_t begin, size_t end),
                   void *ctx, size_t n, size_t grain);

/* Runs fn(ctx, begin, end) over `rows` rows of `per_row` elements each,
 * for work whose rows are computed each alone: split by whole rows
 * between the pool's threads (nn_pool_split, grain 1) when there is more
 * than one row and at least NN_POOL_PARALLEL_MIN elements in all,
 * otherwise fn(ctx, 0, rows) here. fn must not be NULL. */
void nn_pool_rows(void (*fn)(void *ctx, size_t begin, size_t end), void *ctx,
                  size_t rows, size_t per_row);

/* How many parts the pool splits work into: OpenBLAS's thread count (one
 * per core unless OPENBLAS_NUM_THREADS says otherwise), at most 16. */
int nn_pool_parts(void);

#endif
