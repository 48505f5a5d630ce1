/* nn_metrics: known answers, cross-checked by hand against sklearn 1.2
 * (accuracy_score, precision/recall/f1_score with zero_division=0,
 * confusion_matrix, log_loss with eps=1e-15). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "nn_metrics.h"

START_TEST(binary)
{
    /* tp = 3, fp = 0, fn = 1, tn = 2 */
    int y[6] = {0, 1, 1, 0, 1, 1}, pred[6] = {0, 1, 0, 0, 1, 1};
    nn_metrics m;
    nn_err e;
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, NULL, 0, 6, 2, &e), 0);
    ck_assert_int_eq(m.n, 6);
    ck_assert_int_eq(m.k, 2);
    ck_assert_double_eq_tol(m.accuracy, 5.0 / 6.0, 1e-12);
    ck_assert_double_eq_tol(m.precision, 1.0, 1e-12);
    ck_assert_double_eq_tol(m.recall, 0.75, 1e-12);
    ck_assert_double_eq_tol(m.f1, 6.0 / 7.0, 1e-12);
    ck_assert(isnan(m.log_loss));
    ck_assert_double_eq_tol(m.class_precision[0], 2.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(m.class_recall[0], 1.0, 1e-12);
    ck_assert_double_eq_tol(m.class_f1[0], 0.8, 1e-12);
    ck_assert_int_eq(m.support[0], 2);
    ck_assert_int_eq(m.support[1], 4);
    int conf[4] = {2, 0, 1, 3};
    ck_assert_mem_eq(m.confusion, conf, sizeof conf);
    nn_metrics_free(&m);
}
END_TEST

START_TEST(multiclass_macro)
{
    /* sklearn's documentation example: macro precision 0.2222, recall
     * 0.3333, F1 0.2667; confusion [[2,0,0],[1,0,1],[0,2,0]]. */
    int y[6] = {0, 1, 2, 0, 1, 2}, pred[6] = {0, 2, 1, 0, 0, 1};
    nn_metrics m;
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, NULL, 0, 6, 3, NULL), 0);
    ck_assert_double_eq_tol(m.accuracy, 1.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(m.precision, 2.0 / 9.0, 1e-12);
    ck_assert_double_eq_tol(m.recall, 1.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(m.f1, 4.0 / 15.0, 1e-12);
    int conf[9] = {2, 0, 0, 1, 0, 1, 0, 2, 0};
    ck_assert_mem_eq(m.confusion, conf, sizeof conf);
    ck_assert_double_eq_tol(m.class_precision[0], 2.0 / 3.0, 1e-12);
    ck_assert_double_eq(m.class_precision[1], 0.0);
    nn_metrics_free(&m);

    /* Class 2 of 3 is never predicted: its precision is 0 (zero_division=0);
     * macro precision 0.4444, recall 0.6667, F1 0.5. */
    int y2[4] = {0, 1, 2, 2}, p2[4] = {0, 1, 1, 1};
    ck_assert_int_eq(nn_metrics_compute(&m, y2, p2, NULL, 0, 4, 3, NULL), 0);
    ck_assert_double_eq_tol(m.precision, 4.0 / 9.0, 1e-12);
    ck_assert_double_eq_tol(m.recall, 2.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(m.f1, 0.5, 1e-12);
    nn_metrics_free(&m);

    /* k = 4 but class 3 never occurs: averages over classes 0..2 as
     * sklearn (precision 0.7778, recall 0.7222, F1 0.7111). */
    int y3[7] = {0, 0, 1, 1, 2, 2, 0}, p3[7] = {0, 1, 1, 1, 2, 0, 0};
    ck_assert_int_eq(nn_metrics_compute(&m, y3, p3, NULL, 0, 7, 4, NULL), 0);
    ck_assert_double_eq_tol(m.precision, 7.0 / 9.0, 1e-12);
    ck_assert_double_eq_tol(m.recall, 13.0 / 18.0, 1e-12);
    ck_assert_double_eq_tol(m.f1, 32.0 / 45.0, 1e-12);
    ck_assert_double_eq_tol(m.class_f1[1], 0.8, 1e-12);
    ck_assert_int_eq(m.support[3], 0);
    nn_metrics_free(&m);
}
END_TEST

START_TEST(log_loss)
{
    /* sklearn's example: labels ham=0, spam=1; 0.21616187468057912 */
    int y[4] = {1, 0, 0, 1}, pred[4] = {1, 0, 0, 1};
    float p2[8] = {.1f, .9f, .9f, .1f, .8f, .2f, .35f, .65f};
    float p1[4] = {.9f, .1f, .2f, .65f};
    nn_metrics m;
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, p2, 2, 4, 2, NULL), 0);
    ck_assert_double_eq_tol(m.log_loss, 0.21616187468057912, 1e-7);
    nn_metrics_free(&m);
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, p1, 1, 4, 2, NULL), 0);
    ck_assert_double_eq_tol(m.log_loss, 0.21616187468057912, 1e-7);
    nn_metrics_free(&m);

    /* Clipping: a true class given probability 0 costs -log(1e-15);
     * sklearn gives 17.269388197455342 for these two samples. */
    int yc[2] = {1, 0}, pc[2] = {0, 0};
    float zero_one[4] = {1, 0, 1, 0};
    ck_assert_int_eq(nn_metrics_compute(&m, yc, pc, zero_one, 2, 2, 2, NULL), 0);
    ck_assert_double_eq_tol(m.log_loss, 17.269388197455342, 1e-9);
    nn_metrics_free(&m);

    /* Rows are renormalized after clipping: sklearn gives
     * 0.47223085125264774 for rows summing to 1.2 and 1.2. */
    int y3[2] = {0, 1}, pr3[2] = {0, 1};
    float p3[6] = {0.7f, 0.2f, 0.3f, 0.1f, 0.8f, 0.3f};
    ck_assert_int_eq(nn_metrics_compute(&m, y3, pr3, p3, 3, 2, 3, NULL), 0);
    ck_assert_double_eq_tol(m.log_loss, 0.47223085125264774, 1e-6);
    nn_metrics_free(&m);
}
END_TEST

START_TEST(bad_input)
{
    int y[3] = {0, 1, 2}, pred[3] = {0, 1, 1};
    nn_metrics m;
    nn_err e;
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, NULL, 0, 0, 3, &e), -1);
    ck_assert_str_eq(e.msg, "metrics need at least one sample, not 0");
    ck_assert_ptr_null(m.confusion);
    nn_metrics_free(&m);
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, NULL, 0, 3, 0, &e), -1);
    ck_assert_str_eq(e.msg, "metrics need at least one class, not 0");
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, NULL, 0, 3, 2, &e), -1);
    ck_assert_str_eq(e.msg, "sample 3: true label 2 out of range: there are 2 "
                     "classes");
    int bad[3] = {0, -1, 0};
    ck_assert_int_eq(nn_metrics_compute(&m, y, bad, NULL, 0, 3, 3, &e), -1);
    ck_assert_str_eq(e.msg, "sample 2: predicted label -1 out of range: there "
                     "are 3 classes");
    float prob[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, prob, 1, 3, 3, &e), -1);
    ck_assert_str_eq(e.msg, "probabilities have 1 columns; 3 classes need 3");
    prob[4] = NAN;
    ck_assert_int_eq(nn_metrics_compute(&m, y, pred, prob, 3, 3, 3, &e), -1);
    ck_assert_str_eq(e.msg, "sample 2: a probability is not a finite number");
    nn_metrics_free(&m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn_metrics");
    TCase *tc = tcase_create("metrics");
    tcase_add_test(tc, binary);
    tcase_add_test(tc, multiclass_macro);
    tcase_add_test(tc, log_loss);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
