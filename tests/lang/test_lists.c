/* Lists of numbers, however they are held (packed as doubles or as a
 * value per item), print, join, unpack and feed commands the same; and
 * predict shows at most `limit` of many literal rows, checking them all. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

START_TEST(lists_print_join_and_unpack)
{
    fake_shows("[1, 2.5, -3, 1e300, 0.1]", "[1, 2.5, -3, 1e+300, 0.1]");
    fake_shows("[[1, 2], [3, -4.25]]", "[[1, 2], [3, -4.25]]");
    fake_shows("x = 2\n[x, 3]", "[2, 3]");
    fake_shows("x = 2\n[[x, 1], [2, 3]] + [[4, 5]]", "[[2, 1], [2, 3], [4, 5]]");
    fake_shows("[1, 2] + [3]", "[1, 2, 3]");
    fake_shows("[[1, 2]] + [[3]]", "[[1, 2], [3]]");
    fake_shows("[1] + [[2]]", "[1, [2]]");
    fake_shows("[] + [1, 2]", "[1, 2]");
    fake_shows("[[1, 2], [3]] + [[4, 5]]", "[[1, 2], [3], [4, 5]]");
    fake_shows("[1, true, \"a\", none, [2, [3]]]", "[1, true, \"a\", none, [2, [3]]]");
    fake_shows("[[[1, 2]], [[3, 4]]]", "[[[1, 2]], [[3, 4]]]");
    fake_shows("a, b = [1, 2]\na + b", "3");
    fake_shows("a, b = [[1, 2], [3, 4]]\nb + a", "[3, 4, 1, 2]");
    fake_shows("rows = [[1, 2], [3, 4]]\na, b = rows\nrows", "[[1, 2], [3, 4]]");
    fake_ok("print([0.5, -1], [[1], [2]])");
    ck_assert_str_eq(fake_rec.out, "[0.5, -1] [[1], [2]]\n");
    fake_fails("a, b, c = [1, 2]", "ValueError",
               "3 names on the left, but the right side gives 2 values");
    fake_fails("[1, 2] + 3", "TypeError", "cannot add a list and a number");
    fake_fails("-[1, 2]", "TypeError", "cannot negate a list");
}
END_TEST

START_TEST(commands_read_packed_lists)
{
    fake_ok("o = adam(betas=[0.8, 0.99])");
    fake_ok("b = [0.8, 0.99]\no = adam(betas=b)");
    fake_fails("o = adam(betas=[[0.8, 0.99]])", "TypeError",
               "adam: betas must be a list of two numbers, e.g. "
               "betas=[0.9, 0.999]");
    fake_fails("o = adam(betas=[0.8, 2])", "ValueError",
               "adam: betas must be in [0, 1)");
    fake_fails("x = 1\nplot [x, 2]", "TypeError",
               "x is not a net: plot [net1, net2] compares the training "
               "curves of nets");
}
END_TEST

/* "[[0, 0.5], [1, 0.5], ...]" of n rows (static buffer). */
static const char *rows(int n, const char *last)
{
    static char buf[4096];
    size_t k = 0;
    k += (size_t)snprintf(buf + k, sizeof buf - k, "[");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s[%d, 0.5]",
                              i ? ", " : "", i);
    snprintf(buf + k, sizeof buf - k, "%s]", last ? last : "");
    return buf;
}

START_TEST(predict_shows_at_most_limit_rows)
{
    char code[4200];
    fake_ok("net = input(2) -> linear(2) -> softmax");
    snprintf(code, sizeof code, "predict net %s", rows(25, NULL));
    fake_ok(code);
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "\n 20  [19, 0.5]"));
    ck_assert_ptr_null(strstr(t, "[20, 0.5]"));
    ck_assert_ptr_nonnull(strstr(t, "\n... 5 more rows (limit=20)"));
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec),
                                 "... 5 more rows (limit=20)"));
    snprintf(code, sizeof code, "predict net %s, limit=3", rows(25, NULL));
    fake_ok(code);
    t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "[2, 0.5]"));
    ck_assert_ptr_null(strstr(t, "[3, 0.5]"));
    ck_assert_ptr_nonnull(strstr(t, "\n... 22 more rows (limit=3)"));
    snprintf(code, sizeof code, "predict net %s", rows(20, NULL));
    fake_ok(code);
    ck_assert_ptr_null(strstr(fake_last_text(&fake_rec), "more rows"));
    /* rows past the limit are checked all the same */
    snprintf(code, sizeof code, "predict net %s", rows(25, ", [1e39, 0]"));
    fake_fails(code, "ValueError", "row 26, value 1 is 1e+39: the net takes "
               "numbers within float range (at most 3.4e38)");
    snprintf(code, sizeof code, "predict net %s", rows(25, ", [1]"));
    fake_fails(code, "ShapeError", "row 26 has 1 values but row 1 has 2: "
               "every row needs the same number of features");
    snprintf(code, sizeof code, "predict net %s", rows(25, ", [1, \"a\"]"));
    fake_fails(code, "TypeError", "row 26, value 2 is a string, not a number");
    fake_fails("predict net [[1, 2], [[3], 4]]", "TypeError",
               "row 2, value 1 is a list, not a number");
    fake_fails("predict net [[1, 2], [[3, 4]]]", "ShapeError",
               "row 2 has 1 values but row 1 has 2: every row needs the same "
               "number of features");
    fake_fails("predict net [[1, 2], 3]", "ShapeError",
               "row 2 has 1 values but row 1 has 2: every row needs the same "
               "number of features");
    fake_fails("predict net []", "ValueError",
               "predict needs at least one row with values, e.g. predict net "
               "[[0.5, -0.2]]");
    fake_ok("predict net [0.25, 1]");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "[0.25, 1]"));
}
END_TEST

static Suite *lists_suite(void)
{
    Suite *s = suite_create("lists");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_add_test(t, lists_print_join_and_unpack);
    tcase_add_test(t, commands_read_packed_lists);
    tcase_add_test(t, predict_shows_at_most_limit_rows);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(lists_suite());
}
