/* Accuracy targets: small networks trained with fixed seeds must reach
 * these accuracies on held-out test data (a quarter of the set, split off
 * stratified; the network never trains on it). Real data sets are
 * standardized with a scaler fitted on the training part only. Each target
 * is the mean over SEEDS runs, each with its own seed for the data, the
 * split, the initial weights and the shuffling, so that no single lucky
 * seed decides. */
#include <check.h>
#include <stdio.h>

#include "check_main.h"
#include "nn_gen.h"
#include "nn_sets.h"
#include "nn_train.h"

#define SEEDS 5
#define LIN(units) {NN_LINEAR, (units), 0.0f, 0, 0, 0}
#define ACT(kind) {(kind), 0, 0.0f, 0, 0, 0}

typedef struct setup {
    nn_data *(*make)(uint64_t seed);
    const nn_layer_spec *layers;
    int n_layers;
    int epochs, batch;
    float lr;
    int standardize;
} setup;

/* Splits a set made with `seed` 75/25, trains a network on the first part
 * and returns its accuracy on the second. */
static float held_out_accuracy(const setup *s, uint64_t seed)
{
    nn_err e;
    nn_data *data = s->make(seed), *train, *test;
    ck_assert_ptr_nonnull(data);
    ck_assert_msg(nn_data_split(data, 0.75, 1, seed, &train, &test, &e) == 0,
                  "%s", e.msg);
    if (s->standardize) {
        nn_scaler *sc = nn_scaler_fit(train, &e);
        ck_assert_msg(sc, "%s", e.msg);
        nn_scaler_apply(sc, train->x, train->n);
        nn_scaler_apply(sc, test->x, test->n);
        nn_scaler_free(sc);
    }
    nn_model *m = nn_model_new(data->d, s->layers, s->n_layers, seed, &e);
    ck_assert_msg(m, "%s", e.msg);
    nn_train_opts o = nn_train_defaults();
    o.epochs = s->epochs;
    o.batch = s->batch;
    o.seed = seed;
    o.optim.lr = s->lr;
    ck_assert_msg(nn_train(m, train, &o, NULL, &e) == 0, "%s", e.msg);
    float loss, acc;
    ck_assert_msg(nn_evaluate(m, test, NN_LOSS_AUTO, &loss, &acc, NULL, &e) == 0,
                  "%s", e.msg);
    printf("%-14s seed %d: test accuracy %.4f (%d of %d)\n", data->name,
           (int)seed, (double)acc, (int)(acc * test->n + 0.5f), test->n);
    nn_model_free(m);
    nn_data_free(train);
    nn_data_free(test);
    nn_data_free(data);
    return acc;
}

static float mean_accuracy(const setup *s)
{
    float sum = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++)
        sum += held_out_accuracy(s, seed);
    printf("mean test accuracy %.4f\n", (double)(sum / SEEDS));
    return sum / SEEDS;
}

static nn_data *xor_set(uint64_t seed)
{
    return nn_gen_xor(400, 0.0f, seed, NULL);
}

static nn_data *moons_set(uint64_t seed)
{
    return nn_gen_moons(600, 0.15f, seed, NULL);
}

static nn_data *circles_set(uint64_t seed)
{
    return nn_gen_circles(600, 0.08f, 0.5f, seed, NULL);
}

static nn_data *spirals_set(uint64_t seed)
{
    return nn_gen_spirals(900, 3, 0.02f, seed, NULL);
}

static nn_data *iris_set(uint64_t seed)
{
    (void)seed;
    return nn_sets_load("iris", NULL);
}

static nn_data *breast_cancer_set(uint64_t seed)
{
    (void)seed;
    return nn_sets_load("breast_cancer", NULL);
}

static nn_data *digits_set(uint64_t seed)
{
    (void)seed;
    return nn_sets_load("digits", NULL);
}

/* Two hidden layers of 16 for the two-dimensional binary sets. */
static const nn_layer_spec small_2d[] = {LIN(16), ACT(NN_RELU), LIN(16),
                                         ACT(NN_RELU), LIN(1), ACT(NN_SIGMOID)};

START_TEST(xor)
{
    static const nn_layer_spec net[] = {LIN(16), ACT(NN_TANH), LIN(16),
                                        ACT(NN_TANH), LIN(1), ACT(NN_SIGMOID)};
    setup s = {xor_set, net, 6, 300, 32, 0.01f, 0};
    ck_assert_float_eq(mean_accuracy(&s), 1.0f);
}
END_TEST

START_TEST(moons)
{
    setup s = {moons_set, small_2d, 6, 200, 32, 0.01f, 0};
    ck_assert_float_ge(mean_accuracy(&s), 0.97f);
}
END_TEST

START_TEST(circles)
{
    setup s = {circles_set, small_2d, 6, 200, 32, 0.01f, 0};
    ck_assert_float_ge(mean_accuracy(&s), 0.97f);
}
END_TEST

START_TEST(spirals)
{
    static const nn_layer_spec net[] = {LIN(64), ACT(NN_RELU), LIN(64),
                                        ACT(NN_RELU), LIN(3), ACT(NN_SOFTMAX)};
    setup s = {spirals_set, net, 6, 300, 32, 0.01f, 0};
    ck_assert_float_ge(mean_accuracy(&s), 0.95f);
}
END_TEST

START_TEST(iris)
{
    static const nn_layer_spec net[] = {LIN(16), ACT(NN_RELU), LIN(3),
                                        ACT(NN_SOFTMAX)};
    setup s = {iris_set, net, 4, 100, 16, 0.01f, 1};
    ck_assert_float_ge(mean_accuracy(&s), 0.93f);
}
END_TEST

START_TEST(breast_cancer)
{
    static const nn_layer_spec net[] = {LIN(16), ACT(NN_RELU), LIN(1),
                                        ACT(NN_SIGMOID)};
    setup s = {breast_cancer_set, net, 4, 50, 32, 0.001f, 1};
    ck_assert_float_ge(mean_accuracy(&s), 0.95f);
}
END_TEST

START_TEST(digits)
{
    static const nn_layer_spec net[] = {LIN(64), ACT(NN_RELU), LIN(10),
                                        ACT(NN_SOFTMAX)};
    setup s = {digits_set, net, 4, 30, 32, 0.001f, 1};
    ck_assert_float_ge(mean_accuracy(&s), 0.95f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("accuracy");
    TCase *tc = tcase_create("accuracy");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, xor);
    tcase_add_test(tc, moons);
    tcase_add_test(tc, circles);
    tcase_add_test(tc, spirals);
    tcase_add_test(tc, iris);
    tcase_add_test(tc, breast_cancer);
    tcase_add_test(tc, digits);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
