/* The image grid: well-formed SVG with one image and caption per sample
 * (escaped class names, predictions in red), and a text form. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "imagegrid.h"
#include "xml_check.h"

START_TEST(grid_of_images)
{
    nn_err e;
    nn_data *d = nn_data_new("pics", 3, 2 * 4 * 3, 2, &e);
    ck_assert_ptr_nonnull(d);
    d->channels = 2, d->height = 4, d->width = 3;
    for (int i = 0; i < 3 * 24; i++)
        d->x[i] = (float)(i % 7) - 3.0f; /* standardized-looking values */
    d->y[0] = 0, d->y[1] = 1, d->y[2] = 1;
    ck_assert_int_eq(nn_data_set_class_name(d, 1, "T-shirt/<top>", &e), 0);
    int rows[2] = {2, 0}, pred[2] = {0, 0};
    char *svg, *text;
    ck_assert_int_eq(imagegrid_render(d, rows, 2, pred, "a & b", &svg,
                                      &text), 0);
    ck_assert_msg(xml_ok(svg), "%s", svg);
    ck_assert_int_eq(check_count(svg, "<image "), 2);
    ck_assert_int_eq(check_count(svg, "data:image/png;base64,"), 2);
    ck_assert_ptr_nonnull(strstr(svg, "T-shirt/&lt;top&gt;"));
    ck_assert_ptr_nonnull(strstr(svg, "a &amp; b"));
    ck_assert_int_eq(check_count(svg, "fill=\"#c00\""), 3); /* 1 wrong */
    ck_assert_ptr_nonnull(strstr(text, "sample 2: T-shirt/<top> -> 0"));
    ck_assert_ptr_nonnull(strstr(text, "sample 0: 0 -> 0"));
    /* the first image drawn with 2 lines of 3 characters */
    ck_assert_int_eq(check_count(text, "\n  "), 4);
    free(svg);
    free(text);
    nn_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("imagegrid");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, grid_of_images);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
