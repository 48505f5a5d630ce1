#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include <cblas.h>

#include "cgroup.h"
#include "nn_cpu.h"

/* OpenBLAS core names by the vector level of their sgemm kernel; a name
 * not listed (an unknown newer core) is taken to be fast enough. */
static const struct {
    const char *name;
    nn_cpu_level level;
} cores[] = {
    {"Prescott", NN_CPU_SSE},     {"Core2", NN_CPU_SSE},
    {"Penryn", NN_CPU_SSE},       {"Dunnington", NN_CPU_SSE},
    {"Nehalem", NN_CPU_SSE},      {"Atom", NN_CPU_SSE},
    {"Katmai", NN_CPU_SSE},       {"Coppermine", NN_CPU_SSE},
    {"Northwood", NN_CPU_SSE},    {"Banias", NN_CPU_SSE},
    {"Athlon", NN_CPU_SSE},       {"Opteron", NN_CPU_SSE},
    {"Opteron_SSE3", NN_CPU_SSE}, {"Barcelona", NN_CPU_SSE},
    {"Nano", NN_CPU_SSE},         {"Bobcat", NN_CPU_SSE},
    {"Sandybridge", NN_CPU_AVX},  {"Bulldozer", NN_CPU_AVX},
    {"Piledriver", NN_CPU_AVX},   {"Steamroller", NN_CPU_AVX},
    {"Excavator", NN_CPU_AVX},    {"Haswell", NN_CPU_AVX2},
    {"Zen", NN_CPU_AVX2},         {"SkylakeX", NN_CPU_AVX512},
    {"Cooperlake", NN_CPU_AVX512}, {"SapphireRapids", NN_CPU_AVX512},
};

/* __builtin_cpu_supports checks both the CPU and the OS. */
nn_cpu_level nn_cpu_level_now(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return NN_CPU_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return NN_CPU_AVX2;
    if (__builtin_cpu_supports("avx"))
        return NN_CPU_AVX;
#endif
    return NN_CPU_SSE;
}

const char *nn_cpu_coretype_for(const char *core, nn_cpu_level cpu)
{
    static const char *names[] = {NULL, "Sandybridge", "Haswell", "SkylakeX"};
    assert(core);
    assert(cpu >= NN_CPU_SSE && cpu <= NN_CPU_AVX512);
    nn_cpu_level have = NN_CPU_AVX512;
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (strcasecmp(core, cores[i].name) == 0)
            have = cores[i].level;
    return cpu > have ? names[cpu] : NULL;
}

const char *nn_cpu_better_coretype(void)
{
    const char *set = getenv("OPENBLAS_CORETYPE");
    if (set && *set)
        return NULL;
    return nn_cpu_coretype_for(nn_cpu_corename(), nn_cpu_level_now());
}

const char *nn_cpu_corename(void)
{
    const char *name = openblas_get_corename();
    return name ? name : "unknown";
}

/* The thread count OpenBLAS started with, read before the engine sets it
 * to 1; and the engine's, read once. */
static int blas_threads, max_threads;

int nn_cpu_threads_in(const char *mount, const char *self)
{
    assert(mount && self);
    if (blas_threads == 0)
        blas_threads = nn_cpu_threads_for(openblas_get_num_threads(), 0);
    return nn_cpu_threads_for(blas_threads, cgroup_cpus(mount, self));
}

int nn_cpu_threads(void)
{
    if (max_threads == 0) {
        max_threads = nn_cpu_threads_in(CGROUP_MOUNT, CGROUP_SELF);
        /* Each product runs on one OpenBLAS thread; nn_blas_sgemm splits
         * the large ones between the cores itself. */
        openblas_set_num_threads(1);
    }
    return max_threads;
}

int nn_cpu_threads_for(int blas, int usable)
{
    int n = blas < 1 ? 1 : blas;
    return usable > 0 && usable < n ? usable : n;
}

size_t nn_cpu_memory_for(size_t physical, long long limit)
{
    if (limit >= 0 && (unsigned long long)limit < physical)
        return (size_t)limit;
    return physical;
}

/* The cgroup's memory.max, read once: a CSV reader checks its size
 * against nn_cpu_memory at every row. */
static long long cgroup_memory;
static pthread_once_t cgroup_memory_once = PTHREAD_ONCE_INIT;

static void read_cgroup_memory(void)
{
    cgroup_limits lim;
    cgroup_read(CGROUP_MOUNT, CGROUP_SELF, &lim);
    cgroup_memory = lim.memory;
}

size_t nn_cpu_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    size_t physical = SIZE_MAX;
    if (pages > 0 && size > 0 && (size_t)pages <= SIZE_MAX / (size_t)size)
        physical = (size_t)pages * (size_t)size;
    pthread_once(&cgroup_memory_once, read_cgroup_memory);
    return nn_cpu_memory_for(physical, cgroup_memory);
}
