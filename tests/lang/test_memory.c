/* Memory in proportion to the input: a cell of literal data (half a
 * million rows of two numbers, a million numbers in one list) runs in a
 * forked child whose peak resident memory (ru_maxrss from wait4) must stay
 * within a generous multiple of the cell's size, and whose memory after
 * the cell (the values it keeps) within a multiple of what they hold.
 * Sizes, not times: the figures are printed for the record. Under
 * AddressSanitizer (shadow memory, quarantine) only the cells' results
 * are checked. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "lang_fixture.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define MB (1024.0 * 1024.0)
#define ROWS 500000

/* "[[0.5, -1.25], [1.5, -2.25], ...]": ROWS rows of two numbers, each
 * row different (malloc'd). */
static char *rows_literal(int rows)
{
    size_t cap = (size_t)rows * 24 + 16, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    s[n++] = '[';
    for (int i = 0; i < rows; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s[%d.%d5, -%d.%d]",
                              i ? ", " : "", i % 97, i % 7, i % 13, i % 5);
    s[n++] = ']';
    s[n] = '\0';
    return s;
}

/* "[1, 2, ..., n]" (malloc'd). */
static char *count_literal(int count)
{
    size_t cap = (size_t)count * 10 + 16, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    s[n++] = '[';
    for (int i = 1; i <= count; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s%d", i > 1 ? ", " : "", i);
    s[n++] = ']';
    s[n] = '\0';
    return s;
}

/* The resident memory of this process now, in bytes. */
static double rss_now(void)
{
    long pages = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    if (fp) {
        if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(fp);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

/* What one measured run found, in bytes. */
typedef struct usage {
    double before;   /* resident before the cell (its text made) */
    double peak;     /* the child's peak resident memory */
    double after;    /* resident after the cell */
    size_t cell;     /* bytes of the cell */
} usage;

/* In a forked child: a fresh interpreter runs `setup` then the cell
 * prefix + literal + suffix, which must succeed and (when `shown` is not
 * NULL) show text holding `shown`. Returns what it cost. */
static usage measure(const char *setup, const char *prefix,
                     const char *literal, const char *suffix,
                     const char *shown)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        fake_open();
        if (setup)
            fake_ok(setup);
        size_t len = strlen(prefix) + strlen(literal) + strlen(suffix);
        char *code = malloc(len + 1);
        if (!code)
            _exit(3);
        snprintf(code, len + 1, "%s%s%s", prefix, literal, suffix);
        usage u = { rss_now(), 0, 0, len };
        interp_reply r;
        fake_run(fake_it, &fake_rec, code, &r);
        free(code);
        int ok = r.ok && (!shown || strstr(fake_last_text(&fake_rec), shown));
        if (!ok)
            fprintf(stderr, "cell failed: %s: %s\n%.300s\n",
                    r.ename ? r.ename : "", r.evalue ? r.evalue : "",
                    fake_last_text(&fake_rec));
        reply_free(&r);
        fake_free(&fake_rec);
        u.after = rss_now();
        if (write(fd[1], &u, sizeof u) != (ssize_t)sizeof u)
            _exit(4);
        _exit(ok ? 0 : 5);
    }
    close(fd[1]);
    usage u;
    ck_assert_int_eq(read(fd[0], &u, sizeof u), (ssize_t)sizeof u);
    close(fd[0]);
    int status;
    struct rusage ru;
    ck_assert_int_eq(wait4(pid, &status, 0, &ru), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the measured cell failed (status %d)", status);
    u.peak = (double)ru.ru_maxrss * 1024.0;
    return u;
}

static void report(const char *what, const usage *u)
{
    fprintf(stderr, "%-28s cell %5.1f MB: before %6.1f MB, peak %6.1f MB, "
            "after %6.1f MB\n", what, (double)u->cell / MB, u->before / MB,
            u->peak / MB, u->after / MB);
}

/* The peak within 5 times the cell's size and a base of 60 MB for the
 * program, its libraries and the cell's text (a cell of 7 MB peaks near
 * 33 MB; it took 380 to 890 MB when every number was a value and a
 * node); after the cell, what it keeps (`kept` bytes of values) and 16 MB
 * of slack for the allocator. */
static void within(const usage *u, double kept)
{
    if (SANITIZED)
        return;
    ck_assert_msg(u->peak < 5.0 * (double)u->cell + 60 * MB,
                  "peak %.1f MB for a cell of %.1f MB", u->peak / MB,
                  (double)u->cell / MB);
    ck_assert_msg(u->after < u->before + kept + 16 * MB,
                  "%.1f MB resident after the cell, %.1f MB before",
                  u->after / MB, u->before / MB);
}

START_TEST(assigning_rows_keeps_them_compact)
{
    char *rows = rows_literal(ROWS);
    usage u = measure(NULL, "x = ", rows, "", NULL);
    report("x = [[a, b], ...] 500k", &u);
    within(&u, ROWS * 2 * sizeof(double));   /* x itself: 8 MB */
    free(rows);
}
END_TEST

START_TEST(predict_on_literal_rows)
{
    char *rows = rows_literal(ROWS);
    usage u = measure("net = input(2) -> linear(3) -> softmax",
                      "predict net ", rows, "",
                      "... 499980 more rows (limit=20)");
    report("predict net [[a, b], ...]", &u);
    within(&u, 0);
    free(rows);
}
END_TEST

START_TEST(a_million_numbers)
{
    char *count = count_literal(1000000);
    usage u = measure(NULL, "y = ", count, "", NULL);
    report("y = [1, 2, ..., 1e6]", &u);
    within(&u, 1000000 * sizeof(double));    /* y itself: 8 MB */
    free(count);
}
END_TEST

static Suite *memory_suite(void)
{
    Suite *s = suite_create("memory");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, assigning_rows_keeps_them_compact);
    tcase_add_test(t, predict_on_literal_rows);
    tcase_add_test(t, a_million_numbers);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(memory_suite());
}
