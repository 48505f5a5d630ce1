/* cgroup: CPU and memory limits from the affinity mask and cgroup v2.
 * See cgroup.h. */
#include "cgroup.h"

#include <assert.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the first line of `dir`/`name` into buf; 0, or -1 when it is not
 * there. */
static int read_line(const char *dir, const char *name, char *buf, size_t n)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *got = fgets(buf, (int)n, f);
    fclose(f);
    return got ? 0 : -1;
}

/* The cgroup path of the "0::PATH" line of `self`, into buf; 0 or -1. */
static int own_path(const char *self, char *buf, size_t n)
{
    FILE *f = fopen(self, "r");
    if (!f)
        return -1;
    char line[4096];
    int rc = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            if (line[3] == '/' && strlen(line + 3) < n && !strstr(line, "/..")) {
                strcpy(buf, line + 3);
                rc = 0;
            }
            break;
        }
    fclose(f);
    return rc;
}

/* Folds the limits of one cgroup directory into out. */
static void fold_dir(const char *dir, cgroup_limits *out)
{
    char line[128];
    if (read_line(dir, "cpu.max", line, sizeof line) == 0) {
        long long quota, period;
        if (sscanf(line, "%lld %lld", &quota, &period) == 2 && quota > 0
            && period > 0) {
            double cpus = (double)quota / (double)period;
            if (out->cpus == 0 || cpus < out->cpus)
                out->cpus = cpus;
        }
    }
    if (read_line(dir, "memory.max", line, sizeof line) == 0) {
        char *end;
        long long bytes = strtoll(line, &end, 10);
        if (end != line && bytes >= 0 && (out->memory < 0 || bytes < out->memory))
            out->memory = bytes;
    }
}

void cgroup_read(const char *mount, const char *self, cgroup_limits *out)
{
    assert(mount && self && out);
    out->cpus = 0;
    out->memory = -1;
    char rel[2048], dir[4096];
    if (own_path(self, rel, sizeof rel) < 0)
        return;
    if ((size_t)snprintf(dir, sizeof dir, "%s%s", mount, rel) >= sizeof dir)
        return;
    size_t top = strlen(mount);
    /* From the process's cgroup up to the mount's top, both included. */
    for (;;) {
        size_t len = strlen(dir);
        while (len > top && dir[len - 1] == '/')
            dir[--len] = '\0';
        fold_dir(dir, out);
        char *slash = strrchr(dir + top, '/');
        if (len <= top || !slash)
            break;
        *slash = '\0';
    }
}

int cgroup_cpus_for(int affinity, double cpus)
{
    int n = affinity > 0 ? affinity : 0;
    if (cpus > 0) {
        double q = ceil(cpus - 1e-9);
        int quota = q < 1 ? 1 : q > 1e6 ? 1000000 : (int)q;
        if (n == 0 || quota < n)
            n = quota;
    }
    return n;
}

int cgroup_affinity(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    return CPU_COUNT(&set);
}

int cgroup_cpus(const char *mount, const char *self)
{
    assert(mount && self);
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    return cgroup_cpus_for(cgroup_affinity(), lim.cpus);
}
