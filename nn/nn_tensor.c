#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "nn_blas.h"

#include "nn_tensor.h"

/* Below this many elements one core does the work faster than waking
 * others. Adam over the 235k parameters of 784-256-128-10 took 0.09-0.13
 * ms on two cores instead of 0.17-0.22 on one. */
#define PARALLEL_MIN ((size_t)1 << 16)

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
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0 || (size_t)pages > SIZE_MAX / (size_t)size)
        return SIZE_MAX;
    return (size_t)pages * (size_t)size;
}

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
    struct gather g = {src, idx, d, dst};
    if ((size_t)m * d < PARALLEL_MIN)
        gather_rows(&g, 0, (size_t)m);
    else
        nn_tensor_split(gather_rows, &g, (size_t)m, 1);
}

#define POOL_MAX 16
/* How long a thread waiting for a round (or for its end) spins before it
 * sleeps on a condition variable. Waking a sleeping thread cost about 15 us
 * a round here: a 128x128x256 product took 0.046 ms on average instead of
 * 0.031. Training calls the pool every few microseconds to milliseconds,
 * so the threads stay awake between steps and sleep once it is over. */
#define SPIN_NS 2000000L

/* The worker pool: workers wait for a new round, do their part, and count
 * themselves out. `use` is held by the one caller of a round; `round` and
 * `pending` are also read without `mu` while spinning. */
static struct {
    pthread_mutex_t use, mu;
    pthread_cond_t go, done;
    int workers;           /* 0 = not started, -1 = cannot start */
    atomic_ulong round;
    atomic_int pending;
    unsigned long born;
    int parts;
    size_t n, grain;
    void (*fn)(void *, size_t, size_t);
    void *ctx;
} pool = {
    .use = PTHREAD_MUTEX_INITIALIZER, .mu = PTHREAD_MUTEX_INITIALIZER,
    .go = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER,
};

/* Part i of `parts` over [0, n), starting at multiples of grain. */
static void part(size_t n, size_t grain, int parts, int i, size_t *begin,
                 size_t *end)
{
    size_t per = (n + (size_t)parts - 1) / (size_t)parts;
    size_t chunk = (per + grain - 1) / grain * grain;
    size_t b = (size_t)i * chunk, e = b + chunk;
    *begin = b < n ? b : n;
    *end = e < n ? e : n;
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Spins for up to SPIN_NS until done(arg) holds; returns whether it
 * does. After the first few microseconds each turn yields the core, so
 * that on a busy machine the thread waited for gets to run. */
static int spin_until(int (*done)(unsigned long), unsigned long arg)
{
    long long until = now_ns() + SPIN_NS;
    for (int i = 0; !done(arg); i++) {
        if (i < 1000) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        } else {
            sched_yield();
            if (now_ns() > until)
                return 0;
        }
    }
    return 1;
}

static int round_after(unsigned long seen)
{
    return atomic_load(&pool.round) != seen;
}

static int round_done(unsigned long unused)
{
    (void)unused;
    return atomic_load(&pool.pending) == 0;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned long seen = pool.born;
    for (;;) {
        if (!spin_until(round_after, seen)) {
            pthread_mutex_lock(&pool.mu);
            while (!round_after(seen))
                pthread_cond_wait(&pool.go, &pool.mu);
            pthread_mutex_unlock(&pool.mu);
        }
        seen = atomic_load(&pool.round);
        size_t b, e;
        part(pool.n, pool.grain, pool.parts, id, &b, &e);
        if (b < e)
            pool.fn(pool.ctx, b, e);
        if (atomic_fetch_sub(&pool.pending, 1) == 1) {
            pthread_mutex_lock(&pool.mu);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.mu);
        }
    }
    return NULL;
}

/* Starts one worker per extra core; called with `use` held. */
static void start_pool(void)
{
    int want = nn_blas_threads() - 1;
    if (want > POOL_MAX - 1)
        want = POOL_MAX - 1;
    pool.born = atomic_load(&pool.round);
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

int nn_tensor_parts(void)
{
    int threads = nn_blas_threads();
    return threads < POOL_MAX ? threads : POOL_MAX;
}

void nn_tensor_parallel(void (*fn)(void *ctx, size_t begin, size_t end),
                        void *ctx, size_t n)
{
    if (n < PARALLEL_MIN)
        fn(ctx, 0, n);
    else
        nn_tensor_split(fn, ctx, n, 64);
}

void nn_tensor_split(void (*fn)(void *ctx, size_t begin, size_t end),
                     void *ctx, size_t n, size_t grain)
{
    if (nn_tensor_parts() < 2 || pthread_mutex_trylock(&pool.use) != 0) {
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
    /* The fields are written before the release of the new round that
     * workers acquire (through `round` or through `mu`). */
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.grain = grain;
    pool.parts = pool.workers + 1;
    atomic_store(&pool.pending, pool.workers);
    pthread_mutex_lock(&pool.mu);
    atomic_fetch_add(&pool.round, 1);
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.mu);
    size_t b, e;
    part(n, grain, pool.workers + 1, 0, &b, &e);
    fn(ctx, b, e);
    if (!spin_until(round_done, 0)) {
        pthread_mutex_lock(&pool.mu);
        while (!round_done(0))
            pthread_cond_wait(&pool.done, &pool.mu);
        pthread_mutex_unlock(&pool.mu);
    }
    pthread_mutex_unlock(&pool.use);
}
