/* The IDX reader: images and labels in memory and in (gzipped) files,
 * size claims refused before allocating, and Fashion-MNIST when Debian's
 * package is installed (its message naming the package when it is not). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "check_main.h"
#include "nn_idx.h"

/* An IDX header of ndim sizes into buf; returns its length. */
static size_t head(unsigned char *buf, int ndim, const unsigned *dims)
{
    buf[0] = buf[1] = 0, buf[2] = 8, buf[3] = (unsigned char)ndim;
    for (int i = 0; i < ndim; i++)
        for (int b = 0; b < 4; b++)
            buf[4 + 4 * i + b] = (unsigned char)(dims[i] >> (24 - 8 * b));
    return 4 + 4 * (size_t)ndim;
}

/* 3 images of 2x2 (pixel values 0, 51, ... 255 cycled) and labels 0 2 1. */
static size_t images(unsigned char *buf)
{
    unsigned dims[3] = {3, 2, 2};
    size_t n = head(buf, 3, dims);
    for (int i = 0; i < 12; i++)
        buf[n + i] = (unsigned char)(51 * (i % 6));
    return n + 12;
}

static size_t labels(unsigned char *buf)
{
    unsigned dims[1] = {3};
    size_t n = head(buf, 1, dims);
    buf[n] = 0, buf[n + 1] = 2, buf[n + 2] = 1;
    return n + 3;
}

START_TEST(parses_images_and_labels)
{
    unsigned char img[64], lab[16];
    size_t il = images(img), ll = labels(lab);
    nn_err e;
    nn_data *d = nn_idx_parse(img, il, lab, ll, "tiny", &e);
    ck_assert_msg(d != NULL, "%s", e.msg);
    ck_assert_int_eq(d->n, 3);
    ck_assert_int_eq(d->d, 4);
    ck_assert_int_eq(d->n_classes, 3);
    ck_assert(d->channels == 1 && d->height == 2 && d->width == 2);
    ck_assert_float_eq(d->x[0], 0.0f);
    ck_assert_float_eq(d->x[5], 1.0f);
    ck_assert_int_eq(d->y[1], 2);
    nn_data_free(d);
}
END_TEST

START_TEST(refuses_bad_files)
{
    unsigned char img[64], lab[16];
    size_t il = images(img), ll = labels(lab);
    nn_err e;
    /* a header claiming a million 28x28 images in 20 bytes */
    unsigned big[3] = {1000000, 28, 28};
    unsigned char lie[40] = {0};
    size_t n = head(lie, 3, big);
    ck_assert_ptr_null(nn_idx_parse(lie, n + 20, lab, ll, "x", &e));
    ck_assert_msg(strstr(e.msg, "claims 784000000 values"), "%s", e.msg);
    ck_assert_ptr_null(nn_idx_parse(img, il - 1, lab, ll, "x", &e));
    ck_assert_msg(strstr(e.msg, "truncated"), "%s", e.msg);
    ck_assert_ptr_null(nn_idx_parse(lab, ll, lab, ll, "x", &e));
    ck_assert_msg(strstr(e.msg, "dimensions"), "%s", e.msg);
    lab[7] = 2; /* 2 labels for 3 images */
    ck_assert_ptr_null(nn_idx_parse(img, il, lab, ll - 1, "x", &e));
    ck_assert_msg(strstr(e.msg, "3 images but the label file has 2"),
                  "%s", e.msg);
    /* no images, but of 1024 x 1025 values: refused, as it would get a
     * name for each value; 1024 x 1024 is the largest read */
    unsigned wide[3] = {0, 1024, 1025}, none[1] = {0};
    unsigned char wimg[16], nlab[8];
    size_t wl = head(wimg, 3, wide), nl = head(nlab, 1, none);
    ck_assert_ptr_null(nn_idx_parse(wimg, wl, nlab, nl, "x", &e));
    ck_assert_msg(strstr(e.msg, "1 x 1024 x 1025 values; an image can "
                                "have at most 1048576"),
                  "%s", e.msg);
    wide[2] = 1024;
    head(wimg, 3, wide);
    nn_data *d = nn_idx_parse(wimg, wl, nlab, nl, "x", &e);
    ck_assert_msg(d && d->n == 0 && d->d == 1 << 20, "%s", e.msg);
    nn_data_free(d);
    img[2] = 0x0d; /* floats */
    ck_assert_ptr_null(nn_idx_parse(img, il, lab, ll, "x", &e));
    ck_assert_msg(strstr(e.msg, "0x0d"), "%s", e.msg);
}
END_TEST

/* Writes n bytes to path, gzipped or not. */
static void write_file(const char *path, const unsigned char *b, size_t n,
                       int gz)
{
    if (gz) {
        gzFile f = gzopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(gzwrite(f, b, (unsigned)n), (int)n);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(b, 1, n, f), n);
        fclose(f);
    }
}

START_TEST(reads_plain_and_gzipped_files)
{
    unsigned char img[64], lab[16];
    size_t il = images(img), ll = labels(lab);
    char ip[] = "/tmp/test_idx_iXXXXXX", lp[] = "/tmp/test_idx_lXXXXXX";
    close(mkstemp(ip));
    close(mkstemp(lp));
    write_file(ip, img, il, _i);
    write_file(lp, lab, ll, !_i);
    nn_err e;
    nn_data *d = nn_idx_load(ip, lp, "files", &e);
    ck_assert_msg(d != NULL, "%s", e.msg);
    ck_assert_int_eq(d->n, 3);
    ck_assert_float_eq(d->x[5], 1.0f);
    nn_data_free(d);
    /* a gzipped file cut short */
    write_file(ip, img, il - 2, 1);
    ck_assert_ptr_null(nn_idx_load(ip, lp, "files", &e));
    unlink(ip);
    unlink(lp);
    ck_assert_ptr_null(nn_idx_load(ip, lp, "files", &e));
    ck_assert_msg(strstr(e.msg, "cannot open"), "%s", e.msg);
}
END_TEST

START_TEST(fashion_mnist)
{
    nn_err e;
    ck_assert_ptr_null(nn_idx_fashion_mnist("/nonexistent", 1, &e));
    ck_assert_msg(strstr(e.msg, "dataset-fashion-mnist"), "%s", e.msg);
    if (access(NN_IDX_FASHION_DIR "/t10k-labels-idx1-ubyte.gz", R_OK) != 0)
        return; /* the package is not installed here */
    nn_data *d = nn_idx_fashion_mnist(NULL, 1, &e);
    ck_assert_msg(d != NULL, "%s", e.msg);
    ck_assert_int_eq(d->n, 10000);
    ck_assert_int_eq(d->d, 784);
    ck_assert(d->channels == 1 && d->height == 28 && d->width == 28);
    ck_assert_str_eq(d->class_names[0], "T-shirt/top");
    ck_assert_str_eq(d->class_names[9], "Ankle boot");
    nn_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, parses_images_and_labels);
    tcase_add_test(tc, refuses_bad_files);
    tcase_add_loop_test(tc, reads_plain_and_gzipped_files, 0, 2);
    tcase_add_test(tc, fashion_mnist);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
