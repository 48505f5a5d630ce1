/* Conv nets in cells: digits trains as 1x8x8 images, the summary shows
 * image shapes, shape and argument errors name what to change. */
#include <check.h>
#include <string.h>

#include "check_main.h"
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

int main(void)
{
    Suite *s = suite_create("conv in cells");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, fake_open, fake_close);
    tcase_add_test(tc, digits_as_images_and_summary);
    tcase_add_test(tc, errors_say_what_to_change);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
