/* Lexer, parser, error formatting, is_complete, complete and inspect. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "complete.h"
#include "diag.h"
#include "fake_out.h"
#include "lex.h"
#include "parse.h"
#include "registry.h"

static interp *it;

static void setup(void)
{
    it = lang_interp_new(&commands_library);
    ck_assert_ptr_nonnull(it);
}

static void teardown(void)
{
    it->free(it->self);
}

/* ---- lexer ----------------------------------------------------------- */

START_TEST(lex_tokens)
{
    arena a;
    arena_init(&a);
    lex_result r;
    lang_err e;
    ck_assert_int_eq(lex_run("x = 1.5e-1 -> \"a\\n\" # note\n[2]", &a, &r, &e), 0);
    tok_kind want[] = { T_NAME, T_ASSIGN, T_NUMBER, T_ARROW, T_STRING,
                        T_NEWLINE, T_NUMS, T_EOF };
    ck_assert_int_eq(r.n, 8);
    for (int i = 0; i < r.n; i++)
        ck_assert_int_eq(r.toks[i].kind, want[i]);
    ck_assert_str_eq(r.toks[0].str, "x");
    ck_assert(r.toks[2].num == 0.15);
    ck_assert_str_eq(r.toks[4].str, "a\n");
    ck_assert_int_eq(r.toks[4].pos, 14);
    ck_assert_int_eq(r.toks[6].pos, 27);
    ck_assert_int_eq(r.toks[6].len, 3);
    ck_assert_int_eq(r.toks[6].nums->n, 1);
    ck_assert(r.toks[6].nums->nums[0] == 2);
    ck_assert_int_eq(r.end, LEX_END_OK);
    lex_free(&r);
    /* a literal of numbers is one token, blanks, comments and all */
    ck_assert_int_eq(lex_run("[ [1, - -2.5e1,], # c ]\n [.5, -3 ]\n]", &a,
                             &r, &e), 0);
    ck_assert_int_eq(r.n, 2);
    ck_assert_int_eq(r.toks[0].kind, T_NUMS);
    const lex_nums *l = r.toks[0].nums;
    ck_assert_int_eq(l->n, 2);
    ck_assert_int_eq(l->cols, 2);
    ck_assert_int_eq(l->depth, 2);
    ck_assert(l->nums[0] == 1 && l->nums[1] == 25 && l->nums[2] == 0.5
              && l->nums[3] == -3);
    lex_free(&r);
    /* anything else in it: tokens as usual */
    ck_assert_int_eq(lex_run("[1, 2 -> 3]", &a, &r, &e), 0);
    ck_assert_int_eq(r.n, 8);
    ck_assert_int_eq(r.toks[0].kind, T_LBRACK);
    lex_free(&r);
    ck_assert_int_eq(lex_run("[1, 2e]", &a, &r, &e), -1);
    ck_assert_str_eq(e.msg, "a name cannot start with a digit");
    arena_free(&a);
}
END_TEST

START_TEST(lex_continuation)
{
    arena a;
    arena_init(&a);
    lex_result r;
    lang_err e;
    /* No newline token after '->', ',' or inside brackets. */
    ck_assert_int_eq(lex_run("a ->\n b\nf(1,\n2)\n", &a, &r, &e), 0);
    int newlines = 0;
    for (int i = 0; i < r.n; i++)
        newlines += r.toks[i].kind == T_NEWLINE;
    ck_assert_int_eq(newlines, 2);
    lex_free(&r);
    ck_assert_int_eq(lex_run("linear(16) -> relu ->", &a, &r, &e), 0);
    ck_assert_int_eq(r.end, LEX_END_CONTINUE);
    lex_free(&r);
    ck_assert_int_eq(lex_run("f(1, [2", &a, &r, &e), 0);
    ck_assert_int_eq(r.end, LEX_END_OPEN);
    lex_free(&r);
    ck_assert_int_eq(lex_run("print(\"abc", &a, &r, &e), -1);
    ck_assert_int_eq(r.end, LEX_END_STRING);
    ck_assert_int_eq(lex_run("x = 1)", &a, &r, &e), -1);
    ck_assert_int_eq(r.end, LEX_END_BAD);
    ck_assert_str_eq(e.msg, "')' without a matching '('");
    ck_assert_int_eq(e.pos, 5);
    arena_free(&a);
}
END_TEST

/* ---- parser ---------------------------------------------------------- */

static int parse_str(const char *src, arena *a, cell *c, lang_err *e)
{
    lex_result r;
    int at_end;
    if (lex_run(src, a, &r, e) < 0)
        return -1;
    int rc = parse_cell(&r, &commands_library, a, c, e, &at_end);
    lex_free(&r);
    return rc;
}

START_TEST(parse_statements)
{
    arena a;
    arena_init(&a);
    cell c;
    lang_err e;
    const char *src =
        "train, test = split(data, 0.8)\n"
        "net = linear(16) -> relu ->\n"
        "      linear(1) -> sigmoid\n"
        "fit net on train, epochs=200, optimizer=adam(lr=0.01)\n"
        "predict net [[0.5, -0.2]]\n"
        "1 + 2 * 3\n";
    ck_assert_int_eq(parse_str(src, &a, &c, &e), 0);
    ck_assert_int_eq(c.n, 5);
    ck_assert_int_eq(c.stmts[0].kind, S_ASSIGN);
    ck_assert_int_eq(c.stmts[0].ntargets, 2);
    ck_assert_str_eq(c.stmts[0].targets[1], "test");
    ck_assert_int_eq(c.stmts[1].expr->kind, N_CHAIN);
    ck_assert_int_eq(c.stmts[1].expr->nkids, 4);
    const node *fit = c.stmts[2].expr;
    ck_assert_int_eq(c.stmts[2].kind, S_COMMAND);
    ck_assert_str_eq(fit->str, "fit");
    ck_assert_int_eq(fit->nkids, 4);
    ck_assert_ptr_null(fit->keys[1]);
    ck_assert_str_eq(fit->keys[2], "epochs");
    ck_assert_str_eq(fit->keys[3], "optimizer");
    const node *pred = c.stmts[3].expr;
    ck_assert_int_eq(pred->nkids, 2);
    /* rows of numbers: one node holding them, not a node per number */
    const node *rows = pred->kids[1];
    ck_assert_int_eq(rows->kind, N_NUMS);
    ck_assert_int_eq(rows->nkids, 1);
    ck_assert_int_eq(rows->cols, 2);
    ck_assert_int_eq(rows->depth, 2);
    ck_assert(rows->nums[0] == 0.5 && rows->nums[1] == -0.2);
    const node *sum = c.stmts[4].expr;
    ck_assert_int_eq(sum->kind, N_BINOP);
    ck_assert_int_eq(sum->op, '+');
    ck_assert_int_eq(sum->kids[1]->op, '*');
    arena_free(&a);
}
END_TEST

/* Lists of numbers and of rows of numbers of one width are one N_NUMS
 * node; anything else in a list, or rows of two widths, are not. */
START_TEST(parse_number_literals)
{
    static const struct {
        const char *src;
        node_kind kind;
        int n, cols, depth;
    } cases[] = {
        { "[1, - -2, -3,]", N_NUMS, 3, 1, 1 },
        { "[[1, 2], [3, 4], [5, 6]]", N_NUMS, 3, 2, 2 },
        { "[[1], [2],]", N_NUMS, 2, 1, 2 },
        { "[]", N_LIST, 0, 0, 0 },
        { "[[]]", N_LIST, 1, 0, 0 },
        { "[1, x]", N_LIST, 2, 0, 0 },
        { "[1, 2 + 3]", N_LIST, 2, 0, 0 },
        { "[[1, 2], [3]]", N_LIST, 2, 0, 0 },
        { "[[1, 2], 3]", N_LIST, 2, 0, 0 },
        { "[[[1]]]", N_LIST, 1, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena a;
        arena_init(&a);
        cell c;
        lang_err e;
        ck_assert_int_eq(parse_str(cases[i].src, &a, &c, &e), 0);
        const node *n = c.stmts[0].expr;
        ck_assert_msg(n->kind == cases[i].kind, "%s", cases[i].src);
        ck_assert_int_eq(n->nkids, cases[i].n);
        if (n->kind == N_NUMS) {
            ck_assert_int_eq(n->cols, cases[i].cols);
            ck_assert_int_eq(n->depth, cases[i].depth);
        }
        arena_free(&a);
    }
    arena a;
    arena_init(&a);
    cell c;
    lang_err e;
    ck_assert_int_eq(parse_str("[1, - -2, -3,]", &a, &c, &e), 0);
    const double *x = c.stmts[0].expr->nums;
    ck_assert(x[0] == 1 && x[1] == 2 && x[2] == -3);
    arena_free(&a);
}
END_TEST

START_TEST(parse_errors)
{
    arena a;
    arena_init(&a);
    cell c;
    lang_err e;
    ck_assert_int_eq(parse_str("fit net train", &a, &c, &e), -1);
    ck_assert_str_eq(e.msg, "expected 'on' (fit net on train, epochs=100), "
                            "found 'train'");
    ck_assert_int_eq(parse_str("fit = 3", &a, &c, &e), -1);
    ck_assert_str_eq(e.msg, "'fit' is a keyword and cannot be assigned; "
                            "pick another name");
    ck_assert_int_eq(parse_str("f(a=1, 2)", &a, &c, &e), -1);
    ck_assert_str_eq(e.msg, "a positional argument cannot follow a keyword "
                            "argument (name=value)");
    ck_assert_int_eq(parse_str("x = (1 + 2", &a, &c, &e), -1);
    arena_free(&a);
}
END_TEST

/* ---- error messages, exactly as a user reads them -------------------- */

/* Runs code, expects an error, compares ename and the plain traceback. */
static void expect_error(const char *code, const char *ename,
                         const char *traceback)
{
    fake_out f = { 0 };
    interp_out o;
    interp_reply r;
    fake_init(&f, &o);
    fake_run(it, &f, code, &r);
    ck_assert_int_eq(r.ok, 0);
    ck_assert_str_eq(r.ename, ename);
    char *tb = plain_traceback(&r);
    ck_assert_str_eq(tb, traceback);
    free(tb);
    reply_free(&r);
    fake_free(&f);
}

START_TEST(golden_errors)
{
    expect_error("undefined_name", "NameError",
                 "line 1, column 1:\n"
                 "    undefined_name\n"
                 "    ^^^^^^^^^^^^^^\n"
                 "NameError: unknown name 'undefined_name'\n");
    expect_error("x = 1\nnet = linear(16) -> rleu -> linear(1) -> sigmoid",
                 "NameError",
                 "line 2, column 21:\n"
                 "    net = linear(16) -> rleu -> linear(1) -> sigmoid\n"
                 "                        ^^^^\n"
                 "NameError: unknown layer 'rleu'; did you mean 'relu'?\n");
    expect_error("data = mons(n=100)", "NameError",
                 "line 1, column 8:\n"
                 "    data = mons(n=100)\n"
                 "           ^^^^\n"
                 "NameError: unknown function 'mons'; did you mean 'moons'?\n");
    expect_error("data = moons(n=100, nosie=0.2)", "TypeError",
                 "line 1, column 21:\n"
                 "    data = moons(n=100, nosie=0.2)\n"
                 "                        ^^^^^\n"
                 "TypeError: moons has no parameter 'nosie'; did you mean "
                 "'noise'?\n");
    expect_error("x = [1, 2\ny = 3", "SyntaxError",
                 "line 2, column 1:\n"
                 "    y = 3\n"
                 "    ^\n"
                 "SyntaxError: expected ',' or ']', found 'y'\n");
    /* the mistakes students make */
    expect_error("fti net on train", "SyntaxError",
                 "line 1, column 1:\n"
                 "    fti net on train\n"
                 "    ^^^\n"
                 "SyntaxError: unknown command 'fti'; did you mean 'fit'? "
                 "(fit net on train, epochs=100)\n");
    expect_error("d = moons\nnet = linear(2)\nfit net on d, batch_size=16",
                 "TypeError",
                 "line 3, column 15:\n"
                 "    fit net on d, batch_size=16\n"
                 "                  ^^^^^^^^^^\n"
                 "TypeError: fit has no parameter 'batch_size': here it is "
                 "called batch (batch=...)\n");
    expect_error("o = adam(learning_rate=0.1)", "TypeError",
                 "line 1, column 10:\n"
                 "    o = adam(learning_rate=0.1)\n"
                 "             ^^^^^^^^^^^^^\n"
                 "TypeError: adam has no parameter 'learning_rate': here it "
                 "is called lr (lr=...)\n");
    expect_error("d = moons\nnet = linear(2)\nfit net on d, lr=0.1",
                 "TypeError",
                 "line 3, column 15:\n"
                 "    fit net on d, lr=0.1\n"
                 "                  ^^\n"
                 "TypeError: fit has no parameter 'lr': the learning rate "
                 "belongs to the optimizer, optimizer=adam(lr=0.01)\n");
    expect_error("net.fit(train)", "SyntaxError",
                 "line 1, column 5:\n"
                 "    net.fit(train)\n"
                 "        ^^^\n"
                 "SyntaxError: fit is a command, not a method: write fit "
                 "net on train, epochs=100\n");
    expect_error("x = 1; y = 2", "SyntaxError",
                 "line 1, column 6:\n"
                 "    x = 1; y = 2\n"
                 "         ^\n"
                 "SyntaxError: one statement per line: put what follows "
                 "';' on a new line\n");
    expect_error("net = linear(4) \xe2\x86\x92 relu", "SyntaxError",
                 "line 1, column 17:\n"
                 "    net = linear(4) \xe2\x86\x92 relu\n"
                 "                    ^\n"
                 "SyntaxError: '\xe2\x86\x92' (U+2192) looks like '->' but "
                 "is another character: type '->' instead\n");
    expect_error("d = csv(\xe2\x80\x9ciris.csv\xe2\x80\x9d)", "SyntaxError",
                 "line 1, column 9:\n"
                 "    d = csv(\xe2\x80\x9ciris.csv\xe2\x80\x9d)\n"
                 "            ^\n"
                 "SyntaxError: '\xe2\x80\x9c' (U+201C) looks like '\"' but "
                 "is another character: type '\"' instead\n");
    expect_error("x =\xc2\xa0" "1", "SyntaxError",
                 "line 1, column 4:\n"
                 "    x =\xc2\xa0" "1\n"
                 "       ^\n"
                 "SyntaxError: '\xc2\xa0' (U+00A0) looks like a plain space "
                 "but is another character: type a plain space instead\n");
    expect_error("print(1_000)", "SyntaxError",
                 "line 1, column 7:\n"
                 "    print(1_000)\n"
                 "          ^^^^^\n"
                 "SyntaxError: numbers are written without '_': 1_000 is "
                 "written without the underscores (1000, not 1_000)\n");
    expect_error("relu = linear(4)", "SyntaxError",
                 "line 1, column 1:\n"
                 "    relu = linear(4)\n"
                 "    ^^^^\n"
                 "SyntaxError: 'relu' is a builtin layer and cannot be "
                 "redefined; pick another name, such as my_relu\n");
    /* Columns count code points: the caret sits under the name. */
    expect_error("s = \"héllo\" + zz", "NameError",
                 "line 1, column 15:\n"
                 "    s = \"héllo\" + zz\n"
                 "                  ^^\n"
                 "NameError: unknown name 'zz'\n");
    expect_error("x = 1 / 0", "ZeroDivisionError",
                 "line 1, column 9:\n"
                 "    x = 1 / 0\n"
                 "            ^\n"
                 "ZeroDivisionError: division by zero\n");
    expect_error("data = xor(n=40)\n"
                 "net = linear(4) -> relu -> linear(1) -> sigmoid\n"
                 "fit net on data, epochs=-3", "ValueError",
                 "line 3, column 25:\n"
                 "    fit net on data, epochs=-3\n"
                 "                            ^^\n"
                 "ValueError: fit: epochs must be between 1 and 2147483647, "
                 "got -3\n");
    expect_error("data = blobs(3, n=60)\n"
                 "net = linear(8) -> relu -> linear(1) -> sigmoid\n"
                 "fit net on data, epochs=1", "ShapeError",
                 "line 3, column 1:\n"
                 "    fit net on data, epochs=1\n"
                 "    ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
                 "ShapeError: net ends in 1 output with sigmoid, but 'data' "
                 "has 3 classes: end it with linear(3) -> softmax\n");
    /* A literal of numbers has no node per number; the item that is
     * not a net is still pointed at, as written. */
    expect_error("plot [ - 1.50, # a comment, ]\n 2]", "TypeError",
                 "line 1, column 8:\n"
                 "    plot [ - 1.50, # a comment, ]\n"
                 "           ^^^^^^\n"
                 "TypeError: - 1.50 is not a net: plot [net1, net2] compares "
                 "the training curves of nets\n");
    /* where a literal of numbers is out of place, its '[' is shown */
    expect_error("x = 1 [1, 2]", "SyntaxError",
                 "line 1, column 7:\n"
                 "    x = 1 [1, 2]\n"
                 "          ^\n"
                 "SyntaxError: expected the end of the line, found '['\n");
    expect_error("d = moons(n=10, [1, 2])", "SyntaxError",
                 "line 1, column 17:\n"
                 "    d = moons(n=10, [1, 2])\n"
                 "                    ^\n"
                 "SyntaxError: a positional argument cannot follow a keyword "
                 "argument (name=value)\n");
    expect_error("plot ( [[1, 2],\n[3, 4]])", "TypeError",
                 "line 1, column 9:\n"
                 "    plot ( [[1, 2],\n"
                 "            ^^^^^^\n"
                 "TypeError: [1, 2] is not a net: plot [net1, net2] compares "
                 "the training curves of nets\n");
    expect_error("net = input(2) -> linear(1) -> softmax", "ShapeError",
                 "line 1, column 32:\n"
                 "    net = input(2) -> linear(1) -> softmax\n"
                 "                                   ^^^^^^^\n"
                 "ShapeError: softmax over 1 output is always 1: for two "
                 "classes end with linear(1) -> sigmoid or linear(2) -> "
                 "softmax\n");
}
END_TEST

START_TEST(nearest_names)
{
    const char *c[] = { "relu", "leaky_relu", "linear", "sigmoid" };
    ck_assert_str_eq(diag_nearest("rleu", c, 4), "relu");
    ck_assert_str_eq(diag_nearest("sigmod", c, 4), "sigmoid");
    ck_assert_str_eq(diag_nearest("lineer", c, 4), "linear");
    ck_assert_ptr_null(diag_nearest("softmax", c, 4));
}
END_TEST

/* ---- is_complete ------------------------------------------------------ */

static void expect_complete(const char *code, const char *status,
                            const char *indent)
{
    json_t *r = it->is_complete(it->self, code);
    ck_assert_str_eq(json_string_value(json_object_get(r, "status")), status);
    json_t *ind = json_object_get(r, "indent");
    if (indent)
        ck_assert_str_eq(json_string_value(ind), indent);
    else
        ck_assert_ptr_null(ind);
    json_decref(r);
}

START_TEST(is_complete_cases)
{
    expect_complete("x = 1 + 2", "complete", NULL);
    expect_complete("1 +", "incomplete", "");
    expect_complete("linear(16) -> relu ->", "incomplete", "");
    expect_complete("fit net on train,", "incomplete", "");
    expect_complete("data = moons(n=100,\n", "incomplete", "    ");
    expect_complete("x = [1, [2", "incomplete", "    ");
    expect_complete("print(\"abc", "incomplete", "");
    expect_complete("x = 1)", "invalid", NULL);
    expect_complete("x = = 2", "invalid", NULL);
    expect_complete("fit net", "incomplete", "");
    /* a loop waits for its lines, and then for a blank line */
    expect_complete("for x in [1, 2]:", "incomplete", "    ");
    expect_complete("for x in [1, 2]:\n    print(x)", "incomplete", "    ");
    expect_complete("for x in [1, 2]:\n    print(x)\n", "complete", NULL);
    expect_complete("x = [1]\nx[0]", "complete", NULL);
}
END_TEST

/* ---- complete ---------------------------------------------------------- */

static json_t *complete_at(const char *code, int cursor)
{
    return it->complete(it->self, code, cursor);
}

static int has_match(json_t *r, const char *m)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "matches"), i, v)
        if (strcmp(json_string_value(v), m) == 0)
            return 1;
    return 0;
}

static int cursor(json_t *r, const char *which)
{
    return (int)json_integer_value(json_object_get(r, which));
}

START_TEST(complete_names)
{
    json_t *r = complete_at("pri", 3);
    ck_assert(has_match(r, "print"));
    ck_assert_int_eq(cursor(r, "cursor_start"), 0);
    ck_assert_int_eq(cursor(r, "cursor_end"), 3);
    json_decref(r);

    /* Parameters of a command after its comma. */
    r = complete_at("fit net on train, epo", 21);
    ck_assert(has_match(r, "epochs="));
    ck_assert_int_eq(cursor(r, "cursor_start"), 18);
    json_decref(r);

    /* Parameters of a call, and layers in a chain. */
    r = complete_at("d = moons(n=10, no", 18);
    ck_assert(has_match(r, "noise="));
    json_decref(r);
    r = complete_at("net = linear(4) -> re", 21);
    ck_assert(has_match(r, "relu"));
    ck_assert(!has_match(r, "print"));
    json_decref(r);

    /* Defined names; positions in code points after non-ASCII text. */
    fake_out f = { 0 };
    interp_out o;
    interp_reply rep;
    fake_init(&f, &o);
    fake_run(it, &f, "température = 20", &rep);
    ck_assert_int_eq(rep.ok, 0);   /* names are ASCII */
    reply_free(&rep);
    fake_run(it, &f, "training_set = xor(n=10)", &rep);
    ck_assert_int_eq(rep.ok, 1);
    reply_free(&rep);
    fake_free(&f);
    r = complete_at("print(\"é→\", trai", 16);
    ck_assert(has_match(r, "training_set"));
    ck_assert_int_eq(cursor(r, "cursor_start"), 12);
    ck_assert_int_eq(cursor(r, "cursor_end"), 16);
    json_decref(r);
    /* The cursor in the middle of a word replaces the whole word. */
    r = complete_at("x = trai + 1", 6);
    ck_assert_int_eq(cursor(r, "cursor_start"), 4);
    ck_assert_int_eq(cursor(r, "cursor_end"), 8);
    json_decref(r);
}
END_TEST

/* The kind metadata gives match m, or NULL. */
static const char *match_type(json_t *r, const char *m)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(r, "metadata"),
                                       "_jupyter_types_experimental"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "text")), m) == 0)
            return json_string_value(json_object_get(v, "type"));
    return NULL;
}

START_TEST(complete_by_context)
{
    /* after -> only layers */
    json_t *r = complete_at("net = linear(4) -> ", 19);
    ck_assert(has_match(r, "relu") && has_match(r, "linear"));
    ck_assert(!has_match(r, "moons") && !has_match(r, "adam")
              && !has_match(r, "false"));
    ck_assert_str_eq(match_type(r, "relu"), "class");
    json_decref(r);
    /* after optimizer= only optimizers */
    r = complete_at("fit net on train, optimizer=", 28);
    ck_assert(has_match(r, "adam") && has_match(r, "sgd"));
    ck_assert(!has_match(r, "relu") && !has_match(r, "epochs="));
    json_decref(r);
    r = complete_at("fit net on train, optimizer=ad", 30);
    ck_assert(has_match(r, "adam") && has_match(r, "adamw"));
    ck_assert(!has_match(r, "add"));
    ck_assert_int_eq(cursor(r, "cursor_start"), 28);
    json_decref(r);
    /* after loss= the loss names, quoted; inside the string bare */
    r = complete_at("fit net on train, loss=", 23);
    ck_assert(has_match(r, "\"cross_entropy\"") && has_match(r, "\"mse\"")
              && has_match(r, "\"auto\"") && has_match(r, "\"huber\""));
    ck_assert(!has_match(r, "relu"));
    json_decref(r);
    r = complete_at("fit net on train, loss=\"cr", 26);
    ck_assert(has_match(r, "cross_entropy"));
    ck_assert_int_eq(json_array_size(json_object_get(r, "matches")), 1);
    ck_assert_int_eq(cursor(r, "cursor_start"), 24);
    json_decref(r);
    /* after help only builtins, each with its kind */
    r = complete_at("help ", 5);
    ck_assert(has_match(r, "fit") && has_match(r, "moons"));
    ck_assert(!has_match(r, "false") && !has_match(r, "on"));
    ck_assert_str_eq(match_type(r, "fit"), "keyword");
    ck_assert_str_eq(match_type(r, "moons"), "instance");
    ck_assert_str_eq(match_type(r, "print"), "function");
    json_decref(r);
    /* after a record's name and '.', its fields */
    fake_out f = { 0 };
    interp_out o;
    interp_reply rep;
    fake_init(&f, &o);
    fake_run(it, &f, "d = xor(n=8)\nnet = linear(2)\n"
             "h = fit net on d, epochs=1, verbose=false", &rep);
    ck_assert_int_eq(rep.ok, 1);
    reply_free(&rep);
    fake_free(&f);
    r = complete_at("print(h.val", 11);
    ck_assert(has_match(r, "val_loss") && has_match(r, "val_acc"));
    ck_assert(!has_match(r, "loss") && !has_match(r, "print"));
    ck_assert_str_eq(match_type(r, "val_acc"), "property");
    ck_assert_int_eq(cursor(r, "cursor_start"), 8);
    json_decref(r);
    r = complete_at("pri", 3);
    ck_assert_str_eq(match_type(r, "print"), "function");
    json_t *t = json_array_get(json_object_get(json_object_get(r,
        "metadata"), "_jupyter_types_experimental"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "start")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "end")), 3);
    json_decref(r);
}
END_TEST

START_TEST(complete_files)
{
    char dir[] = "/tmp/cnn_complete_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/flowers.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/flags", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    char code[300];
    snprintf(code, sizeof code, "d = csv(\"%s/flo", dir);
    int n = (int)strlen(code);
    json_t *r = complete_at(code, n);
    ck_assert(has_match(r, "flowers.csv"));
    ck_assert(!has_match(r, "flags/"));
    ck_assert_int_eq(cursor(r, "cursor_start"), n - 3);
    json_decref(r);
    snprintf(code, sizeof code, "d = csv(\"%s/fl", dir);
    r = complete_at(code, (int)strlen(code));
    ck_assert(has_match(r, "flags/"));
    json_decref(r);
    rmdir(path);
    snprintf(path, sizeof path, "%s/flowers.csv", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ---- inspect ----------------------------------------------------------- */

START_TEST(inspect_cases)
{
    json_t *r = it->inspect(it->self, "print", 5, 0);
    ck_assert(json_is_true(json_object_get(r, "found")));
    const char *doc = json_string_value(
        json_object_get(json_object_get(r, "data"), "text/plain"));
    ck_assert_ptr_nonnull(strstr(doc, "print(value, ...)"));
    /* plain text: no fences, no ### headings; the Markdown stays too */
    ck_assert_ptr_null(strstr(doc, "```"));
    ck_assert_ptr_null(strstr(doc, "###"));
    ck_assert(strncmp(doc, "print\n-----\n    print(value, ...)\n", 33) == 0);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
        json_object_get(r, "data"), "text/markdown")), "### print"));
    json_decref(r);

    /* Inside a call's arguments: the call's documentation. */
    r = it->inspect(it->self, "d = moons(n=100, ", 17, 0);
    doc = json_string_value(
        json_object_get(json_object_get(r, "data"), "text/plain"));
    ck_assert_ptr_nonnull(strstr(doc, "moons(n=200, noise=0.1, seed=0)"));
    json_decref(r);

    /* A defined name, after non-ASCII text (cursor in code points). */
    fake_out f = { 0 };
    interp_out o;
    interp_reply rep;
    fake_init(&f, &o);
    fake_run(it, &f, "pts = xor(n=12)", &rep);
    reply_free(&rep);
    fake_free(&f);
    r = it->inspect(it->self, "print(\"ééé\", pts)", 14, 0);
    ck_assert(json_is_true(json_object_get(r, "found")));
    doc = json_string_value(
        json_object_get(json_object_get(r, "data"), "text/plain"));
    ck_assert_ptr_nonnull(strstr(doc, "pts: 12 samples, 2 features"));
    json_decref(r);

    r = it->inspect(it->self, "   ", 1, 0);
    ck_assert(json_is_false(json_object_get(r, "found")));
    json_decref(r);
}
END_TEST

/* Completion and inspect know the regression builtins and options: the
 * generators, diabetes, csv's target= and task= (with task's choices),
 * fit's losses and delta=. */
START_TEST(complete_and_inspect_regression)
{
    static const struct { const char *code, *want; } cases[] = {
        {"d = si", "sine"}, {"d = pla", "plane"}, {"d = lin", "line"},
        {"d = diab", "diabetes"}, {"d = csv(\"a.csv\", ta", "target="},
        {"d = csv(\"a.csv\", ta", "task="},
        {"d = csv(\"a.csv\", task=", "\"regression\""},
        {"d = csv(\"a.csv\", task=\"re", "regression"},
        {"fit net on d, loss=", "\"huber\""},
        {"fit net on d, loss=", "\"mae\""},
        {"fit net on d, del", "delta="},
        {"d = sine(n=10, no", "noise="}, {"d = plane(w", "w1="},
        {"d = line(sl", "slope="},
        {"train, test = standardize(train, test, tar", "target="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *r = complete_at(cases[i].code, (int)strlen(cases[i].code));
        ck_assert_msg(has_match(r, cases[i].want), "%s: no %s",
                      cases[i].code, cases[i].want);
        json_decref(r);
    }
    static const struct { const char *code, *want; } docs[] = {
        {"d = sine(", "sine(n=200, noise=0.1, seed=0)"},
        {"d = plane(", "plane(n=200, w1=3, w2=-2, b=0.5, noise=0.1, seed=0)"},
        {"d = line(", "line(n=100, slope=2, intercept=1, noise=0.2, seed=0)"},
        {"diabetes", "diabetes"},
        {"d = csv(\"a.csv\", ", "csv(path, target=none, task=\"auto\")"},
        {"fit net on d, ", "delta=1, validate=none"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        json_t *r = it->inspect(it->self, docs[i].code,
                                (int)strlen(docs[i].code), 0);
        ck_assert_msg(json_is_true(json_object_get(r, "found")), "%s",
                      docs[i].code);
        const char *doc = json_string_value(
            json_object_get(json_object_get(r, "data"), "text/plain"));
        ck_assert_msg(doc && strstr(doc, docs[i].want), "%s: %.300s",
                      docs[i].code, doc ? doc : "(none)");
        json_decref(r);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lang-syntax");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lex_tokens);
    tcase_add_test(t, lex_continuation);
    tcase_add_test(t, parse_statements);
    tcase_add_test(t, parse_number_literals);
    tcase_add_test(t, parse_errors);
    tcase_add_test(t, golden_errors);
    tcase_add_test(t, nearest_names);
    tcase_add_test(t, is_complete_cases);
    tcase_add_test(t, complete_names);
    tcase_add_test(t, complete_files);
    tcase_add_test(t, complete_by_context);
    tcase_add_test(t, inspect_cases);
    tcase_add_test(t, complete_and_inspect_regression);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
