/* nn_data: allocation, copies, validation, split and standardization. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "nn_data.h"

/* n rows of d features where row i holds i*d .. i*d+d-1 (so rows can be
 * recognised after a split) and label i % k, or the labels given. */
static nn_data *make(int n, int d, int k, const int *labels)
{
    nn_err e;
    nn_data *data = nn_data_new("toy", n, d, k, &e);
    ck_assert_msg(data, "%s", e.msg);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++)
            data->x[i * d + j] = (float)(i * d + j);
        data->y[i] = labels ? labels[i] : i % k;
    }
    return data;
}

START_TEST(new_has_default_names)
{
    nn_err e;
    nn_data *data = nn_data_new("set", 3, 2, 3, &e);
    ck_assert_ptr_nonnull(data);
    ck_assert_str_eq(data->name, "set");
    ck_assert_int_eq(data->n, 3);
    ck_assert_str_eq(data->feature_names[0], "x1");
    ck_assert_str_eq(data->feature_names[1], "x2");
    ck_assert_str_eq(data->class_names[2], "2");
    for (int i = 0; i < 6; i++)
        ck_assert(data->x[i] == 0.0f);
    ck_assert_int_eq(nn_data_set_class_name(data, 1, "dog", &e), 0);
    ck_assert_str_eq(data->class_names[1], "dog");
    ck_assert_int_eq(nn_data_set_feature_name(data, 0, "weight", &e), 0);
    ck_assert_str_eq(data->feature_names[0], "weight");
    ck_assert_int_eq(nn_data_set_class_name(data, 3, "x", &e), -1);
    ck_assert_str_eq(e.msg, "class 3 out of range: data has 3 classes");
    ck_assert_int_eq(nn_data_set_feature_name(data, -1, "x", &e), -1);
    ck_assert_int_eq(nn_data_rename(data, "other", &e), 0);
    ck_assert_str_eq(data->name, "other");
    nn_data_free(data);

    nn_data *empty = nn_data_new("empty", 0, 2, 2, &e);
    ck_assert_ptr_nonnull(empty);
    ck_assert_int_eq(empty->n, 0);
    nn_data_free(empty);
    nn_data_free(NULL);
}
END_TEST

/* The default feature names share one block, and names set later are
 * strings of their own: renaming one twice, copying a set with both
 * kinds and freeing everything is clean (ASan, valgrind). */
START_TEST(default_and_set_feature_names_mix)
{
    nn_err e;
    nn_data *data = nn_data_new("wide", 2, 1000, 2, &e);
    ck_assert_ptr_nonnull(data);
    ck_assert_str_eq(data->feature_names[8], "x9");
    ck_assert_str_eq(data->feature_names[9], "x10");
    ck_assert_str_eq(data->feature_names[99], "x100");
    ck_assert_str_eq(data->feature_names[999], "x1000");
    ck_assert_int_eq(nn_data_set_feature_name(data, 5, "five", &e), 0);
    ck_assert_int_eq(nn_data_set_feature_name(data, 5, "5b", &e), 0);
    ck_assert_int_eq(nn_data_set_feature_name(data, 999,
                                              data->feature_names[5], &e), 0);
    int idx[1] = {1};
    nn_data *sub = nn_data_subset(data, idx, 1, "sub", &e);
    ck_assert_ptr_nonnull(sub);
    ck_assert_str_eq(sub->feature_names[4], "x5");
    ck_assert_str_eq(sub->feature_names[5], "5b");
    ck_assert_str_eq(sub->feature_names[999], "5b");
    ck_assert_int_eq(nn_data_set_feature_name(sub, 4, "four", &e), 0);
    ck_assert_str_eq(data->feature_names[4], "x5");
    nn_data_free(data);
    ck_assert_str_eq(sub->feature_names[5], "5b");
    nn_data_free(sub);
}
END_TEST

START_TEST(new_rejects_bad_sizes)
{
    nn_err e;
    ck_assert_ptr_null(nn_data_new("x", -1, 2, 2, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "-1 samples"));
    ck_assert_ptr_null(nn_data_new("x", 5, 0, 2, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "0 features"));
    ck_assert_ptr_null(nn_data_new("x", 5, 2, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "0 classes"));
    ck_assert_ptr_null(nn_data_new("x", 1 << 30, 1 << 30, 2, NULL));
}
END_TEST

START_TEST(sizes_are_estimated_before_allocating)
{
    /* The message says how much memory the set would take. */
    nn_err e;
    ck_assert_int_eq(nn_data_check_size(1e12, 2, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "a data set of 1000000000000 samples "
                                 "x 2 features would take 11175.9 GiB, more "
                                 "than this machine's "));
    ck_assert_int_eq(nn_data_check_size(1e300, 2, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "1e+300 samples x 2 features would "
                                 "take 1.12e+292 GiB"));
    /* 3e9 values: too many for an int index, whatever the memory. */
    ck_assert_ptr_null(nn_data_new("x", 100000, 30000, 2, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "a data set of 100000 samples x 30000 "
                                 "features would "));
    ck_assert_ptr_nonnull(strstr(e.msg, "11.2 GiB"));
    ck_assert_int_eq(nn_data_check_size(1000, 30, &e), 0);
}
END_TEST

START_TEST(copy_and_subset_are_deep)
{
    nn_err e;
    nn_data *data = make(5, 2, 2, NULL);
    nn_data_set_class_name(data, 1, "one", &e);
    nn_data *copy = nn_data_copy(data, "copy", &e);
    ck_assert_ptr_nonnull(copy);
    ck_assert_str_eq(copy->name, "copy");
    ck_assert_str_eq(copy->class_names[1], "one");
    ck_assert_mem_eq(copy->x, data->x, 10 * sizeof(float));
    copy->x[0] = 99.0f;
    ck_assert(data->x[0] == 0.0f);
    nn_data *same = nn_data_copy(data, NULL, &e);
    ck_assert_str_eq(same->name, "toy");

    int idx[3] = {4, 0, 4};
    nn_data *sub = nn_data_subset(data, idx, 3, "sub", &e);
    ck_assert_ptr_nonnull(sub);
    ck_assert_int_eq(sub->n, 3);
    ck_assert(sub->x[0] == 8.0f && sub->x[1] == 9.0f && sub->x[2] == 0.0f);
    ck_assert_int_eq(sub->y[0], 0);
    ck_assert_str_eq(sub->class_names[1], "one");
    int bad[1] = {5};
    ck_assert_ptr_null(nn_data_subset(data, bad, 1, "sub", &e));
    ck_assert_str_eq(e.msg, "row 5 out of range: 'toy' has 5 rows");
    nn_data_free(sub);
    nn_data_free(same);
    nn_data_free(copy);
    nn_data_free(data);
}
END_TEST

START_TEST(validate_names_the_bad_row)
{
    nn_err e;
    nn_data *data = make(4, 2, 3, NULL);
    ck_assert_int_eq(nn_data_validate(data, &e), 0);
    data->y[2] = 3;
    ck_assert_int_eq(nn_data_validate(data, &e), -1);
    ck_assert_str_eq(e.msg, "'toy' row 3: label 3 out of range: data has 3 "
                     "classes");
    data->y[2] = 0;
    data->x[3] = NAN;
    ck_assert_int_eq(nn_data_validate(data, &e), -1);
    ck_assert_str_eq(e.msg, "'toy' row 2: feature 'x2' is not a finite number");
    int counts[3];
    nn_data_class_counts(data, counts);
    ck_assert_int_eq(counts[0], 3); /* labels 0, 1, 0, 0 */
    ck_assert_int_eq(counts[1], 1);
    ck_assert_int_eq(counts[2], 0);
    nn_data_free(data);
}
END_TEST

/* Every row of `data` appears exactly once in a or b (rows are unique by
 * their first feature). */
static void assert_partition(const nn_data *data, const nn_data *a,
                             const nn_data *b)
{
    ck_assert_int_eq(a->n + b->n, data->n);
    int seen[1000] = {0};
    const nn_data *parts[2] = {a, b};
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < parts[p]->n; i++) {
            int row = (int)parts[p]->x[i * data->d] / data->d;
            ck_assert_int_lt(row, data->n);
            ck_assert_int_eq(seen[row]++, 0);
            ck_assert_int_eq(parts[p]->y[i], data->y[row]);
        }
}

START_TEST(split_sizes_and_names)
{
    nn_err e;
    nn_data *data = make(101, 3, 2, NULL), *a, *b;
    ck_assert_int_eq(nn_data_split(data, 0.8, 0, 7, &a, &b, &e), 0);
    ck_assert_int_eq(a->n, 81); /* round(80.8) */
    ck_assert_int_eq(b->n, 20);
    ck_assert_str_eq(a->name, "toy/train");
    ck_assert_str_eq(b->name, "toy/test");
    assert_partition(data, a, b);
    /* shuffled: the first part is not just the first rows */
    int in_order = 1;
    for (int i = 0; i < a->n; i++)
        in_order &= a->x[i * 3] == (float)(i * 3);
    ck_assert(!in_order);
    nn_data_free(a);
    nn_data_free(b);
    nn_data_free(data);
}
END_TEST

START_TEST(split_stratified_keeps_proportions)
{
    nn_err e;
    int labels[100];
    for (int i = 0; i < 100; i++)
        labels[i] = i % 10 == 3 ? 1 : 0; /* 90 of class 0, 10 of class 1 */
    nn_data *data = make(100, 2, 2, labels), *a, *b;
    int ca[2], cb[2];
    ck_assert_int_eq(nn_data_split(data, 0.7, 1, 1, &a, &b, &e), 0);
    nn_data_class_counts(a, ca);
    nn_data_class_counts(b, cb);
    ck_assert_int_eq(ca[0], 63);
    ck_assert_int_eq(ca[1], 7);
    ck_assert_int_eq(cb[0], 27);
    ck_assert_int_eq(cb[1], 3);
    assert_partition(data, a, b);
    nn_data_free(a);
    nn_data_free(b);

    /* 3 classes of 50, as iris: 0.8 gives 40 + 10 of each. */
    nn_data *iris = make(150, 1, 3, NULL);
    ck_assert_int_eq(nn_data_split(iris, 0.8, 1, 3, &a, &b, &e), 0);
    int c3[3];
    nn_data_class_counts(a, c3);
    for (int c = 0; c < 3; c++)
        ck_assert_int_eq(c3[c], 40);
    assert_partition(iris, a, b);
    nn_data_free(a);
    nn_data_free(b);

    /* Uneven remainders: the shares still add up to round(frac * n). */
    int odd[7] = {0, 0, 0, 1, 1, 1, 2};
    nn_data *small = make(7, 1, 3, odd);
    ck_assert_int_eq(nn_data_split(small, 0.5, 1, 3, &a, &b, &e), 0);
    ck_assert_int_eq(a->n, 4);
    nn_data_class_counts(a, c3);
    ck_assert(c3[0] >= 1 && c3[0] <= 2 && c3[1] >= 1 && c3[1] <= 2);
    assert_partition(small, a, b);
    nn_data_free(a);
    nn_data_free(b);
    nn_data_free(small);
    nn_data_free(iris);
    nn_data_free(data);
}
END_TEST

START_TEST(split_is_deterministic_by_seed)
{
    nn_err e;
    nn_data *data = make(50, 2, 2, NULL), *a1, *b1, *a2, *b2, *a3, *b3;
    ck_assert_int_eq(nn_data_split(data, 0.6, 1, 42, &a1, &b1, &e), 0);
    ck_assert_int_eq(nn_data_split(data, 0.6, 1, 42, &a2, &b2, &e), 0);
    ck_assert_int_eq(nn_data_split(data, 0.6, 1, 43, &a3, &b3, &e), 0);
    ck_assert_mem_eq(a1->x, a2->x, (size_t)a1->n * 2 * sizeof(float));
    ck_assert_mem_eq(b1->y, b2->y, (size_t)b1->n * sizeof(int));
    ck_assert(memcmp(a1->x, a3->x, (size_t)a1->n * 2 * sizeof(float)) != 0);
    nn_data *all[6] = {a1, b1, a2, b2, a3, b3};
    for (int i = 0; i < 6; i++)
        nn_data_free(all[i]);
    nn_data_free(data);
}
END_TEST

START_TEST(split_rejects_bad_arguments)
{
    nn_err e;
    nn_data *data = make(10, 2, 2, NULL), *a, *b;
    double fracs[4] = {0.0, 1.0, 1.5, NAN};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(nn_data_split(data, fracs[i], 0, 1, &a, &b, &e), -1);
        ck_assert_ptr_nonnull(strstr(e.msg, "must be between 0 and 1"));
        ck_assert_ptr_null(a);
    }
    ck_assert_int_eq(nn_data_split(data, 0.01, 0, 1, &a, &b, &e), -1);
    ck_assert_str_eq(e.msg, "cannot split 'toy' (10 samples) at 0.01: each part "
                     "needs at least one sample");
    data->y[4] = 9;
    ck_assert_int_eq(nn_data_split(data, 0.5, 1, 1, &a, &b, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "label 9 out of range"));
    nn_data_free(data);
}
END_TEST

START_TEST(scaler_standardizes_train)
{
    nn_err e;
    nn_data *data = make(40, 3, 2, NULL);
    for (int i = 0; i < 40; i++) {
        data->x[i * 3] = 1000.0f + (float)(i % 7); /* large mean */
        data->x[i * 3 + 2] = 5.0f;                /* constant */
    }
    nn_data *a, *b;
    ck_assert_int_eq(nn_data_split(data, 0.75, 0, 5, &a, &b, &e), 0);
    nn_scaler *s = nn_scaler_fit(a, &e);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->d, 3);
    ck_assert(s->std[2] == 1.0f);
    float mean0 = s->mean[0], std0 = s->std[0];
    nn_scaler_apply(s, a->x, a->n);
    for (int j = 0; j < 2; j++) {
        double m = 0, v = 0;
        for (int i = 0; i < a->n; i++)
            m += a->x[i * 3 + j];
        m /= a->n;
        for (int i = 0; i < a->n; i++)
            v += (a->x[i * 3 + j] - m) * (a->x[i * 3 + j] - m);
        /* float rounding of values near 1000 limits the precision */
        ck_assert_double_eq_tol(m, 0.0, 1e-4);
        ck_assert_double_eq_tol(sqrt(v / a->n), 1.0, 1e-4);
    }
    for (int i = 0; i < a->n; i++)
        ck_assert(a->x[i * 3 + 2] == 0.0f);
    /* The test part uses the training statistics. */
    float raw = b->x[0];
    nn_scaler_apply(s, b->x, b->n);
    ck_assert_float_eq_tol(b->x[0], (raw - mean0) / std0, 1e-5f);

    /* Known answer: 1, 2, 3, 4 has mean 2.5 and population sd sqrt(1.25). */
    nn_data *four = nn_data_new("four", 4, 1, 1, &e);
    for (int i = 0; i < 4; i++)
        four->x[i] = (float)(i + 1);
    nn_scaler *s4 = nn_scaler_fit(four, &e);
    ck_assert_float_eq_tol(s4->mean[0], 2.5f, 1e-6f);
    ck_assert_float_eq_tol(s4->std[0], sqrtf(1.25f), 1e-6f);
    nn_scaler_free(s4);
    nn_data_free(four);

    nn_data *empty = nn_data_new("none", 0, 3, 2, &e);
    ck_assert_ptr_null(nn_scaler_fit(empty, &e));
    ck_assert_str_eq(e.msg, "cannot fit a scaler on 'none': it has no samples");
    nn_data_free(empty);
    nn_scaler_free(s);
    nn_scaler_free(NULL);
    nn_data_free(a);
    nn_data_free(b);
    nn_data_free(data);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn_data");
    TCase *tc = tcase_create("data");
    tcase_add_test(tc, new_has_default_names);
    tcase_add_test(tc, default_and_set_feature_names_mix);
    tcase_add_test(tc, new_rejects_bad_sizes);
    tcase_add_test(tc, sizes_are_estimated_before_allocating);
    tcase_add_test(tc, copy_and_subset_are_deep);
    tcase_add_test(tc, validate_names_the_bad_row);
    tcase_add_test(tc, split_sizes_and_names);
    tcase_add_test(tc, split_stratified_keeps_proportions);
    tcase_add_test(tc, split_is_deterministic_by_seed);
    tcase_add_test(tc, split_rejects_bad_arguments);
    tcase_add_test(tc, scaler_standardizes_train);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
