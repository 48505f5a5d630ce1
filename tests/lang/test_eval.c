/* Cells run through the interpreter with a recording interp_out: values,
 * output, errors, help, input, and training end to end. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "lang_fixture.h"

/* Runs code; returns the text/plain result (malloc'd) or NULL. */
static char *result(const char *code)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, code, &r);
    ck_assert_msg(r.ok, "%s failed: %s", code, r.evalue ? r.evalue : "");
    const char *t = r.result
        ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    char *s = t ? strdup(t) : NULL;
    reply_free(&r);
    return s;
}

static void check_result(const char *code, const char *want)
{
    char *s = result(code);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
}

START_TEST(values_and_output)
{
    fake_ok("print(\"hello\")");
    ck_assert_str_eq(fake_rec.out, "hello\n");
    fake_ok("print(\"a\", 1, [2, \"b\"], true)\nwarn(\"careful\")");
    ck_assert_str_eq(fake_rec.out, "a 1 [2, \"b\"] true\n");
    ck_assert_str_eq(fake_rec.err, "careful\n");
    check_result("x = 1 + 2\nx", "3");
    check_result("(x + 1) * 2 / 8 - -1", "2");
    check_result("0.1 + 0.2", "0.30000000000000004");
    check_result("\"ab\" + \"c\"", "\"abc\"");
    check_result("[1, 2] + [3]", "[1, 2, 3]");
    check_result("1e-3", "0.001");
    /* Statements other than the last show nothing; assignments neither. */
    char *s = result("1\ny = 2");
    ck_assert_ptr_null(s);
    check_result("# a comment\ny  # y is 2\n", "2");
    fake_ok("clear()");
    ck_assert_int_eq(fake_rec.clears, 1);
}
END_TEST

START_TEST(errors_keep_earlier_names)
{
    fake_fails("a = 1\nb = nope\nc = 3", "NameError", "unknown name 'nope'");
    check_result("a", "1");
    fake_fails("c", "NameError", "unknown name 'c'");
    /* A syntax error anywhere runs nothing. */
    fake_fails("print(\"ran\")\nx = (1", "SyntaxError", NULL);
    ck_assert_str_eq(fake_rec.out, "");
    fake_fails("1 + \"a\"", "TypeError", "cannot add a number and a string");
    fake_fails("p, q = 1", "ValueError",
               "2 names on the left, but the right side gives 1 value");
    fake_fails("linear(0)", "ValueError",
               "linear: units must be between 1 and 1048576, got 0");
    fake_fails("linear", "TypeError", "linear needs units (see help linear)");
    fake_fails("x = relu + 1", "TypeError",
               "cannot add a net and a number (layers are joined with ->)");
    fake_fails("sgd(nesterov=true)", "ValueError",
               "sgd: nesterov needs momentum > 0, e.g. sgd(lr=0.1, "
               "momentum=0.9, nesterov=true)");
}
END_TEST

START_TEST(help_pages)
{
    interp_reply r;
    /* help is shown in the cell's output, not as a pager payload */
    fake_run(fake_it, &fake_rec, "help", &r);
    ck_assert_int_eq(r.ok, 1);
    ck_assert_ptr_null(r.payload);
    const char *md = fake_shown(&fake_rec, -1, "text/markdown");
    ck_assert_ptr_nonnull(strstr(md, "### fit"));
    ck_assert_ptr_nonnull(strstr(md, "### spirals"));
    const char *plain = fake_last_text(&fake_rec);
    ck_assert_ptr_null(strstr(plain, "###"));
    ck_assert_ptr_null(strstr(plain, "```"));
    ck_assert_ptr_nonnull(strstr(plain, "\nspirals\n-------\n"));
    reply_free(&r);

    fake_run(fake_it, &fake_rec, "help fit", &r);
    const char *txt = fake_shown(&fake_rec, -1, "text/markdown");
    ck_assert(strncmp(txt, "### fit\n", 8) == 0);
    ck_assert_ptr_nonnull(strstr(txt, "patience"));
    ck_assert_ptr_null(strstr(txt, "### evaluate"));
    txt = fake_last_text(&fake_rec);
    ck_assert(strncmp(txt, "fit\n---\n    fit net on data", 27) == 0);
    reply_free(&r);

    fake_fails("help fitt", "NameError", "no help on 'fitt'; did you mean 'fit'?");
}
END_TEST

START_TEST(ask_for_input)
{
    fake_rec.input = "Ada";
    check_result("name = ask(\"Name? \")\nname", "\"Ada\"");
    ck_assert_str_eq(fake_rec.prompt, "Name? ");
    fake_rec.input = NULL;
    fake_fails("ask(\"Name? \")", "StdinNotImplementedError", NULL);
}
END_TEST

START_TEST(nets_and_data)
{
    fake_ok("data = blobs(3, 4, n=90, seed=1)\n"
       "block = linear(8) -> relu\n"
       "net = block -> block -> linear(3) -> softmax\n"
       "fixed = input(4) -> linear(5) -> tanh -> linear(3) -> softmax");
    check_result("net",
                 "net linear(8) -> relu -> linear(8) -> relu -> linear(3) -> softmax\n"
                 "#  Layer      Output shape  Param #\n"
                 "-  ---------  ------------  ----------\n"
                 "0  linear(8)  (None, 8)     8 * in + 8\n"
                 "1  relu       (None, 8)              0\n"
                 "2  linear(8)  (None, 8)             72\n"
                 "3  relu       (None, 8)              0\n"
                 "4  linear(3)  (None, 3)             27\n"
                 "5  softmax    (None, 3)              0\n"
                 "Input width: taken from the data at the first fit (or "
                 "start the chain with input(d)).\n");
    /* input(d) builds at once: the parameter count is known. */
    fake_ok("summary fixed");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec),
                                 "Input: (None, 4). Total params: 43"));
    /* split names its parts after the names they are given. */
    fake_ok("train, test = split(data, 0.8, stratify=true)");
    char *t = result("test");
    const char *want = "test: 18 samples, 4 features, 3 classes: 0 (6), "
                       "1 (6), 2 (6)\n";
    ck_assert_msg(strncmp(t, want, strlen(want)) == 0, "%s", t);
    free(t);
}
END_TEST

/* Accuracy from evaluate's metric table: the last display, or the one
 * before it when evaluate drew a decision boundary after it. */
static double shown_accuracy(void)
{
    const char *t = strstr(fake_last_text(&fake_rec), "accuracy");
    if (!t)
        t = strstr(fake_shown(&fake_rec, -2, "text/plain"), "accuracy");
    ck_assert_ptr_nonnull(t);
    return atof(t + strlen("accuracy"));
}

/* The boundary map's count, "N of M points lie in the region of their
 * class" in the last display, agrees with the accuracy evaluate shows. */
static void assert_map_agrees(void)
{
    int own = -1, all = -1;
    const char *c = strstr(fake_last_text(&fake_rec), " points lie in");
    ck_assert_ptr_nonnull(c);
    while (c > fake_last_text(&fake_rec) && c[-1] != '\n')
        c--;
    ck_assert_int_eq(sscanf(c, "%d of %d points", &own, &all), 2);
    ck_assert_int_gt(all, 0);
    ck_assert_double_eq_tol((double)own / all, shown_accuracy(), 1e-4);
}

START_TEST(moons_end_to_end)
{
    fake_ok("data = moons(n=1000, noise=0.2, seed=7)\n"
       "train, test = split(data, 0.8)\n"
       "net = linear(16) -> relu -> linear(16) -> relu -> linear(1) -> sigmoid\n"
       "fit net on train, epochs=60, batch=32, optimizer=adam(lr=0.01), "
       "validate=test");
    /* Live plot: a display with an id, saying it is live, then updates
     * of it; when fit ends an update empties it and the final chart comes
     * as a new display (what jupyter console, which ignores updates,
     * shows); ten lines of progress and a summary line. */
    size_t n = json_array_size(fake_rec.displays);
    json_t *first = json_array_get(fake_rec.displays, 0);
    json_t *clear = json_array_get(fake_rec.displays, n - 2);
    json_t *last = json_array_get(fake_rec.displays, n - 1);
    const char *id = json_string_value(json_object_get(first, "display_id"));
    ck_assert_ptr_nonnull(id);
    ck_assert(json_is_false(json_object_get(first, "update")));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, 0, "text/plain"),
                                 "training on train: epoch 0/60 (live)"));
    ck_assert(json_is_true(json_object_get(clear, "update")));
    ck_assert_str_eq(json_string_value(json_object_get(clear, "display_id")), id);
    ck_assert_str_eq(fake_shown(&fake_rec, -2, "text/plain"), "");
    ck_assert_str_eq(fake_shown(&fake_rec, -2, "image/svg+xml"), "");
    ck_assert(json_is_false(json_object_get(last, "update")));
    ck_assert_ptr_null(json_string_value(json_object_get(last, "display_id")));
    /* Every bundle: the SVG, the same SVG as an <img> for nbconvert, and a
     * text chart. */
    ck_assert_ptr_nonnull(strstr(fake_last_html(&fake_rec), "src=\"data:image/svg+xml;base64,"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 ">training on train: epoch 60/60</text>"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "training on train: epoch 60/60\nloss "));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "\nval_accuracy "));
    /* updates come at most five times a second: far fewer than epochs */
    ck_assert_int_lt(json_array_size(fake_rec.displays), 60);
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "epoch 6/60  loss "));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "val_acc"));
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "trained 60 epochs in "));

    fake_ok("evaluate net on test");
    ck_assert(shown_accuracy() > 0.95);
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -2, "text/plain"),
                                 "confusion matrix"));
    /* per class: precision, recall, F1 and support; 200 test samples */
    const char *pc = strstr(fake_shown(&fake_rec, -2, "text/plain"), "per class\n");
    ck_assert_ptr_nonnull(pc);
    ck_assert_ptr_nonnull(strstr(pc, "support"));
    ck_assert(strstr(pc, "    99\n") || strstr(pc, "   100\n")
              || strstr(pc, "   101\n") || strstr(pc, "    9"));
    /* Two features: the decision boundary is drawn too, as a plot of its
     * own with a text map. */
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 ">decision boundary on test</text>"));
    const char *map = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(map, "points lie in the region of their class"));
    ck_assert_ptr_nonnull(strstr(map, "0 0, 1 1\n"));
    assert_map_agrees();
    /* points near the boundary: the count is of the net's answers at the
     * points, not of the map's cells */
    fake_ok("noisy = moons(n=5000, noise=0.6, seed=3)\n"
            "evaluate net on noisy");
    assert_map_agrees();

    fake_ok("predict net [[1.0, -0.5], [-1.0, 1.0]]");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "[1, -0.5]"));
    ck_assert_ptr_nonnull(strstr(t, "P(1)"));
    /* (1, -0.5) lies in the lower moon (class 1), (-1, 1) in the upper. */
    const char *row1 = strstr(t, "[1, -0.5]"), *row2 = strstr(t, "[-1, 1]");
    ck_assert_int_eq(atoi(row1 + strlen("[1, -0.5]")), 1);
    ck_assert_int_eq(atoi(row2 + strlen("[-1, 1]")), 0);
}
END_TEST

START_TEST(standardized_rows)
{
    fake_ok("data = iris\n"
       "train, test = split(data, 0.8, stratify=true, seed=3)\n"
       "train, test = standardize(train, test)\n"
       "net = linear(16) -> relu -> linear(3) -> softmax\n"
       "fit net on train, epochs=60, optimizer=adam(lr=0.02), verbose=false");
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "trained 60 epochs"));
    fake_ok("evaluate net on test");
    ck_assert(shown_accuracy() > 0.85);
    /* A raw row is standardized with the scaler of train, and says so. */
    fake_ok("predict net [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "rows standardized with the scaler of train"));
    ck_assert_ptr_nonnull(strstr(t, "setosa"));
    ck_assert_ptr_nonnull(strstr(t, "virginica"));
    /* Raw data sets are standardized the same way. */
    fake_ok("evaluate net on data");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "standardized with the scaler of train"));
    ck_assert(shown_accuracy() > 0.85);
    fake_fails("fit net on train, validate=data", "ValueError",
               "train is standardized but data is not: standardize both "
               "together (train, data = standardize(train, data))");
}
END_TEST

START_TEST(interrupt_keeps_model)
{
    fake_ok("data = xor(n=200, seed=2)\n"
       "net = linear(8) -> tanh -> linear(1) -> sigmoid");
    fake_rec.interrupt_after = 26;
    interp_reply r;
    fake_run(fake_it, &fake_rec, "fit net on data, epochs=100000, batch=16", &r);
    ck_assert_int_eq(r.ok, 0);
    ck_assert_str_eq(r.ename, "KeyboardInterrupt");
    ck_assert_ptr_nonnull(strstr(r.evalue, "keeps the weights of its last completed step"));
    /* 200 samples in batches of 16: 13 steps an epoch. The first poll is
     * before the statement, then one after each step: the 27th, after the
     * 26th step, is the first to say stop, so 2 epochs were completed. */
    ck_assert_msg(strstr(r.evalue, "epoch 2/100000 at step 13/13") != NULL,
                  "%s", r.evalue);
    reply_free(&r);
    fake_rec.interrupt_after = -1;
    fake_ok("predict net [[0.5, 0.5]]");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "P(0)"));
    fake_ok("summary net");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "Trained 2 epochs on data"));
}
END_TEST

/* fit ..., boundary=true, draw=true: three live plots, each under its own
 * id, updated with the curves; at the end each is emptied by an update
 * and the final three follow as new displays without an id. */
START_TEST(live_boundary)
{
    fake_ok("data = xor(n=200, seed=1)\n"
       "net = linear(8) -> tanh -> linear(1) -> sigmoid\n"
       "fit net on data, epochs=30, boundary=true, draw=true, "
       "verbose=false");
    const char *curves = NULL, *boundary = NULL, *diagram = NULL;
    int updates = 0;
    size_t i;
    json_t *d;
    size_t n = json_array_size(fake_rec.displays);
    json_array_foreach(fake_rec.displays, i, d) {
        const char *id = json_string_value(json_object_get(d, "display_id"));
        if (i >= n - 3) {
            ck_assert_ptr_null(id);
            ck_assert(json_is_false(json_object_get(d, "update")));
            continue;
        }
        ck_assert_ptr_nonnull(id);
        if (i >= n - 6)
            ck_assert_str_eq(fake_shown(&fake_rec, (int)i, "text/plain"), "");
        if (strstr(id, "cnn-fit-"))
            curves = id;
        else if (strstr(id, "cnn-boundary-")) {
            ck_assert(boundary == NULL || strcmp(boundary, id) == 0);
            boundary = id;
            updates += json_is_true(json_object_get(d, "update"));
        } else if (strstr(id, "cnn-draw-"))
            diagram = id;
    }
    ck_assert_ptr_nonnull(diagram);
    ck_assert_ptr_nonnull(curves);
    ck_assert_ptr_nonnull(boundary);
    ck_assert_int_ge(updates, 1);
    /* the last two displays: the boundary after the last epoch, then the
     * diagram of the trained net; the first says it is live */
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, 1, "text/plain"),
                                 "decision boundary on data: epoch 0/30 "
                                 "(live)"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -2, "image/svg+xml"),
                                 ">decision boundary on data: epoch 30/30<"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -2, "text/plain"),
                                 "of 200 points lie"));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "text/plain"),
                                 "after 30 epochs"));
    fake_fails("fit net on iris, boundary=true", "ShapeError",
               "a live decision boundary needs 2 features: iris has 4");
}
END_TEST

/* A billion epochs run in bounded memory until interrupted, and the net
 * and data stay usable. */
START_TEST(billions_of_epochs)
{
    fake_ok("data = moons(n=64, seed=1)\n"
       "net = linear(4) -> relu -> linear(1) -> sigmoid");
    fake_rec.interrupt_after = 4000;
    interp_reply r;
    fake_run(fake_it, &fake_rec, "fit net on data, epochs=2000000000, batch=64", &r);
    ck_assert_str_eq(r.ename, "KeyboardInterrupt");
    ck_assert_ptr_nonnull(strstr(r.evalue, "/2000000000"));
    reply_free(&r);
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "/2000000000\nloss "));
    /* the final chart's epoch scale ends at the epochs done (about 4000)
     * and says how many were asked for */
    const char *scale = strstr(fake_last_text(&fake_rec), "\nepoch ");
    ck_assert_ptr_nonnull(scale);
    ck_assert_ptr_nonnull(strstr(scale, " (of 2000000000)\n"));
    ck_assert_ptr_null(strstr(scale, " 2000000000 "));
    ck_assert_ptr_nonnull(strstr(fake_shown(&fake_rec, -1, "image/svg+xml"),
                                 ">epoch (of 2000000000)</text>"));
    fake_rec.interrupt_after = -1;
    fake_ok("fit net on data, epochs=5, verbose=false\nevaluate net on data");
    ck_assert(shown_accuracy() > 0.5);
}
END_TEST

/* A data set of two features shows its scatter plot with its table. */
START_TEST(two_feature_data_shows_a_scatter)
{
    fake_ok("data = circles(n=50, seed=2)");
    char *t = result("data");
    ck_assert_ptr_nonnull(strstr(t, "data: 50 samples"));
    ck_assert_ptr_nonnull(strstr(t, "\n+------"));
    ck_assert_ptr_nonnull(strstr(t, "0 0, 1 1\n"));
    free(t);
    t = result("iris");
    ck_assert_ptr_null(strstr(t, "+------"));
    free(t);
}
END_TEST

/* A learning rate far too high: training stops at the step where the loss
 * stops being finite, says where, and the net keeps working. */
START_TEST(divergence_names_the_step)
{
    fake_ok("data = blobs(k=3, d=2, n=90, spread=1, seed=1)\n"
       "net = linear(32) -> relu -> linear(3) -> softmax");
    const char *said = fake_fails("fit net on data, epochs=50, "
                                  "optimizer=sgd(lr=1000), verbose=false",
                                  "ValueError", NULL);
    ck_assert_msg(strstr(said, "training diverged; lower the "
                                              "learning rate"), "%s", said);
    ck_assert_ptr_nonnull(strstr(said, " at step "));
    /* a failed fit has no final chart: the live one is redrawn in place
     * as stopped, not left saying it is live */
    const char *last = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(last, "/50 (stopped)") != NULL, "%s", last);
    ck_assert_ptr_null(strstr(last, "(live)"));
    fake_ok("predict net [[0, 0]]");
}
END_TEST

/* plot [a, b]: the last fit of each net on one chart, named as written. */
START_TEST(compare_nets)
{
    fake_ok("data = circles(n=100, seed=3)\n"
       "a = linear(4) -> relu -> linear(1) -> sigmoid\n"
       "b = linear(4) -> tanh -> linear(1) -> sigmoid\n"
       "fit a on data, epochs=5, verbose=false\n"
       "fit b on data, epochs=8, verbose=false\n"
       "plot [a, b]");
    const char *svg = fake_shown(&fake_rec, -1, "image/svg+xml");
    ck_assert_ptr_nonnull(strstr(svg, ">a</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">b</text>"));
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "\nb accuracy "));
    fake_fails("c = linear(2)\nplot [a, c]", "ValueError",
               "c has not been fit yet: fit it first");
    fake_fails("plot [a, data]", "TypeError", "data is not a net: plot [net1, "
               "net2] compares the training curves of nets");
}
END_TEST

/* A long evaluate stops on an interrupt, between chunks of rows. */
START_TEST(evaluate_is_interruptible)
{
    fake_ok("big = blobs(k=2, d=2, n=20000, seed=1)\n"
            "net = linear(4) -> relu -> linear(1) -> sigmoid\n"
            "fit net on big, epochs=1, verbose=false");
    fake_rec.interrupt_after = 2;
    const char *said = fake_fails("evaluate net on big", "KeyboardInterrupt",
                                  NULL);
    ck_assert_str_eq(said, "evaluate interrupted after 8192 of 20000 samples");
    fake_rec.interrupt_after = -1;
    fake_ok("evaluate net on big, boundary=false");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "big: 20000 samples"));
}
END_TEST

/* Reading a large CSV file stops on an interrupt, and the data set it
 * was reading is not defined. */
START_TEST(csv_is_interruptible)
{
    char path[] = "/tmp/cnn_lang_csv_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("a,b,class\n", f);
    for (int i = 0; i < 50000; i++)
        fprintf(f, "%d,%d,%d\n", i, -i, i % 2);
    fclose(f);
    char code[256];
    snprintf(code, sizeof code, "big = csv(\"%s\")", path);
    fake_rec.interrupt_after = 3;
    const char *said = fake_fails(code, "KeyboardInterrupt", NULL);
    ck_assert_msg(strstr(said, "reading was interrupted") != NULL, "%s", said);
    fake_rec.interrupt_after = -1;
    fake_fails("big", "NameError", NULL);
    fake_ok(code);
    fake_ok("print(big)");
    ck_assert_msg(strstr(fake_rec.out, "50000 samples") != NULL, "%s",
                  fake_rec.out);
    unlink(path);
}
END_TEST

/* Saves net to a new temporary file and loads it back as `copy`;
 * returns what the save printed (the caller frees it). */
static char *reload(const char *net, const char *copy)
{
    char path[] = "/tmp/cnn_lang_test_XXXXXX", code[256];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(code, sizeof code, "save %s to \"%s\"", net, path);
    fake_ok(code);
    char *saved = strdup(fake_rec.out);
    snprintf(code, sizeof code, "%s = load(\"%s\")", copy, path);
    fake_ok(code);
    unlink(path);
    return saved;
}

START_TEST(save_and_load)
{
    fake_ok("data = circles(n=100, seed=4)\n"
       "net = linear(6) -> relu -> linear(1) -> sigmoid\n"
       "fit net on data, epochs=5, verbose=false");
    fake_ok("predict net [[0.1, 0.2], [0.9, -0.3]]");
    char *before = strdup(fake_last_text(&fake_rec));
    char *saved = reload("net", "copy");
    ck_assert_ptr_nonnull(strstr(saved, "saved the net (25 parameters)"));
    free(saved);
    fake_ok("predict copy [[0.1, 0.2], [0.9, -0.3]]");
    ck_assert_str_eq(fake_last_text(&fake_rec), before);
    free(before);
    fake_fails("x = load(\"/nonexistent/net.safetensors\")", "OSError", NULL);
}
END_TEST

/* gelu's two forms: the tanh approximation is named in the net and kept
 * by its file; anything else is refused with the two choices. */
START_TEST(gelu_forms)
{
    fake_ok("data = circles(n=100, seed=4)\n"
            "net = linear(6) -> gelu(approximate=\"tanh\") -> linear(4) "
            "-> gelu -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=5, verbose=false");
    free(reload("net", "copy"));
    char *t = result("copy");
    ck_assert_msg(strstr(t, "net input(2) -> linear(6) -> gelu(tanh) -> "
                         "linear(4) -> gelu -> linear(1) -> sigmoid\n")
                  == t, "%s", t);
    free(t);
    fake_fails("x = gelu(approximate=\"erf\")", "ValueError",
               "gelu: approximate must be \"none\" or \"tanh\", got \"erf\"");
    fake_fails("x = gelu(approximate=\"tahn\")", "ValueError",
               "gelu: approximate must be \"none\" or \"tanh\", got "
               "\"tahn\"; did you mean 'tanh'?");
    fake_fails("x = gelu(approximate=1)", "TypeError",
               "gelu: approximate must be a string, not a number");
}
END_TEST

/* A missing file is the same mistake for load and csv: OSError from both,
 * naming the file and why. */
START_TEST(missing_file_is_os_error)
{
    const char *m = fake_fails("x = csv(\"/nonexistent/data.csv\")",
                               "OSError", NULL);
    ck_assert_ptr_nonnull(strstr(m, "'/nonexistent/data.csv': No such file"));
    m = fake_fails("x = load(\"/nonexistent/net.safetensors\")", "OSError",
                   NULL);
    ck_assert_ptr_nonnull(strstr(m, "No such file"));
}
END_TEST

/* Raw features in the thousands: fit says which one and how to fix it;
 * standardized data trains without the warning. */
START_TEST(unscaled_data_warns)
{
    fake_ok("net = linear(4) -> relu -> linear(3) -> softmax\n"
       "fit net on wine, epochs=1");
    ck_assert_int_eq(check_count(fake_rec.err, "feature 'proline' of wine reaches 1680"),
                     1);
    ck_assert_ptr_nonnull(strstr(fake_rec.err, "standardize(train, test)"));
    fake_fails("a, b = standardize(wine, iris)", "ShapeError", NULL);
    fake_ok("w, v = standardize(wine, wine)\nfit net on w, epochs=1");
    ck_assert_int_eq(check_count(fake_rec.err, "warning"), 0);
}
END_TEST

/* A net that never saw class names (loaded, here with more classes than
 * any table shows) names its classes by number. */
START_TEST(unnamed_classes)
{
    fake_ok("data = blobs(70, 2, n=140, seed=3)\n"
       "net = input(2) -> linear(70) -> softmax\n"
       "evaluate net on data");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "69"));
    fake_ok("predict net [[0.1, 0.2]]");
    ck_assert_ptr_nonnull(strstr(fake_last_text(&fake_rec), "predicted"));
    fake_ok("plot net on data");
}
END_TEST

START_TEST(names_and_expressions)
{
    fake_ok("n_hidden = 8\nlayers = linear(n_hidden) -> relu");
    fake_ok("names");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_ptr_nonnull(strstr(t, "n_hidden"));
    ck_assert_ptr_nonnull(strstr(t, "net linear(8) -> relu"));
    json_t *e = fake_it->expression(fake_it->self, "n_hidden * 2");
    ck_assert_str_eq(json_string_value(json_object_get(e, "status")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(
        json_object_get(e, "data"), "text/plain")), "16");
    json_decref(e);
    e = fake_it->expression(fake_it->self, "n_hiden");
    ck_assert_str_eq(json_string_value(json_object_get(e, "status")), "error");
    ck_assert_str_eq(json_string_value(json_object_get(e, "evalue")),
                     "unknown name 'n_hiden'; did you mean 'n_hidden'?");
    json_decref(e);
    json_t *info = fake_it->kernel_info(fake_it->self);
    json_t *li = json_object_get(info, "language_info");
    ck_assert_str_eq(json_string_value(json_object_get(li, "name")), "cnn");
    ck_assert_str_eq(json_string_value(json_object_get(li, "file_extension")), ".cnn");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(info, "banner")), "OpenBLAS"));
    json_decref(info);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lang-eval");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, values_and_output);
    tcase_add_test(t, errors_keep_earlier_names);
    tcase_add_test(t, help_pages);
    tcase_add_test(t, ask_for_input);
    tcase_add_test(t, nets_and_data);
    tcase_add_test(t, moons_end_to_end);
    tcase_add_test(t, standardized_rows);
    tcase_add_test(t, interrupt_keeps_model);
    tcase_add_test(t, save_and_load);
    tcase_add_test(t, gelu_forms);
    tcase_add_test(t, evaluate_is_interruptible);
    tcase_add_test(t, compare_nets);
    tcase_add_test(t, live_boundary);
    tcase_add_test(t, billions_of_epochs);
    tcase_add_test(t, two_feature_data_shows_a_scatter);
    tcase_add_test(t, divergence_names_the_step);
    tcase_add_test(t, unnamed_classes);
    tcase_add_test(t, unscaled_data_warns);
    tcase_add_test(t, names_and_expressions);
    tcase_add_test(t, csv_is_interruptible);
    tcase_add_test(t, missing_file_is_os_error);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
