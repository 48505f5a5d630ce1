/* nn_cpu: the engine uses the CPUs and memory the process is given
 * (affinity mask, cgroup v2), not the host's. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cgroup.h"
#include "check_main.h"
#include "nn_cpu.h"
#include "nn_tensor.h"

START_TEST(threads_bounded_by_usable_cpus)
{
    ck_assert_int_eq(nn_cpu_threads_for(8, 1), 1);
    ck_assert_int_eq(nn_cpu_threads_for(8, 3), 3);
    ck_assert_int_eq(nn_cpu_threads_for(2, 16), 2);
    ck_assert_int_eq(nn_cpu_threads_for(4, 0), 4);   /* bound unknown */
    ck_assert_int_eq(nn_cpu_threads_for(0, 0), 1);   /* at least one */
    /* this process */
    int threads = nn_cpu_threads();
    ck_assert_int_ge(threads, 1);
    ck_assert_int_le(threads, cgroup_affinity());
}
END_TEST

/* A student's container limited to one CPU (cgroup v2 cpu.max) runs one
 * engine thread, however many cores the host has. */
START_TEST(one_cpu_quota_one_thread)
{
    char root[64] = "/tmp/cnn-cpu-XXXXXX", path[256], cmd[320];
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(cmd, sizeof cmd, "mkdir -p %s/fs/student", root);
    ck_assert_int_eq(system(cmd), 0);
    char mount[128], self[128];
    snprintf(mount, sizeof mount, "%s/fs", root);
    snprintf(self, sizeof self, "%s/self", root);
    FILE *f = fopen(self, "w");
    ck_assert_ptr_nonnull(f);
    fputs("0::/student\n", f);
    fclose(f);
    /* no quota: as many as the mask allows (and OpenBLAS started with) */
    int free_ = nn_cpu_threads_in(mount, self);
    ck_assert_int_ge(free_, 1);
    ck_assert_int_le(free_, cgroup_affinity());
    snprintf(path, sizeof path, "%s/student/cpu.max", mount);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("100000 100000\n", f);
    fclose(f);
    ck_assert_int_eq(nn_cpu_threads_in(mount, self), 1);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(memory_bounded_by_cgroup)
{
    ck_assert_uint_eq(nn_cpu_memory_for(8ULL << 30, 512LL << 20), 512ULL << 20);
    ck_assert_uint_eq(nn_cpu_memory_for(8ULL << 30, -1), 8ULL << 30);
    ck_assert_uint_eq(nn_cpu_memory_for(1ULL << 30, 4LL << 30), 1ULL << 30);
    ck_assert_uint_eq(nn_cpu_memory_for(SIZE_MAX, 1LL << 30), 1ULL << 30);
    /* this process: no more than the machine has */
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    size_t mem = nn_cpu_memory();
    ck_assert_uint_gt(mem, 0);
    ck_assert_uint_le(mem, (size_t)pages * (size_t)size);
    ck_assert_uint_eq(nn_tensor_machine_memory(), mem);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn-cpu");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, threads_bounded_by_usable_cpus);
    tcase_add_test(tc, memory_bounded_by_cgroup);
    tcase_add_test(tc, one_cpu_quota_one_thread);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
