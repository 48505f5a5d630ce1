/* resource: usage_reply figures agree with what the process is doing. */
#include <check.h>
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

    /* burn CPU for 0.2 s: the next sample sees this process busy */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    volatile double x = 0;
    do {
        for (int i = 0; i < 100000; i++)
            x += i;
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1e9 + (t.tv_nsec - t0.tv_nsec) < 2e8);
    (void)x;
    r = resource_sample(&m);
    ck_assert_ptr_nonnull(r);
    ck_assert(json_real_value(json_object_get(r, "kernel_cpu")) > 20.0);
    ck_assert(json_real_value(json_object_get(r, "host_cpu_percent")) > 0.0);
    json_decref(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resource");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reports_like_ipykernel);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
