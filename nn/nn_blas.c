#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cblas.h>

#include "nn_blas.h"

/* Products with fewer multiply-adds than this run on one thread: below it,
 * waking OpenBLAS's threads costs more than they save (measured on 2 cores
 * with bench/nn_bench: 2-16-16-1 and 784-256-128-10 both gain from it). */
#define NN_BLAS_THREAD_MIN ((double)(1 << 23))

/* How fast a core is, by the widest vector unit its kernels use. */
enum level { LEVEL_SSE, LEVEL_AVX, LEVEL_AVX2, LEVEL_AVX512 };

/* OpenBLAS core names by the vector level of their sgemm kernel; a name
 * not listed (an unknown newer core) is taken to be fast enough. */
static const struct {
    const char *name;
    enum level level;
} cores[] = {
    {"Prescott", LEVEL_SSE},     {"Core2", LEVEL_SSE},
    {"Penryn", LEVEL_SSE},       {"Dunnington", LEVEL_SSE},
    {"Nehalem", LEVEL_SSE},      {"Atom", LEVEL_SSE},
    {"Katmai", LEVEL_SSE},       {"Coppermine", LEVEL_SSE},
    {"Northwood", LEVEL_SSE},    {"Banias", LEVEL_SSE},
    {"Athlon", LEVEL_SSE},       {"Opteron", LEVEL_SSE},
    {"Opteron_SSE3", LEVEL_SSE}, {"Barcelona", LEVEL_SSE},
    {"Nano", LEVEL_SSE},         {"Bobcat", LEVEL_SSE},
    {"Sandybridge", LEVEL_AVX},  {"Bulldozer", LEVEL_AVX},
    {"Piledriver", LEVEL_AVX},   {"Steamroller", LEVEL_AVX},
    {"Excavator", LEVEL_AVX},    {"Haswell", LEVEL_AVX2},
    {"Zen", LEVEL_AVX2},         {"SkylakeX", LEVEL_AVX512},
    {"Cooperlake", LEVEL_AVX512}, {"SapphireRapids", LEVEL_AVX512},
};

/* What the CPU (and the OS, which must save the wide registers) offers.
 * __builtin_cpu_supports checks both. */
static enum level cpu_level(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return LEVEL_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return LEVEL_AVX2;
    if (__builtin_cpu_supports("avx"))
        return LEVEL_AVX;
#endif
    return LEVEL_SSE;
}

const char *nn_blas_better_coretype(void)
{
    static const char *names[] = {NULL, "Sandybridge", "Haswell", "SkylakeX"};
    const char *set = getenv("OPENBLAS_CORETYPE");
    if (set && *set)
        return NULL;
    const char *core = nn_blas_corename();
    enum level have = LEVEL_AVX512;
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (strcasecmp(core, cores[i].name) == 0)
            have = cores[i].level;
    enum level can = cpu_level();
    return can > have ? names[can] : NULL;
}

const char *nn_blas_corename(void)
{
    const char *name = openblas_get_corename();
    return name ? name : "unknown";
}

/* The thread count OpenBLAS started with (its maximum for big products),
 * read once; `current` mirrors the last value set so that each product
 * does not pay for a call into OpenBLAS. */
static int max_threads, current;

int nn_blas_threads(void)
{
    if (max_threads == 0) {
        max_threads = openblas_get_num_threads();
        if (max_threads < 1)
            max_threads = 1;
        current = max_threads;
    }
    return max_threads;
}

static void use_threads(int n)
{
    if (n != current) {
        openblas_set_num_threads(n);
        current = n;
    }
}

void nn_blas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc)
{
    int threads = nn_blas_threads();
    use_threads((double)m * n * k < NN_BLAS_THREAD_MIN ? 1 : threads);
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
}
