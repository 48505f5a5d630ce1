/* Regression in cells: generators, csv's task, fit's R2 and least-squares
 * comparison, evaluate's metrics, predict's values, and the errors. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A net on a sine: evaluate shows MSE, RMSE, MAE and R2 and two plots;
 * predict shows values in the target's units, even when the target was
 * standardized for training. */
START_TEST(sine_evaluate_and_predict)
{
    fake_ok("train, test = split(sine(n=400, seed=1), 0.75)\n"
            "train, test = standardize(train, test, target=true)\n"
            "net = linear(32) -> tanh -> linear(32) -> tanh -> linear(1)\n"
            "fit net on train, epochs=150, optimizer=adam(lr=0.01), "
            "verbose=false");
    fake_ok("evaluate net on test");
    const char *m = fake_shown(&fake_rec, -3, "text/plain");
    ck_assert_msg(strstr(m, "MSE") && strstr(m, "RMSE") && strstr(m, "MAE")
                  && strstr(m, "R2"), "%s", m);
    /* the row of target y: MSE, RMSE, MAE, R2 >= 0.95 on held-out points */
    const char *row = strstr(m, "\ny ");
    double mse, rmse, mae, r2;
    ck_assert_msg(row && sscanf(row, " y %lf %lf %lf %lf", &mse, &rmse, &mae,
                                &r2) == 4, "%s", m);
    ck_assert_msg(r2 >= 0.95, "%s", m);
    ck_assert_double_eq_tol(rmse * rmse, mse, 1e-3);
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -2, "image/svg+xml"),
                                 "predicted vs actual y"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "text/plain"),
                                 "residuals (actual - predicted)"));
    /* sin(pi/2) = 1 in the original units, not standardized ones */
    fake_ok("predict net [[1.5708]]");
    const char *t = fake_last_text(&fake_rec);
    const char *v = strstr(t, "[1.571]");
    ck_assert_msg(v, "%s", t);
    double y = 0;
    ck_assert_int_eq(sscanf(strchr(v, ']') + 1, "%lf", &y), 1);
    ck_assert_msg(fabs(y - 1.0) < 0.15, "%s", t);
    /* saved and loaded, the net keeps its task and target scale: on the
     * (standardized) test set it predicts the same values */
    fake_ok("predict net test, limit=5");
    char *want = strdup(fake_last_text(&fake_rec));
    char path[] = "/tmp/test_regcells_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char code[256];
    snprintf(code, sizeof code, "save net to \"%s\"\nback = load(\"%s\")\n"
             "predict back test, limit=5", path, path);
    fake_ok(code);
    unlink(path);
    ck_assert_str_eq(fake_last_text(&fake_rec), want);
    ck_assert_ptr_nonnull(strstr(want, "true y"));
    free(want);
}
END_TEST

/* One feature: plot net on data draws the fitted curve over the points,
 * and fit draws it live with boundary=true. */
START_TEST(fitted_curve)
{
    fake_ok("d = sine(n=100)\nnet = linear(16) -> tanh -> linear(1)\n"
            "fit net on d, epochs=5, verbose=false, boundary=true");
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 "fitted curve on d: epoch 5/5"));
    fake_ok("plot net on d");
    const char *svg = fake_shown(&fake_rec, -1, "image/svg+xml");
    ck_assert_ptr_nonnull(strstr(svg, "fitted curve on d"));
    ck_assert_ptr_nonnull(strstr(svg, "<polyline"));
    /* the text form: points '*' and the curve '.' in a frame */
    const char *text = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(text, "|") && strchr(text, '*') && strchr(text, '.'),
                  "%s", text);
    fake_fails("fit net on plane, boundary=true", "ShapeError", NULL);
    /* draw names the output by the target; summary says regression */
    fake_ok("draw net");
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 ">y</text>"));
    fake_ok("summary net");
    ck_assert_msg(strstr(fake_last_text(&fake_rec), "Trained 5 epochs on d "
                         "(regression of 'y')"), "%s",
                  fake_last_text(&fake_rec));
}
END_TEST

/* Classification commands on a regression set say why not. */
START_TEST(task_mismatch)
{
    fake_ok("net = linear(8) -> relu -> linear(2) -> softmax\n"
            "fit net on blobs(k=2, d=1), epochs=1, verbose=false");
    fake_fails("evaluate net on sine", "ValueError",
               "evaluate: 'sine' has a continuous target, but the net "
               "predicts classes (it was fit on 'blobs'): class probabilities "
               "and a confusion matrix do not apply; fit a net ending in "
               "linear(1) on it");
    fake_fails("predict net sine", "ValueError", NULL);
    fake_ok("reg = linear(1)\nfit reg on sine, epochs=1, verbose=false");
    fake_fails("evaluate reg on blobs(k=2, d=1)", "ValueError",
               "evaluate: the net predicts continuous values (it was fit on "
               "'sine'), but 'blobs' has 2 classes: fit a classifier on it");
}
END_TEST

/* The values of fit, evaluate and predict on a regression set name their
 * scores as such, and save writes what csv() reads back as regression. */
START_TEST(values_of_a_regression)
{
    fake_ok("d = sine(n=80, seed=2)\nnet = linear(8) -> tanh -> linear(1)\n"
            "h = fit net on d, epochs=5, verbose=false\n"
            "r = evaluate net on d\np = predict net on d");
    char *t = result("[len(h.r2), h.val_r2 == none, r.r2 <= 1, r.mae >= 0]");
    ck_assert_str_eq(t, "[5, true, true, true]");
    free(t);
    t = result("[p.targets, len(p.value), len(p.value[0])]");
    ck_assert_str_eq(t, "[[\"y\"], 80, 1]");
    free(t);
    fake_fails("h.acc", "AttributeError", NULL);
    fake_fails("trace net on d", "ValueError", NULL);
    fake_fails("draw net on d, show=\"gradients\"", "ValueError", NULL);
    char path[] = "/tmp/cnn-regcells-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char code[256];
    snprintf(code, sizeof code, "save d to \"%s\"\n"
             "d2 = csv(\"%s\", target=\"y\")", path, path);
    fake_ok(code);
    t = result("d2");
    ck_assert_msg(strstr(t, "80 samples, 1 features, a continuous target"),
                  "%s", t);
    free(t);
    snprintf(code, sizeof code, "save p to \"%s\"\n"
             "p2 = csv(\"%s\", target=\"y\")", path, path);
    fake_ok(code);
    unlink(path);
}
END_TEST

/* fit's delta sets the Huber loss's threshold: far above every error,
 * huber is half the squared error and trains as mse at half the rate;
 * a small delta trains otherwise. delta goes with loss="huber" only. */
START_TEST(huber_delta)
{
    const char *net = "linear(8) -> tanh -> linear(1)";
    char code[512];
    snprintf(code, sizeof code, "d = sine(n=64, seed=4)\na = %s\nb = %s\n"
             "c = %s\n", net, net, net);
    fake_ok(code);
    fake_ok(
            "ha = fit a on d, loss=\"huber\", delta=1e6, "
            "optimizer=sgd(lr=0.2), epochs=3, verbose=false, seed=1\n"
            "hb = fit b on d, loss=\"mse\", optimizer=sgd(lr=0.1), "
            "epochs=3, verbose=false, seed=1\n"
            "hc = fit c on d, loss=\"huber\", delta=0.05, "
            "optimizer=sgd(lr=0.2), epochs=3, verbose=false, seed=1");
    char *t = result("[max(2 * ha.loss[2] - hb.loss[2], hb.loss[2] - 2 * "
                     "ha.loss[2]) < 1e-4, hc.loss[2] < ha.loss[2] / 2]");
    ck_assert_str_eq(t, "[true, true]");
    free(t);
    fake_fails("fit b on d, delta=0.5", "ValueError",
               "delta is the threshold of the Huber loss: give "
               "loss=\"huber\" with it, or leave it out");
    fake_fails("fit b on d, loss=\"huber\", delta=0", "ValueError",
               "delta must be above 0 (errors beyond it count linearly), "
               "got 0");
    fake_fails("fit b on d, loss=\"huber\", delta=-1", "ValueError", NULL);
}
END_TEST

/* csv(path, target=["a", "b"]): a regression set of two targets that
 * fit, evaluate (per target), predict and save handle; errors name the
 * column or the row. */
START_TEST(csv_two_targets)
{
    char path[] = "/tmp/cnn-regcells-XXXXXX", net[] = "/tmp/cnn-regnet-XXXXXX";
    int fd = mkstemp(path), fn = mkstemp(net);
    ck_assert(fd >= 0 && fn >= 0);
    close(fn);
    FILE *f = fdopen(fd, "w");
    fputs("x1,a,x2,b\n", f);
    for (int i = 0; i < 60; i++) {
        double x1 = (i % 10) / 5.0 - 1, x2 = (i / 10) / 3.0 - 1;
        fprintf(f, "%g,%g,%g,%g\n", x1, 2 * x1 - x2 + 0.01 * (i % 3), x2,
                x1 * x2 + 0.5);
    }
    fclose(f);
    char code[512];
    snprintf(code, sizeof code, "d = csv(\"%s\", target=[\"a\", \"b\"])\n"
             "net = linear(16) -> tanh -> linear(2)\n"
             "h = fit net on d, epochs=20, verbose=false\n"
             "r = evaluate net on d\np = predict net on d\n"
             "save net to \"%s\"\nback = load(\"%s\")\n"
             "q = predict back on d", path, net, net);
    fake_ok(code);
    char *t = result("d");
    ck_assert_msg(strstr(t, "60 samples, 2 features, 2 continuous targets "
                            "'a': mean "), "%s", t);
    free(t);
    t = result("[p.targets, len(p.value[0]), q.value == p.value, "
               "len(h.r2)]");
    ck_assert_str_eq(t, "[[\"a\", \"b\"], 2, true, 20]");
    free(t);
    fake_ok("evaluate net on d");
    const char *m = fake_shown(&fake_rec, -3, "text/plain");
    ck_assert_msg(strstr(m, "\na ") && strstr(m, "\nb "), "%s", m);
    /* saved as CSV, the set reads back the same with the same targets */
    snprintf(code, sizeof code, "save d to \"%s\"\n"
             "d2 = csv(\"%s\", target=[\"a\", \"b\"])", net, net);
    fake_ok(code);
    char *want = result("d");
    t = result("d2");
    /* the first line: sizes, targets and their statistics */
    const char *a1 = strstr(t, "60 samples"), *b1 = strstr(want, "60 samples");
    ck_assert(a1 && b1);
    ck_assert_int_eq(strcspn(a1, "\n"), strcspn(b1, "\n"));
    ck_assert(strncmp(a1, b1, strcspn(b1, "\n")) == 0);
    free(t);
    free(want);
    snprintf(code, sizeof code, "csv(\"%s\", target=[\"a\", \"z\"])", path);
    const char *msg = fake_fails(code, "ValueError", NULL);
    ck_assert_msg(strstr(msg, "no column named 'z'; the columns are 'x1', "
                              "'a', 'x2', 'b'"), "%s", msg);
    snprintf(code, sizeof code, "csv(\"%s\", target=[\"a\", 2])", path);
    fake_fails(code, "TypeError", "target item 2 is not a column name: a "
               "list of targets holds names (strings)");
    snprintf(code, sizeof code, "csv(\"%s\", target=[\"a\", \"b\"], "
             "task=\"classification\")", path);
    fake_fails(code, "ValueError", NULL);
    unlink(path);
    unlink(net);
}
END_TEST

/* Writes text to a new temporary file; its path goes to path (a
 * "/tmp/...XXXXXX" template). */
static void temp_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
}

/* Not told, csv says in one line what it made of a numeric target, both
 * ways; a text target, or a task given, says nothing. */
START_TEST(csv_says_what_it_read)
{
    char nums[] = "/tmp/cnn-regsay-XXXXXX", words[] = "/tmp/cnn-regsay-XXXXXX";
    temp_file(nums, "a,b,label\n1,2,1\n2,1,2\n3,3,3\n4,4,1\n");
    temp_file(words, "a,kind\n1,cat\n2,dog\n");
    char code[256];
    snprintf(code, sizeof code, "d = csv(\"%s\")", nums);
    fake_ok(code);
    ck_assert_str_eq(fake_rec.out, "csv: read target 'label' as 3 classes: "
                     "its values are whole numbers, at most 50 distinct; "
                     "task=\"regression\" reads it as numbers\n");
    snprintf(code, sizeof code, "d = csv(\"%s\", target=0)", nums);
    fake_ok(code);
    ck_assert_msg(strstr(fake_rec.out, "read target 'a' as 4 classes"), "%s",
                  fake_rec.out);
    snprintf(code, sizeof code, "d = csv(\"%s\", task=\"classification\")",
             nums);
    fake_ok(code);
    ck_assert_str_eq(fake_rec.out, "");
    snprintf(code, sizeof code, "d = csv(\"%s\", task=\"regression\")",
             nums);
    fake_ok(code);
    ck_assert_str_eq(fake_rec.out, "");
    snprintf(code, sizeof code, "d = csv(\"%s\")", words);
    fake_ok(code);
    ck_assert_str_eq(fake_rec.out, "");
    unlink(nums);
    unlink(words);
}
END_TEST

/* Early stopping, schedules and an interrupt work on a regression fit
 * as on a classifier. */
START_TEST(fit_options_on_regression)
{
    /* patience: no epoch improves on the first by 1000, so the fit stops
     * after 1 + 3 epochs and keeps the first epoch's weights */
    fake_ok("train, val = split(sine(n=200, seed=5), 0.75)\n"
            "net = linear(16) -> tanh -> linear(1)\n"
            "h = fit net on train, validate=val, epochs=1000, patience=3, "
            "min_delta=1000, verbose=false");
    ck_assert_msg(strstr(fake_rec.out, "stopped early, best epoch 1"), "%s",
                  fake_rec.out);
    /* the chart puts R2 where accuracy would be, train and validation */
    const char *svg = fake_shown(&fake_rec, -1, "image/svg+xml");
    ck_assert_msg(strstr(svg, ">R2</text>") && !strstr(svg, "accuracy"),
                  "%.400s", svg);
    const char *text = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(text, "val_R2"), "%.400s", text);
    char *t = result("[h.epochs, len(h.val_r2), len(h.r2)]");
    ck_assert_str_eq(t, "[4, 4, 4]");
    free(t);
    fake_ok("r = evaluate net on val");
    t = result("max(r.r2 - h.val_r2[0], h.val_r2[0] - r.r2) < 1e-4");
    ck_assert_str_eq(t, "true");
    free(t);
    /* a step schedule of gamma 1e-9 all but stops learning after the
     * first epoch: with the same batches, epochs 2 and 3 have the same
     * loss; without it the loss goes on falling */
    fake_ok("a = linear(16) -> tanh -> linear(1)\n"
            "b = linear(16) -> tanh -> linear(1)\n"
            "ha = fit a on train, epochs=3, optimizer=sgd(lr=0.1), "
            "schedule=step(1, gamma=1e-9), shuffle=false, seed=2, verbose=false\n"
            "hb = fit b on train, epochs=3, optimizer=sgd(lr=0.1), "
            "shuffle=false, seed=2, verbose=false\n"
            "hc = fit net on train, epochs=3, schedule=cosine(), "
            "verbose=false");
    t = result("[ha.loss[0] == hb.loss[0], "
               "max(ha.loss[2] - ha.loss[1], ha.loss[1] - ha.loss[2]) < 1e-6, "
               "hb.loss[2] < hb.loss[1] - 1e-3, len(hc.r2)]");
    ck_assert_str_eq(t, "[true, true, true, 3]");
    free(t);
    /* an interrupt keeps the weights of the last completed step: 150
     * rows in batches of 15 are 10 steps an epoch, and the poll after the
     * 20th step is the first to say stop */
    fake_ok("c = linear(8) -> tanh -> linear(1)");
    fake_rec.interrupt_after = 20;
    interp_reply r;
    fake_run(fake_it, &fake_rec, "fit c on train, epochs=100000, batch=15",
             &r);
    fake_rec.interrupt_after = -1;
    ck_assert_int_eq(r.ok, 0);
    ck_assert_str_eq(r.ename, "KeyboardInterrupt");
    ck_assert_msg(strstr(r.evalue, "epoch 2/100000 at step 10/10"), "%s",
                  r.evalue);
    reply_free(&r);
    fake_ok("summary c");
    ck_assert_msg(strstr(fake_last_text(&fake_rec), "Trained 2 epochs on "
                         "train (regression of 'y')"), "%s",
                  fake_last_text(&fake_rec));
    fake_ok("predict c [[0.5]]");
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
    tcase_add_test(tc, sine_evaluate_and_predict);
    tcase_add_test(tc, task_mismatch);
    tcase_add_test(tc, fitted_curve);
    tcase_add_test(tc, values_of_a_regression);
    tcase_add_test(tc, huber_delta);
    tcase_add_test(tc, csv_two_targets);
    tcase_add_test(tc, csv_says_what_it_read);
    tcase_add_test(tc, fit_options_on_regression);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
