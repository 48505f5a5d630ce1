/* Limits, through the language: sizes too large for memory, a CSV with
 * ragged rows or non-numbers, a loss that turns infinite or NaN, a model
 * file truncated or lying about its sizes, epochs in the billions. Each
 * fails with a message a user can act on, and everything defined before
 * stays there and usable. */
#include <check.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "lang_fixture.h"

static char dir[64];

static void setup(void)
{
    fake_open();
    snprintf(dir, sizeof dir, "/tmp/cnn-limits-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_one(const char *p, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void teardown(void)
{
    ck_assert_int_eq(nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS), 0);
    fake_close();
}

/* A path in the test's directory (static buffer). */
static const char *path(const char *name)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static void write_text(const char *name, const char *text, size_t len)
{
    FILE *fp = fopen(path(name), "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

/* Runs code, expects an error of this name whose message holds each of
 * the NULL-terminated fragments. */
static void fails(const char *code, const char *ename, ...)
{
    const char *said = fake_fails(code, ename, NULL);
    va_list ap;
    va_start(ap, ename);
    for (const char *s; (s = va_arg(ap, const char *));)
        ck_assert_msg(strstr(said, s), "'%s' not in '%s'", s, said);
    va_end(ap);
}

/* The net `net` and the data `d` are still there and usable: it
 * predicts finite probabilities and trains again. */
static void still_usable(void)
{
    fake_ok("predict net [[0.5, -0.2]]");
    const char *t = fake_last_text(&fake_rec);
    ck_assert_msg(strstr(t, "nan") == NULL && strstr(t, "inf") == NULL,
                  "prediction: %s", t);
    fake_ok("fit net on d, epochs=2, optimizer=adam(lr=0.01)");
    ck_assert_ptr_nonnull(strstr(fake_rec.out, "trained 2 epochs"));
}

static void define_net(void)
{
    fake_ok("d = moons(n=64, noise=0.1, seed=1)\n"
       "net = linear(8) -> relu -> linear(1) -> sigmoid\n"
       "fit net on d, epochs=1");
}

START_TEST(data_too_large_for_memory)
{
    define_net();
    fails("x = moons(n=1e12)", "ValueError", "moons: a data set of "
          "1000000000000 samples x 2 features would take 11175.9 GiB, more "
          "than this machine's ", NULL);
    fails("x = blobs(d=1e6, n=1e6)", "ValueError", "blobs: a data set of "
          "1000000 samples x 1000000 features would take 3725.3 GiB", NULL);
    /* 3e9 values: beyond an int index whatever the memory. */
    fails("x = blobs(d=1000, n=3e6)", "ValueError", "3000000 samples x 1000 "
          "features would ", "11.2 GiB", NULL);
    /* Within memory but over the generators' range: the range is said. */
    fails("x = spirals(n=2e7)", "ValueError",
          "spirals: n must be between 1 and 10000000, got 20000000", NULL);
    fails("x", "NameError", NULL);
    still_usable();
}
END_TEST

START_TEST(csv_ragged_rows_and_non_numbers)
{
    define_net();
    char code[256];
    write_text("ragged.csv", "a,b,label\n1,2,x\n3,4\n", 20);
    snprintf(code, sizeof code, "c = csv(\"%s\")", path("ragged.csv"));
    fails(code, "ValueError", "ragged.csv:3: column 3 'label' is missing: "
          "the row has 2 fields, the header 3", NULL);
    write_text("words.csv", "a,b,label\n1,2,x\n3,four,y\n", 25);
    snprintf(code, sizeof code, "c = csv(\"%s\")", path("words.csv"));
    fails(code, "ValueError", "words.csv:3: column 2 'b': 'four' is not a "
          "number", NULL);
    snprintf(code, sizeof code, "c = csv(\"/dev/zero\")");
    fails(code, "OSError", "'/dev/zero': not a regular file", NULL);
    still_usable();
}
END_TEST

START_TEST(loss_not_finite_stops_training)
{
    define_net();
    /* Plain SGD at lr=1000 overflows within a few steps. */
    fails("fit net on d, epochs=50, optimizer=sgd(lr=1000)", "ValueError",
          "the loss became ", " at step ", " of epoch ",
          "training diverged; lower the learning rate", NULL);
    /* ... and a NaN says NaN. */
    fake_ok("n2 = linear(64) -> relu -> linear(64) -> relu -> linear(1) -> "
       "sigmoid");
    fails("fit n2 on d, epochs=5, optimizer=sgd(lr=1000, momentum=0.99)",
          "ValueError", "the loss became NaN at step ", NULL);
    /* The nets keep the weights of the last good step: finite. */
    still_usable();
    fake_ok("predict n2 [[0.5, -0.2]]");
    ck_assert_ptr_null(strstr(fake_last_text(&fake_rec), "nan"));
}
END_TEST

START_TEST(model_file_truncated_or_lying)
{
    define_net();
    char code[256];
    snprintf(code, sizeof code, "save net to \"%s\"", path("net.safetensors"));
    fake_ok(code);
    FILE *fp = fopen(path("net.safetensors"), "rb");
    ck_assert_ptr_nonnull(fp);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    ck_assert_uint_gt(n, 100);
    write_text("cut.safetensors", buf, n - 7);
    snprintf(code, sizeof code, "m = load(\"%s\")", path("cut.safetensors"));
    fails(code, "OSError", "truncated", NULL);
    /* A small file whose metadata claims 1.6 GB of weights. */
    static const char lie[] =
        "{\"__metadata__\":{\"input\":\"20000\",\"layers\":\"linear(20000)\"},"
        "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[20000,20000],"
        "\"data_offsets\":[0,1600000000]}}";
    char file[512] = {sizeof lie - 1};
    memcpy(file + 8, lie, sizeof lie - 1);
    write_text("lie.safetensors", file, 8 + sizeof lie - 1 + 16);
    snprintf(code, sizeof code, "m = load(\"%s\")", path("lie.safetensors"));
    fails(code, "OSError", "lies about its sizes", "need 1600080000 bytes "
          "of weights, the file holds 16", NULL);
    fails("m", "NameError", NULL);
    still_usable();
}
END_TEST

START_TEST(billions_of_epochs_are_interruptible)
{
    define_net();
    fake_rec.interrupt_after = 40;
    fails("fit net on d, epochs=1e9", "KeyboardInterrupt",
          "fit interrupted in epoch ", "/1000000000", NULL);
    fake_rec.interrupt_after = -1;
    still_usable();
}
END_TEST

static Suite *limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, data_too_large_for_memory);
    tcase_add_test(t, csv_ragged_rows_and_non_numbers);
    tcase_add_test(t, loss_not_finite_stops_training);
    tcase_add_test(t, model_file_truncated_or_lying);
    tcase_add_test(t, billions_of_epochs_are_interruptible);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(limits_suite());
}
