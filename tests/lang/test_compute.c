/* Computing with values: attributes, indexing, comparisons, for loops
 * (and interrupting them), a command's value assigned to a name. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lang_fixture.h"

START_TEST(indexing_picks_items)
{
    fake_shows("lst = [10, 20, 30]\nlst[0]", "10");
    fake_shows("lst = [10, 20, 30]\nlst[-1]", "30");
    fake_shows("lst = [10, 20, 30]\ni = 1\nlst[i + 1]", "30");
    fake_shows("m = [[1, 2], [3, 4]]\nm[1][0]", "3");
    fake_shows("[\"a\", [1, 2]][1][-1]", "2");
    fake_fails("lst = [1, 2]\nlst[2]", "IndexError",
               "index 2 is out of range: the list has 2 items (0 is the "
               "first, -1 the last)");
    fake_fails("lst = [1, 2]\nlst[-3]", "IndexError", NULL);
    fake_fails("lst = []\nlst[0]", "IndexError",
               "index 0 is out of range: the list has 0 items");
    fake_fails("lst = [1, 2]\nlst[0.5]", "TypeError",
               "an index is a whole number, not a fraction");
    fake_fails("lst = [1, 2]\nlst[\"a\"]", "TypeError",
               "an index is a whole number, not a string");
    fake_fails("x = 5\nx[0]", "TypeError",
               "cannot index a number: [i] picks an item of a list");
    fake_fails("lst = [1, 2]\nlst[1, 2]", "SyntaxError",
               "an index is one number: lst[0], lst[-1]");
    /* a long run of indexes is refused before it can run deep */
    char deep[64 * 3 + 32] = "m = [1]\nm";
    for (int i = 0; i < 65; i++)
        strcat(deep, "[0]");
    fake_fails(deep, "SyntaxError",
               "too many fields and indexes in a row (at most 64)");
    fake_fails("lst = [1, 2]\nlst[]", "SyntaxError",
               "an index goes between the brackets: lst[0]");
}
END_TEST

START_TEST(comparisons_give_booleans)
{
    fake_shows("1 < 2", "true");
    fake_shows("2 <= 2", "true");
    fake_shows("1 > 2", "false");
    fake_shows("3 >= 4", "false");
    fake_shows("1 + 1 == 2", "true");
    fake_shows("1 != 1", "false");
    fake_shows("\"a\" < \"b\"", "true");
    fake_shows("[1, 2] == [1, 2]", "true");
    fake_shows("[1, [2]] == [1, [3]]", "false");
    fake_shows("none == none", "true");
    fake_shows("1 == \"1\"", "false");
    fake_shows("x = [3 > 2, 2 > 3]\nx", "[true, false]");
    fake_fails("1 < \"a\"", "TypeError",
               "cannot compare a number and a string with <: numbers with "
               "numbers, strings with strings");
    fake_fails("1 < 2 < 3", "SyntaxError",
               "one comparison at a time: a < b, not a < b < c");
    fake_fails("1 ! 2", "SyntaxError",
               "'!' is not an operator on its own: 'not equal' is written "
               "!=");
}
END_TEST

START_TEST(for_loops_run_their_block)
{
    fake_ok("for x in [1, 2, 3]:\n    print(x)");
    ck_assert_str_eq(fake_rec.out, "1\n2\n3\n");
    fake_ok("total = 0\nfor x in [1, 2, 3]:\n    total = total + x\n"
            "    print(total)\nprint(\"end\", total)");
    ck_assert_str_eq(fake_rec.out, "1\n3\n6\nend 6\n");
    fake_ok("for a in [1, 2]:\n  for b in [10, 20]:\n    print(a * b)\n"
            "  print(\"-\")");
    ck_assert_str_eq(fake_rec.out, "10\n20\n-\n20\n40\n-\n");
    fake_ok("for s in [\"a\", \"b\"]: print(s)");
    ck_assert_str_eq(fake_rec.out, "a\nb\n");
    fake_ok("results = []\nfor lr in [0.1, 0.01]:\n"
            "    results = results + [[lr, lr * 2]]\n\n# done\n"
            "print(results)");
    ck_assert_str_eq(fake_rec.out, "[[0.1, 0.2], [0.01, 0.02]]\n");
    fake_ok("for x in []:\n    print(x)");
    ck_assert_str_eq(fake_rec.out, "");
    fake_shows("for x in [1, 2]:\n    x\nx", "2");
}
END_TEST

START_TEST(for_loops_written_wrong)
{
    fake_fails("for x in [1, 2]\n    print(x)", "SyntaxError",
               "expected ':' at the end of the for line, found the end of "
               "the line");
    fake_fails("for x in [1, 2]:\nprint(x)", "SyntaxError",
               "expected the loop's lines after 'for ...:', indented "
               "deeper than the for line");
    fake_fails("for x in [1, 2]:\n    print(x)\n  print(x)", "SyntaxError",
               "this line is indented by 2, the lines above it in the loop "
               "by 4: indent them the same");
    fake_fails("for 1 in [1]:\n    x = 1", "SyntaxError", NULL);
    fake_fails("for x of [1]:\n    x = 1", "SyntaxError",
               "expected 'in' (for x in [1, 2]:), found 'of'");
    fake_fails("for x in 5:\n    print(x)", "TypeError",
               "for loops over a list, not a number: for x in [1, 2, 3]:");
    fake_fails("in = 3", "SyntaxError",
               "'in' is a keyword and cannot be assigned; pick another name");
    fake_fails("for x in [1]: for y in [2]: print(y)", "SyntaxError",
               "a loop inside a loop goes on its own line, indented");
    /* what ran before the failure stays done */
    fake_fails("for x in [1, 2, 0]:\n    y = 1 / x", "ZeroDivisionError",
               NULL);
    fake_shows("[x, y]", "[0, 0.5]");
}
END_TEST

/* Interrupted at each poll in turn, a loop leaves what its finished
 * statements defined. The polls: 1 before the for, then per pass i
 * (x = i + 1) one before the pass and one before each statement. */
START_TEST(a_loop_can_be_interrupted_in_any_pass)
{
    for (int after = 0; after < 10; after++) {
        fake_ok("done = []\nlast = 0");
        fake_rec.interrupt_after = after;
        interp_reply r;
        fake_run(fake_it, &fake_rec, "for x in [1, 2, 3]:\n"
                 "    done = done + [x]\n    last = x", &r);
        ck_assert_msg(!r.ok && strcmp(r.ename, "KeyboardInterrupt") == 0,
                      "not interrupted after %d polls", after);
        reply_free(&r);
        fake_rec.interrupt_after = -1;
        int t = after + 1, items = 0, last = 0;
        if (t > 1) {
            int i = (t - 2) / 3, j = (t - 2) % 3;
            items = j == 2 ? i + 1 : i;
            last = i;
        }
        char want[64] = "[";
        for (int k = 1; k <= items; k++)
            snprintf(want + strlen(want), sizeof want - strlen(want),
                     "%s%d", k > 1 ? ", " : "", k);
        strcat(want, "]");
        fake_shows("done", want);
        snprintf(want, sizeof want, "%d", last);
        fake_shows("last", want);
    }
}
END_TEST

START_TEST(a_command_value_can_be_assigned)
{
    fake_ok("d = moons(n=40, seed=1)\nnet = linear(8) -> relu -> linear(2)\n"
            "h = fit net on d, epochs=3, verbose=false, validate=d");
    fake_shows("len(h.loss)", "3");
    fake_shows("h.epochs", "3");
    fake_shows("len(h.val_acc) == 3", "true");
    fake_shows("h.loss[-1] == h.loss[2]", "true");
    fake_shows("h.seconds >= 0", "true");
    fake_ok("h2 = fit net on d, epochs=1, verbose=false");
    fake_shows("h2.val_loss == none", "true");
    fake_ok("r = evaluate net on d, boundary=false");
    fake_shows("r.accuracy >= 0", "true");
    fake_shows("r.accuracy <= 1", "true");
    fake_shows("len(r.confusion)", "2");
    fake_shows("r.confusion[0][0] + r.confusion[0][1] + r.confusion[1][0] "
          "+ r.confusion[1][1]", "40");
    fake_shows("r.f1 >= 0", "true");
    /* the record shows as a table of its fields */
    interp_reply rep;
    fake_run(fake_it, &fake_rec, "r", &rep);
    ck_assert(rep.ok && rep.result);
    const char *t = json_string_value(json_object_get(rep.result,
                                                      "text/plain"));
    ck_assert_ptr_nonnull(strstr(t, "accuracy"));
    ck_assert_ptr_nonnull(strstr(t, "confusion"));
    ck_assert_ptr_nonnull(json_object_get(rep.result, "text/html"));
    reply_free(&rep);
    /* a command on its own line gives no result, as before */
    fake_run(fake_it, &fake_rec, "evaluate net on d, boundary=false", &rep);
    ck_assert(rep.ok && !rep.result);
    reply_free(&rep);
    fake_fails("r.acuracy", "AttributeError",
               "this record has no field 'acuracy'; did you mean "
               "'accuracy'?");
    fake_fails("net.loss", "TypeError",
               "a net has no fields: .loss works on what a command gives "
               "(r = evaluate net on test, then r.accuracy)");
    fake_fails("net.fit(d)", "SyntaxError",
               "fit is a command, not a method: write fit net on train, "
               "epochs=100");
}
END_TEST

START_TEST(a_sweep_collects_results_in_a_table)
{
    fake_ok("d = moons(n=40, seed=1)\nresults = []\n"
            "for lr in [0.1, 0.01]:\n"
            "    net = linear(4) -> relu -> linear(1) -> sigmoid\n"
            "    fit net on d, epochs=2, verbose=false, "
            "optimizer=adam(lr=lr)\n"
            "    r = evaluate net on d, boundary=false\n"
            "    results = results + [r]\n"
            "table(results)");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "accuracy"));
    /* a header, a rule and two rows */
    int lines = 1;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 4);
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec), "<table"));
    fake_shows("len(results)", "2");
    fake_fails("table([1, 2])", "TypeError",
               "table: takes a list of records (results = results + "
               "[evaluate net on test]), or a list of rows and "
               "columns=[\"name\", ...] naming each item, not a list");
    fake_ok("rows = []\nfor lr in [0.1, 0.01]:\n"
            "    rows = rows + [[lr, \"adam\", lr > 0.05]]\n"
            "table(rows, columns=[\"lr\", \"optimizer\", \"big\"])");
    ck_assert_str_eq(fake_last_text(&fake_rec),
                     "  lr  optimizer  big\n"
                     "----  ---------  -----\n"
                     " 0.1  adam       true\n"
                     "0.01  adam       false");
    fake_fails("table([[1, 2, 3]], columns=[\"a\"])", "TypeError", NULL);
}
END_TEST

START_TEST(numbers_of_lists)
{
    fake_shows("len([1, 2, 3])", "3");
    fake_shows("len(\"héllo\")", "5");
    fake_shows("len([])", "0");
    fake_shows("len(moons(n=30))", "30");
    fake_shows("min([3, 1, 2])", "1");
    fake_shows("max(3, 1, 2)", "3");
    fake_shows("mean([1, 2, 3, 4])", "2.5");
    fake_shows("round(2.71828, 2)", "2.72");
    fake_shows("round(2.5)", "3");
    fake_shows("round([1.26, 2.71], 1)", "[1.3, 2.7]");
    fake_fails("len(5)", "TypeError",
               "len: takes a list, a string, a data set or a record, not a "
               "number");
    fake_fails("min([])", "ValueError",
               "min of nothing: give a list with at least one number");
    fake_fails("max([1, \"a\"])", "TypeError",
               "max takes numbers, or one list of numbers: item 2 is not a "
               "number");
    fake_fails("round(\"a\")", "TypeError",
               "round: rounds a number or a list of numbers, not a string");
}
END_TEST


/* Reads a file whole (the test's), or fails. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

START_TEST(data_and_predictions_save_as_csv)
{
    fake_ok("d = iris\nsave d to \"iris_out.csv\"");
    ck_assert_str_eq(fake_rec.out, "saved 150 rows to iris_out.csv\n");
    const char *t = slurp("iris_out.csv");
    ck_assert_ptr_nonnull(strstr(t, ",class\n"));
    ck_assert_ptr_nonnull(strstr(t, "setosa\n"));
    fake_ok("back = csv(\"iris_out.csv\")");
    fake_shows("len(back)", "150");
    fake_ok("print(back)");
    ck_assert_str_eq(fake_rec.out,
                     "data set back: 150 samples, 4 features, 3 classes\n");
    fake_ok("net = linear(8) -> relu -> linear(3) -> softmax\n"
            "fit net on d, epochs=2, verbose=false\n"
            "p = predict net on d, limit=5");
    /* the table shows 5 rows; the value holds all 150 */
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "... 145 more rows (limit=5)"));
    fake_shows("len(p.class)", "150");
    fake_shows("len(p.prob[0])", "3");
    fake_shows("len(p.inputs[4])", "4");
    fake_ok("save p to \"pred_out.csv\"");
    t = slurp("pred_out.csv");
    ck_assert_ptr_nonnull(strstr(t, ",p0,p1,p2,class\n"));
    fake_ok("pb = csv(\"pred_out.csv\")");
    fake_shows("len(pb)", "150");
    fake_ok("q = predict net [[5.1, 3.5, 1.4, 0.2]]");
    fake_shows("len(q.features)", "4");
    fake_fails("save 5 to \"x.csv\"", "TypeError",
               "save writes a net, a data set or predictions (p = predict "
               "net on test), not a number");
    fake_fails("save d to \"no/such/dir/x.csv\"", "OSError", NULL);
    /* what save writes, csv reads back as it was: a name's surrounding
     * spaces are kept (quoted), numbers bit for bit in few digits */
    FILE *f = fopen("spaced.csv", "w");
    ck_assert_ptr_nonnull(f);
    fputs("\" a \",b,class\n0.1,3.4028235e38,\" x\"\n-0,1e-45,y\n", f);
    ck_assert_int_eq(fclose(f), 0);
    fake_ok("s = csv(\"spaced.csv\")\nsave s to \"spaced_out.csv\"");
    ck_assert_str_eq(slurp("spaced_out.csv"),
                     "\" a \",b,class\n0.1,3.4028235e+38,\" x\"\n"
                     "-0,1.4013e-45,y\n");
    remove("spaced.csv");
    remove("spaced_out.csv");
    remove("iris_out.csv");
    remove("pred_out.csv");
}
END_TEST

START_TEST(weights_and_activations_are_numbers)
{
    fake_ok("d = moons(n=40, seed=1)\n"
            "net = linear(3) -> relu -> linear(1) -> sigmoid\n"
            "fit net on d, epochs=1, verbose=false");
    fake_shows("weights(net, 1).shape", "[3, 2]");
    fake_shows("len(weights(net, 1).values[2])", "2");
    fake_shows("bias(net, 2).shape", "[1]");
    fake_shows("weights(net, layer=2).layer", "\"linear 2 (3 -> 1) weights\"");
    fake_ok("w = weights(net, 1)\nw");
    interp_reply r;
    fake_run(fake_it, &fake_rec, "weights(net, 1)", &r);
    ck_assert(r.ok && r.result);
    const char *t = json_string_value(json_object_get(r.result,
                                                      "text/plain"));
    ck_assert_msg(strncmp(t, "linear 1 (2 -> 3) weights, shape [3 x 2]\n",
                          41) == 0, "%s", t);
    ck_assert_ptr_nonnull(strstr(t, "in 2"));
    ck_assert_ptr_nonnull(strstr(t, "out 3"));
    reply_free(&r);
    fake_ok("a = activations(net, [[0.5, -0.2]])");
    fake_shows("a.layers", "[\"1 linear(3)\", \"2 relu\", \"3 linear(1)\", "
          "\"4 sigmoid\"]");
    fake_shows("len(a.outputs[1])", "3");
    fake_shows("min(a.outputs[1]) >= 0", "true");
    fake_shows("a.outputs[3][0] > 0", "true");
    fake_fails("weights(net, 3)", "ValueError",
               "weights: the net has 2 linear layers: layer is from 1 to 2");
    fake_fails("activations(net, [[1, 2, 3]])", "ShapeError",
               "activations takes one row of 2 numbers: [[x1, ...]]");
}
END_TEST

START_TEST(a_session_seed_is_every_default_seed)
{
    fake_ok("a = moons(n=20, seed=7)\nb = moons(n=20)");
    fake_shows("a == b", "false");
    fake_ok("seed(7)\nc = moons(n=20)\nd = moons(n=20, seed=3)");
    fake_ok("e = moons(n=20, seed=7)");
    fake_shows("c == e", "false");   /* data sets compare by identity */
    fake_shows("len(c)", "20");
    /* the same points: the same predictions of a net fit the same way */
    fake_ok("net = linear(4) -> relu -> linear(1) -> sigmoid\n"
            "h1 = fit net on c, epochs=3, verbose=false\n"
            "net = linear(4) -> relu -> linear(1) -> sigmoid\n"
            "h2 = fit net on e, epochs=3, verbose=false, seed=7");
    fake_shows("h1.loss == h2.loss", "true");
    fake_ok("net = linear(4) -> relu -> linear(1) -> sigmoid\n"
            "h3 = fit net on e, epochs=3, verbose=false, seed=1");
    fake_shows("h1.loss == h3.loss", "false");
    fake_fails("seed(-1)", "ValueError", NULL);
}
END_TEST

START_TEST(a_name_cannot_hide_a_builtin)
{
    fake_fails("relu = linear(4)", "SyntaxError",
               "'relu' is a builtin layer and cannot be redefined; pick "
               "another name, such as my_relu");
    fake_fails("iris = 5", "SyntaxError",
               "'iris' is a builtin data set and cannot be redefined; pick "
               "another name, such as my_iris");
    fake_fails("seed = 5", "SyntaxError",
               "'seed' is a builtin function and cannot be redefined; pick "
               "another name, such as my_seed (seed(5) sets the seed of "
               "everything after it)");
    fake_fails("a, max = [1, 2]", "SyntaxError", NULL);
    fake_fails("for len in [1]:\n    print(len)", "SyntaxError", NULL);
}
END_TEST

static Suite *compute_suite(void)
{
    Suite *s = suite_create("compute");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_add_test(t, indexing_picks_items);
    tcase_add_test(t, comparisons_give_booleans);
    tcase_add_test(t, for_loops_run_their_block);
    tcase_add_test(t, for_loops_written_wrong);
    tcase_add_test(t, a_loop_can_be_interrupted_in_any_pass);
    tcase_add_test(t, a_command_value_can_be_assigned);
    tcase_add_test(t, a_sweep_collects_results_in_a_table);
    tcase_add_test(t, numbers_of_lists);
    tcase_add_test(t, data_and_predictions_save_as_csv);
    tcase_add_test(t, weights_and_activations_are_numbers);
    tcase_add_test(t, a_session_seed_is_every_default_seed);
    tcase_add_test(t, a_name_cannot_hide_a_builtin);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(compute_suite());
}
