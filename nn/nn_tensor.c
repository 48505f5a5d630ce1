#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nn_cpu.h"
#include "nn_pool.h"
#include "nn_tensor.h"

/* Blocks of at least this many bytes are aligned to it and asked of the
 * OS as transparent huge pages: on the virtual machine this was measured
 * on, the first touch of a 4 KiB page cost about 12 us, so Adam's 17 MiB
 * of state for 1024-1024-1024-10 took 52 ms to fault in, four training
 * steps; on 2 MiB pages it took 4.5 ms. */
#define HUGE_PAGE ((size_t)2 << 20)

float *nn_tensor_alloc(size_t n)
{
    if (n > (SIZE_MAX - HUGE_PAGE) / sizeof(float))
        return NULL;
    size_t bytes = n * sizeof(float);
    size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
    bytes = (bytes + align - 1) / align * align;
    float *p = aligned_alloc(align, bytes ? bytes : align);
#ifdef MADV_HUGEPAGE
    if (p && align == HUGE_PAGE)
        madvise(p, bytes, MADV_HUGEPAGE); /* only a hint: failure is fine */
#endif
    return p;
}

size_t nn_tensor_machine_memory(void)
{
    return nn_cpu_memory(); /* the host's, or the container's when less */
}

NN_VECTORIZE void nn_tensor_add_rows(float *restrict y, const float *restrict b, int n,
                        int w)
{
    assert(n >= 0 && w >= 0);
    assert((y && b) || n == 0 || w == 0);
    for (int i = 0; i < n; i++) {
        float *restrict row = y + (size_t)i * w;
        for (int j = 0; j < w; j++)
            row[j] += b[j];
    }
}

NN_VECTORIZE void nn_tensor_col_sums(const float *restrict x, int n, int w,
                        float *restrict sum)
{
    assert(n >= 0 && w >= 0);
    assert((sum && (x || n == 0)) || w == 0);
    for (int j = 0; j < w; j++)
        sum[j] = 0.0f;
    for (int i = 0; i < n; i++) {
        const float *restrict row = x + (size_t)i * w;
        for (int j = 0; j < w; j++)
            sum[j] += row[j];
    }
}

NN_VECTORIZE void nn_tensor_mul(const float *restrict a, const float *restrict b,
                   float *restrict out, size_t n)
{
    assert((a && b && out) || n == 0);
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] * b[i];
}

/* A gather in progress, for the parts run in parallel. */
struct gather {
    const float *src;
    const int *idx;
    int d;
    float *dst;
};

static void gather_rows(void *ctx, size_t begin, size_t end)
{
    const struct gather *g = ctx;
    for (size_t i = begin; i < end; i++)
        memcpy(g->dst + i * g->d, g->src + (size_t)g->idx[i] * g->d,
               (size_t)g->d * sizeof *g->dst);
}

/* Rows picked at random wait on memory; a batch of 128 rows of 784
 * features took 0.08 ms on one core, a tenth of a training step. */
void nn_tensor_gather(const float *restrict src, const int *restrict idx,
                      int m, int d, float *restrict dst)
{
    assert(m >= 0 && d >= 0);
    assert((src && idx && dst) || m == 0 || d == 0);
    struct gather g = {src, idx, d, dst};
    nn_pool_rows(gather_rows, &g, (size_t)m, (size_t)d);
}
