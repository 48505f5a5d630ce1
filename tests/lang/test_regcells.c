/* Regression in cells: generators, csv's task, fit's R2 and least-squares
 * comparison, evaluate's metrics, predict's values, and the errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

START_TEST(plane_by_gradient_descent)
{
    fake_ok("d = plane(n=200, seed=3)\nnet = linear(1)\n"
            "fit net on d, epochs=300, batch=200, optimizer=sgd(lr=0.3), "
            "verbose=false");
    /* the summary names R2, and the weights come next to lstsq's */
    ck_assert_msg(strstr(fake_rec.out, "  R2 0.99"), "%s", fake_rec.out);
    ck_assert_msg(strstr(fake_rec.out, "gradient descent vs exact least "
                                       "squares"), "%s", fake_rec.out);
    const char *w1 = strstr(fake_rec.out, "w[x1]");
    ck_assert_ptr_nonnull(w1);
    double fit, ls;
    ck_assert_int_eq(sscanf(w1 + 5, "%lf %lf", &fit, &ls), 2);
    ck_assert_double_eq_tol(fit, 3.0, 0.05);
    ck_assert_double_eq_tol(fit, ls, 1e-3);
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "\nR2 "));
}
END_TEST

/* The text/plain of the value of `code` (malloc'd). */
static char *result(const char *code)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(r.ok, "%s failed: %s", code, r.evalue ? r.evalue : "");
    const char *t = r.result
        ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    char *s = t ? strdup(t) : NULL;
    reply_free(&r);
    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(data_shows_its_target)
{
    char *t = result("sine(n=50)");
    ck_assert_msg(strstr(t, "50 samples, 1 features, a continuous target "
                            "'y': mean "), "%s", t);
    free(t);
    t = result("diabetes");
    ck_assert_msg(strstr(t, "442 samples, 10 features, a continuous target "
                            "'target': mean 152.1"), "%s", t);
    free(t);
}
END_TEST

START_TEST(errors_say_how_to_fix)
{
    fake_fails("d = sine(n=50)\nnet = linear(3) -> softmax\nfit net on d",
               "ShapeError", "net ends in softmax, but 'd' has a "
               "continuous target: end it with linear(1), with no "
               "activation after it");
    fake_fails("net = linear(1)\nfit net on sine(n=50), loss=\"bce\"",
               "ShapeError", "bce is a loss for classes, but 'sine' has a "
               "continuous target: use loss=\"mse\" (or \"mae\", \"huber\", "
               "\"auto\")");
    fake_fails("net = linear(1) -> sigmoid\nfit net on moons, loss=\"mae\"",
               "ShapeError", NULL);
    fake_fails("standardize(moons, target=true)", "ValueError", NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regress");
    TCase *tc = tcase_create("cells");
    tcase_add_checked_fixture(tc, fake_open, fake_close);
    tcase_add_test(tc, plane_by_gradient_descent);
    tcase_add_test(tc, data_shows_its_target);
    tcase_add_test(tc, errors_say_how_to_fix);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
