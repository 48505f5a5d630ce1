#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "nn_cpu.h"
#include "nn_pool.h"

#define POOL_MAX 16
/* How long a thread waiting for a round (or for its end) spins before it
 * sleeps on a condition variable. Waking a sleeping thread cost about 15 us
 * a round here: a 128x128x256 product took 0.046 ms on average instead of
 * 0.031. Training calls the pool every few microseconds to milliseconds,
 * so the threads stay awake between steps and sleep once it is over. */
#define SPIN_NS 2000000L
/* Whether rounds are shared with the workers or run by the caller alone
 * (the same parts, so the same results) is measured, not assumed: on a
 * machine whose other programs keep the cores busy, a worker runs late
 * or not at all, and waiting for it costs more than it saves. The caller
 * times PROBE_ROUNDS rounds of each kind (fewer solo ones once they have
 * taken longer than all the shared ones), then runs the faster kind for a
 * stretch of at least STRETCH_ROUNDS rounds and `factor` times as long as
 * the probes took, the factor doubling each time the same kind wins again
 * (from FACTOR_MIN to FACTOR_MAX). A stretch measured in time keeps the
 * probes to about 1 / factor of the time whatever a round costs; counted
 * in rounds, a net whose rounds take milliseconds (bench/nn_bench c) ran
 * up to a tenth of them at half speed. With the other core kept busy
 * (yes > /dev/null), a 2-128-128-1 net (bench/nn_bench s) trained at
 * 131-144k samples/s with every round shared, 306-312k this way and
 * 382-457k on one thread; on a quiet machine this way is as fast as
 * sharing every round. */
#define PROBE_ROUNDS 32
#define STRETCH_ROUNDS 256
#define FACTOR_MIN 16
#define FACTOR_MAX 512

/* The worker pool. A round splits [0, n) into `parts` fixed parts; the
 * caller and the workers claim them one at a time (`left` counts down:
 * the claim that takes it from k to k - 1 gets part k - 1) until none is
 * left, so a worker that the system has not scheduled yet does not hold
 * up the round: the caller does its part. Which thread runs a part never
 * changes what the part computes. `pending` counts the parts not yet
 * done; `use` is held by the one caller of a round; `round`, `left` and
 * `pending` are also read without `mu` while spinning. The fields of a
 * round are read only after a part of it is claimed, and are not
 * rewritten until every claimed part is done. */
static struct {
    pthread_mutex_t use, mu;
    pthread_cond_t go, done;
    int workers;           /* 0 = not started, -1 = cannot start */
    atomic_ulong round;
    atomic_int left;
    atomic_int pending;
    unsigned long born;
    /* the choice between shared and solo rounds (above) */
    int phase;             /* 0 probe shared, 1 probe solo, 2 stretch */
    int solo;              /* the kind of the stretch: 1 = solo */
    int rounds;            /* rounds done in this phase */
    int factor;            /* of the stretch: 0 before the first */
    long long stretch_end; /* the time the stretch may end */
    long long shared_ns, solo_ns; /* time of the probes */
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

/* Claims and runs parts of the current round until none is left. */
static void run_parts(void)
{
    for (;;) {
        int k = atomic_fetch_sub(&pool.left, 1);
        if (k <= 0)
            return;
        size_t b, e;
        part(pool.n, pool.grain, pool.parts, k - 1, &b, &e);
        if (b < e)
            pool.fn(pool.ctx, b, e);
        if (atomic_fetch_sub(&pool.pending, 1) == 1) {
            pthread_mutex_lock(&pool.mu);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.mu);
        }
    }
}

static void *worker(void *arg)
{
    (void)arg;
    unsigned long seen = pool.born;
    for (;;) {
        if (!spin_until(round_after, seen)) {
            pthread_mutex_lock(&pool.mu);
            while (!round_after(seen))
                pthread_cond_wait(&pool.go, &pool.mu);
            pthread_mutex_unlock(&pool.mu);
        }
        seen = atomic_load(&pool.round);
        run_parts();
    }
    return NULL;
}

/* Starts one worker per extra core; called with `use` held. */
static void start_pool(void)
{
    int want = nn_cpu_threads() - 1;
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

/* Counts a round that ended at `end` and took `ns` toward the choice
 * between shared and solo rounds; called with `use` held. */
static void tune(long long end, long long ns)
{
    pool.rounds++;
    if (pool.phase == 0 || pool.phase == 1) {
        *(pool.phase == 0 ? &pool.shared_ns : &pool.solo_ns) += ns;
        /* solo rounds slower than all the shared ones: shared wins */
        int lost = pool.phase == 1 && pool.solo_ns > pool.shared_ns;
        if (pool.rounds < PROBE_ROUNDS && !lost)
            return;
        pool.rounds = 0;
        if (pool.phase++ == 0)
            return;
        int solo = pool.solo_ns < pool.shared_ns;
        pool.factor = pool.factor && solo == pool.solo ? 2 * pool.factor
                                                       : FACTOR_MIN;
        if (pool.factor > FACTOR_MAX)
            pool.factor = FACTOR_MAX;
        pool.solo = solo;
        pool.stretch_end = end + pool.factor * (pool.shared_ns
                                                + pool.solo_ns);
        return;
    }
    if (pool.rounds >= STRETCH_ROUNDS && end >= pool.stretch_end) {
        pool.phase = pool.rounds = 0;
        pool.shared_ns = pool.solo_ns = 0;
    }
}

int nn_pool_parts(void)
{
    int threads = nn_cpu_threads();
    return threads < POOL_MAX ? threads : POOL_MAX;
}

void nn_pool_run(void (*fn)(void *ctx, size_t begin, size_t end), void *ctx,
                 size_t n)
{
    assert(fn);
    if (n < NN_POOL_PARALLEL_MIN)
        fn(ctx, 0, n);
    else
        nn_pool_split(fn, ctx, n, 64);
}

void nn_pool_rows(void (*fn)(void *ctx, size_t begin, size_t end), void *ctx,
                  size_t rows, size_t per_row)
{
    assert(fn);
    if (rows > 1 && rows * per_row >= NN_POOL_PARALLEL_MIN)
        nn_pool_split(fn, ctx, rows, 1);
    else
        fn(ctx, 0, rows);
}

void nn_pool_split(void (*fn)(void *ctx, size_t begin, size_t end),
                   void *ctx, size_t n, size_t grain)
{
    assert(fn);
    assert(grain >= 1);
    if (nn_pool_parts() < 2 || pthread_mutex_trylock(&pool.use) != 0) {
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
    long long t0 = now_ns();
    int solo = pool.phase == 1 || (pool.phase == 2 && pool.solo);
    if (solo) {
        for (int k = 0; k < pool.parts; k++) {
            size_t b, e;
            part(n, grain, pool.parts, k, &b, &e);
            if (b < e)
                fn(ctx, b, e);
        }
        long long end = now_ns();
        tune(end, end - t0);
        pthread_mutex_unlock(&pool.use);
        return;
    }
    atomic_store(&pool.pending, pool.parts);
    atomic_store(&pool.left, pool.parts);
    pthread_mutex_lock(&pool.mu);
    atomic_fetch_add(&pool.round, 1);
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.mu);
    run_parts();
    if (!spin_until(round_done, 0)) {
        pthread_mutex_lock(&pool.mu);
        while (!round_done(0))
            pthread_cond_wait(&pool.done, &pool.mu);
        pthread_mutex_unlock(&pool.mu);
    }
    long long end = now_ns();
    tune(end, end - t0);
    pthread_mutex_unlock(&pool.use);
}
