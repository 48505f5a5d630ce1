/* fault_alloc: the counter that test_fault relies on. The Nth allocation
 * fails and only that one; every kind of allocation counts; the live
 * blocks are exactly those not freed; Jansson allocates through it. */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fault_alloc.h"

START_TEST(the_nth_allocation_fails_and_only_it)
{
    void *p[5];
    fault_arm(3);
    for (int i = 0; i < 5; i++)
        p[i] = malloc(16);
    int err = errno;
    long count = fault_count();
    int triggered = fault_triggered();
    fault_arm(0);
    ck_assert_ptr_nonnull(p[0]);
    ck_assert_ptr_nonnull(p[1]);
    ck_assert_ptr_null(p[2]);
    ck_assert_int_eq(err, ENOMEM);
    ck_assert_ptr_nonnull(p[3]);
    ck_assert_ptr_nonnull(p[4]);
    ck_assert_int_eq(count, 5);
    ck_assert(triggered);
    for (int i = 0; i < 5; i++)
        free(p[i]);
}
END_TEST

START_TEST(a_persistent_fault_fails_every_later_allocation)
{
    void *p[4];
    fault_persist(1);
    fault_arm(2);
    for (int i = 0; i < 4; i++)
        p[i] = malloc(8);
    fault_arm(0);
    void *after = malloc(8);
    fault_persist(0);
    ck_assert_ptr_nonnull(p[0]);
    ck_assert_ptr_null(p[1]);
    ck_assert_ptr_null(p[2]);
    ck_assert_ptr_null(p[3]);
    ck_assert_ptr_nonnull(after);
    free(p[0]);
    free(after);
}
END_TEST

START_TEST(an_unreached_fault_is_not_triggered)
{
    fault_arm(100);
    free(malloc(1));
    int triggered = fault_triggered();
    long count = fault_count();
    fault_arm(0);
    ck_assert(!triggered);
    ck_assert_int_eq(count, 1);
}
END_TEST

START_TEST(every_kind_of_allocation_counts)
{
    char *s = NULL;
    FILE *f;
    long live = fault_live();
    fault_arm(0);
    void *a = calloc(2, 8);
    void *b = aligned_alloc(64, 128);
    char *c = strdup("abc");
    char *d = strndup("abcdef", 2);
    int n = asprintf(&s, "%d-%s", 7, "x");
    long count = fault_count();
    ck_assert_int_eq(count, 5);
    ck_assert_int_eq(fault_live(), live + 5);
    ck_assert_str_eq(c, "abc");
    ck_assert_str_eq(d, "ab");
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(s, "7-x");
    free(a), free(b), free(c), free(d), free(s);
    ck_assert_int_eq(fault_live(), live);
    for (int k = 1; k <= 6; k++) {
        char *buf = NULL;
        size_t len;
        fault_arm(k);
        a = calloc(1, 1);
        b = aligned_alloc(64, 64);
        c = strdup("x");
        d = strndup("y", 1);
        s = NULL;
        n = asprintf(&s, "%d", k);
        f = open_memstream(&buf, &len);
        fault_arm(0);
        void *got[] = {a, b, c, d, s, f};
        for (int i = 0; i < 6; i++)
            ck_assert_msg((got[i] == NULL) == (i + 1 == k),
                          "fault %d, allocation %d", k, i + 1);
        ck_assert_int_eq(n < 0, k == 5);
        free(a), free(b), free(c), free(d), free(s);
        if (f)
            fclose(f);
        free(buf);
    }
    ck_assert_int_eq(fault_live(), live);
}
END_TEST

START_TEST(a_failed_realloc_keeps_the_block)
{
    long live = fault_live();
    char *p = malloc(4);
    memcpy(p, "abc", 4);
    fault_arm(1);
    char *q = realloc(p, 1 << 20);
    fault_arm(0);
    ck_assert_ptr_null(q);
    ck_assert_str_eq(p, "abc");
    ck_assert_int_eq(fault_live(), live + 1);
    q = realloc(p, 1 << 20);
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(q, "abc");
    ck_assert_int_eq(fault_live(), live + 1);
    q = realloc(q, 0);
    free(q);
    ck_assert_int_eq(fault_live(), live);
}
END_TEST

START_TEST(live_blocks_are_those_not_freed)
{
    enum { N = 5000 };
    static void *p[N];
    long live = fault_live();
    for (int i = 0; i < N; i++)
        p[i] = malloc((size_t)i % 64 + 1);
    ck_assert_int_eq(fault_live(), live + N);
    for (int i = 0; i < N; i += 2)
        free(p[i]);
    ck_assert_int_eq(fault_live(), live + N / 2);
    for (int i = 1; i < N; i += 2)
        free(p[i]);
    ck_assert_int_eq(fault_live(), live);
    free(NULL);
    ck_assert_int_eq(fault_live(), live);
}
END_TEST

START_TEST(jansson_allocates_through_it)
{
    fault_jansson();
    long live = fault_live();
    json_t *o = json_pack("{s:i}", "a", 1);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_gt(fault_live(), live);
    json_decref(o);
    ck_assert_int_eq(fault_live(), live);
    fault_arm(1);
    o = json_object();
    fault_arm(0);
    ck_assert_ptr_null(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fault_alloc");
    TCase *tc = tcase_create("fault_alloc");
    tcase_add_test(tc, the_nth_allocation_fails_and_only_it);
    tcase_add_test(tc, a_persistent_fault_fails_every_later_allocation);
    tcase_add_test(tc, an_unreached_fault_is_not_triggered);
    tcase_add_test(tc, every_kind_of_allocation_counts);
    tcase_add_test(tc, a_failed_realloc_keeps_the_block);
    tcase_add_test(tc, live_blocks_are_those_not_freed);
    tcase_add_test(tc, jansson_allocates_through_it);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
