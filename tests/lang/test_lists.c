/* Lists of numbers, however they are held (packed as doubles or as a
 * value per item), print, join, unpack and feed commands the same. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

/* Runs code; fails unless its text/plain result is `want`. */
static void shows(const char *code, const char *want)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(r.ok, "%s failed: %s", code, r.evalue ? r.evalue : "");
    const char *t = r.result
        ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    ck_assert_msg(t && strcmp(t, want) == 0, "%s shows %s, not %s", code,
                  t ? t : "nothing", want);
    reply_free(&r);
}

START_TEST(lists_print_join_and_unpack)
{
    shows("[1, 2.5, -3, 1e300, 0.1]", "[1, 2.5, -3, 1e+300, 0.1]");
    shows("[[1, 2], [3, -4.25]]", "[[1, 2], [3, -4.25]]");
    shows("x = 2\n[x, 3]", "[2, 3]");
    shows("x = 2\n[[x, 1], [2, 3]] + [[4, 5]]", "[[2, 1], [2, 3], [4, 5]]");
    shows("[1, 2] + [3]", "[1, 2, 3]");
    shows("[[1, 2]] + [[3]]", "[[1, 2], [3]]");
    shows("[1] + [[2]]", "[1, [2]]");
    shows("[] + [1, 2]", "[1, 2]");
    shows("[[1, 2], [3]] + [[4, 5]]", "[[1, 2], [3], [4, 5]]");
    shows("[1, true, \"a\", none, [2, [3]]]", "[1, true, \"a\", none, [2, [3]]]");
    shows("[[[1, 2]], [[3, 4]]]", "[[[1, 2]], [[3, 4]]]");
    shows("a, b = [1, 2]\na + b", "3");
    shows("a, b = [[1, 2], [3, 4]]\nb + a", "[3, 4, 1, 2]");
    shows("rows = [[1, 2], [3, 4]]\na, b = rows\nrows", "[[1, 2], [3, 4]]");
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

static Suite *lists_suite(void)
{
    Suite *s = suite_create("lists");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_add_test(t, lists_print_join_and_unpack);
    tcase_add_test(t, commands_read_packed_lists);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(lists_suite());
}
