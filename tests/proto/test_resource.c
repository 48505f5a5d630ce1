/* resource: usage_reply figures agree with what the process is doing. */
#include <check.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "resource.h"

START_TEST(reports_like_ipykernel)
{
    resource_meter m = {0};
    json_t *r = resource_sample(&m);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "pid")), getpid());
    ck_assert_int_ge(json_integer_value(json_object_get(r, "cpu_count")), 1);
    ck_assert(json_is_string(json_object_get(r, "hostname")));
    ck_assert(json_real_value(json_object_get(r, "kernel_cpu")) == 0.0);
    /* this test process holds a few MB, not zero and not gigabytes */
    json_int_t mem = json_integer_value(json_object_get(r, "kernel_memory"));
    ck_assert_int_gt(mem, 100 * 1024);
    ck_assert_int_lt(mem, 1024LL * 1024 * 1024);
    json_t *vm = json_object_get(r, "host_virtual_memory");
    json_int_t total = json_integer_value(json_object_get(vm, "total"));
    json_int_t avail = json_integer_value(json_object_get(vm, "available"));
    ck_assert_int_gt(total, mem);
    ck_assert_int_le(avail, total);
    double pct = json_real_value(json_object_get(vm, "percent"));
    ck_assert(pct >= 0 && pct <= 100);
    json_decref(r);

    /* burn 0.2 s of CPU time: the next sample sees this process busy, as
     * busy as its own clocks say it was (however loaded the machine) */
    struct timespec w0, w1, c0, c;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    volatile double x = 0;
    do {
        for (int i = 0; i < 100000; i++)
            x += i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    } while ((c.tv_sec - c0.tv_sec) * 1e9 + (c.tv_nsec - c0.tv_nsec) < 2e8);
    (void)x;
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double want = 100 * ((c.tv_sec - c0.tv_sec) + (c.tv_nsec - c0.tv_nsec) / 1e9)
                  / ((w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) / 1e9);
    r = resource_sample(&m);
    ck_assert_ptr_nonnull(r);
    double got = json_real_value(json_object_get(r, "kernel_cpu"));
    ck_assert_msg(got > 0.5 * want && got < 1.5 * want + 5,
                  "kernel_cpu %g, the process's clocks say %g", got, want);
    ck_assert(json_real_value(json_object_get(r, "host_cpu_percent")) > 0.0);
    json_decref(r);
}
END_TEST

/* Under a cgroup with 1.5 CPUs and 256 MiB (a fake cgroup v2 tree), the
 * reply says so; with no cgroup limit, the host's memory and CPUs. */
START_TEST(reports_the_limits_in_force)
{
    char root[64] = "/tmp/cnn-resource-XXXXXX", path[256], cmd[320];
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(cmd, sizeof cmd, "mkdir -p %s/fs/pod", root);
    ck_assert_int_eq(system(cmd), 0);
    const char *files[][2] = {{"self", "0::/pod\n"},
                              {"fs/pod/cpu.max", "150000 100000\n"},
                              {"fs/memory.max", "268435456\n"}};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i][0]);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(files[i][1], f);
        fclose(f);
    }
    char mount[128], self[128];
    snprintf(mount, sizeof mount, "%s/fs", root);
    snprintf(self, sizeof self, "%s/self", root);
    resource_meter m = {.cgroup_mount = mount, .cgroup_self = self};
    json_t *r = resource_sample(&m);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "memory_limit")),
                     268435456);
    /* 1.5 CPUs of quota: 2, unless this process may run on only one */
    cpu_set_t set;
    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    int want = CPU_COUNT(&set) < 2 ? CPU_COUNT(&set) : 2;
    ck_assert_int_eq(json_integer_value(json_object_get(r, "cpu_limit")), want);
    json_decref(r);

    /* no limits in the tree: the host's memory */
    snprintf(cmd, sizeof cmd, "rm %s/fs/pod/cpu.max %s/fs/memory.max", root, root);
    ck_assert_int_eq(system(cmd), 0);
    r = resource_sample(&m);
    ck_assert_ptr_nonnull(r);
    json_t *vm = json_object_get(r, "host_virtual_memory");
    ck_assert_int_eq(json_integer_value(json_object_get(r, "memory_limit")),
                     json_integer_value(json_object_get(vm, "total")));
    ck_assert_int_eq(json_integer_value(json_object_get(r, "cpu_limit")),
                     CPU_COUNT(&set));
    json_decref(r);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resource");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reports_like_ipykernel);
    tcase_add_test(tc, reports_the_limits_in_force);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
