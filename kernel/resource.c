/* resource: resource figures from /proc. See resource.h. */
#include "resource.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads "Key: value kB" from a /proc file; returns bytes or -1. */
static long long proc_kb(const char *file, const char *key)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    char line[256];
    size_t klen = strlen(key);
    long long v = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            if (sscanf(line + klen + 1, "%lld", &v) == 1)
                v *= 1024;
            break;
        }
    fclose(f);
    return v;
}

/* Sum and busy part of the host's CPU jiffies. Returns 0 or -1. */
static int host_jiffies(unsigned long long *busy, unsigned long long *total)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 4)
        return -1;
    *total = 0;
    for (int i = 0; i < 8; i++)
        *total += v[i];
    *busy = *total - v[3] - v[4]; /* minus idle and iowait */
    return 0;
}

static void set_bytes(json_t *o, const char *key, long long v)
{
    if (v >= 0)
        json_object_set_new(o, key, json_integer(v));
}

static json_t *virtual_memory(void)
{
    const char *mi = "/proc/meminfo";
    long long total = proc_kb(mi, "MemTotal"), free_ = proc_kb(mi, "MemFree");
    long long avail = proc_kb(mi, "MemAvailable"), buffers = proc_kb(mi, "Buffers");
    long long cached = proc_kb(mi, "Cached"), reclaim = proc_kb(mi, "SReclaimable");
    json_t *o = json_object();
    if (!o || total <= 0)
        return o;
    if (cached >= 0 && reclaim >= 0)
        cached += reclaim;
    long long used = total - free_ - cached - buffers;
    if (used < 0)
        used = total - free_;
    set_bytes(o, "total", total);
    set_bytes(o, "available", avail);
    if (avail >= 0)
        json_object_set_new(o, "percent", json_real(
            round(1000.0 * (double)(total - avail) / (double)total) / 10.0));
    set_bytes(o, "used", used);
    set_bytes(o, "free", free_);
    set_bytes(o, "active", proc_kb(mi, "Active"));
    set_bytes(o, "inactive", proc_kb(mi, "Inactive"));
    set_bytes(o, "buffers", buffers);
    set_bytes(o, "cached", cached);
    set_bytes(o, "shared", proc_kb(mi, "Shmem"));
    set_bytes(o, "slab", proc_kb(mi, "Slab"));
    return o;
}

/* Sets cpu_limit and memory_limit in r (the host's memory: total). */
static void set_limits(const resource_meter *m, json_t *r, long long total)
{
    const char *mount = m->cgroup_mount ? m->cgroup_mount : CGROUP_MOUNT;
    const char *self = m->cgroup_self ? m->cgroup_self : CGROUP_SELF;
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    int cpus = cgroup_cpus_for(cgroup_affinity(), lim.cpus);
    if (cpus > 0)
        json_object_set_new(r, "cpu_limit", json_integer(cpus));
    long long mem = total;
    if (lim.memory >= 0 && (mem < 0 || lim.memory < mem))
        mem = lim.memory;
    set_bytes(r, "memory_limit", mem);
}

json_t *resource_sample(resource_meter *m)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    double kernel_cpu = 0.0;
    if (m->last_wall > 0 && wall > m->last_wall)
        kernel_cpu = round(1000.0 * (cpu - m->last_cpu) / (wall - m->last_wall)) / 10.0;
    m->last_wall = wall;
    m->last_cpu = cpu;

    long long mem = proc_kb("/proc/self/smaps_rollup", "Pss");
    if (mem < 0)
        mem = proc_kb("/proc/self/status", "VmRSS");

    json_t *r = json_pack("{s:s, s:s, s:i, s:f, s:i, s:o}", "status", "ok",
                          "hostname", host, "pid", (json_int_t)getpid(),
                          "kernel_cpu", kernel_cpu, "cpu_count",
                          (json_int_t)(ncpu > 0 ? ncpu : 1),
                          "host_virtual_memory", virtual_memory());
    if (!r)
        return NULL;
    set_bytes(r, "kernel_memory", mem);
    set_limits(m, r, proc_kb("/proc/meminfo", "MemTotal"));
    unsigned long long busy, total;
    if (host_jiffies(&busy, &total) == 0) {
        if (m->host_total && total > m->host_total) {
            double pct = 100.0 * (double)(busy - m->host_busy) /
                         (double)(total - m->host_total);
            pct = round(pct * 10.0) / 10.0;
            if (pct != 0.0)
                json_object_set_new(r, "host_cpu_percent", json_real(pct));
        }
        m->host_busy = busy;
        m->host_total = total;
    }
    return r;
}
