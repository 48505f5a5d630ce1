/* nn_sets: the bundled sets load with their shapes, class counts, names
 * and the values of the source files. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "nn_sets.h"

static nn_data *load(const char *name)
{
    nn_err e;
    nn_data *d = nn_sets_load(name, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_str_eq(d->name, name);
    ck_assert_int_eq(nn_data_validate(d, NULL), 0);
    return d;
}

static void assert_counts(const nn_data *d, int n, int dim, int k,
                          const int *counts)
{
    ck_assert_int_eq(d->n, n);
    ck_assert_int_eq(d->d, dim);
    ck_assert_int_eq(d->n_classes, k);
    int got[16];
    nn_data_class_counts(d, got);
    for (int c = 0; c < k; c++)
        ck_assert_int_eq(got[c], counts[c]);
}

/* Row i holds `want` (dim values) and label y. */
static void assert_row(const nn_data *d, int i, const float *want, int y)
{
    for (int j = 0; j < d->d; j++)
        ck_assert_float_eq(d->x[i * d->d + j], want[j]);
    ck_assert_int_eq(d->y[i], y);
}

START_TEST(iris)
{
    nn_data *d = load("iris");
    assert_counts(d, 150, 4, 3, (int[]){50, 50, 50});
    ck_assert_str_eq(d->feature_names[0], "sepal length (cm)");
    ck_assert_str_eq(d->feature_names[3], "petal width (cm)");
    ck_assert_str_eq(d->class_names[0], "setosa");
    ck_assert_str_eq(d->class_names[1], "versicolor");
    ck_assert_str_eq(d->class_names[2], "virginica");
    assert_row(d, 0, (float[]){5.1f, 3.5f, 1.4f, 0.2f}, 0);
    assert_row(d, 149, (float[]){5.9f, 3.0f, 5.1f, 1.8f}, 2);
    nn_data_free(d);
}
END_TEST

START_TEST(wine)
{
    nn_data *d = load("wine");
    assert_counts(d, 178, 13, 3, (int[]){59, 71, 48});
    ck_assert_str_eq(d->feature_names[0], "alcohol");
    ck_assert_str_eq(d->feature_names[11], "od280/od315_of_diluted_wines");
    ck_assert_str_eq(d->feature_names[12], "proline");
    ck_assert_str_eq(d->class_names[2], "class_2");
    assert_row(d, 0, (float[]){14.23f, 1.71f, 2.43f, 15.6f, 127, 2.8f, 3.06f,
                               0.28f, 2.29f, 5.64f, 1.04f, 3.92f, 1065}, 0);
    assert_row(d, 177, (float[]){14.13f, 4.1f, 2.74f, 24.5f, 96, 2.05f, 0.76f,
                                 0.56f, 1.35f, 9.2f, 0.61f, 1.6f, 560}, 2);
    nn_data_free(d);
}
END_TEST

START_TEST(breast_cancer)
{
    nn_data *d = load("breast_cancer");
    assert_counts(d, 569, 30, 2, (int[]){212, 357});
    ck_assert_str_eq(d->feature_names[0], "mean radius");
    ck_assert_str_eq(d->feature_names[10], "radius error");
    ck_assert_str_eq(d->feature_names[29], "worst fractal dimension");
    ck_assert_str_eq(d->class_names[0], "malignant");
    ck_assert_str_eq(d->class_names[1], "benign");
    assert_row(d, 0, (float[]){17.99f, 10.38f, 122.8f, 1001, 0.1184f, 0.2776f,
                               0.3001f, 0.1471f, 0.2419f, 0.07871f, 1.095f,
                               0.9053f, 8.589f, 153.4f, 0.006399f, 0.04904f,
                               0.05373f, 0.01587f, 0.03003f, 0.006193f, 25.38f,
                               17.33f, 184.6f, 2019, 0.1622f, 0.6656f, 0.7119f,
                               0.2654f, 0.4601f, 0.1189f}, 0);
    ck_assert_float_eq(d->x[568 * 30], 7.76f);
    ck_assert_float_eq(d->x[568 * 30 + 29], 0.07039f);
    ck_assert_int_eq(d->y[568], 1);
    nn_data_free(d);
}
END_TEST

START_TEST(digits)
{
    nn_data *d = load("digits");
    assert_counts(d, 1797, 64, 10,
                  (int[]){178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
    ck_assert_str_eq(d->feature_names[0], "pixel_0_0");
    ck_assert_str_eq(d->feature_names[9], "pixel_1_1");
    ck_assert_str_eq(d->feature_names[63], "pixel_7_7");
    ck_assert_str_eq(d->class_names[0], "0");
    ck_assert_str_eq(d->class_names[9], "9");
    /* the first image, a zero */
    float zero[64] = {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0,
                      0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
                      0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0,
                      0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0};
    assert_row(d, 0, zero, 0);
    for (int i = 0; i < 1797 * 64; i++)
        ck_assert(d->x[i] >= 0 && d->x[i] <= 16);
    ck_assert_int_eq(d->y[1796], 8);
    nn_data_free(d);
}
END_TEST

START_TEST(names_and_describe)
{
    int count = 0;
    for (const char *const *name = nn_sets_names; *name; name++, count++) {
        const char *text = nn_sets_describe(*name);
        ck_assert_ptr_nonnull(text);
        ck_assert_int_eq(strncmp(text, *name, strlen(*name)), 0);
        nn_data *d = load(*name);
        nn_data_free(d);
    }
    ck_assert_int_eq(count, 5);
    ck_assert_ptr_null(nn_sets_describe("mnist"));
    nn_err e;
    ck_assert_ptr_null(nn_sets_load("mnist", &e));
    ck_assert_str_eq(e.msg, "no bundled data set 'mnist'; the bundled sets are "
                     "iris, wine, breast_cancer, digits and diabetes");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn_sets");
    TCase *tc = tcase_create("sets");
    tcase_add_test(tc, iris);
    tcase_add_test(tc, wine);
    tcase_add_test(tc, breast_cancer);
    tcase_add_test(tc, digits);
    tcase_add_test(tc, names_and_describe);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
