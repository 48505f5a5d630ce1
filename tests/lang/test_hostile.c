/* Hostile cells: a megabyte of minus signs, chains of 200,000 operators or
 * 100,000 layers, lists nested through variables cell after cell. None
 * may crash the kernel (overflow the stack) whichever request carries it
 * (execute, is_complete, complete, inspect, user_expressions): each runs,
 * or fails with a limit the user can read, and the kernel goes on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

/* prefix, then `unit` n times, then suffix: malloc'd. */
static char *repeat(const char *prefix, const char *unit, int n,
                    const char *suffix)
{
    size_t lp = strlen(prefix), lu = strlen(unit), ls = strlen(suffix);
    char *s = malloc(lp + lu * (size_t)n + ls + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, prefix, lp);
    for (int i = 0; i < n; i++)
        memcpy(s + lp + lu * (size_t)i, unit, lu);
    memcpy(s + lp + lu * (size_t)n, suffix, ls + 1);
    return s;
}

/* Runs code; returns its text/plain result (malloc'd). */
static char *result(const char *code)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(r.ok, "failed: %s", r.evalue ? r.evalue : "");
    const char *t = r.result
        ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    ck_assert_ptr_nonnull(t);
    char *s = strdup(t);
    reply_free(&r);
    return s;
}

static void check_result(const char *code, const char *want)
{
    char *s = result(code);
    ck_assert_str_eq(s, want);
    free(s);
}

/* The is_complete status of code. */
static void check_complete(const char *code, const char *want)
{
    json_t *j = fake_it->is_complete(fake_it->self, code);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")), want);
    json_decref(j);
}

/* complete and inspect at the end of code answer (whatever they find). */
static void check_introspection(const char *code)
{
    int end = (int)strlen(code);
    json_t *j = fake_it->complete(fake_it->self, code, end);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "cursor_end")),
                     end);
    json_decref(j);
    j = fake_it->inspect(fake_it->self, code, end, 0);
    ck_assert_ptr_nonnull(j);
    json_decref(j);
}

/* The user_expressions answer for expr: "ok" or "error". */
static void check_expression(const char *expr, const char *want)
{
    json_t *j = fake_it->expression(fake_it->self, expr);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")), want);
    json_decref(j);
}

START_TEST(a_megabyte_of_minus_signs)
{
    fake_ok("x = 2\ns = \"a\"");
    /* An even number of signs on a name, an odd one on a number. */
    char *code = repeat("y = ", "-", 1000000, "x\ny");
    check_result(code, "2");
    check_complete(code, "complete");
    check_introspection(code);
    check_expression(code + 4, "error");  /* two lines: not one expression */
    code[4 + 1000000 + 1] = '\0';          /* y = ----...-x */
    check_expression(code + 4, "ok");
    free(code);
    code = repeat("y = ", "-", 999999, "7\ny");
    check_result(code, "-7");
    free(code);
    /* A wrong operand is still reported at its innermost sign. */
    code = repeat("y = ", "-", 1000000, "s");
    ck_assert_str_eq(fake_fails(code, "TypeError", NULL),
                     "cannot negate a string");
    free(code);
    /* Cut short, the cell is incomplete, not a crash. */
    code = repeat("y = ", "-", 1000000, "");
    check_complete(code, "incomplete");
    check_introspection(code);
    free(code);
}
END_TEST

START_TEST(chains_of_200000_operators)
{
    char *code = repeat("y = ", "1+", 199999, "1\ny");
    check_result(code, "200000");
    check_complete(code, "complete");
    check_introspection(code);
    free(code);
    code = repeat("y = 1", "*2/2", 100000, "-1\ny");
    check_result(code, "0");
    free(code);
    code = repeat("y = 0", "-1", 200000, "\ny");
    check_result(code, "-200000");
    free(code);
    /* A chain with a wrong operand deep inside says where. */
    code = repeat("y = 1", "+1", 150000, "+\"a\"+1");
    ck_assert_str_eq(fake_fails(code, "TypeError", NULL),
                     "cannot add a number and a string");
    free(code);
    code = repeat("", "1+", 200000, "");     /* ends with '+' */
    check_complete(code, "incomplete");
    free(code);
    code = repeat("1", "+1", 200000, "");
    check_expression(code, "ok");
    free(code);
}
END_TEST

START_TEST(a_chain_of_100000_layers_is_refused)
{
    char *code = repeat("n = relu", " -> relu", 99999, "");
    const char *said = fake_fails(code, "ValueError", NULL);
    ck_assert_str_eq(said, "the net would have 10001 layers: a net has at "
                     "most 10000");
    check_complete(code, "complete");
    check_introspection(code);
    free(code);
    fake_fails("n", "NameError", NULL);
    /* The limit holds however the chain is made of parts. */
    code = repeat("m = relu", " -> relu", 4999, "");
    fake_ok(code);
    free(code);
    fake_ok("n = m -> m");
    char *both = result("m -> m");
    check_result("n", both);
    free(both);
    fake_fails("k = m -> m -> relu", "ValueError",
               "the net would have 10001 layers: a net has at most 10000");
    /* A deep net is still checked at the element that breaks it. */
    fake_fails("k = input(2) -> m -> linear(1) -> softmax", "ShapeError",
               NULL);
}
END_TEST

START_TEST(long_loops_can_be_interrupted)
{
    char *code = repeat("n = relu", " -> relu", 9000, "");
    /* The first poll is before the statement, the next within 1024
     * layers. */
    fake_rec.interrupt_after = 1;
    ck_assert_str_eq(fake_fails(code, "KeyboardInterrupt", NULL),
                     "interrupted while building the net");
    free(code);
    code = repeat("y = 0", "+1", 100000, "");
    ck_assert_str_eq(fake_fails(code, "KeyboardInterrupt", NULL),
                     "interrupted while computing it");
    free(code);
    fake_rec.interrupt_after = -1;
    fake_fails("n", "NameError", NULL);
    fake_fails("y", "NameError", NULL);
}
END_TEST

START_TEST(lists_nested_across_10000_cells)
{
    char said[128];
    fake_ok("a = []");
    int failed = 0;
    for (int i = 0; i < 10000; i++) {
        interp_reply r;
        fake_run(fake_it, &fake_rec, "a = [a]", &r);
        if (!r.ok) {
            if (!failed++)
                snprintf(said, sizeof said, "%s: %s", r.ename, r.evalue);
        }
        reply_free(&r);
    }
    ck_assert_int_eq(failed, 10000 - 255);
    ck_assert_str_eq(said, "ValueError: lists nested too deeply (at most "
                     "256 levels)");
    /* The deepest list there is prints, joins and is freed. */
    char *shown = result("a");
    ck_assert_uint_eq(strlen(shown), 2 * 256);
    free(shown);
    fake_ok("b = a + [1]\nprint(b)");
    fake_fails("c = [1] + [a]", "ValueError", NULL);
    check_introspection("a");
    check_expression("[a]", "error");
    fake_ok("a = 1\nb = 1");
}
END_TEST

START_TEST(numbers_beyond_float_range_are_refused)
{
    fake_ok("net = input(2) -> linear(4) -> relu -> linear(1) -> sigmoid\n"
            "big = 1e400\nnan = big * 0");
    fake_fails("predict net [[0.5, 1], [1e39, 0]]", "ValueError",
               "row 2, value 1 is 1e+39: the net takes numbers within "
               "float range (at most 3.4e38)");
    fake_fails("predict net [[-1e300, 0]]", "ValueError",
               "row 1, value 1 is -1e+300: the net takes numbers within "
               "float range (at most 3.4e38)");
    fake_fails("predict net [0, nan]", "ValueError",
               "row 1, value 2 is nan: the net takes numbers within float "
               "range (at most 3.4e38)");
    fake_fails("predict net [[big, 0]]", "ValueError",
               "row 1, value 1 is inf: the net takes numbers within float "
               "range (at most 3.4e38)");
    fake_ok("predict net [[3e38, -3e38]]");   /* within range: a class */
    /* FLT_MAX as the kernel shows it reads as a double above FLT_MAX,
     * and still fits; the next float up does not */
    fake_ok("predict net [[3.4028235e38, -3.4028235e38]]");
    fake_fails("predict net [[3.4028236e38, 0]]", "ValueError",
               "row 1, value 1 is 3.4028236e+38: the net takes numbers "
               "within float range (at most 3.4e38)");
    fake_ok("d = moons(n=32, seed=1)");
    fake_fails("fit net on d, epochs=1, min_delta=1e39", "ValueError",
               "fit: min_delta is beyond the range of a float (at most "
               "3.4e38), got 1e+39");
    fake_ok("fit net on d, epochs=1, min_delta=3.4028235e38");
    fake_fails("fit net on d, epochs=1, min_delta=big", "ValueError",
               "fit: min_delta must be a finite number, got inf");
    fake_fails("fit net on d, epochs=1, optimizer=adam(betas=[nan, 0.9])",
               "ValueError", "adam: betas must be in [0, 1)");
    fake_fails("fit net on d, epochs=1, optimizer=sgd(lr=nan)", "ValueError",
               "sgd: lr must be a finite number, got nan");
    fake_fails("x = leaky_relu(slope=nan)", "ValueError",
               "leaky_relu: slope must be a finite number, got nan");
    fake_fails("x = moons(n=big)", "ValueError",
               "moons: n must be a finite number, got inf");
    fake_ok("fit net on d, epochs=1, min_delta=3e38, verbose=false");
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, a_megabyte_of_minus_signs);
    tcase_add_test(t, chains_of_200000_operators);
    tcase_add_test(t, a_chain_of_100000_layers_is_refused);
    tcase_add_test(t, long_loops_can_be_interrupted);
    tcase_add_test(t, lists_nested_across_10000_cells);
    tcase_add_test(t, numbers_beyond_float_range_are_refused);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(hostile_suite());
}
