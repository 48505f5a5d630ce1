/* The trace command end to end through the interpreter: one step shown
 * in full for a small net and summarised for a large one, nothing
 * changed without apply=true, the step made with it, and the errors a
 * user can make. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

/* The text of the prediction of net on one row, copied. */
static char *prediction(void)
{
    fake_ok("predict net [[0.5, -0.2]]");
    return strdup(fake_last_text(&fake_rec));
}

START_TEST(small_net_in_full)
{
    fake_ok("net = input(2) -> linear(3) -> tanh -> linear(1) -> sigmoid");
    char *before = prediction();
    fake_ok("trace net on [[0.5, -0.2]], target=[1]");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "one step of adam (lr 0.001) on 1 row: "
                                    "loss bce = "));
    ck_assert_ptr_nonnull(strstr(t, "1 linear(3)  ["));
    ck_assert_ptr_nonnull(strstr(t, "(fused with the loss)"));
    ck_assert_ptr_nonnull(strstr(t, "W[3,2]"));
    ck_assert_ptr_nonnull(strstr(t, "b[1]"));
    ck_assert_ptr_nonnull(strstr(t, "nothing changed: apply=true"));
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec), "<h4>"));
    char *after = prediction();
    ck_assert_str_eq(before, after);
    free(after);
    fake_ok("trace net on [[0.5, -0.2]], target=1, optimizer=sgd(lr=0.5), "
            "apply=true");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "the step was applied"));
    after = prediction();
    ck_assert_str_ne(before, after);
    free(after);
    free(before);
}
END_TEST

START_TEST(large_net_summarised)
{
    fake_ok("data = moons(n=100, noise=0.1, seed=1)\n"
            "net = input(2) -> linear(16) -> relu -> linear(1) -> sigmoid\n"
            "trace net on data, limit=8");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "on 8 rows of data: loss bce"));
    ck_assert_ptr_nonnull(strstr(t, "dL/dW norm"));
    ck_assert_ptr_nonnull(strstr(t, "largest dL/dW"));
    ck_assert_ptr_null(strstr(t, "W[16,2]  "));
}
END_TEST

START_TEST(user_errors)
{
    fake_ok("net = input(2) -> linear(3) -> relu -> linear(1) -> sigmoid");
    fake_fails("trace net on [[0.5, -0.2]]", "ValueError",
               "trace needs the target of each row, e.g. trace net on "
               "[[0.5, -0.2]], target=[1]");
    fake_fails("trace net on [[0.5, -0.2], [1, 2]], target=[1]",
               "ShapeError", "2 rows but 1 target: give one class per row");
    fake_fails("trace net on [[0.5, -0.2]], target=[0.5]", "ValueError",
               "target 1 is not a class index (0, 1, ...)");
    fake_fails("trace net on [[0.5, -0.2, 1]], target=[1]", "ShapeError",
               NULL);
    fake_fails("trace net on 3, target=[1]", "TypeError", NULL);
    fake_fails("trace net on [[0.5, -0.2]], target=[1], loss=\"l1\"",
               "ValueError", NULL);
    fake_fails("trace net on [[0.5, -0.2]], target=[1], "
               "loss=\"cross_entropy\"", "ValueError", NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, fake_open, fake_close);
    tcase_add_test(tc, small_net_in_full);
    tcase_add_test(tc, large_net_summarised);
    tcase_add_test(tc, user_errors);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
