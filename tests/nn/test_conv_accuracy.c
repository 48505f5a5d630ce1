/* Accuracy targets of conv nets (suite 'accuracy'): digits as 1x8x8
 * images with a small conv net, held-out quarter, mean over seeds (97.7%
 * without batchnorm, the 98% with it); and a
 * shortened Fashion-MNIST run (the conv net, 10,000 training
 * images, 2 epochs, the full test set of 10,000) with a bar below the full
 * run's 91.5%, when Debian's dataset-fashion-mnist is installed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check_main.h"
#include "nn_idx.h"
#include "nn_sets.h"
#include "nn_train.h"

#define SEEDS 3

/* Trains m on train with Adam (lr 1e-3) and returns its test accuracy. */
static float train_and_test(nn_model *m, const nn_data *train,
                            const nn_data *test, int epochs, int batch,
                            uint64_t seed)
{
    nn_err e;
    nn_train_opts o = nn_train_defaults();
    o.epochs = epochs;
    o.batch = batch;
    o.seed = seed;
    o.optim.lr = 1e-3f;
    ck_assert_msg(nn_train(m, train, &o, NULL, &e) == 0, "%s", e.msg);
    float loss, acc;
    ck_assert_msg(nn_evaluate(m, test, NN_LOSS_AUTO, &loss, &acc, NULL, &e)
                  == 0, "%s", e.msg);
    printf("%-20s seed %d: test accuracy %.4f on %d\n", train->name,
           (int)seed, (double)acc, test->n);
    return acc;
}

/* The small conv net on digits as images, with batchnorm after each conv
 * layer when `norm`: the mean test accuracy over SEEDS seeds. */
static float digits_mean(int norm)
{
    static const nn_layer_spec plain[] = {
        { .kind = NN_CONV2D, .units = 16, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_RELU },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_CONV2D, .units = 32, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_RELU },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 10 },
        { .kind = NN_SOFTMAX },
    };
    static const nn_layer_spec with_bn[] = {
        { .kind = NN_CONV2D, .units = 16, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_BATCHNORM },
        { .kind = NN_RELU },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_CONV2D, .units = 32, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_BATCHNORM },
        { .kind = NN_RELU },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 10 },
        { .kind = NN_SOFTMAX },
    };
    float sum = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        nn_err e;
        nn_data *d = nn_sets_load("digits", &e), *train, *test;
        ck_assert_msg(d != NULL, "%s", e.msg);
        d->channels = 1, d->height = 8, d->width = 8;
        ck_assert(nn_data_split(d, 0.75, 1, seed, &train, &test, &e) == 0);
        nn_scaler *sc = nn_scaler_fit(train, &e);
        ck_assert_ptr_nonnull(sc);
        nn_scaler_apply(sc, train->x, train->n);
        nn_scaler_apply(sc, test->x, test->n);
        nn_scaler_free(sc);
        nn_model *m = norm ? nn_model_new_image(1, 8, 8, with_bn, 10, seed, &e)
                           : nn_model_new_image(1, 8, 8, plain, 8, seed, &e);
        ck_assert_msg(m != NULL, "%s", e.msg);
        sum += train_and_test(m, train, test, 30, 32, seed);
        nn_model_free(m);
        nn_data_free(train);
        nn_data_free(test);
        nn_data_free(d);
    }
    printf("mean test accuracy %.4f%s\n", (double)(sum / SEEDS),
           norm ? " (batchnorm)" : "");
    return sum / SEEDS;
}

START_TEST(digits_as_images)
{
    /* 97.7% without batchnorm; with it, the 98% */
    ck_assert_float_ge(digits_mean(0), 0.97f);
    ck_assert_float_ge(digits_mean(1), 0.98f);
}
END_TEST

START_TEST(fashion_mnist_shortened)
{
    if (access(NN_IDX_FASHION_DIR "/train-images-idx3-ubyte.gz", R_OK)) {
        printf("dataset-fashion-mnist is not installed: skipped\n");
        return;
    }
    static const nn_layer_spec net[] = {
        { .kind = NN_CONV2D, .units = 16, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_RELU },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_CONV2D, .units = 32, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_RELU },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 64 },
        { .kind = NN_RELU },
        { .kind = NN_LINEAR, .units = 10 },
        { .kind = NN_SOFTMAX },
    };
    nn_err e;
    nn_data *all = nn_idx_fashion_mnist(NULL, 0, &e);
    nn_data *test = nn_idx_fashion_mnist(NULL, 1, &e);
    ck_assert_msg(all && test, "%s", e.msg);
    int *idx = malloc(10000 * sizeof *idx);
    for (int i = 0; i < 10000; i++)
        idx[i] = i;
    nn_data *train = nn_data_subset(all, idx, 10000, "fashion 10000", &e);
    free(idx);
    nn_data_free(all);
    ck_assert_ptr_nonnull(train);
    nn_model *m = nn_model_new_image(1, 28, 28, net, 11, 1, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    ck_assert_uint_lt(nn_model_n_params(m), 110000);
    ck_assert_float_ge(train_and_test(m, train, test, 2, 64, 1), 0.83f);
    nn_model_free(m);
    nn_data_free(train);
    nn_data_free(test);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conv accuracy");
    TCase *tc = tcase_create("accuracy");
    tcase_set_timeout(tc, 280);
    tcase_add_test(tc, digits_as_images);
    tcase_add_test(tc, fashion_mnist_shortened);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
