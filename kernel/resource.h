/* resource: the resource figures of usage_reply, as ipykernel reports them.
 *
 * ipykernel answers usage_request (a control message used by JupyterLab's
 * resource indicator) with psutil numbers. resource reads the same numbers
 * from /proc: our pid and host name, the kernel's CPU percent and memory
 * (PSS bytes, or RSS when PSS is unavailable), the host's CPU percent,
 * cpu_count and host_virtual_memory (psutil.virtual_memory()'s fields, in
 * bytes). Percentages are measured since the previous call, like psutil's
 * cpu_percent(): the first call gives kernel_cpu 0.0 and leaves out
 * host_cpu_percent. One owner thread per resource_meter.
 *
 * Two figures ipykernel does not send say what the process is really
 * given, in a container or a cgroup (base/cgroup.h): "cpu_limit", the CPUs
 * it may keep busy (affinity mask and cgroup v2 cpu.max, rounded up: the
 * engine's thread count follows it), and "memory_limit", the bytes it may
 * use (the host's memory, or cgroup v2 memory.max when less: the engine
 * checks allocations against it). */
#ifndef RESOURCE_H
#define RESOURCE_H

#include <jansson.h>

typedef struct resource_meter {
    double last_wall;            /* seconds, CLOCK_MONOTONIC; 0 = never */
    double last_cpu;             /* process CPU seconds */
    unsigned long long host_busy, host_total;  /* /proc/stat jiffies */
    /* Where the cgroup limits are read; NULL: the running process's
     * (CGROUP_MOUNT, CGROUP_SELF). Tests point them at a fake tree. */
    const char *cgroup_mount, *cgroup_self;
} resource_meter;

/* Returns usage_reply content with "status": "ok" (new reference), or
 * NULL when out of memory. Figures /proc cannot give are left out. */
json_t *resource_sample(resource_meter *m);

#endif
