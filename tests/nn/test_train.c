/* Training: learning, determinism, the callback, early stopping, history,
 * evaluation, and the errors a user can cause. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_loss.h"
#include "nn_pool.h"
#include "nn_rng.h"
#include "nn_train.h"

/* XOR-like data: k clusters at the corners of a square, class = corner
 * parity (k = 2) or corner index (k = 4), with noise. */
static nn_data *corners(int n, int k, uint64_t seed)
{
    nn_data *d = nn_data_new("corners", n, 2, k, NULL);
    ck_assert_ptr_nonnull(d);
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        int c = i % 4;
        d->x[2 * i] = (c & 1 ? 1.0f : -1.0f) + 0.3f * nn_rng_normal(&r);
        d->x[2 * i + 1] = (c & 2 ? 1.0f : -1.0f) + 0.3f * nn_rng_normal(&r);
        d->y[i] = k == 2 ? (c == 1 || c == 2) : c;
    }
    return d;
}

static nn_model *net(int k, uint64_t seed, int dropout)
{
    nn_layer_spec layers[] = {
        {NN_LINEAR, 16, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0}, {NN_DROPOUT, 0, 0.1f, 0, 0, 0},
        {NN_LINEAR, k == 2 ? 1 : k, 0, 0, 0, 0},
        {k == 2 ? NN_SIGMOID : NN_SOFTMAX, 0, 0, 0, 0, 0},
    };
    if (!dropout)
        layers[2].arg = 0.0f;
    return helper_model(2, layers, 5, seed);
}

static nn_train_opts opts(int epochs)
{
    nn_train_opts o = nn_train_defaults();
    o.epochs = epochs;
    o.batch = 16;
    o.optim.lr = 0.01f;
    return o;
}

START_TEST(defaults)
{
    nn_train_opts o = nn_train_defaults();
    ck_assert_int_eq(o.epochs, 100);
    ck_assert_int_eq(o.batch, 32);
    ck_assert_int_eq(o.shuffle, 1);
    ck_assert_int_eq(o.optim.kind, NN_ADAM);
    ck_assert_float_eq(o.optim.lr, 0.001f);
    ck_assert_ptr_null(o.val);
    ck_assert_int_eq(o.patience, 0);
    for (int k = NN_LOSS_AUTO; k <= NN_LOSS_MSE; k++)
        ck_assert_int_eq(nn_loss_kind_from_name(nn_loss_name(k)), k);
    ck_assert_int_eq(nn_loss_kind_from_name("hinge"), -1);
}
END_TEST

START_TEST(learns_binary_and_multiclass)
{
    for (int k = 2; k <= 4; k += 2) {
        nn_data *d = corners(400, k, 1);
        nn_model *m = net(k, 2, 1);
        nn_train_opts o = opts(40);
        nn_history h;
        nn_err e;
        ck_assert_msg(nn_train(m, d, &o, &h, &e) == 0, "%s", e.msg);
        ck_assert_int_eq(h.epochs, 40);
        ck_assert(h.train_loss[39] < 0.5f * h.train_loss[0]);
        float loss, acc;
        ck_assert_int_eq(nn_evaluate(m, d, NN_LOSS_AUTO, &loss, &acc, NULL,
                                     &e), 0);
        ck_assert_float_ge(acc, 0.95f);
        ck_assert_float_lt(loss, 0.2f);
        nn_history_free(&h);
        nn_model_free(m);
        nn_data_free(d);
    }
}
END_TEST

START_TEST(every_optimizer_and_loss_learns)
{
    nn_data *d = corners(200, 2, 3);
    nn_optim_kind kinds[] = {NN_SGD, NN_ADAM, NN_ADAMW, NN_RMSPROP};
    for (int i = 0; i < 4; i++) {
        for (int loss = NN_LOSS_BCE; loss <= NN_LOSS_MSE; loss += 2) {
            nn_model *m = net(2, 4, 0);
            nn_train_opts o = opts(60);
            o.loss = (nn_loss_kind)loss;
            o.optim = nn_optim_defaults(kinds[i]);
            if (kinds[i] == NN_SGD) {
                o.optim.lr = 0.1f;
                o.optim.momentum = 0.9f;
                o.optim.schedule = NN_SCHED_COSINE;
            } else {
                o.optim.lr = 0.01f;
            }
            nn_err e;
            ck_assert_msg(nn_train(m, d, &o, NULL, &e) == 0, "%s", e.msg);
            float acc;
            nn_evaluate(m, d, o.loss, NULL, &acc, NULL, NULL);
            ck_assert_msg(acc >= 0.95f, "%s with %s: accuracy %g",
                          nn_optim_name(kinds[i]), nn_loss_name(o.loss),
                          (double)acc);
            nn_model_free(m);
        }
    }
    nn_data_free(d);
}
END_TEST

/* Two runs: parameters and every loss bit-identical; another seed not. */
START_TEST(deterministic)
{
    nn_data *d = corners(300, 4, 5);
    nn_model *a = net(4, 7, 1), *b = net(4, 7, 1), *c = net(4, 7, 1);
    nn_train_opts o = opts(5);
    o.seed = 11;
    nn_history ha, hb, hc;
    ck_assert_int_eq(nn_train(a, d, &o, &ha, NULL), 0);
    ck_assert_int_eq(nn_train(b, d, &o, &hb, NULL), 0);
    o.seed = 12;
    ck_assert_int_eq(nn_train(c, d, &o, &hc, NULL), 0);
    ck_assert(helper_same_params(a, b));
    ck_assert_int_eq(memcmp(ha.train_loss, hb.train_loss, 5 * sizeof(float)),
                     0);
    ck_assert(!helper_same_params(a, c));
    nn_history_free(&ha);
    nn_history_free(&hb);
    nn_history_free(&hc);
    nn_model_free(a);
    nn_model_free(b);
    nn_model_free(c);
    nn_data_free(d);
}
END_TEST

/* The callback stops at a given step and saves the parameters it saw. */
struct stopper {
    nn_model *m;
    int stop_at, calls, epochs_done;
    float *seen;
    float last_lr;
};

static int stop_cb(void *ctx, const nn_progress *p)
{
    struct stopper *s = ctx;
    s->calls++;
    s->epochs_done += p->epoch_done;
    ck_assert_int_eq(p->steps, 13); /* 200 rows in batches of 16 */
    ck_assert_int_eq(p->step, (s->calls - 1) % 13 + 1);
    ck_assert(isfinite(p->batch_loss));
    if (p->epoch_done)
        ck_assert(isfinite(p->train_loss) && isnan(p->val_loss));
    s->last_lr = p->lr;
    if (s->calls == s->stop_at) {
        memcpy(s->seen, nn_model_params(s->m),
               nn_model_n_params(s->m) * sizeof(float));
        return 1;
    }
    return 0;
}

START_TEST(stop_from_callback)
{
    nn_data *d = corners(200, 2, 6);
    nn_model *m = net(2, 8, 1);
    struct stopper s = {.m = m, .stop_at = 20};
    s.seen = malloc(nn_model_n_params(m) * sizeof(float));
    nn_train_opts o = opts(10);
    o.progress = stop_cb;
    o.ctx = &s;
    nn_history h;
    ck_assert_int_eq(nn_train(m, d, &o, &h, NULL), 1);
    ck_assert_int_eq(s.calls, 20);
    ck_assert_int_eq(h.stopped, 1);
    ck_assert_int_eq(h.epochs, 1); /* step 20 is in the second epoch */
    ck_assert_int_eq(s.epochs_done, 1);
    /* Left at the last completed step: the one the callback saw. */
    ck_assert(helper_has_params(m, s.seen));
    /* ... not the end of the run, and the same in a rerun. */
    nn_model *full = net(2, 8, 1);
    struct stopper t = {.m = full, .stop_at = -1};
    t.seen = malloc(nn_model_n_params(m) * sizeof(float));
    o.ctx = &t;
    o.epochs = 2;
    ck_assert_int_eq(nn_train(full, d, &o, NULL, NULL), 0);
    ck_assert_int_eq(t.calls, 26);
    ck_assert(!helper_has_params(full, s.seen));
    nn_model_free(full);
    full = net(2, 8, 1);
    t = (struct stopper){.m = full, .stop_at = 20, .seen = t.seen};
    ck_assert_int_eq(nn_train(full, d, &o, NULL, NULL), 1);
    ck_assert_int_eq(memcmp(t.seen, s.seen,
                            nn_model_n_params(m) * sizeof(float)), 0);
    nn_history_free(&h);
    free(s.seen);
    free(t.seen);
    nn_model_free(full);
    nn_model_free(m);
    nn_data_free(d);
}
END_TEST

START_TEST(early_stopping)
{
    /* Validation labels are the opposite of the training labels: the
     * better the model learns, the worse the validation loss. */
    nn_data *d = corners(200, 2, 9);
    nn_data *v = nn_data_copy(d, "flipped", NULL);
    for (int i = 0; i < v->n; i++)
        v->y[i] = 1 - v->y[i];
    nn_model *m = net(2, 10, 0);
    nn_train_opts o = opts(100);
    o.val = v;
    o.patience = 3;
    o.restore_best = 1;
    nn_history h;
    ck_assert_int_eq(nn_train(m, d, &o, &h, NULL), 0);
    ck_assert_int_eq(h.early_stopped, 1);
    ck_assert_int_eq(h.stopped, 0);
    ck_assert_int_lt(h.epochs, 100);
    ck_assert_int_eq(h.epochs, h.best_epoch + 1 + 3);
    for (int i = 0; i < h.epochs; i++)
        ck_assert(!isnan(h.val_loss[i]) && !isnan(h.val_acc[i]));
    /* The best weights are back: their val loss is the best epoch's. */
    float loss;
    nn_evaluate(m, v, NN_LOSS_AUTO, &loss, NULL, NULL, NULL);
    ck_assert_float_eq_tol(loss, h.val_loss[h.best_epoch], 1e-6f);
    ck_assert_float_lt(loss, h.val_loss[h.epochs - 1]);
    nn_history_free(&h);
    nn_model_free(m);
    /* Without restore_best the last weights stay. */
    m = net(2, 10, 0);
    o.restore_best = 0;
    ck_assert_int_eq(nn_train(m, d, &o, &h, NULL), 0);
    nn_evaluate(m, v, NN_LOSS_AUTO, &loss, NULL, NULL, NULL);
    ck_assert_float_eq_tol(loss, h.val_loss[h.epochs - 1], 1e-6f);
    nn_history_free(&h);
    nn_model_free(m);
    nn_data_free(v);
    nn_data_free(d);
}
END_TEST

START_TEST(evaluate_probabilities)
{
    /* A net ending in linear trained with BCE/CE treats its outputs as
     * logits: same loss as with the sigmoid/softmax appended. */
    nn_data *d = corners(40, 4, 2);
    nn_layer_spec with[] = {{NN_LINEAR, 4, 0, 0, 0, 0}, {NN_SOFTMAX, 0, 0, 0, 0, 0}};
    nn_model *a = helper_model(2, with, 2, 3);
    nn_model *b = helper_model(2, with, 1, 3);
    float la, lb, pa[160], pb[160], acc_a, acc_b;
    ck_assert_int_eq(nn_evaluate(a, d, NN_LOSS_CE, &la, &acc_a, pa, NULL), 0);
    ck_assert_int_eq(nn_evaluate(b, d, NN_LOSS_CE, &lb, &acc_b, pb, NULL), 0);
    ck_assert_float_eq_tol(la, lb, 1e-6f);
    ck_assert_float_eq(acc_a, acc_b);
    for (int i = 0; i < 40; i++) {
        float sum = 0;
        for (int j = 0; j < 4; j++) {
            ck_assert_float_eq_tol(pa[4 * i + j], pb[4 * i + j], 1e-6f);
            sum += pa[4 * i + j];
        }
        ck_assert_float_eq_tol(sum, 1.0f, 1e-5f);
    }
    nn_model_free(a);
    nn_model_free(b);
    nn_data_free(d);
    ck_assert_int_eq(nn_predict_class((float[]){0.2f, 0.5f, 0.3f}, 3), 1);
    ck_assert_int_eq(nn_predict_class((float[]){0.5f}, 1), 1);
    ck_assert_int_eq(nn_predict_class((float[]){0.49f}, 1), 0);
}
END_TEST

/* Keeps a core busy until *arg is set. */
static void *spin(void *arg)
{
    atomic_int *stop = arg;
    volatile unsigned long n = 0;
    while (!atomic_load(stop))
        n++;
    return NULL;
}

START_TEST(split_steps_match_serial)
{
    /* A net wide enough that, on two or more cores, every step's rows are
     * split between threads: the training matches a plain loop of whole
     * batches (forward, fused BCE, backward, SGD with momentum: unlike
     * Adam's, its steps show a wrongly scaled gradient). On one core both
     * are the plain loop. */
    nn_layer_spec layers[] = {
        {NN_LINEAR, 64, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0},
        {NN_LINEAR, 64, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},
        {NN_LINEAR, 1, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0},
    };
    enum { N = 96, BATCH = 32, EPOCHS = 4 };
    if (nn_pool_parts() < 2)
        fprintf(stderr, "split_steps_match_serial: one core, no split\n");
    nn_data *d = corners(N, 2, 5);
    nn_model *m = helper_model(2, layers, 6, 9);
    nn_model *ref = nn_model_copy(m, NULL);
    nn_train_opts o = opts(EPOCHS);
    o.batch = BATCH;
    o.shuffle = 0;
    o.optim = nn_optim_defaults(NN_SGD);
    o.optim.lr = 0.1f;
    o.optim.momentum = 0.9f;
    nn_history h;
    ck_assert_int_eq(nn_train(m, d, &o, &h, NULL), 0);

    nn_optim *opt = nn_optim_new(&o.optim, nn_model_n_params(ref), NULL);
    float grad[BATCH];
    nn_model_set_training(ref, 1);
    for (int ep = 0; ep < EPOCHS; ep++) {
        double sum = 0.0;
        for (int r = 0; r < N; r += BATCH) {
            const float *x = d->x + (size_t)r * 2;
            ck_assert_ptr_nonnull(nn_model_forward(ref, x, BATCH, NULL));
            sum += nn_loss_bce_logits(nn_model_layer_output(ref, 4),
                                      d->y + r, BATCH, grad) * BATCH;
            nn_model_backward(ref, x, grad, BATCH, 4);
            nn_optim_step(opt, nn_model_params(ref), nn_model_grads(ref));
        }
        ck_assert_float_eq_tol(h.train_loss[ep], (float)(sum / N), 1e-6f);
    }
    const float *a = nn_model_params(m), *b = nn_model_params(ref);
    for (size_t i = 0; i < nn_model_n_params(m); i++)
        ck_assert_float_eq_tol(a[i], b[i], 1e-5f);
    ck_assert_float_lt(h.train_loss[EPOCHS - 1], h.train_loss[0]);

    /* and the same run again gives the same weights, bit for bit, also
     * longer and with the cores kept busy by other threads, when the pool
     * runs some rounds' parts on the caller alone */
    nn_model *again = nn_model_copy(ref, NULL);
    memcpy(nn_model_params(again), nn_model_params(m),
           nn_model_n_params(m) * sizeof(float));
    nn_model *m2 = helper_model(2, layers, 6, 9);
    ck_assert_int_eq(nn_train(m2, d, &o, NULL, NULL), 0);
    ck_assert(helper_same_params(m2, again));
    o.epochs = 300;
    nn_model *quiet = helper_model(2, layers, 6, 9);
    nn_model *busy = helper_model(2, layers, 6, 9);
    ck_assert_int_eq(nn_train(quiet, d, &o, NULL, NULL), 0);
    atomic_int stop = 0;
    pthread_t spinners[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&spinners[i], NULL, spin, &stop), 0);
    ck_assert_int_eq(nn_train(busy, d, &o, NULL, NULL), 0);
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(spinners[i], NULL);
    ck_assert(helper_same_params(quiet, busy));
    nn_model_free(busy);
    nn_model_free(quiet);
    nn_model_free(m2);
    nn_model_free(again);
    nn_history_free(&h);
    nn_optim_free(opt);
    nn_model_free(ref);
    nn_model_free(m);
    nn_data_free(d);
}
END_TEST

START_TEST(bad_input)
{
    nn_err e;
    nn_train_opts o = opts(2);
    nn_model *m = net(2, 1, 0);
    nn_data *empty = nn_data_new("empty", 0, 2, 2, NULL);
    ck_assert_int_eq(nn_train(m, empty, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "empty"));
    nn_data *d = corners(20, 2, 1);
    d->y[7] = 5;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "label 5 out of range"));
    d->y[7] = 1;
    o.epochs = 0;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "epochs"));
    o.epochs = 2;
    o.optim.lr = -1;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "lr"));
    o.optim.lr = 0.01f;
    nn_data *three = corners(20, 4, 1);
    ck_assert_int_eq(nn_train(m, three, &o, NULL, &e), -1);
    ck_assert_str_eq(e.msg, "net ends in 1 output with sigmoid, but "
                            "'corners' has 4 classes: end it with "
                            "linear(4) -> softmax");
    nn_data *wide = nn_data_new("wide", 5, 3, 2, NULL);
    ck_assert_int_eq(nn_train(m, wide, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "3 features"));
    nn_model *four = net(4, 1, 0);
    o.loss = NN_LOSS_BCE;
    ck_assert_int_eq(nn_train(four, three, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "needs 1 output"));
    nn_layer_spec sig[] = {{NN_LINEAR, 4, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0}};
    nn_model *s4 = helper_model(2, sig, 2, 1);
    o.loss = NN_LOSS_AUTO;
    ck_assert_int_eq(nn_train(s4, three, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "not sigmoid"));
    /* A loss that is not finite is reported, and the model keeps the
     * parameters it had before. */
    nn_model_params(m)[0] = INFINITY;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "diverged"));
    ck_assert(isinf(nn_model_params(m)[0]));
    /* Far too high a learning rate: finite at first, then overflowing. */
    nn_model_params(m)[0] = 0.5f;
    float *before = malloc(nn_model_n_params(m) * sizeof *before);
    memcpy(before, nn_model_params(m), nn_model_n_params(m) * sizeof *before);
    o.optim.lr = 1e30f;
    o.epochs = 100;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, &e), -1);
    ck_assert_msg(strstr(e.msg, "lower the learning rate")
                  && !strstr(e.msg, "at step 1 of epoch 1:"), "%s", e.msg);
    ck_assert_mem_eq(nn_model_params(m), before,
                     nn_model_n_params(m) * sizeof *before);
    free(before);
    nn_model_free(s4);
    nn_model_free(four);
    nn_data_free(wide);
    nn_data_free(three);
    nn_data_free(d);
    nn_data_free(empty);
    nn_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, learns_binary_and_multiclass);
    tcase_add_test(tc, every_optimizer_and_loss_learns);
    tcase_add_test(tc, deterministic);
    tcase_add_test(tc, stop_from_callback);
    tcase_add_test(tc, early_stopping);
    tcase_add_test(tc, evaluate_probabilities);
    tcase_add_test(tc, split_steps_match_serial);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
