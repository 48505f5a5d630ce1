/* cgroup: the CPUs and the memory the system really gives this process,
 * which under Docker, Kubernetes (Zero to JupyterHub), systemd or taskset
 * is less than the machine has.
 *
 * CPUs: the CPUs of the process's affinity mask (sched_getaffinity: taskset,
 * cpusets), and the cgroup v2 CPU quota (cpu.max, "QUOTA PERIOD" or
 * "max PERIOD": QUOTA/PERIOD CPUs of time, e.g. docker --cpus). Memory: the
 * cgroup v2 ceiling (memory.max, bytes or "max"). A limit may be set on the
 * process's own cgroup or on any cgroup above it; the tightest one counts.
 * The process's cgroup is the "0::PATH" line of /proc/self/cgroup, under
 * the cgroup2 file system mounted at /sys/fs/cgroup (inside a container
 * with its own cgroup namespace, PATH is "/" and the limits are at the
 * mount's top). cgroup v1 is not read: on such a system only the affinity
 * mask limits the CPUs. Nor is a cgroup outside the process's cgroup
 * namespace (a PATH with ".."): no limit is read then.
 *
 * The paths are arguments so that tests can point them at a fake tree. */
#ifndef CGROUP_H
#define CGROUP_H

/* Where the limits of the running process are read. */
#define CGROUP_MOUNT "/sys/fs/cgroup"
#define CGROUP_SELF "/proc/self/cgroup"

typedef struct cgroup_limits {
    double cpus;        /* CPUs of time the quota allows; 0: no quota */
    long long memory;   /* bytes; -1: no ceiling */
} cgroup_limits;

/* Reads the tightest cpu.max and memory.max from the cgroup named in the
 * file `self` (a /proc/PID/cgroup) up to the top of `mount`. A file that
 * is missing, unreadable or malformed is no limit: this cannot fail.
 * mount, self and out must not be NULL. */
void cgroup_read(const char *mount, const char *self, cgroup_limits *out);

/* The CPUs a process may keep busy: the number of CPUs in `affinity`
 * (at least 1; 0 or less when unknown: no bound), bounded by the quota
 * `cpus` (0: none) rounded up, as Java and .NET round a CPU quota:
 * a quota of 1.5 CPUs gives 2 threads, 1 gives 1. Returns at least 1,
 * or 0 when neither bound is known. */
int cgroup_cpus_for(int affinity, double cpus);

/* The number of CPUs in this thread's affinity mask (sched_getaffinity),
 * or 0 when the OS does not say. */
int cgroup_affinity(void);

/* The CPUs this process may keep busy (cgroup_cpus_for of its affinity
 * mask and of the quota read under `mount` for the membership file
 * `self`), or 0 when neither is known. mount and self must not be NULL. */
int cgroup_cpus(const char *mount, const char *self);

#endif
