/* cgroup: the CPU and memory limits of a fake cgroup v2 tree, as the
 * kernel under Docker or Kubernetes would find them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "check_main.h"

static char root[64], mount[128], self[128];

/* A fake tree: root/fs is the cgroup2 mount, root/self the process's
 * /proc/self/cgroup naming `path`. */
static void make_tree(const char *path)
{
    snprintf(root, sizeof root, "/tmp/cnn-cgroup-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(mount, sizeof mount, "%s/fs", root);
    snprintf(self, sizeof self, "%s/self", root);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s%s'", mount, path);
    ck_assert_int_eq(system(cmd), 0);
    FILE *f = fopen(self, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "12:memory:/v1/ignored\n0::%s\n", path);
    fclose(f);
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s/%s", mount, dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void remove_tree(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(no_files_no_limits)
{
    make_tree("/user.slice/jupyter");
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus == 0);
    ck_assert_int_eq(lim.memory, -1);
    /* "max" is no limit either */
    put("/user.slice/jupyter", "cpu.max", "max 100000\n");
    put("/user.slice/jupyter", "memory.max", "max\n");
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus == 0);
    ck_assert_int_eq(lim.memory, -1);
    /* a process that names no cgroup v2 path (cgroup v1 only) */
    cgroup_read(mount, "/nonexistent/cgroup", &lim);
    ck_assert(lim.cpus == 0);
    ck_assert_int_eq(lim.memory, -1);
    remove_tree();
}
END_TEST

START_TEST(own_cgroup_limits)
{
    make_tree("/kubepods/pod1/student");
    put("/kubepods/pod1/student", "cpu.max", "50000 100000\n");
    put("/kubepods/pod1/student", "memory.max", "536870912\n");
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus > 0.49 && lim.cpus < 0.51);
    ck_assert_int_eq(lim.memory, 536870912);
    remove_tree();
}
END_TEST

START_TEST(tightest_limit_above_counts)
{
    make_tree("/kubepods/pod1/student");
    put("/kubepods/pod1/student", "cpu.max", "300000 100000\n");
    put("/kubepods/pod1", "cpu.max", "100000 100000\n");
    put("/kubepods", "cpu.max", "max 100000\n");
    put("/kubepods/pod1/student", "memory.max", "max\n");
    put("/kubepods", "memory.max", "1073741824\n");
    put("", "memory.max", "2147483648\n"); /* the mount's top counts too */
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus > 0.99 && lim.cpus < 1.01);
    ck_assert_int_eq(lim.memory, 1073741824);
    remove_tree();
}
END_TEST

START_TEST(container_namespace_root)
{
    /* inside a container with its own cgroup namespace: "0::/" */
    make_tree("/");
    put("", "cpu.max", "150000 100000\n");
    put("", "memory.max", "268435456\n");
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus > 1.49 && lim.cpus < 1.51);
    ck_assert_int_eq(lim.memory, 268435456);
    ck_assert_int_eq(cgroup_cpus_for(8, lim.cpus), 2);
    remove_tree();
}
END_TEST

START_TEST(malformed_files_are_no_limit)
{
    make_tree("/a");
    put("/a", "cpu.max", "lots\n");
    put("/a", "memory.max", "\n");
    cgroup_limits lim;
    cgroup_read(mount, self, &lim);
    ck_assert(lim.cpus == 0);
    ck_assert_int_eq(lim.memory, -1);
    remove_tree();
}
END_TEST

START_TEST(cpus_follow_affinity_and_quota)
{
    ck_assert_int_eq(cgroup_cpus_for(4, 0), 4);      /* no quota */
    ck_assert_int_eq(cgroup_cpus_for(4, 1.0), 1);    /* one CPU: one */
    ck_assert_int_eq(cgroup_cpus_for(4, 0.25), 1);   /* never below 1 */
    ck_assert_int_eq(cgroup_cpus_for(4, 2.5), 3);    /* rounded up */
    ck_assert_int_eq(cgroup_cpus_for(2, 16.0), 2);   /* the mask bounds */
    ck_assert_int_eq(cgroup_cpus_for(0, 3.0), 3);    /* mask unknown */
    ck_assert_int_eq(cgroup_cpus_for(0, 0), 0);      /* nothing known */
    /* this process: its mask bounds what it may use */
    int mask = cgroup_affinity();
    ck_assert_int_ge(mask, 1);
    ck_assert_int_le(cgroup_cpus(CGROUP_MOUNT, CGROUP_SELF), mask);
    ck_assert_int_ge(cgroup_cpus(CGROUP_MOUNT, CGROUP_SELF), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cgroup");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, no_files_no_limits);
    tcase_add_test(tc, own_cgroup_limits);
    tcase_add_test(tc, tightest_limit_above_counts);
    tcase_add_test(tc, container_namespace_root);
    tcase_add_test(tc, malformed_files_are_no_limit);
    tcase_add_test(tc, cpus_follow_affinity_and_quota);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
