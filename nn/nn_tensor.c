#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "nn_blas.h"

#include "nn_tensor.h"

NN_VECTORIZE void nn_tensor_add_rows(float *restrict y, const float *restrict b, int n,
                        int w)
{
    for (int i = 0; i < n; i++) {
        float *restrict row = y + (size_t)i * w;
        for (int j = 0; j < w; j++)
            row[j] += b[j];
    }
}

NN_VECTORIZE void nn_tensor_col_sums(const float *restrict x, int n, int w,
                        float *restrict sum)
{
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
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] * b[i];
}

void nn_tensor_gather(const float *restrict src, const int *restrict idx,
                      int m, int d, float *restrict dst)
{
    for (int i = 0; i < m; i++)
        memcpy(dst + (size_t)i * d, src + (size_t)idx[i] * d,
               (size_t)d * sizeof *dst);
}

/* Below this many elements one core does the work faster than waking
 * others. */
#define PARALLEL_MIN ((size_t)1 << 20)
#define POOL_MAX 16

/* The worker pool: workers wait for a new round, do their part, and count
 * themselves out. `use` is held by the one caller of a round. */
static struct {
    pthread_mutex_t use, mu;
    pthread_cond_t go, done;
    int workers;           /* 0 = not started, -1 = cannot start */
    unsigned long round, born;
    int pending, parts;
    void (*fn)(void *, size_t, size_t);
    void *ctx;
    size_t n;
} pool = {
    .use = PTHREAD_MUTEX_INITIALIZER, .mu = PTHREAD_MUTEX_INITIALIZER,
    .go = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER,
};

/* Part i of `parts` over [0, n), 64-element aligned. */
static void part(size_t n, int parts, int i, size_t *begin, size_t *end)
{
    size_t chunk = (n / (size_t)parts + 63) / 64 * 64;
    size_t b = (size_t)i * chunk, e = b + chunk;
    *begin = b < n ? b : n;
    *end = e < n ? e : n;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    pthread_mutex_lock(&pool.mu);
    unsigned long seen = pool.born;
    for (;;) {
        while (pool.round == seen)
            pthread_cond_wait(&pool.go, &pool.mu);
        seen = pool.round;
        size_t b, e;
        part(pool.n, pool.parts, id, &b, &e);
        void (*fn)(void *, size_t, size_t) = pool.fn;
        void *ctx = pool.ctx;
        pthread_mutex_unlock(&pool.mu);
        if (b < e)
            fn(ctx, b, e);
        pthread_mutex_lock(&pool.mu);
        if (--pool.pending == 0)
            pthread_cond_signal(&pool.done);
    }
    return NULL;
}

/* Starts one worker per extra core; called with `use` held. */
static void start_pool(void)
{
    int want = nn_blas_threads() - 1;
    if (want > POOL_MAX - 1)
        want = POOL_MAX - 1;
    pthread_mutex_lock(&pool.mu);
    pool.born = pool.round;
    pthread_mutex_unlock(&pool.mu);
    int made = 0;
    for (int i = 1; i <= want; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, worker, (void *)(intptr_t)i) != 0)
            break;
        pthread_detach(t);
        made++;
    }
    pool.workers = made ? made : -1;
}

void nn_tensor_parallel(void (*fn)(void *ctx, size_t begin, size_t end),
                        void *ctx, size_t n)
{
    if (n < PARALLEL_MIN || pthread_mutex_trylock(&pool.use) != 0) {
        fn(ctx, 0, n);
        return;
    }
    if (pool.workers == 0)
        start_pool();
    if (pool.workers < 0) {
        pthread_mutex_unlock(&pool.use);
        fn(ctx, 0, n);
        return;
    }
    pthread_mutex_lock(&pool.mu);
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.parts = pool.workers + 1;
    pool.pending = pool.workers;
    pool.round++;
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.mu);
    size_t b, e;
    part(n, pool.workers + 1, 0, &b, &e);
    fn(ctx, b, e);
    pthread_mutex_lock(&pool.mu);
    while (pool.pending > 0)
        pthread_cond_wait(&pool.done, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
    pthread_mutex_unlock(&pool.use);
}
