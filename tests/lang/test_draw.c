/* The draw command end to end through the interpreter, and draw_show as
 * fit calls it: what the diagram shows before and after training, names
 * from the data, heatmaps, updates under one display id, and the errors a
 * user can make. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "draw.h"
#include "lang_fixture.h"
#include "nn_gen.h"

/* The SVG of the last display, copied. */
static char *last_svg(void)
{
    const char *s = fake_shown(&fake_rec, -1, "image/svg+xml");
    ck_assert_ptr_nonnull(strstr(s, "<svg"));
    return strdup(s);
}

START_TEST(draw_before_and_after_fit)
{
    fake_ok("data = moons(n=200, noise=0.1, seed=1)\n"
       "net = input(2) -> linear(4) -> tanh -> linear(1) -> sigmoid\n"
       "draw net");
    ck_assert_int_eq(json_array_size(fake_rec.displays), 1);
    char *before = last_svg();
    ck_assert_ptr_nonnull(strstr(before, ">x1</text>"));
    ck_assert_ptr_nonnull(strstr(before, ">P(1)</text>"));
    ck_assert_ptr_nonnull(strstr(before, ">12 connections, all drawn<"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "2 \xE2\x86\x92 4 \xE2\x86\x92 1 net"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "largest weights"));
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec),
                                 "src=\"data:image/svg+xml;base64,"));
    fake_ok("fit net on data, epochs=20, optimizer=adam(lr=0.05), verbose=false\n"
       "draw net");
    char *after = last_svg();
    ck_assert_str_ne(before, after);
    ck_assert_ptr_nonnull(strstr(after, "after 20 epochs on data"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "after 20 epochs on data"));
    free(before);
    free(after);
}
END_TEST

START_TEST(names_come_from_the_data)
{
    fake_ok("train = iris\n"
       "net = linear(8) -> relu -> linear(3) -> softmax\n"
       "fit net on train, epochs=2, verbose=false\n"
       "draw net");
    char *s = last_svg();
    ck_assert_ptr_nonnull(strstr(s, ">sepal length (cm)</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">setosa</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">virginica</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">relu</text>"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "setosa"));
    free(s);
}
END_TEST

START_TEST(heatmaps_on_two_features)
{
    fake_ok("data = moons(n=100, seed=2)\n"
       "net = linear(5) -> relu -> linear(2) -> softmax\n"
       "fit net on data, epochs=3, verbose=false\n"
       "draw net on data");
    char *s = last_svg();
    ck_assert_int_eq(check_count(s, "<image"), 5 + 2);
    ck_assert_int_eq(check_count(s, "<circle"), 2);
    ck_assert_ptr_nonnull(strstr(s, "over the input plane"));
    free(s);
    /* a net fit on standardized data sees raw data standardized alike */
    fake_ok("s = standardize(data)\n"
       "net2 = linear(3) -> tanh -> linear(1) -> sigmoid\n"
       "fit net2 on s, epochs=3, verbose=false\n"
       "draw net2 on s");
    char *seen = last_svg();
    fake_ok("draw net2 on data");
    char *raw = last_svg();
    ck_assert_str_eq(seen, raw);
    ck_assert_int_eq(check_count(raw, "<image"), 3 + 1);
    free(seen);
    free(raw);
}
END_TEST

START_TEST(mistakes_say_what_to_do)
{
    fake_fails("net = linear(4) -> relu -> linear(1) -> sigmoid\ndraw net",
               "ValueError", "the net is not built yet: fit it first (fit net on "
               "train) or start it with input(d)");
    fake_fails("net = input(4) -> linear(3) -> softmax\ndraw net on iris",
               "ShapeError", "heatmaps over the input plane need data with 2 "
               "features: iris has 4 (draw net alone shows the net)");
    fake_fails("net = input(3) -> linear(2) -> softmax\ndraw net on moons",
               "ShapeError", "the net takes 3 features, but moons has 2");
    fake_fails("draw moons", "TypeError",
               "draw: net must be a net, not a data set");
    fake_fails("draw", "SyntaxError", NULL);
    fake_fails("draw = 1", "SyntaxError",
               "'draw' is a keyword and cannot be assigned; pick another name");
    fake_fails("net = input(2) -> linear(1)\ndraw net, colour=1", "TypeError",
               "draw has no parameter 'colour'");
}
END_TEST

START_TEST(help_draw)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, "help draw", &r);
    ck_assert_int_eq(r.ok, 1);
    const char *txt = fake_shown(&fake_rec, -1, "text/markdown");
    ck_assert(strncmp(txt, "### draw\n", 9) == 0);
    ck_assert_ptr_nonnull(strstr(txt, "draw net on data"));
    ck_assert_ptr_null(strstr(txt, "### summary"));
    reply_free(&r);
}
END_TEST

/* ---- draw_show, as fit calls it --------------------------------------- */

START_TEST(live_updates_under_one_display_id)
{
    fake_out g;
    interp_out o;
    fake_init(&g, &o);
    env en;
    env_init(&en);
    lang_err err;
    memset(&err, 0, sizeof err);
    lang_run run = { .env = &en, .src = "", .out = &o, .e = &err };
    const nn_layer_spec l[] = { { NN_LINEAR, 4, 0, 0, 0, 0 }, { NN_RELU, 0, 0, 0, 0, 0 },
                                { NN_LINEAR, 1, 0, 0, 0, 0 }, { NN_SIGMOID, 0, 0, 0, 0, 0 } };
    nn_err e;
    net_value n;
    memset(&n, 0, sizeof n);
    n.model = nn_model_new(2, l, 4, 3, &e);
    nn_data *plane = nn_gen_moons(50, 0.1f, 1, &e);
    ck_assert(n.model && plane);
    /* fit keeps training the model: drawing leaves it as it was */
    nn_model_set_training(n.model, 1);
    size_t np = nn_model_n_params(n.model);
    float *params = malloc(np * sizeof *params);
    memcpy(params, nn_model_params(n.model), np * sizeof *params);
    ck_assert_int_eq(draw_show(&run, &n, plane, "net-1", 0), 0);
    ck_assert_int_eq(memcmp(params, nn_model_params(n.model),
                            np * sizeof *params), 0);
    nn_model_params(n.model)[0] += 1;
    ck_assert_int_eq(draw_show(&run, &n, plane, "net-1", 1), 0);
    ck_assert_int_eq(json_array_size(g.displays), 2);
    json_t *first = json_array_get(g.displays, 0);
    json_t *second = json_array_get(g.displays, 1);
    ck_assert_str_eq(json_string_value(json_object_get(first, "display_id")),
                     "net-1");
    ck_assert_str_eq(json_string_value(json_object_get(second, "display_id")),
                     "net-1");
    ck_assert(json_is_false(json_object_get(first, "update")));
    ck_assert(json_is_true(json_object_get(second, "update")));
    ck_assert_str_ne(fake_shown(&g, 0, "text/html"),
                     fake_shown(&g, 1, "text/html"));
    ck_assert_int_eq(check_count(fake_shown(&g, 0, "image/svg+xml"), "<image"),
                     4 + 1);
    /* an update carries the chart once, as the <img> of text/html */
    ck_assert_ptr_null(json_object_get(json_object_get(second, "data"),
                                       "image/svg+xml"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&g, 1, "text/html"),
                                 "src=\"data:image/svg+xml;base64,"));
    /* without a plane: no heatmaps */
    ck_assert_int_eq(draw_show(&run, &n, NULL, NULL, 0), 0);
    ck_assert_int_eq(check_count(fake_shown(&g, 2, "image/svg+xml"), "<image"), 0);
    /* a plane that is not 2-D, a net not built */
    nn_data *cube = nn_data_new("cube", 4, 3, 2, &e);
    ck_assert_int_eq(draw_show(&run, &n, cube, NULL, 0), -1);
    ck_assert_str_eq(err.ename, "ShapeError");
    nn_model_free(n.model);
    n.model = NULL;
    ck_assert_int_eq(draw_show(&run, &n, NULL, NULL, 0), -1);
    ck_assert_str_eq(err.ename, "ValueError");
    ck_assert_int_eq(json_array_size(g.displays), 3);
    free(params);
    nn_data_free(cube);
    nn_data_free(plane);
    env_free(&en);
    fake_free(&g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lang-draw");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, draw_before_and_after_fit);
    tcase_add_test(t, names_come_from_the_data);
    tcase_add_test(t, heatmaps_on_two_features);
    tcase_add_test(t, mistakes_say_what_to_do);
    tcase_add_test(t, help_draw);
    tcase_add_test(t, live_updates_under_one_display_id);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
