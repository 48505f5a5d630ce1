/* fit's time budget, seconds=: a fit far too long for it stops by itself
 * after the budget, cleanly (not an error: the cells after it run), with
 * the summary, a line saying why, and the final chart; a budget out of
 * range is refused before training. The budgets leave the work on either
 * side of them a wide margin: an epoch of 200 samples takes milliseconds
 * (1 s is the budget), one of 100,000 samples one at a time a good part
 * of a second (0.02 s), even on a fast machine; under valgrind on a
 * loaded one the first took over 0.3 s. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

START_TEST(a_long_fit_ends_at_its_budget)
{
    fake_ok("data = moons(n=200, noise=0.1, seed=1)\n"
            "net = linear(4) -> tanh -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=2000000000, seconds=1\n"
            "after = 1");
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "stopped by the time budget "
                                 "(seconds=1) after "));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, " of 2000000000 epochs"));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "trained "));
    /* the final chart, a display of its own, titled without "(live)" */
    json_t *last = json_array_get(fake_rec.displays,
                                  json_array_size(fake_rec.displays) - 1);
    ck_assert(json_is_false(json_object_get(last, "update")));
    const char *text = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(text, "training on data: epoch "));
    ck_assert_ptr_null(strstr(text, "(live)"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 "/2000000000</text>"));
    /* the net was trained: it counts the epochs done */
    fake_ok("net");
    ck_assert_ptr_null(strstr(fake_last_text(&fake_rec), "not trained"));
}
END_TEST

/* A budget that ends inside the first epoch stops there, keeping the
 * steps done. */
START_TEST(a_budget_inside_the_first_epoch_stops_there)
{
    fake_ok("data = moons(n=100000, noise=0.1, seed=1)\n"
            "net = linear(4) -> tanh -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=1, batch=1, seconds=0.02\n"
            "after = 1");
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "stopped by the time budget "
                                 "(seconds=0.02) in epoch 1 at step "));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "/100000, before a full "
                                 "epoch; the net keeps the weights of its "
                                 "last completed step\n"));
    fake_ok("after");
}
END_TEST

START_TEST(no_budget_and_a_budget_too_long_train_every_epoch)
{
    fake_ok("data = moons(n=100, noise=0.1, seed=1)\n"
            "net = linear(4) -> tanh -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=3, seconds=0\n"
            "fit net on data, epochs=3, seconds=3600");
    ck_assert_ptr_null(strstr(fake_rec.out, "time budget"));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "trained 3 epochs in "));
}
END_TEST

START_TEST(a_negative_budget_is_refused)
{
    fake_ok("data = moons(n=100, noise=0.1, seed=1)\n"
            "net = linear(4) -> tanh -> linear(1) -> sigmoid");
    const char *m = fake_fails("fit net on data, seconds=-1", "ValueError",
                               NULL);
    ck_assert_ptr_nonnull(strstr(m, "seconds"));
}
END_TEST

/* A long fit of fast epochs prints timed loss lines, never "epoch E/T:
 * step s/S", which is for an epoch that itself runs long. */
START_TEST(fast_epochs_print_loss_lines_not_steps)
{
    fake_ok("data = moons(n=200, noise=0.1, seed=1)\n"
            "net = linear(4) -> tanh -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=2000000000, batch=32, seconds=2.5");
    ck_assert_msg(!strstr(fake_rec.out, ": step "), "%s", fake_rec.out);
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "  loss "));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lang-budget");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, a_long_fit_ends_at_its_budget);
    tcase_add_test(t, a_budget_inside_the_first_epoch_stops_there);
    tcase_add_test(t, no_budget_and_a_budget_too_long_train_every_epoch);
    tcase_add_test(t, a_negative_budget_is_refused);
    tcase_add_test(t, fast_epochs_print_loss_lines_not_steps);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
