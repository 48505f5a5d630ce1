/* resource: the resource figures of usage_reply, as ipykernel reports them.
 *
 * ipykernel answers usage_request (a control message used by JupyterLab's
 * resource indicator) with psutil numbers. resource reads the same numbers
 * from /proc: our pid and host name, the kernel's CPU percent and memory
 * (PSS bytes, or RSS when PSS is unavailable), the host's CPU percent,
 * cpu_count and host_virtual_memory (psutil.virtual_memory()'s fields, in
 * bytes). Percentages are measured since the previous call, like psutil's
 * cpu_percent(): the first call gives kernel_cpu 0.0 and leaves out
 * host_cpu_percent. One owner thread per resource_meter. */
#ifndef RESOURCE_H
#define RESOURCE_H

#include <jansson.h>

typedef struct resource_meter {
    double last_wall;            /* seconds, CLOCK_MONOTONIC; 0 = never */
    double last_cpu;             /* process CPU seconds */
    unsigned long long host_busy, host_total;  /* /proc/stat jiffies */
} resource_meter;

/* Returns usage_reply content with "status": "ok" (new reference), or
 * NULL when out of memory. Figures /proc cannot give are left out. */
json_t *resource_sample(resource_meter *m);

#endif
