/* The trace command end to end through the interpreter: one step shown
 * in full for a small net and summarised for a large one, nothing
 * changed without apply=true, the step made with it, and the errors a
 * user can make. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "drawgrad.h"
#include "gradfit.h"
#include "lang_fixture.h"
#include "netdraw.h"
#include "nn_gen.h"

/* The text of the prediction of net on one row, copied. */
static char *prediction(void)
{
    fake_ok("predict net [[0.5, -0.2]]");
    return strdup(fake_last_text(&fake_rec));
}

START_TEST(small_net_in_full)
{
    fake_ok("net = input(2) -> linear(3) -> tanh -> linear(1) -> sigmoid");
    char *before = prediction();
    fake_ok("trace net on [[0.5, -0.2]], target=[1]");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "one step of adam (lr 0.001) on 1 row: "
                                    "loss bce = "));
    ck_assert_ptr_nonnull(strstr(t, "1 linear(3)  ["));
    ck_assert_ptr_nonnull(strstr(t, "(fused with the loss)"));
    ck_assert_ptr_nonnull(strstr(t, "W[3,2]"));
    ck_assert_ptr_nonnull(strstr(t, "b[1]"));
    ck_assert_ptr_nonnull(strstr(t, "nothing changed: apply=true"));
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec), "<h4>"));
    char *after = prediction();
    ck_assert_str_eq(before, after);
    free(after);
    fake_ok("trace net on [[0.5, -0.2]], target=1, optimizer=sgd(lr=0.5), "
            "apply=true");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "the step was applied"));
    after = prediction();
    ck_assert_str_ne(before, after);
    free(after);
    free(before);
}
END_TEST

/* trace's value holds the traced numbers: with SGD the update is -lr
 * times the gradient, shapes follow the layers, and the fused final
 * activation has no output gradient of its own. */
START_TEST(the_trace_is_a_value)
{
    fake_ok("net = input(2) -> linear(3) -> tanh -> linear(1) -> sigmoid\n"
            "t = trace net on [[0.5, -0.2]], target=[1], "
            "optimizer=sgd(lr=0.5)\n"
            "g = t.grad[0]\nu = t.update[0]\n"
            "print([len(g), len(g[0]), len(t.grad), len(t.out), "
            "t.grad_out[3] == none, t.loss_name, t.rows])\n"
            "print(round(u[2][1] / g[2][1], 4), "
            "round(t.update_b[1][0] / t.grad_b[1][0], 4))");
    ck_assert_msg(strstr(fake_rec.out, "[3, 2, 2, 4, true, \"bce\", 1]\n"
                                       "-0.5 -0.5"), "%s", fake_rec.out);
}
END_TEST

START_TEST(large_net_summarised)
{
    fake_ok("data = moons(n=100, noise=0.1, seed=1)\n"
            "net = input(2) -> linear(16) -> relu -> linear(1) -> sigmoid\n"
            "trace net on data, limit=8");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "on 8 rows of data: loss bce"));
    ck_assert_ptr_nonnull(strstr(t, "dL/dW norm"));
    ck_assert_ptr_nonnull(strstr(t, "largest dL/dW"));
    ck_assert_ptr_null(strstr(t, "W[16,2]  "));
}
END_TEST

START_TEST(user_errors)
{
    fake_ok("net = input(2) -> linear(3) -> relu -> linear(1) -> sigmoid");
    fake_fails("trace net on [[0.5, -0.2]]", "ValueError",
               "trace needs the target of each row, e.g. trace net on "
               "[[0.5, -0.2]], target=[1]");
    fake_fails("trace net on [[0.5, -0.2], [1, 2]], target=[1]",
               "ShapeError", "2 rows but 1 target: give one class per row");
    fake_fails("trace net on [[0.5, -0.2]], target=[0.5]", "ValueError",
               "target 1 is not a class index (0, 1, ...)");
    fake_fails("trace net on [[0.5, -0.2, 1]], target=[1]", "ShapeError",
               NULL);
    fake_fails("trace net on 3, target=[1]", "TypeError", NULL);
    fake_ok("trace net on [[0.5, -0.2], [1, 1], [2, 2]], target=[1, 0, 1], "
            "limit=2");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "on 2 rows:"));
    fake_fails("trace net on [[0.5, -0.2], [1, 1], [2, 2]], target=[1, 0, 2],"
               " limit=2", "ValueError", NULL);
    fake_fails("trace net on [[0.5, -0.2]], target=[3]", "ValueError",
               "target 1 is class 3, but the net tells 2 classes apart (0 "
               "to 1)");
    fake_fails("n2 = linear(3) -> relu -> linear(1)\n"
               "trace n2 on [[0.5, -0.2]], target=[1]", "ValueError",
               "the net is not built yet: fit it first (fit net on train) "
               "or start it with input(d)");
    fake_fails("trace net on [[0.5, -0.2]], target=[1], loss=\"l1\"",
               "ValueError", NULL);
    fake_fails("trace net on [[0.5, -0.2]], target=[1], "
               "loss=\"cross_entropy\"", "ValueError", NULL);
}
END_TEST

/* A deep net of 7 hidden layers of 16 `act` units, for 2 features. */
static const char *deep(const char *act)
{
    static char code[512];
    snprintf(code, sizeof code, "net = input(2)");
    for (int i = 0; i < 7; i++)
        snprintf(code + strlen(code), sizeof code - strlen(code),
                 " -> linear(16) -> %s", act);
    snprintf(code + strlen(code), sizeof code - strlen(code),
             " -> linear(1) -> sigmoid");
    return code;
}

static int collect(void *ctx, const nn_progress *p)
{
    void **c = ctx;
    gradfit_step(c[0], c[1], p);
    return 0;
}

/* Layer 1's mean gradient norm over layer 8's in each of 5 epochs of a
 * deep `kind` net on moons, from the chart's data; the smallest and
 * largest ratios. */
static void chart_ratio(nn_layer_kind kind, double *lo, double *hi)
{
    nn_layer_spec l[16];
    int k = 0;
    for (int i = 0; i < 7; i++) {
        l[k++] = (nn_layer_spec){ NN_LINEAR, 16, 0, 0, 0, 0 };
        l[k++] = (nn_layer_spec){ kind, 0, 0, 0, 0, 0 };
    }
    l[k++] = (nn_layer_spec){ NN_LINEAR, 1, 0, 0, 0, 0 };
    l[k++] = (nn_layer_spec){ NN_SIGMOID, 0, 0, 0, 0, 0 };
    nn_model *m = nn_model_new(2, l, k, 1, NULL);
    nn_data *d = nn_gen_moons(200, 0.1f, 1, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(d);
    gradfit *g = gradfit_new(m, 5, NULL);
    void *ctx[] = { g, m };
    nn_train_opts o = nn_train_defaults();
    o.epochs = 5;
    o.progress = collect;
    o.ctx = ctx;
    ck_assert_int_eq(nn_train(m, d, &o, NULL, NULL), 0);
    ck_assert_int_eq(gradfit_layers(g), 8);
    int n, n8, every;
    const float *first = gradfit_norms(g, 0, &n, &every);
    const float *last = gradfit_norms(g, 7, &n8, &every);
    ck_assert_ptr_null(gradfit_norms(g, 8, &n, &every));
    ck_assert_int_eq(n, 5);
    *lo = INFINITY;
    *hi = 0;
    for (int i = 0; i < n; i++) {
        double r = first[i] / last[i];
        *lo = r < *lo ? r : *lo;
        *hi = r > *hi ? r : *hi;
    }
    gradfit_free(g);
    nn_data_free(d);
    nn_model_free(m);
}

START_TEST(gradient_chart_shows_the_vanishing_gradient)
{
    double lo, hi;
    chart_ratio(NN_SIGMOID, &lo, &hi);
    ck_assert_msg(hi < 1e-3, "sigmoid: layer 1 / layer 8 up to %g", hi);
    chart_ratio(NN_RELU, &lo, &hi);
    ck_assert_msg(lo > 1e-2, "relu: layer 1 / layer 8 down to %g", lo);
}
END_TEST

START_TEST(fit_charts_gradients_and_warns)
{
    fake_ok("data = moons(n=200, noise=0.1, seed=1)");
    fake_ok(deep("sigmoid"));
    fake_ok("fit net on data, epochs=3, gradients=true, verbose=false");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "gradient norm per layer: epoch 3/3"));
    ck_assert_ptr_nonnull(strstr(t, "layer 1 log10 |grad|"));
    ck_assert_ptr_nonnull(strstr(t, "layer 8 log10 |grad|"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 ">log10 |grad|<"));
    ck_assert_ptr_nonnull(fake_rec.err);
    ck_assert_ptr_nonnull(strstr(fake_rec.err, "warning: layer 1 gets "));
    ck_assert_ptr_nonnull(strstr(fake_rec.err, " of layer 8's gradient: "
                                 "sigmoid saturates; try relu or a smaller "
                                 "init"));
    fake_ok(deep("relu"));
    fake_ok("fit net on data, epochs=3, gradients=true, verbose=false");
    ck_assert(!fake_rec.err || !strstr(fake_rec.err, "layer 1 gets"));
    fake_ok("fit net on data, epochs=1, verbose=false");
    ck_assert_ptr_null(strstr(fake_last_text(&fake_rec), "gradient norm"));
    /* with draw=true, the diagram of the last epoch's gradient follows */
    fake_ok("fit net on data, epochs=2, gradients=true, draw=true, "
            "verbose=false");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "-dL/dw, mean of epoch 2/2"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 "-dL/dw &gt; 0"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -2, "text/plain"),
                                 "gradient norm per layer"));
    /* the live diagram starts with no gradient yet, drawn without NaNs */
    for (size_t i = 0; i < json_array_size(fake_rec.displays); i++)
        ck_assert_ptr_null(strstr(fake_shown(&fake_rec, (int)i,
                                             "image/svg+xml"), "nan"));
    int first = 0;
    for (size_t i = 0; i < json_array_size(fake_rec.displays); i++)
        first += strstr(fake_shown(&fake_rec, (int)i, "text/plain"),
                        "-dL/dw: epoch 0/2 (live)")
                 != NULL;
    ck_assert_int_eq(first, 1);
}
END_TEST

/* Swaps the blue and orange of the diagram in s (in place). */
static void swap_colours(char *s)
{
    for (char *p = s; (p = strstr(p, "#")) != NULL; p++) {
        if (!strncmp(p, "#0877bd", 7))
            memcpy(p, "#f59322", 7);
        else if (!strncmp(p, "#f59322", 7))
            memcpy(p, "#0877bd", 7);
    }
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of s in place. */
static void sort_lines(char *s)
{
    char *lines[256], *copy = strdup(s), *save = NULL;
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && n < 256;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, (size_t)n, sizeof *lines, by_text);
    s[0] = '\0';
    for (int i = 0; i < n; i++) {
        strcat(s, lines[i]);
        strcat(s, "\n");
    }
    free(copy);
}

/* The connections of the gradient diagram of m on one row labelled
 * `label`: the SVG from the first line to the group of the nodes. */
static char *pushed_lines(nn_model *m, int label)
{
    static const float x[] = { 0.5f, -0.2f };
    nn_optim_spec sgd = nn_optim_defaults(NN_SGD);
    nn_trace *t = nn_trace_step(m, x, &label, 1, NN_LOSS_AUTO, &sgd, NULL);
    ck_assert_ptr_nonnull(t);
    nn_model *g = drawgrad_model(m, t);
    ck_assert_ptr_nonnull(g);
    netdraw_net d = { .model = g, .quantity = "-dL/dw" };
    char *svg = netdraw_svg(&d);
    ck_assert_ptr_nonnull(strstr(svg, "-dL/dw &gt; 0"));
    char *a = strstr(svg, "<path fill=\"none\"");
    ck_assert_ptr_nonnull(a);
    char *end = strstr(a, "<g ");
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    char *lines = strdup(a);
    free(svg);
    nn_model_free(g);
    nn_trace_free(t);
    return lines;
}

START_TEST(gradient_diagram_flips_with_the_target)
{
    nn_layer_spec l[] = { { NN_LINEAR, 3, 0, 0, 0, 0 }, { NN_TANH, 0, 0, 0, 0, 0 },
                          { NN_LINEAR, 1, 0, 0, 0, 0 }, { NN_SIGMOID, 0, 0, 0, 0, 0 } };
    nn_model *m = nn_model_new(2, l, 4, 1, NULL);
    ck_assert_ptr_nonnull(m);
    char *up = pushed_lines(m, 1), *down = pushed_lines(m, 0);
    ck_assert_ptr_nonnull(strstr(up, "#0877bd"));
    ck_assert_ptr_nonnull(strstr(up, "#f59322"));
    ck_assert_str_ne(up, down);
    swap_colours(up);
    /* the same lines, each with the other colour (paths are grouped by
     * colour, so their order changes) */
    sort_lines(up);
    sort_lines(down);
    ck_assert_str_eq(up, down);
    free(up);
    free(down);
    nn_model_free(m);
}
END_TEST

START_TEST(draw_shows_gradients)
{
    fake_ok("data = moons(n=100, noise=0.1, seed=1)\n"
            "net = input(2) -> linear(3) -> tanh -> linear(1) -> sigmoid\n"
            "draw net on data, show=\"gradients\"");
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 "-dL/dw &gt; 0"));
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "-dL/dw on 100 rows of data, loss "));
    ck_assert_ptr_nonnull(strstr(t, "largest -dL/dw"));
    fake_ok("draw net on data, show=\"weights\"");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "largest weights"));
    fake_fails("draw net, show=\"gradients\"", "ValueError",
               "gradients are of a batch: draw net on data, "
               "show=\"gradients\"");
    fake_fails("draw net on data, show=\"grads\"", "ValueError",
               "draw: show must be \"weights\" or \"gradients\", got "
               "\"grads\"");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, fake_open, fake_close);
    tcase_add_test(tc, small_net_in_full);
    tcase_add_test(tc, the_trace_is_a_value);
    tcase_add_test(tc, large_net_summarised);
    tcase_add_test(tc, user_errors);
    tcase_add_test(tc, gradient_chart_shows_the_vanishing_gradient);
    tcase_add_test(tc, fit_charts_gradients_and_warns);
    tcase_add_test(tc, gradient_diagram_flips_with_the_target);
    tcase_add_test(tc, draw_shows_gradients);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
