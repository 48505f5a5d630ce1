/* history: queries as history_request asks them, and persistence. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "history.h"

static char dir[] = "/tmp/cnn-history-XXXXXX";
static char path[256];

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub/dir/history", dir);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/cnn-history-XXXXXX");
}

static history *open_h(size_t limit)
{
    char warn[512];
    history *h = history_open(path, limit, warn, sizeof warn);
    ck_assert_ptr_nonnull(h);
    ck_assert_msg(warn[0] == 0, "%s", warn);
    return h;
}

/* the list as compact JSON text, to compare with what a client sees */
static void check_json(json_t *list, const char *want)
{
    ck_assert_ptr_nonnull(list);
    char *got = json_dumps(list, JSON_COMPACT);
    ck_assert_str_eq(got, want);
    free(got);
    json_decref(list);
}

START_TEST(tail_range_search)
{
    history *h = open_h(100);
    ck_assert_int_eq(history_session(h), 1);
    history_add(h, 1, "x = 1", NULL);
    history_add(h, 2, "x", "1");
    history_add(h, 3, "print(x)", NULL);
    history_add(h, 4, "x", "1");
    check_json(history_tail(h, 2, 0), "[[1,3,\"print(x)\"],[1,4,\"x\"]]");
    check_json(history_tail(h, 1, 1), "[[1,4,[\"x\",\"1\"]]]");
    check_json(history_tail(h, 10, 0),
               "[[1,1,\"x = 1\"],[1,2,\"x\"],[1,3,\"print(x)\"],[1,4,\"x\"]]");
    check_json(history_range(h, 0, 2, 4, 1),
               "[[1,2,[\"x\",\"1\"]],[1,3,[\"print(x)\",null]]]");
    check_json(history_range(h, 1, 3, 0, 0), "[[1,3,\"print(x)\"],[1,4,\"x\"]]");
    check_json(history_range(h, 2, 1, 0, 0), "[]");
    check_json(history_search(h, "x*", 0, 0, 0),
               "[[1,1,\"x = 1\"],[1,2,\"x\"],[1,4,\"x\"]]");
    check_json(history_search(h, "x*", 0, 1, 0), "[[1,1,\"x = 1\"],[1,4,\"x\"]]");
    check_json(history_search(h, "x*", 1, 0, 0), "[[1,4,\"x\"]]");
    check_json(history_search(h, "*print*", 0, 0, 0), "[[1,3,\"print(x)\"]]");
    check_json(history_search(h, "nothing", 0, 0, 0), "[]");
    history_close(h);
}
END_TEST

START_TEST(survives_a_restart)
{
    history *h = open_h(100);
    history_add(h, 1, "a = 1", NULL);
    history_add(h, 2, "a", "1");
    history_close(h);
    h = open_h(100);
    ck_assert_int_eq(history_session(h), 2);
    history_add(h, 1, "b", NULL);
    check_json(history_tail(h, 3, 1),
               "[[1,1,[\"a = 1\",null]],[1,2,[\"a\",\"1\"]],[2,1,[\"b\",null]]]");
    /* session -1: the previous one */
    check_json(history_range(h, -1, 1, 0, 0), "[[1,1,\"a = 1\"],[1,2,\"a\"]]");
    history_close(h);
    /* a session without cells still counts */
    h = open_h(100);
    history_close(h);
    h = open_h(100);
    ck_assert_int_eq(history_session(h), 4);
    history_close(h);
}
END_TEST

static long count_lines(void)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

START_TEST(file_is_bounded)
{
    history *h = open_h(10);
    char code[32];
    for (int i = 1; i <= 100; i++) {
        snprintf(code, sizeof code, "cell %d", i);
        history_add(h, i, code, NULL);
        ck_assert_int_le(count_lines(), 16);
    }
    history_close(h);
    h = open_h(10);
    check_json(history_tail(h, 2, 0), "[[1,99,\"cell 99\"],[1,100,\"cell 100\"]]");
    check_json(history_range(h, 1, 1, 91, 0), "[]");
    ck_assert_int_eq(history_session(h), 2);
    history_close(h);
}
END_TEST

START_TEST(two_kernels_share_the_file)
{
    history *a = open_h(10), *b = open_h(10);
    ck_assert_int_ne(history_session(a), history_session(b));
    for (int i = 1; i <= 30; i++) {
        history_add(a, i, "from a", NULL);
        history_add(b, i, "from b", NULL);
    }
    history_close(a);
    history_close(b);
    history *c = open_h(10);
    json_t *t = history_tail(c, 10, 0);
    ck_assert_int_eq(json_array_size(t), 10);
    json_decref(t);
    t = history_search(c, "from b", 0, 0, 0);
    ck_assert_int_ge(json_array_size(t), 4);
    json_decref(t);
    history_close(c);
}
END_TEST

START_TEST(unwritable_file_keeps_history_in_memory)
{
    char warn[512];
    history *h = history_open("/proc/cnn-no-such-dir/history", 100, warn,
                              sizeof warn);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(warn, "memory only"));
    history_add(h, 1, "still here", NULL);
    check_json(history_tail(h, 5, 0), "[[1,1,\"still here\"]]");
    history_close(h);
}
END_TEST

START_TEST(skips_garbage_lines_and_huge_cells)
{
    history *h = open_h(100);
    history_add(h, 1, "kept", NULL);
    history_close(h);
    FILE *f = fopen(path, "a");
    fputs("not json\n{\"s\": \"x\"}\n{\"s\":1,\"n\":2,\"in\":\"ok\"}\n{\"s\":1,", f);
    fclose(f);
    h = open_h(100);
    check_json(history_tail(h, 5, 0), "[[1,1,\"kept\"],[1,2,\"ok\"]]");
    char *big = malloc(HISTORY_MAX_INPUT + 2);
    memset(big, 'x', HISTORY_MAX_INPUT + 1);
    big[HISTORY_MAX_INPUT + 1] = 0;
    ck_assert_int_eq(history_add(h, 1, big, NULL), 0);
    free(big);
    check_json(history_tail(h, 1, 0), "[[1,2,\"ok\"]]");
    history_close(h);
}
END_TEST

START_TEST(default_path_follows_xdg)
{
    setenv("XDG_DATA_HOME", "/data/x", 1);
    char *p = history_default_path();
    ck_assert_str_eq(p, "/data/x/cnn/history");
    free(p);
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/ada", 1);
    p = history_default_path();
    ck_assert_str_eq(p, "/home/ada/.local/share/cnn/history");
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, tail_range_search);
    tcase_add_test(tc, survives_a_restart);
    tcase_add_test(tc, file_is_bounded);
    tcase_add_test(tc, two_kernels_share_the_file);
    tcase_add_test(tc, unwritable_file_keeps_history_in_memory);
    tcase_add_test(tc, skips_garbage_lines_and_huge_cells);
    tcase_add_test(tc, default_path_follows_xdg);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
