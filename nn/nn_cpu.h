/* nn_cpu: what the machine offers the engine: the vector level of the CPU,
 * the core OpenBLAS picked for it, the number of cores to use, the memory
 * it may take, and the OPENBLAS_CORETYPE decision. The cores and the memory
 * are those the process is really given (its affinity mask, cgroup v2
 * cpu.max and memory.max: base/cgroup.h), not the host's.
 *
 * Debian's OpenBLAS 0.3.21 can misdetect recent CPUs and fall back to slow
 * generic kernels. nn_cpu_better_coretype() tells whether the process
 * should be re-executed with OPENBLAS_CORETYPE set (OpenBLAS reads it once,
 * when the library loads). */
#ifndef NN_CPU_H
#define NN_CPU_H

#include <stddef.h>

/* How fast a core is, by the widest vector unit its sgemm kernel uses. */
typedef enum nn_cpu_level {
    NN_CPU_SSE, NN_CPU_AVX, NN_CPU_AVX2, NN_CPU_AVX512
} nn_cpu_level;

/* The widest vector unit this CPU (and the OS, which must save the wide
 * registers) offers. */
nn_cpu_level nn_cpu_level_now(void);

/* The decision behind nn_cpu_better_coretype, a pure function: the
 * OPENBLAS_CORETYPE ("Sandybridge", "Haswell" or "SkylakeX") for a CPU of
 * level `cpu` when OpenBLAS runs the slower kernels of `core` (not NULL),
 * else NULL (a core name it does not know is taken to be fast enough).
 * Returns a static string. */
const char *nn_cpu_coretype_for(const char *core, nn_cpu_level cpu);

/* Returns the OPENBLAS_CORETYPE value (a static string) this CPU should use
 * when the user has not set OPENBLAS_CORETYPE and the core OpenBLAS picked
 * is well below what cpuid reports; NULL otherwise. */
const char *nn_cpu_better_coretype(void);

/* The core OpenBLAS uses ("Prescott", "SkylakeX", ...; "unknown" when it
 * does not say), a static string. */
const char *nn_cpu_corename(void);

/* The engine's thread count, read once: the thread count OpenBLAS started
 * with (one per core unless OPENBLAS_NUM_THREADS says otherwise), bounded
 * by the CPUs the process may keep busy (cgroup_cpus: affinity mask and
 * CPU quota; a process given one CPU runs one thread), at least 1. The
 * first call sets OpenBLAS itself to one thread: the engine splits large
 * products between the cores itself (nn_pool). */
int nn_cpu_threads(void);

/* What nn_cpu_threads would be for a process in the cgroup named in the
 * file `self` (a /proc/PID/cgroup) under the cgroup2 mount `mount`, with
 * this process's affinity mask: tests point it at a fake tree. Neither
 * may be NULL. Sets no thread count. */
int nn_cpu_threads_in(const char *mount, const char *self);

/* The decision behind nn_cpu_threads, a pure function: `blas` threads
 * (below 1: 1) bounded by `usable` CPUs (0 or less: no bound). */
int nn_cpu_threads_for(int blas, int usable);

/* Bytes of memory the process may use: the machine's physical memory, or
 * the cgroup v2 memory.max above the process when that is less; SIZE_MAX
 * when neither can be told. The cgroup's limit is read once, at the
 * first call (callers check sizes row by row); any thread may call. */
size_t nn_cpu_memory(void);

/* The decision behind nn_cpu_memory, a pure function: the machine's
 * `physical` bytes (SIZE_MAX: unknown) bounded by the cgroup's `limit`
 * (negative: none). */
size_t nn_cpu_memory_for(size_t physical, long long limit);

#endif
