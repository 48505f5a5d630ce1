/* Conv nets in cells: digits trains as 1x8x8 images, the summary shows
 * image shapes, shape and argument errors name what to change. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fitlive.h"
#include "lang_fixture.h"

START_TEST(digits_as_images_and_summary)
{
    fake_ok("net = conv2d(4, 3, padding=\"same\") -> relu -> maxpool2d -> "
            "flatten -> linear(10) -> softmax\n"
            "fit net on digits, epochs=1, verbose=false\n"
            "summary net");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "conv2d(4, 3, padding=same)")
                  && strstr(t, "(None, 4, 8, 8)")
                  && strstr(t, "(None, 4, 4, 4)")
                  && strstr(t, "(None, 64)"), "%s", t);
    ck_assert_msg(strstr(t, "Total params: 690"), "%s", t); /* 40 + 650 */
}
END_TEST

START_TEST(errors_say_what_to_change)
{
    fake_ok("net = conv2d(4, 3) -> linear(10) -> softmax");
    const char *m = fake_fails("fit net on digits, epochs=1", "ShapeError",
                               NULL);
    ck_assert_msg(strstr(m, "layer 2 linear(10) gets images 4x6x6: put "
                            "flatten before it"), "%s", m);
    m = fake_fails("conv2d(4, 3, padding=\"valid\")", "ValueError", NULL);
    ck_assert_msg(strstr(m, "\"same\""), "%s", m);
    fake_ok("net = maxpool2d(4) -> maxpool2d(4) -> flatten -> linear(10)");
    m = fake_fails("fit net on digits, epochs=1", "ShapeError", NULL);
    ck_assert_msg(strstr(m, "layer 2 maxpool2d(4) gets images 1x2x2"),
                  "%s", m);
    fake_ok("net = conv2d(4, 3) -> flatten -> linear(10)");
    m = fake_fails("fit net on wine, epochs=1", "ShapeError", NULL);
    ck_assert_msg(strstr(m, "needs images"), "%s", m);
}
END_TEST

/* Two conv layers, so that a gradient flows back through one into the
 * other (the second's input gradient is 4x8x8 wide, its output 8x8x8). */
static void two_convs(void)
{
    fake_ok("net = conv2d(4, 3, padding=\"same\") -> relu -> "
            "conv2d(8, 3, padding=\"same\") -> relu -> maxpool2d -> "
            "flatten -> linear(10) -> softmax\n"
            "fit net on digits, epochs=1, verbose=false");
}

START_TEST(trace_shows_conv_gradients)
{
    two_convs();
    fake_ok("trace net on digits");
    const char *t = fake_last_text(&fake_rec);
    /* each conv layer is numbered with the linear one and has its
     * gradients, a weight named [out, in, kh, kw] */
    ck_assert_msg(strstr(t, "1 conv2d(4, 3, padding=same)")
                  && strstr(t, "2 conv2d(8, 3, padding=same)")
                  && strstr(t, "3 linear(10)"), "%s", t);
    const char *w = strstr(t, "weights and biases");
    ck_assert_msg(w && strstr(w, "1 conv2d") && strstr(w, "2 conv2d"),
                  "%s", t);
    const char *at = strstr(strstr(w, "2 conv2d"), "W[");
    int commas = 0;
    while (at && *at && *at != ']')
        commas += *at++ == ',';
    ck_assert_msg(commas == 3, "%s", t);
    /* applying the step changes the conv weights */
    fake_ok("w = weights(net, 1)\ntrace net on digits, apply=true\n"
            "v = weights(net, 1)\nprint(w.values[0][0] == v.values[0][0])");
    ck_assert_msg(strstr(fake_rec.out, "false"), "%s", fake_rec.out);
}
END_TEST

START_TEST(draw_shows_the_stack_not_neurons)
{
    two_convs();
    fake_ok("draw net");
    const char *t = fake_shown(&fake_rec, 0, "text/plain");
    ck_assert_msg(strstr(t, "net on images 1x8x8")
                  && strstr(t, "4x8x8") && strstr(t, "8x4x4")
                  && strstr(t, "weight norm")
                  && !strstr(t, "pixel_") && !strstr(t, "largest"),
                  "%s", t);
    ck_assert_msg(strstr(fake_shown(&fake_rec, 0, "image/svg+xml"),
                         "<rect"), "no boxes");
    ck_assert_msg(strstr(fake_last_text(&fake_rec), "filter 1"), "%s",
                  fake_last_text(&fake_rec));
    fake_ok("draw net on digits, show=\"gradients\"");
    t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "-dL/dw norm") && strstr(t, "8x8x8")
                  && !strstr(t, "pixel_"), "%s", t);
}
END_TEST

START_TEST(fit_draws_and_charts_every_conv_layer)
{
    two_convs();
    fake_ok("fit net on digits, epochs=2, gradients=true, draw=true, "
            "verbose=false");
    const char *t = fake_last_text(&fake_rec);
    int n = (int)json_array_size(fake_rec.displays), grads = 0, stack = 0;
    for (int i = 0; i < n; i++) {
        const char *d = fake_shown(&fake_rec, i, "text/plain");
        grads |= strstr(d, "layer 3 log10 |grad|") != NULL;
        stack |= strstr(d, "net on images 1x8x8") != NULL
                 && !strstr(d, "pixel_");
    }
    ck_assert_msg(grads && stack, "%s", t);
}
END_TEST

START_TEST(weights_and_activations_of_a_conv_net)
{
    two_convs();
    fake_ok("w = weights(net, 2)\nprint(w.shape)\nprint(len(w.values))\n"
            "print(len(w.values[0]))\nprint(len(bias(net, 2).values))\n"
            "print(weights(net, 3).shape)");
    ck_assert_msg(strstr(fake_rec.out, "[8, 4, 3, 3]\n8\n36\n8\n"
                                       "[10, 128]"), "%s", fake_rec.out);
    const char *m = fake_fails("weights(net, 4)", "ValueError", NULL);
    ck_assert_msg(strstr(m, "3 linear or conv2d layers"), "%s", m);
    m = fake_fails("activations(net, [[1, 2, 3]])", "ShapeError", NULL);
    ck_assert_msg(strstr(m, "1x8x8 = 64") && strstr(m, "feature_maps"),
                  "%s", m);
    fake_ok("a = activations(net, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "
            "12, 13, 14, 15, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
            "13, 14, 15, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
            "14, 15, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]])\n"
            "print(len(a.outputs[2]))\nprint(len(a.outputs[7]))");
    ck_assert_msg(strstr(fake_rec.out, "512\n10\n"), "%s", fake_rec.out);
}
END_TEST

START_TEST(batchnorm_in_cells)
{
    fake_ok("net = conv2d(4, 3, padding=\"same\") -> batchnorm -> relu -> "
            "maxpool2d -> flatten -> linear(16) -> batchnorm -> relu -> "
            "linear(10) -> softmax\n"
            "summary net");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "2 * channels") && strstr(t, "32"), "%s", t);
    fake_ok("train, test = split(digits, 0.75, seed=1)\n"
            "fit net on train, epochs=30, verbose=false\n"
            "summary net\nr = evaluate net on test\nprint(r.accuracy > 0.9)");
    t = fake_shown(&fake_rec, -2, "text/plain");
    ck_assert_msg(strstr(t, "(None, 4, 8, 8)        8\n")
                  && strstr(t, "Total params: 1290"), "%s", t);
    ck_assert_msg(strstr(fake_rec.out, "true"), "%s", fake_rec.out);
    /* trace and draw take it as a layer with weights */
    fake_ok("trace net on test");
    t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "2 batchnorm") && strstr(t, "gamma["), "%s", t);
}
END_TEST

START_TEST(input_gives_the_image_shape)
{
    fake_ok("net = input(1, 8, 8) -> conv2d(4, 3, padding=\"same\") -> "
            "relu -> maxpool2d -> flatten -> linear(10) -> softmax\n"
            "summary net");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "(None, 4, 8, 8)") && strstr(t, "(None, 64)")
                  && strstr(t, "Input: (None, 1, 8, 8). Total params: 690"),
                  "%s", t);
    fake_ok("draw net\nfit net on digits, epochs=1, verbose=false");
    fake_ok("net2 = input(2, 6) -> maxpool2d(3) -> flatten\nsummary net2");
    t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "(None, 2, 2, 2)"), "%s", t);
    const char *m = fake_fails("input(1, columns=5)", "ValueError", NULL);
    ck_assert_msg(strstr(m, "input(1, 28, 28)"), "%s", m);
    m = fake_fails("net3 = input(1, 2, 2) -> conv2d(4, 3) -> flatten",
                   "ShapeError", NULL);
    ck_assert_msg(strstr(m, "images 1x2x2"), "%s", m);
    fake_ok("net4 = input(4) -> linear(2)\nsummary net4");
    ck_assert_msg(strstr(fake_last_text(&fake_rec), "Input: (None, 4)."),
                  "%s", fake_last_text(&fake_rec));
}
END_TEST

/* Within a long epoch the live chart is redrawn once a FITLIVE_GAP, titled
 * with how far the epoch is and its loss so far. */
START_TEST(live_chart_within_an_epoch)
{
    fitlive l;
    fitlive_start(&l, 100.0);
    nn_progress p = { .epoch = 2, .epochs = 5, .step = 1, .steps = 4,
                      .batch_loss = 1.0f };
    fitlive_step(&l, &p);
    ck_assert(!fitlive_due(&l, &p, 100.5));
    p.step = 2, p.batch_loss = 0.5f;
    fitlive_step(&l, &p);
    ck_assert(!fitlive_due(&l, &p, 100.5));
    ck_assert(fitlive_due(&l, &p, 101.0));
    ck_assert(!fitlive_due(&l, &p, 101.5)); /* drawn at 101 */
    fitlive_drawn(&l, 101.8); /* an epoch's end redrew it */
    ck_assert(!fitlive_due(&l, &p, 102.5));
    ck_assert(fitlive_due(&l, &p, 102.8));
    char *s = fitlive_state(&l, &p);
    ck_assert_str_eq(s, " (live: 50% of epoch 3, loss so far 0.7500)");
    free(s);
    p.step = 4, p.epoch_done = 1; /* the epoch's own redraw comes then */
    fitlive_step(&l, &p);
    ck_assert(!fitlive_due(&l, &p, 200.0));
    p = (nn_progress){ .epoch = 3, .step = 1, .steps = 4,
                       .batch_loss = 0.25f };
    fitlive_step(&l, &p);
    s = fitlive_state(&l, &p);
    ck_assert_str_eq(s, " (live: 25% of epoch 4, loss so far 0.2500)");
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conv in cells");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, fake_open, fake_close);
    tcase_add_test(tc, digits_as_images_and_summary);
    tcase_add_test(tc, errors_say_what_to_change);
    tcase_add_test(tc, trace_shows_conv_gradients);
    tcase_add_test(tc, draw_shows_the_stack_not_neurons);
    tcase_add_test(tc, fit_draws_and_charts_every_conv_layer);
    tcase_add_test(tc, weights_and_activations_of_a_conv_net);
    tcase_add_test(tc, batchnorm_in_cells);
    tcase_add_test(tc, input_gives_the_image_shape);
    tcase_add_test(tc, live_chart_within_an_epoch);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
