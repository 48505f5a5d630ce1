/* Regression: the losses' gradients, targets in data sets, the exact
 * least squares, the net/data checks, and the quality targets of issue 14
 * (fixed seeds). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_csv.h"
#include "nn_gen.h"
#include "nn_loss.h"
#include "nn_lstsq.h"
#include "nn_metrics.h"
#include "nn_sets.h"
#include "nn_train.h"

enum { L_MSE, L_MAE, L_HUBER };

static float loss_of(int which, const float *out, const float *t, int n,
                     int k, float *grad)
{
    switch (which) {
    case L_MSE:
        return nn_loss_mse_t(out, t, n, k, grad);
    case L_MAE:
        return nn_loss_mae(out, t, n, k, grad);
    default:
        return nn_loss_huber(out, t, n, k, 0.7f, grad);
    }
}

/* Every new loss's gradient matches central finite differences (points
 * kept away from the kinks of mae and huber). */
START_TEST(loss_gradients)
{
    enum { N = 4, K = 2 };
    float out[N * K] = {0.3f, -1.2f, 2.0f, 0.05f, -0.4f, 1.5f, 0.9f, -2.5f};
    float t[N * K] = {0.1f, 0.4f, -0.5f, 0.6f, 0.2f, 1.0f, 0.0f, -1.0f};
    float grad[N * K];
    for (int which = L_MSE; which <= L_HUBER; which++) {
        loss_of(which, out, t, N, K, grad);
        for (int i = 0; i < N * K; i++) {
            double h = 1e-3, keep = out[i];
            out[i] = (float)(keep + h);
            double up = loss_of(which, out, t, N, K, NULL);
            out[i] = (float)(keep - h);
            double down = loss_of(which, out, t, N, K, NULL);
            out[i] = (float)keep;
            ck_assert_msg(fabs((up - down) / (2 * h) - grad[i]) < 1e-3,
                          "loss %d value %d: %g vs %g", which, i,
                          (up - down) / (2 * h), (double)grad[i]);
        }
    }
    /* values: mse of d = 1, mae of |d| = 2, huber beyond delta */
    float one = 1.0f, zero = 0.0f, two = 2.0f;
    ck_assert_float_eq_tol(nn_loss_mse_t(&one, &zero, 1, 1, NULL), 1.0f,
                           1e-6f);
    ck_assert_float_eq_tol(nn_loss_mae(&two, &zero, 1, 1, NULL), 2.0f, 1e-6f);
    ck_assert_float_eq_tol(nn_loss_huber(&two, &zero, 1, 1, 1.0f, NULL), 1.5f,
                           1e-6f);
}
END_TEST

/* The huber loss of linear model m on d at threshold delta (outputs by
 * nn_model_predict, so the parameter layout does not matter). */
static double huber_of(nn_model *m, const nn_data *d, float delta)
{
    float out[40];
    ck_assert_int_le(d->n, 40);
    ck_assert_int_eq(nn_model_predict(m, d->x, d->n, out, NULL), 0);
    return nn_loss_huber(out, d->t, d->n, 1, delta, NULL);
}

/* A fit with huber_delta 0.3 steps along the gradient of huber(0.3):
 * one full-batch SGD step equals lr times the central finite differences
 * of that loss in the parameters. Residuals lie both sides of 0.3 (and
 * below 1), so delta 1 would step elsewhere; a delta of 0 is refused. */
START_TEST(huber_delta_trains)
{
    float w[2] = {1.5f, -1.0f};
    nn_data *d = nn_gen_linear("d", 40, 2, w, 0.2f, 0.3f, 5, NULL);
    nn_layer_spec one[] = {{NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, one, 1, 3);
    float *p = nn_model_params(m);
    /* start near the truth, so that residuals are about the noise */
    p[0] = 1.3f, p[1] = -0.8f, p[2] = 0.1f;
    float before[3], fd[3];
    for (int j = 0; j < 3; j++) {
        double h = 1e-3, keep = p[j];
        before[j] = p[j];
        p[j] = (float)(keep + h);
        double up = huber_of(m, d, 0.3f);
        p[j] = (float)(keep - h);
        double down = huber_of(m, d, 0.3f);
        p[j] = (float)keep;
        fd[j] = (float)((up - down) / (2 * h));
    }
    float out[40];
    int inside = 0, between = 0;
    ck_assert_int_eq(nn_model_predict(m, d->x, d->n, out, NULL), 0);
    for (int i = 0; i < d->n; i++) {
        float r = fabsf(out[i] - d->t[i]);
        inside += r < 0.3f;
        between += r > 0.3f && r < 1.0f;
    }
    ck_assert_msg(inside > 0 && between > 0, "%d %d", inside, between);
    nn_train_opts o = nn_train_defaults();
    o.epochs = 1;
    o.batch = 40;
    o.loss = NN_LOSS_HUBER;
    o.huber_delta = 0.3f;
    o.optim = nn_optim_defaults(NN_SGD);
    o.optim.lr = 0.5f;
    nn_err e;
    ck_assert_msg(nn_train(m, d, &o, NULL, &e) == 0, "%s", e.msg);
    for (int j = 0; j < 3; j++)
        ck_assert_msg(fabsf((before[j] - p[j]) / 0.5f - fd[j]) < 1e-3f,
                      "param %d: step %g, finite differences %g", j,
                      (double)((before[j] - p[j]) / 0.5f), (double)fd[j]);
    o.huber_delta = 0.0f;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_msg(strstr(e.msg, "huber's delta must be above 0"), "%s",
                  e.msg);
    nn_model_free(m);
    nn_data_free(d);
}
END_TEST

/* Targets travel with copies, subsets and splits; standardizing them is
 * undone by nn_data_unscale_targets. */
START_TEST(targets_in_data_sets)
{
    float w[1] = {2.0f};
    nn_data *d = nn_gen_linear("line", 50, 1, w, 1.0f, 0.1f, 3, NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->task, NN_TASK_REGRESS);
    ck_assert_str_eq(d->target_names[0], "y");
    nn_data *a, *b;
    ck_assert_int_eq(nn_data_split(d, 0.8, 1, 7, &a, &b, NULL), 0);
    ck_assert_int_eq(a->n + b->n, 50);
    ck_assert_int_eq(b->task, NN_TASK_REGRESS);
    /* each row of a split keeps its own target: y is near 2 x + 1 */
    for (int i = 0; i < b->n; i++)
        ck_assert(fabsf(b->t[i] - (2.0f * b->x[i] + 1.0f)) < 0.5f);
    float orig = b->t[0];
    ck_assert_int_eq(nn_data_standardize_targets(b, a, NULL), 0);
    ck_assert(fabsf(b->t[0] - orig) > 1e-3f);
    float v = b->t[0];
    nn_data_unscale_targets(b, &v, 1);
    ck_assert_float_eq_tol(v, orig, 1e-5f);
    nn_data *c = nn_data_copy(b, "c", NULL);
    ck_assert_ptr_nonnull(c->t_mean);
    ck_assert_float_eq(c->t[0], b->t[0]);
    nn_data_free(c);
    nn_data_free(a);
    nn_data_free(b);
    nn_data_free(d);
}
END_TEST

/* A target that is NaN is named by row; a constant one is refused. */
START_TEST(bad_targets)
{
    nn_data *d = nn_data_new_regression("d", 3, 1, 1, NULL);
    nn_err e;
    d->t[0] = 1.0f;
    d->t[1] = NAN;
    d->t[2] = 2.0f;
    ck_assert_int_eq(nn_data_validate(d, &e), -1);
    ck_assert_msg(strstr(e.msg, "row 2: target 'y' is NaN"), "%s", e.msg);
    d->t[1] = 1.0f;
    d->t[2] = 1.0f;
    ck_assert_int_eq(nn_data_validate(d, &e), -1);
    ck_assert_msg(strstr(e.msg, "is constant"), "%s", e.msg);
    nn_data_free(d);
}
END_TEST

/* Net and data must agree, and the message says how, both ways. */
START_TEST(net_and_data_agree)
{
    float w[2] = {3.0f, -2.0f};
    nn_data *d = nn_gen_linear("d", 40, 2, w, 0.5f, 0.1f, 1, NULL);
    nn_layer_spec soft[] = {{NN_LINEAR, 3, 0, 0, 0, 0}, {NN_SOFTMAX, 0, 0, 0, 0, 0}};
    nn_layer_spec two[] = {{NN_LINEAR, 2, 0, 0, 0, 0}};
    nn_layer_spec one[] = {{NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_model *ms = helper_model(2, soft, 2, 1);
    nn_model *m2 = helper_model(2, two, 1, 1);
    nn_model *m1 = helper_model(2, one, 1, 1);
    nn_err e;
    ck_assert_int_eq(nn_train_check(ms, d, NN_LOSS_AUTO, &e), -1);
    ck_assert_msg(strstr(e.msg, "net ends in softmax, but 'd' has a "
                                "continuous target: end it with linear(1)"),
                  "%s", e.msg);
    ck_assert_int_eq(nn_train_check(m2, d, NN_LOSS_AUTO, &e), -1);
    ck_assert_msg(strstr(e.msg, "end it with linear(1)"), "%s", e.msg);
    ck_assert_int_eq(nn_train_check(m1, d, NN_LOSS_CE, &e), -1);
    ck_assert_msg(strstr(e.msg, "continuous target: use loss=\"mse\""), "%s",
                  e.msg);
    for (int l = NN_LOSS_AUTO; l <= NN_LOSS_HUBER; l++)
        if (l != NN_LOSS_BCE && l != NN_LOSS_CE)
            ck_assert_int_eq(nn_train_check(m1, d, l, NULL), 0);
    nn_data *c = nn_gen_moons(40, 0.1f, 1, NULL);
    ck_assert_int_eq(nn_train_check(m1, c, NN_LOSS_MAE, &e), -1);
    ck_assert_msg(strstr(e.msg, "mae is a loss for continuous targets, but "
                                "'moons' has 2 classes"), "%s", e.msg);
    nn_data_free(c);
    nn_model_free(ms);
    nn_model_free(m2);
    nn_model_free(m1);
    nn_data_free(d);
}
END_TEST

/* y = 3 x1 - 2 x2 + 0.5 + noise: linear(1) by gradient descent finds every
 * coefficient within 0.05 of the truth and 1e-3 of the exact solution. */
START_TEST(plane_recovers_coefficients)
{
    float truth[3] = {3.0f, -2.0f, 0.5f};
    nn_data *d = nn_gen_linear("plane", 200, 2, truth, truth[2], 0.1f, 14,
                               NULL);
    float w[2], b;
    nn_err e;
    ck_assert_msg(nn_lstsq(d, w, &b, &e) == 0, "%s", e.msg);
    nn_layer_spec one[] = {{NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, one, 1, 1);
    nn_train_opts o = nn_train_defaults();
    o.epochs = 3000;
    o.batch = 200;
    o.optim = nn_optim_defaults(NN_SGD);
    o.optim.lr = 0.3f;
    ck_assert_msg(nn_train(m, d, &o, NULL, &e) == 0, "%s", e.msg);
    const float *p = nn_model_params(m);
    float exact[3] = {w[0], w[1], b};
    for (int j = 0; j < 3; j++) {
        ck_assert_msg(fabsf(p[j] - truth[j]) < 0.05f, "coef %d: %g vs %g", j,
                      (double)p[j], (double)truth[j]);
        ck_assert_msg(fabsf(p[j] - exact[j]) < 1e-3f, "coef %d: %g vs lstsq "
                      "%g", j, (double)p[j], (double)exact[j]);
    }
    nn_model_free(m);
    nn_data_free(d);
}
END_TEST

/* A noisy sine: a small tanh net reaches R^2 >= 0.95 on held-out points,
 * as both nn_evaluate's score and the metrics say. */
START_TEST(sine_r2)
{
    nn_data *train = nn_gen_sine(400, 0.1f, 1, NULL);
    nn_data *test = nn_gen_sine(200, 0.1f, 2, NULL);
    nn_layer_spec net[] = {{NN_LINEAR, 32, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},
                           {NN_LINEAR, 32, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},
                           {NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_model *m = helper_model(1, net, 5, 3);
    nn_train_opts o = nn_train_defaults();
    o.epochs = 200;
    o.optim.lr = 0.01f;
    nn_err e;
    ck_assert_msg(nn_train(m, train, &o, NULL, &e) == 0, "%s", e.msg);
    float loss, r2, *pred = malloc(200 * sizeof *pred);
    ck_assert_int_eq(nn_evaluate(m, test, NN_LOSS_AUTO, &loss, &r2, pred, &e),
                     0);
    nn_regmetrics mt;
    ck_assert_int_eq(nn_regmetrics_compute(&mt, test->t, pred, 200, 1, &e), 0);
    ck_assert_msg(mt.r2 >= 0.95, "R2 %g", mt.r2);
    ck_assert_float_eq_tol(r2, (float)mt.r2, 1e-4f);
    ck_assert_float_eq_tol(loss, (float)mt.mse, 1e-4f);
    ck_assert_double_eq_tol(mt.rmse, sqrt(mt.mse), 1e-9);
    nn_regmetrics_free(&mt);
    free(pred);
    nn_model_free(m);
    nn_data_free(train);
    nn_data_free(test);
}
END_TEST

/* Metrics on values worked out by hand. */
START_TEST(metrics_by_hand)
{
    float t[4] = {1, 2, 3, 4}, p[4] = {1, 2, 3, 6};
    nn_regmetrics mt;
    ck_assert_int_eq(nn_regmetrics_compute(&mt, t, p, 4, 1, NULL), 0);
    ck_assert_double_eq_tol(mt.mse, 1.0, 1e-9);
    ck_assert_double_eq_tol(mt.mae, 0.5, 1e-9);
    ck_assert_double_eq_tol(mt.rmse, 1.0, 1e-9);
    ck_assert_double_eq_tol(mt.r2, 1.0 - 4.0 / 5.0, 1e-9);
    nn_regmetrics_free(&mt);
}
END_TEST

/* A CSV target: numbers that are not whole, or many distinct whole
 * numbers, are read as regression when not told; task= decides otherwise;
 * a target that is not a number is named by row. */
/* Writes text to a temporary CSV file and reads it with the given task. */
static nn_data *read_as(const char *text, int task, nn_err *e)
{
    char path[] = "/tmp/test_regress_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    nn_csv_options o = {.task = task};
    nn_data *d = nn_csv_read_with(path, &o, e);
    unlink(path);
    return d;
}

/* target=["b", "y"]: a set of 2 targets in that order, the other columns
 * its features; a missing or repeated column, a text value or too few
 * feature columns are refused, naming what is wrong. */
START_TEST(csv_several_targets)
{
    static const char text[] = "a,b,c,y\n1,2,3,4\n5,6,7,8.5\n9,10,11,12\n";
    static const char word[] = "a,b,y\n1,2,3\n4,five,6\n";
    const char *const by[] = {"b", "y"}, *const cy[] = {"y", "c"},
                      *const gone[] = {"y", "z"}, *const twice[] = {"y", "3"}, *const yb[] = {"y", "b"},
                      *const all[] = {"a", "b", "y"};
    nn_csv_options o = {.targets = by, .n_targets = 2};
    nn_err e;
    nn_data *d = nn_csv_parse_with(text, sizeof text - 1, "t", &o, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->task, NN_TASK_REGRESS);
    ck_assert_int_eq(d->n_targets, 2);
    ck_assert_int_eq(d->d, 2);
    ck_assert_str_eq(d->target_names[0], "b");
    ck_assert_str_eq(d->target_names[1], "y");
    ck_assert_str_eq(d->feature_names[0], "a");
    ck_assert_str_eq(d->feature_names[1], "c");
    /* row 2: features 5, 7; targets 6, 8.5 */
    ck_assert_float_eq(d->x[2], 5.0f);
    ck_assert_float_eq(d->x[3], 7.0f);
    ck_assert_float_eq(d->t[2], 6.0f);
    ck_assert_float_eq(d->t[3], 8.5f);
    ck_assert_int_eq(nn_data_validate(d, &e), 0);
    nn_data_free(d);
    o.targets = cy; /* in the order given, not the file's */
    d = nn_csv_parse_with(text, sizeof text - 1, "t", &o, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_str_eq(d->target_names[1], "c");
    ck_assert_float_eq(d->t[1], 3.0f);
    ck_assert_str_eq(d->feature_names[1], "b");
    nn_data_free(d);
    o.targets = gone;
    ck_assert_ptr_null(nn_csv_parse_with(text, sizeof text - 1, "t", &o, &e));
    ck_assert_msg(strstr(e.msg, "t: no column named 'z'; the columns are "
                                "'a', 'b', 'c', 'y'"), "%s", e.msg);
    o.targets = twice;
    ck_assert_ptr_null(nn_csv_parse_with(text, sizeof text - 1, "t", &o, &e));
    ck_assert_msg(strstr(e.msg, "target column 'y' is given twice"), "%s",
                  e.msg);
    /* a text value: named by its row as a first target, by its line as
     * another */
    o.targets = by;
    ck_assert_ptr_null(nn_csv_parse_with(word, sizeof word - 1, "w", &o, &e));
    ck_assert_msg(strstr(e.msg, "w: row 2: target 'b' is 'five', not a "
                                "finite number"), "%s", e.msg);
    o.targets = yb;
    ck_assert_ptr_null(nn_csv_parse_with(word, sizeof word - 1, "w", &o, &e));
    ck_assert_msg(strstr(e.msg, "w:3: column 2 'b': 'five' is not a number"),
                  "%s", e.msg);
    o.targets = all;
    o.n_targets = 3;
    ck_assert_ptr_null(nn_csv_parse_with(word, sizeof word - 1, "w", &o, &e));
    ck_assert_msg(strstr(e.msg, "at least one feature column"), "%s", e.msg);
    o.targets = by;
    o.n_targets = 2;
    o.task = NN_CSV_TASK_CLASSIFY;
    ck_assert_ptr_null(nn_csv_parse_with(text, sizeof text - 1, "t", &o, &e));
    ck_assert_msg(strstr(e.msg, "task=\"classification\" takes one target"),
                  "%s", e.msg);
}
END_TEST

START_TEST(csv_targets)
{
    static const char frac[] = "a,b,y\n1,2,0.5\n2,1,1.5\n3,3,2.25\n";
    static const char few[] = "a,y\n1,0\n2,1\n3,1\n";
    static const char bad[] = "a,y\n1,0.5\n2,nan\n3,1\n";
    nn_err e;
    nn_data *d = nn_csv_parse(frac, sizeof frac - 1, "f", NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->task, NN_TASK_REGRESS);
    ck_assert_int_eq(d->d, 2);
    ck_assert_str_eq(d->target_names[0], "y");
    ck_assert_float_eq(d->t[2], 2.25f);
    ck_assert_float_eq(d->x[5], 3.0f);
    nn_data_free(d);
    /* told: classes, even of fractions */
    d = read_as(frac, NN_CSV_TASK_CLASSIFY, &e);
    ck_assert_int_eq(d->task, NN_TASK_CLASSIFY);
    ck_assert_int_eq(d->n_classes, 3);
    nn_data_free(d);
    /* few whole numbers: classes; told: regression */
    d = nn_csv_parse(few, sizeof few - 1, "w", NULL, &e);
    ck_assert_int_eq(d->task, NN_TASK_CLASSIFY);
    nn_data_free(d);
    d = read_as(few, NN_CSV_TASK_REGRESS, &e);
    ck_assert_int_eq(d->task, NN_TASK_REGRESS);
    nn_data_free(d);
    ck_assert_ptr_null(read_as(bad, NN_CSV_TASK_REGRESS, &e));
    ck_assert_msg(strstr(e.msg, "row 2: target 'y' is 'nan', not a finite "
                                "number"), "%s", e.msg);
    /* 60 distinct whole numbers: a regression target */
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof text, "a,age\n");
    for (int i = 0; i < 60; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%d,%d\n", i,
                                i + 20);
    d = nn_csv_parse(text, len, "ages", NULL, &e);
    ck_assert_int_eq(d->task, NN_TASK_REGRESS);
    nn_data_free(d);
}
END_TEST

/* R^2 of m on test, in the original units. */
static double r2_on(nn_model *m, const nn_data *test)
{
    float *pred = malloc((size_t)test->n * sizeof *pred);
    float *t = malloc((size_t)test->n * sizeof *t);
    ck_assert_int_eq(nn_model_predict(m, test->x, test->n, pred, NULL), 0);
    memcpy(t, test->t, (size_t)test->n * sizeof *t);
    nn_data_unscale_targets(test, pred, test->n);
    nn_data_unscale_targets(test, t, test->n);
    nn_regmetrics mt;
    ck_assert_int_eq(nn_regmetrics_compute(&mt, t, pred, test->n, 1, NULL),
                     0);
    double r2 = mt.r2;
    nn_regmetrics_free(&mt);
    free(pred);
    free(t);
    return r2;
}

/* Diabetes, 25% held out, features and target standardized on the
 * training part: linear(1) reaches R^2 >= 0.45 and a small net is not
 * worse. */
START_TEST(diabetes_r2)
{
    nn_err e;
    nn_data *all = nn_sets_load("diabetes", &e), *train, *test;
    ck_assert_msg(all, "%s", e.msg);
    ck_assert_int_eq(all->task, NN_TASK_REGRESS);
    ck_assert_int_eq(all->n, 442);
    ck_assert_int_eq(all->d, 10);
    ck_assert_int_eq(nn_data_split(all, 0.75, 0, 0, &train, &test, &e), 0);
    nn_scaler *s = nn_scaler_fit(train, &e);
    nn_scaler_apply(s, train->x, train->n);
    nn_scaler_apply(s, test->x, test->n);
    ck_assert_int_eq(nn_data_standardize_targets(test, train, &e), 0);
    ck_assert_int_eq(nn_data_standardize_targets(train, train, &e), 0);
    nn_layer_spec lin[] = {{NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_layer_spec small[] = {{NN_LINEAR, 16, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},
                             {NN_LINEAR, 1, 0, 0, 0, 0}};
    nn_model *a = helper_model(10, lin, 1, 1);
    nn_model *b = helper_model(10, small, 3, 1);
    nn_train_opts o = nn_train_defaults();
    o.epochs = 200;
    o.optim.lr = 0.01f;
    ck_assert_msg(nn_train(a, train, &o, NULL, &e) == 0, "%s", e.msg);
    o.epochs = 60;
    o.optim.kind = NN_ADAMW;
    o.optim.weight_decay = 0.01f;
    o.optim.lr = 0.003f;
    ck_assert_msg(nn_train(b, train, &o, NULL, &e) == 0, "%s", e.msg);
    double ra = r2_on(a, test), rb = r2_on(b, test);
    ck_assert_msg(ra >= 0.45, "linear R2 %g", ra);
    ck_assert_msg(rb >= ra, "net R2 %g, linear %g", rb, ra);
    nn_model_free(a);
    nn_model_free(b);
    nn_scaler_free(s);
    nn_data_free(train);
    nn_data_free(test);
    nn_data_free(all);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regress");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, loss_gradients);
    tcase_add_test(tc, huber_delta_trains);
    tcase_add_test(tc, targets_in_data_sets);
    tcase_add_test(tc, bad_targets);
    tcase_add_test(tc, net_and_data_agree);
    tcase_add_test(tc, plane_recovers_coefficients);
    tcase_add_test(tc, sine_r2);
    tcase_add_test(tc, metrics_by_hand);
    tcase_add_test(tc, csv_targets);
    tcase_add_test(tc, csv_several_targets);
    tcase_add_test(tc, diabetes_r2);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
