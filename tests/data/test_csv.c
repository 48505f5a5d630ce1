/* nn_csv: parsing, label mapping, every error with its line and column,
 * a write/read round trip, NUL bytes, interrupting, size limits and safe
 * writing. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "nn_csv.h"
#include "nn_csv_out.h"

static char path[64];

/* Writes `text` to a fresh temporary file named path (ending in ".csv"). */
static void write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/nn_csv_XXXXXX.csv");
    int fd = mkstemps(path, 4);
    ck_assert_int_ge(fd, 0);
    size_t len = strlen(text);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
}

/* Reads `text` as a CSV file; the file is removed again. */
static nn_data *read_text(const char *text, const char *target, nn_err *e)
{
    write_file(text);
    nn_data *data = nn_csv_read(path, target, e);
    unlink(path);
    return data;
}

/* Reads `text`, which must fail, and checks the message is
 * "<path>:<rest>". */
static void assert_error(const char *text, const char *target,
                         const char *rest)
{
    nn_err e;
    ck_assert_ptr_null(read_text(text, target, &e));
    char want[NN_ERR_MAX];
    snprintf(want, sizeof want, "%s%s", path, rest);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(e.kind, NN_ERR_VALUE);   /* the contents, not the OS */
}

START_TEST(reads_features_and_string_labels)
{
    nn_err e;
    nn_data *d = read_text("a,b,label\n1,2.5,cat\n-3,4e2,dog\n5, 1e-50 ,cat\n",
                           NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n, 3);
    ck_assert_int_eq(d->d, 2);
    ck_assert_int_eq(d->n_classes, 2);
    ck_assert_str_eq(d->feature_names[0], "a");
    ck_assert_str_eq(d->feature_names[1], "b");
    ck_assert_str_eq(d->class_names[0], "cat");
    ck_assert_str_eq(d->class_names[1], "dog");
    float want[6] = {1, 2.5f, -3, 400, 5, 0}; /* 1e-50 underflows to 0 */
    for (int i = 0; i < 6; i++)
        ck_assert(d->x[i] == want[i]);
    ck_assert_int_eq(d->y[0], 0);
    ck_assert_int_eq(d->y[1], 1);
    ck_assert_int_eq(d->y[2], 0);
    /* named after the file, without the directory and ".csv" */
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)strlen(path) - 9, path + 5);
    ck_assert_str_eq(d->name, base);
    nn_data_free(d);
}
END_TEST

START_TEST(quoted_fields)
{
    nn_err e;
    nn_data *d = read_text("\"width, cm\",\"b\",\"the \"\"kind\"\"\"\n"
                           "\"1.5\",2,\"a, b\"\n"
                           "3, \"4\" ,\"say \"\"hi\"\"\"\n"
                           "5,6,\"two\nlines\"\n"
                           "7,8,a\n",
                           NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n, 4);
    ck_assert_str_eq(d->feature_names[0], "width, cm");
    ck_assert_int_eq(d->n_classes, 4);
    ck_assert_str_eq(d->class_names[0], "a, b");
    ck_assert_str_eq(d->class_names[1], "say \"hi\"");
    ck_assert_str_eq(d->class_names[2], "two\nlines");
    ck_assert_str_eq(d->class_names[3], "a");
    ck_assert(d->x[0] == 1.5f && d->x[3] == 4.0f);
    nn_data_free(d);
    /* A field spanning two lines still counts both for later messages. */
    assert_error("a,b\n1,\"x\ny\"\n2,\"z\"\nq,w\n", NULL,
                 ":5: column 1 'a': 'q' is not a number");
}
END_TEST

START_TEST(target_by_name_and_index)
{
    nn_err e;
    const char *text = "id,species,size\n1,setosa,0.5\n2,virginica,0.7\n";
    nn_data *d = read_text(text, "species", &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->d, 2);
    ck_assert_str_eq(d->feature_names[0], "id");
    ck_assert_str_eq(d->feature_names[1], "size");
    ck_assert_str_eq(d->class_names[1], "virginica");
    ck_assert(d->x[2] == 2.0f && d->x[3] == 0.7f);
    nn_data_free(d);

    d = read_text(text, "1", &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_str_eq(d->class_names[0], "setosa");
    nn_data_free(d);

    /* Column 0 holds 1 and 2: numbers not starting at 0 map by first
     * appearance, named by their text. */
    d = read_text("k,x\n2,0.1\n1,0.2\n2,0.3\n", "0", &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n_classes, 2);
    ck_assert_str_eq(d->class_names[0], "2");
    ck_assert_str_eq(d->class_names[1], "1");
    ck_assert_int_eq(d->y[1], 1);
    nn_data_free(d);

    assert_error(text, "3", ": target column 3 out of range: the header has 3 "
                 "columns (0 to 2)");
    assert_error(text, "kind", ": no column named 'kind'; the columns are "
                 "'id', 'species', 'size'");
}
END_TEST

START_TEST(numeric_labels_stay_as_they_are)
{
    nn_err e;
    nn_data *d = read_text("x,y\n1,2\n2,0\n3,1.0\n4,2\n", NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n_classes, 3);
    ck_assert_int_eq(d->y[0], 2);
    ck_assert_int_eq(d->y[1], 0);
    ck_assert_int_eq(d->y[2], 1);
    ck_assert_str_eq(d->class_names[2], "2");
    nn_data_free(d);
}
END_TEST

START_TEST(crlf_bom_and_blank_lines)
{
    nn_err e;
    nn_data *d = read_text("\xEF\xBB\xBF" "a,b\r\n1,x\r\n\r\n2,y\r\n\r\n\r\n\n",
                           NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n, 2);
    ck_assert_str_eq(d->feature_names[0], "a");
    ck_assert_str_eq(d->class_names[1], "y");
    ck_assert(d->x[1] == 2.0f);
    nn_data_free(d);
    /* no newline at the end */
    d = read_text("a,b\n1,0\n2,1", NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n, 2);
    nn_data_free(d);
}
END_TEST

START_TEST(errors_name_line_and_column)
{
    assert_error("a,b,c\n1,2,x\n1,zz,y\n", NULL,
                 ":3: column 2 'b': 'zz' is not a number");
    assert_error("a,b,c\n1,,x\n", NULL, ":2: column 2 'b': '' is not a number");
    assert_error("a,b,c\n1,nan,x\n", NULL,
                 ":2: column 2 'b': 'nan' is not a number");
    /* numbers beyond float range are refused as such, where they are */
    assert_error("a,b,c\n1,1e99,x\n", NULL,
                 ":2: column 2 'b': '1e99' is beyond the range of a float "
                 "(at most 3.4e38)");
    assert_error("a,b,c\n1,2,x\n1e39,1,y\n", NULL,
                 ":3: column 1 'a': '1e39' is beyond the range of a float "
                 "(at most 3.4e38)");
    assert_error("a,b,c\n1,-1e300,x\n", NULL,
                 ":2: column 2 'b': '-1e300' is beyond the range of a float "
                 "(at most 3.4e38)");
    assert_error("a,b,c\n1,inf,x\n", NULL,
                 ":2: column 2 'b': 'inf' is beyond the range of a float "
                 "(at most 3.4e38)");
    assert_error("a,b,c\n1,-INF,x\n", NULL,
                 ":2: column 2 'b': '-INF' is beyond the range of a float "
                 "(at most 3.4e38)");
    assert_error("a,b,c\n1,-nan,x\n", NULL,
                 ":2: column 2 'b': '-nan' is not a number");
    /* the largest float and a value too small for one are read */
    nn_err e;
    nn_data *d = read_text("a,b\n3.4e38,0\n1e-50,1\n", NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert(d->x[0] > 3.3e38f && d->x[1] == 0.0f);
    nn_data_free(d);
    /* A number that rounds to FLT_MAX is read as it, though above it as a
     * double: "3.40282347e+38" is how the writer prints FLT_MAX (found by
     * tests/fuzz/fuzz_csv: the reader refused its own output). The
     * bound is FLT_MAX + half an ulp, 3.40282356779733661637...e38. */
    d = read_text("a,b\n3.40282347e+38,0\n-3.4028235677973362e38,1\n",
                  NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert(d->x[0] == FLT_MAX && d->x[1] == -FLT_MAX);
    nn_data_free(d);
    assert_error("a,b\n3.4028235677973366e38,0\n", NULL,
                 ":2: column 1 'a': '3.4028235677973366e38' is beyond the "
                 "range of a float (at most 3.4e38)");
    assert_error("a,b,c\n1,2,x\r\n1,2\r\n", NULL,
                 ":3: column 3 'c' is missing: the row has 2 fields, the "
                 "header 3");
    assert_error("a,b,c\n1,2,x,4\n", NULL,
                 ":2: column 4 has no header: the row has 4 fields, the "
                 "header 3");
    assert_error("a,b,c\n1,2,\n", NULL, ":2: column 3 'c': the target is empty");
    assert_error("a,b\n1,\"open\n2,x\n", NULL,
                 ":2: column 2: quoted field has no closing quote");
    assert_error("a,b\n1,\"x\"y\n", NULL,
                 ":2: column 2: unexpected text after the closing quote");
    assert_error("", NULL, ": the file is empty; expected a header row of "
                 "column names");
    assert_error("\n\r\n\n", NULL, ": the file is empty; expected a header row "
                 "of column names");
    assert_error("a,b\n\n", NULL, ": no data rows after the header");
    assert_error("\nlabel\n1\n", NULL, ":2: the header has one column; need "
                 "feature columns and a target column, separated by commas");
}
END_TEST

START_TEST(missing_file)
{
    nn_err e;
    ck_assert_ptr_null(nn_csv_read("/nonexistent/iris.csv", NULL, &e));
    ck_assert_str_eq(e.msg, "cannot open '/nonexistent/iris.csv': No such file "
                     "or directory");
    ck_assert_int_eq(e.kind, NN_ERR_OS);
}
END_TEST

START_TEST(only_regular_files)
{
    /* /dev/zero never ends, a FIFO without a writer would block: both are
     * refused at once, as is a directory. */
    nn_err e;
    ck_assert_ptr_null(nn_csv_read("/dev/zero", NULL, &e));
    ck_assert_str_eq(e.msg, "cannot read '/dev/zero': not a regular file");
    ck_assert_int_eq(e.kind, NN_ERR_OS);
    ck_assert_ptr_null(nn_csv_read("/tmp", NULL, &e));
    ck_assert_str_eq(e.msg, "cannot read '/tmp': not a regular file");
    char fifo[] = "/tmp/cnn-fifo-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(fifo));
    char fifo_path[64];
    snprintf(fifo_path, sizeof fifo_path, "%s/f.csv", fifo);
    ck_assert_int_eq(mkfifo(fifo_path, 0600), 0);
    ck_assert_ptr_null(nn_csv_read(fifo_path, NULL, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
    unlink(fifo_path);
    rmdir(fifo);
}
END_TEST

START_TEST(too_many_classes)
{
    /* 1001 rows with distinct text labels: the wrong column, most likely
     * (numbers would be read as a regression target). */
    size_t cap = 20000, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "x,price\n");
    for (int i = 0; i < 1001; i++)
        len += (size_t)snprintf(text + len, cap - len, "1,p%d\n", i);
    nn_err e;
    ck_assert_ptr_null(nn_csv_parse(text, len, "houses", NULL, &e));
    ck_assert_str_eq(e.msg, "houses: target column 'price' has more than 1000 "
                     "distinct values; is it the right target column?");
    free(text);
}
END_TEST

START_TEST(parse_from_memory)
{
    nn_err e;
    /* not NUL terminated: the length bounds the text */
    const char text[] = "a,b\n1,x\n2,y\nGARBAGE";
    nn_data *d = nn_csv_parse(text, sizeof text - 1 - 7, "mem", NULL, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_str_eq(d->name, "mem");
    ck_assert_int_eq(d->n, 2);
    nn_data_free(d);
    ck_assert_ptr_null(nn_csv_parse("a,b\nq,1\n", 8, "mem", NULL, &e));
    ck_assert_str_eq(e.msg, "mem:2: column 1 'a': 'q' is not a number");
}
END_TEST

START_TEST(write_then_read_round_trip)
{
    nn_err e;
    nn_data *d = nn_data_new("rt", 3, 2, 2, &e);
    float x[6] = {0.1f, -2.5e-7f, 3.14159274f, 1e20f, FLT_MAX, -FLT_MAX};
    memcpy(d->x, x, sizeof x);
    d->y[0] = 1;
    d->y[1] = 0;
    d->y[2] = 1;
    nn_data_set_class_name(d, 1, "yes, \"really\"", &e);
    nn_data_set_class_name(d, 0, "no", &e);
    nn_data_set_feature_name(d, 0, "f,1", &e);
    write_file("");
    ck_assert_int_eq(nn_csv_write(d, path, &e), 0);
    nn_data *r = nn_csv_read(path, "class", &e);
    unlink(path);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_int_eq(r->n, 3);
    ck_assert_mem_eq(r->x, x, sizeof x);
    ck_assert_str_eq(r->feature_names[0], "f,1");
    ck_assert_str_eq(r->class_names[0], "yes, \"really\"");
    ck_assert_str_eq(r->class_names[1], "no");
    ck_assert_int_eq(r->y[1], 1);
    nn_data_free(r);
    /* A first feature name starting with a byte order mark keeps it (found
     * by tests/fuzz/fuzz_csv: the reader dropped it as the file's BOM). */
    nn_data_set_feature_name(d, 0, "\xEF\xBB\xBF" "a", &e);
    ck_assert_int_eq(nn_csv_write(d, path, &e), 0);
    r = nn_csv_read(path, "class", &e);
    unlink(path);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_str_eq(r->feature_names[0], "\xEF\xBB\xBF" "a");

    d->y[2] = 5;
    ck_assert_int_eq(nn_csv_write(d, "/tmp/nn_csv_unused.csv", &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "label 5 out of range"));
    d->y[2] = 1;
    ck_assert_int_eq(nn_csv_write(d, "/nonexistent/out.csv", &e), -1);
    ck_assert_str_eq(e.msg, "cannot write '/nonexistent/out.csv': No such "
                     "file or directory");
    nn_data_free(r);
    nn_data_free(d);
}
END_TEST

/* What nn_csv_print writes of d (malloc'd, *len bytes); fails the test
 * if it fails. */
static char *printed(const nn_data *d, size_t *len)
{
    char *text = NULL;
    nn_err e;
    FILE *f = open_memstream(&text, len);
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(nn_csv_print(d, f, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

/* nn_csv_print writes the text itself: names quoted where needed, features
 * in the fewest digits that read back bit for bit; a stream that fails is
 * an error of kind NN_ERR_OS. */
START_TEST(print_writes_the_text)
{
    nn_err e;
    nn_data *d = nn_data_new("p", 3, 3, 2, &e);
    float x[9] = {0.1f, -3, 1e20f, 0, 1.0f / 3, -0.0f,
                  FLT_MAX, 1.17549435e-38f, -1.40129846e-45f};
    memcpy(d->x, x, sizeof x);
    d->y[1] = 1;
    nn_data_set_feature_name(d, 0, " a", &e);
    nn_data_set_feature_name(d, 2, "\tc", &e);
    nn_data_set_class_name(d, 1, "b\"c", &e);
    size_t len;
    char *text = printed(d, &len);
    ck_assert_str_eq(text, "\" a\",x2,\"\tc\",class\n"
                           "0.1,-3,1e+20,0\n"
                           "0,0.33333334,-0,\"b\"\"c\"\n"
                           "3.4028235e+38,1.1754944e-38,-1.4013e-45,0\n");
    nn_data *r = nn_csv_parse(text, len, "p", NULL, &e);
    free(text);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_mem_eq(r->x, x, sizeof x);
    ck_assert_str_eq(r->feature_names[2], "\tc");
    nn_data_free(r);
    /* NaN and infinities are written as such (the reader refuses them) */
    d->x[0] = NAN;
    d->x[1] = -INFINITY;
    text = printed(d, &len);
    ck_assert_ptr_nonnull(strstr(text, "\nnan,-inf,1e+20,0\n"));
    free(text);
    d->x[0] = 0.1f;
    d->x[1] = -3;

    FILE *f = fopen("/dev/null", "r"); /* writes to it fail */
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(nn_csv_print(d, f, &e), -1);
    ck_assert_int_eq(e.kind, NN_ERR_OS);
    ck_assert_str_eq(e.msg, "cannot write 'p' as CSV: Bad file descriptor");
    fclose(f);
    nn_data_free(d);
}
END_TEST

/* A regression set is written with its targets, and reads back the same
 * when they are named as targets. */
START_TEST(print_a_regression_set)
{
    nn_err e;
    nn_data *d = nn_data_new_regression("r", 2, 1, 2, &e);
    ck_assert_ptr_nonnull(d);
    float x[2] = {1.5f, -2}, t[4] = {0.25f, 3e-9f, -7, 1e30f};
    memcpy(d->x, x, sizeof x);
    memcpy(d->t, t, sizeof t);
    ck_assert_int_eq(nn_data_set_target_name(d, 1, "y, 2", &e), 0);
    size_t len;
    char *text = printed(d, &len);
    ck_assert_str_eq(text, "x1,y1,\"y, 2\"\n"
                           "1.5,0.25,3e-09\n"
                           "-2,-7,1e+30\n");
    const char *const cols[] = {"1", "2"};
    nn_csv_options o = {.targets = cols, .n_targets = 2};
    nn_data *r = nn_csv_parse_with(text, len, "r", &o, &e);
    free(text);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_int_eq(r->task, NN_TASK_REGRESS);
    ck_assert_int_eq(r->n_targets, 2);
    ck_assert_mem_eq(r->x, x, sizeof x);
    ck_assert_mem_eq(r->t, t, sizeof t);
    ck_assert_str_eq(r->target_names[1], "y, 2");
    nn_data_free(r);
    /* scaled targets are written in their original units; a constant
     * target, which fit refuses, is still written */
    d->t[1] = d->t[3] = 4;
    nn_data *scale = nn_data_new_regression("s", 2, 1, 2, &e);
    ck_assert_ptr_nonnull(scale);
    float ts[4] = {1, 0, 3, 0};
    memcpy(scale->t, ts, sizeof ts);
    ck_assert_int_eq(nn_data_standardize_targets(d, scale, &e), 0);
    ck_assert(d->t[0] != 0.25f);
    text = printed(d, &len);
    ck_assert_str_eq(text, "x1,y1,\"y, 2\"\n"
                           "1.5,0.25,4\n"
                           "-2,-7,4\n");
    free(text);
    nn_data_free(scale);
    nn_data_free(d);
}
END_TEST

/* A message with a long name in it keeps its end, which says what is
 * wrong (found by tests/fuzz/fuzz_csv: a 62 KB target name pushed "is
 * constant" out of the message). */
START_TEST(a_long_name_leaves_the_message_its_end)
{
    char text[3000] = "a,";
    memset(text + 2, 't', 2000);
    strcpy(text + 2002, "\n1,5\n2,5\n");
    nn_csv_options o = {.task = NN_CSV_TASK_REGRESS};
    nn_err e;
    nn_data *d = nn_csv_parse_with(text, strlen(text), "long", &o, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(nn_data_validate(d, &e), -1);
    ck_assert_uint_eq(strlen(e.msg), NN_ERR_MAX - 1);
    ck_assert_msg(strncmp(e.msg, "target 'ttt", 11) == 0, "%s", e.msg);
    const char *end = "ttt' of 'long' is constant (5 in every row): there "
                      "is nothing to learn";
    ck_assert_str_eq(e.msg + strlen(e.msg) - strlen(end), end);
    ck_assert_ptr_nonnull(strstr(e.msg, "t \xE2\x80\xA6 t"));
    nn_data_free(d);
}
END_TEST

/* A NUL byte would end the field early ("1\0junk" read as 1): refused
 * with its line and column, quoted or not, and a file of zeros is not
 * "empty". */
START_TEST(nul_bytes_are_refused)
{
    nn_err e;
    static const char plain[] = "a,b,c\n1,2,x\n3,4\0005,y\n";
    ck_assert_ptr_null(nn_csv_parse(plain, sizeof plain - 1, "mem", NULL, &e));
    ck_assert_str_eq(e.msg, "mem:3: column 2: a NUL byte in the field; a CSV "
                     "file holds text");
    static const char quoted[] = "a,b\n1,\"x\000y\"\n";
    ck_assert_ptr_null(nn_csv_parse(quoted, sizeof quoted - 1, "mem", NULL,
                                    &e));
    ck_assert_str_eq(e.msg, "mem:2: column 2: a NUL byte in the field; a CSV "
                     "file holds text");
    write_file("");
    ck_assert_int_eq(truncate(path, 1 << 20), 0);
    ck_assert_ptr_null(nn_csv_read(path, NULL, &e));
    char want[NN_ERR_MAX];
    snprintf(want, sizeof want, "%s:1: column 1: a NUL byte in the field; a "
             "CSV file holds text", path);
    ck_assert_str_eq(e.msg, want);
    unlink(path);
}
END_TEST

/* 100000 rows: about 1.3 MB, read in 64 KiB chunks. */
static void write_rows(void)
{
    size_t cap = 1 << 21, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "a,b,label\n");
    for (int i = 0; i < 100000; i++)
        len += (size_t)snprintf(text + len, cap - len, "%d,0.5,%d\n", i,
                                i % 3);
    write_file(text);
    free(text);
}

static int stop_at_third(void *ctx)
{
    int *calls = ctx;
    return ++*calls >= 3;
}

static int never_stop(void *ctx)
{
    ++*(int *)ctx;
    return 0;
}

START_TEST(reading_can_be_interrupted)
{
    write_rows();
    nn_err e;
    int calls = 0;
    nn_csv_options opt = {.poll = stop_at_third, .poll_ctx = &calls};
    ck_assert_ptr_null(nn_csv_read_with(path, &opt, &e));
    ck_assert_int_eq(calls, 3);
    ck_assert_ptr_nonnull(strstr(e.msg, ": reading was interrupted"));
    ck_assert_int_eq(strncmp(e.msg, path, strlen(path)), 0);
    calls = 0;
    opt.poll = never_stop;
    nn_data *d = nn_csv_read_with(path, &opt, &e);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_int_eq(d->n, 100000);
    ck_assert_int_ge(calls, 20); /* every chunk and every 4096 rows */
    ck_assert_float_eq(d->x[2 * 99999], 99999.0f);
    nn_data_free(d);
    unlink(path);
}
END_TEST

START_TEST(too_large_names_the_sizes)
{
    write_rows();
    nn_err e;
    nn_csv_options opt = {.target = "label", .max_bytes = 1000};
    ck_assert_ptr_null(nn_csv_read_with(path, &opt, &e));
    /* a row: 2 floats, a label, an offset and "0" in 22 bytes */
    char want[NN_ERR_MAX];
    snprintf(want, sizeof want, "%s:47: too large: the 46 rows read so far "
             "(2 features each, and their targets) take 1012 bytes, more "
             "than the limit of 1000 bytes", path);
    ck_assert_str_eq(e.msg, want);
    opt.max_bytes = 2200000;
    nn_data *d = nn_csv_read_with(path, &opt, &e);
    ck_assert_msg(d, "%s", e.msg);
    nn_data_free(d);
    unlink(path);
}
END_TEST

/* nn_csv_write replaces a regular file only, through a file of its own. */
START_TEST(write_only_regular_files)
{
    nn_data *d = nn_csv_parse("a,b\n1,x\n", 8, "mem", NULL, NULL);
    ck_assert_ptr_nonnull(d);
    nn_err e;
    char dir[] = "/tmp/nn_csv_dir_XXXXXX", p[96], q[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/fifo.csv", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    ck_assert_int_eq(nn_csv_write(d, p, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a FIFO"));
    ck_assert_int_eq(unlink(p), 0);
    ck_assert_int_eq(nn_csv_write(d, dir, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a directory"));
    snprintf(q, sizeof q, "%s/link.csv", dir);
    ck_assert_int_eq(symlink("/dev/null", q), 0);
    ck_assert_int_eq(nn_csv_write(d, q, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a symbolic link"));
    ck_assert_int_eq(unlink(q), 0);
    ck_assert_int_eq(nn_csv_write(d, p, &e), 0);
    ck_assert_int_eq(nn_csv_write(d, p, &e), 0);
    nn_data *r = nn_csv_read(p, NULL, &e);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_int_eq(r->n, 1);
    nn_data_free(r);
    ck_assert_int_eq(unlink(p), 0);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing else was left there */
    nn_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn_csv");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, reads_features_and_string_labels);
    tcase_add_test(tc, quoted_fields);
    tcase_add_test(tc, target_by_name_and_index);
    tcase_add_test(tc, numeric_labels_stay_as_they_are);
    tcase_add_test(tc, crlf_bom_and_blank_lines);
    tcase_add_test(tc, errors_name_line_and_column);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, only_regular_files);
    tcase_add_test(tc, too_many_classes);
    tcase_add_test(tc, parse_from_memory);
    tcase_add_test(tc, write_then_read_round_trip);
    tcase_add_test(tc, print_writes_the_text);
    tcase_add_test(tc, print_a_regression_set);
    tcase_add_test(tc, nul_bytes_are_refused);
    tcase_add_test(tc, a_long_name_leaves_the_message_its_end);
    tcase_add_test(tc, reading_can_be_interrupted);
    tcase_add_test(tc, too_large_names_the_sizes);
    tcase_add_test(tc, write_only_regular_files);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
