/* history: queries as history_request asks them, and persistence. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* Whether the entries of writer `who` in h form an unbroken run of
 * cells ending at cell `last` ("a 7", "a 8", ... "a last"). */
static int unbroken(const history *h, char who, int last)
{
    char pattern[8];
    snprintf(pattern, sizeof pattern, "%c *", who);
    json_t *mine = history_search(h, pattern, 0, 0, 0);
    size_t n = json_array_size(mine);
    int ok = mine != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        const char *in = json_string_value(
            json_array_get(json_array_get(mine, i), 2));
        char want[32];
        snprintf(want, sizeof want, "%c %d", who, last - (int)(n - 1 - i));
        ok = in && strcmp(in, want) == 0;
    }
    json_decref(mine);
    return ok;
}

/* Two kernels appending to one file while each compacts it now and then
 * (limit 20: every ~30 lines) lose nothing but the oldest entries. Each
 * compaction reloads the file into the writer's memory, so each writer
 * checks after every cell that its own cells there are an unbroken run
 * up to the last: an append that landed in a file being compacted, and
 * was lost, would leave a gap. */
START_TEST(concurrent_writers_lose_no_entry)
{
    enum { CELLS = 1500 };
    /* the directory exists before the writers race to make it */
    history_close(open_h(20));
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0) {
            char warn[512], code[32];
            history *h = history_open(path, 20, warn, sizeof warn);
            if (!h || warn[0])
                _exit(2);
            for (int i = 1; i <= CELLS; i++) {
                snprintf(code, sizeof code, "%c %d", 'a' + k, i);
                history_add(h, i, code, NULL);
                if (!unbroken(h, (char)('a' + k), i))
                    _exit(3);
            }
            history_close(h);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        ck_assert_int_eq(waitpid(kids[k], &st, 0), kids[k]);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
                      "writer %d: status %d (3: a lost entry)", k, st);
    }
    history *h = open_h(100000);
    json_t *all = history_tail(h, 100000, 0);
    ck_assert_uint_ge(json_array_size(all), 20);
    json_decref(all);
    for (int k = 0; k < 2; k++)
        ck_assert(unbroken(h, (char)('a' + k), CELLS));
    history_close(h);
}
END_TEST

/* A few huge cells are not all kept in memory: HISTORY_MAX_BYTES. */
START_TEST(memory_is_bounded_by_bytes)
{
    history *h = open_h(100);
    size_t n = HISTORY_MAX_INPUT - 10;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    for (int i = 1; i <= 6; i++) {
        memset(big, '0' + i, n);
        big[n] = 0;
        ck_assert_int_eq(history_add(h, i, big, NULL), 0);
    }
    history_add(h, 7, "small", NULL);
    json_t *t = history_tail(h, 100, 0);
    size_t held = 0, count = json_array_size(t);
    for (size_t i = 0; i < count; i++)
        held += strlen(json_string_value(json_array_get(json_array_get(t, i), 2)));
    ck_assert_uint_le(held, HISTORY_MAX_BYTES);
    ck_assert_uint_ge(count, 2);
    ck_assert_uint_lt(count, 7);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(t, count - 1), 2)),
                     "small");
    json_decref(t);
    history_close(h);
    /* the same bound after a restart */
    h = open_h(100);
    t = history_tail(h, 100, 0);
    ck_assert_uint_lt(json_array_size(t), 7);
    json_decref(t);
    history_close(h);
    free(big);
}
END_TEST

/* A FIFO as the history file is refused at once (opening it for reading
 * would wait for a writer forever): history goes on in memory. */
START_TEST(refuses_a_fifo)
{
    char warn[512];
    snprintf(path, sizeof path, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    history *h = history_open(path, 100, warn, sizeof warn);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(warn, "not a regular file"));
    history_add(h, 1, "in memory", NULL);
    check_json(history_tail(h, 5, 0), "[[1,1,\"in memory\"]]");
    history_close(h);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
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
    tcase_add_test(tc, concurrent_writers_lose_no_entry);
    tcase_add_test(tc, memory_is_bounded_by_bytes);
    tcase_add_test(tc, refuses_a_fifo);
    tcase_add_test(tc, survives_a_restart);
    tcase_add_test(tc, file_is_bounded);
    tcase_add_test(tc, two_kernels_share_the_file);
    tcase_add_test(tc, unwritable_file_keeps_history_in_memory);
    tcase_add_test(tc, skips_garbage_lines_and_huge_cells);
    tcase_add_test(tc, default_path_follows_xdg);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
