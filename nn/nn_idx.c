#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "nn_idx.h"

/* The most values an image may have: 2^20, 1024 x 1024 (a CIFAR image
 * has 3,072, an ImageNet crop 150,528). A header alone can claim them: a
 * file of no images holds no pixels, and a gzipped image of zeros is a
 * thousandth of its size. Each value of a row gets a feature name: when
 * each name was an allocation of its own, 24 bytes of files with no
 * images of 2^24 values (4096 x 4096) took 3.7 s and 660 MB to load, and
 * slowed fuzz_idx to 95 inputs a second; with the default names in one
 * block (nn_data), 2^20 takes 0.020 s and 21 MB. */
#define IDX_MAX_PIXELS (1 << 20)

/* A source of IDX bytes: a zlib file (plain or gzipped) or memory. */
struct src {
    gzFile f;
    const unsigned char *p;
    size_t left;        /* memory: bytes left; file: bytes it holds */
    const char *what;   /* "the image file '...'" for messages */
};

/* Reads exactly n bytes. Returns 0, or -1 with "truncated" in e. */
static int get(struct src *s, unsigned char *buf, size_t n, nn_err *e)
{
    if (!s->f) {
        if (n > s->left)
            return nn_err_set(e, "%s is truncated", s->what);
        memcpy(buf, s->p, n);
        s->p += n;
        s->left -= n;
        return 0;
    }
    while (n > 0) {
        unsigned chunk = n > (1u << 30) ? 1u << 30 : (unsigned)n;
        int got = gzread(s->f, buf, chunk);
        if (got <= 0) {
            int err;
            const char *msg = gzerror(s->f, &err);
            return nn_err_set(e, "%s is %s", s->what,
                              got == 0 ? "truncated" : msg);
        }
        buf += got;
        n -= (size_t)got;
        s->left -= (size_t)got < s->left ? (size_t)got : s->left;
    }
    return 0;
}

/* The header: magic then ndim sizes; checks the type is unsigned bytes
 * and the dimension count is one of want_lo..want_hi. */
static int header(struct src *s, int want_lo, int want_hi, uint32_t *dims,
                  int *ndim, double *count, nn_err *e)
{
    unsigned char m[4], b[4];
    if (get(s, m, 4, e))
        return -1;
    if (m[0] != 0 || m[1] != 0)
        return nn_err_set(e, "%s is not an IDX file: it does not start "
                          "with two zero bytes", s->what);
    if (m[2] != 0x08)
        return nn_err_set(e, "%s holds IDX type 0x%02x: only unsigned "
                          "bytes (0x08) are read", s->what, m[2]);
    if (m[3] < want_lo || m[3] > want_hi)
        return nn_err_set(e, "%s has %d dimensions: %s", s->what, m[3],
                          want_lo == 1 ? "labels have 1"
                                       : "images have 3 (count, height, "
                                         "width) or 4 (count, channels, "
                                         "height, width)");
    *ndim = m[3];
    *count = 1;
    for (int i = 0; i < *ndim; i++) {
        if (get(s, b, 4, e))
            return -1;
        dims[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
                  (uint32_t)b[2] << 8 | b[3];
        if (dims[i] == 0 && i > 0)
            return nn_err_set(e, "%s has a dimension of size 0", s->what);
        *count *= dims[i];
    }
    if (*count > (double)s->left)
        return nn_err_set(e, "%s claims %.0f values but holds %.0f bytes "
                          "after its header: it is truncated or not IDX",
                          s->what, *count, (double)s->left);
    return 0;
}

/* Reads images and labels from two sources into a new data set. */
static nn_data *read_pair(struct src *img, struct src *lab, const char *name,
                          nn_err *e)
{
    uint32_t id[4], ld[1];
    int ndim, lndim;
    double icount, lcount;
    if (header(img, 3, 4, id, &ndim, &icount, e)
        || header(lab, 1, 1, ld, &lndim, &lcount, e))
        return NULL;
    double c = ndim == 4 ? id[1] : 1;
    double h = id[ndim - 2], w = id[ndim - 1];
    if (id[0] != ld[0]) {
        nn_err_set(e, "%s has %u images but %s has %u labels", img->what,
                   id[0], lab->what, ld[0]);
        return NULL;
    }
    if (c * h * w > IDX_MAX_PIXELS) {
        nn_err_set(e, "%s holds images of %.0f x %.0f x %.0f values; an "
                   "image can have at most %d", img->what, c, h, w,
                   IDX_MAX_PIXELS);
        return NULL;
    }
    if (nn_data_check_size(id[0], c * h * w, e))
        return NULL;
    int n = (int)id[0], d = (int)(c * h * w);
    unsigned char *labels = malloc(n ? (size_t)n : 1);
    if (!labels) {
        nn_err_oom(e, "the labels", (size_t)n);
        return NULL;
    }
    int k = 1;
    if (get(lab, labels, (size_t)n, e)) {
        free(labels);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        k = labels[i] + 1 > k ? labels[i] + 1 : k;
    nn_data *data = nn_data_new(name, n, d, k, e);
    unsigned char buf[1 << 16];
    size_t total = (size_t)n * d, done = 0;
    while (data && done < total) {
        size_t chunk = total - done < sizeof buf ? total - done : sizeof buf;
        if (get(img, buf, chunk, e)) {
            nn_data_free(data);
            data = NULL;
            break;
        }
        for (size_t i = 0; i < chunk; i++)
            data->x[done + i] = (float)buf[i] / 255.0f;
        done += chunk;
    }
    if (data) {
        for (int i = 0; i < n; i++)
            data->y[i] = labels[i];
        data->channels = (int)c;
        data->height = (int)h;
        data->width = (int)w;
    }
    free(labels);
    return data;
}

nn_data *nn_idx_parse(const unsigned char *images, size_t images_len,
                      const unsigned char *labels, size_t labels_len,
                      const char *name, nn_err *e)
{
    assert((images || !images_len) && (labels || !labels_len) && name);
    struct src img = { NULL, images, images_len, "the image file" };
    struct src lab = { NULL, labels, labels_len, "the label file" };
    return read_pair(&img, &lab, name, e);
}

/* The bytes a file will give: its size, or for a gzipped file the size
 * its trailer gives (modulo 2^32, so files over 4 GiB may be refused). */
static int file_bytes(const char *path, size_t *bytes, nn_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nn_err_set(e, "cannot open '%s': %s", path, strerror(errno));
    unsigned char head[2] = {0, 0}, tail[4] = {0, 0, 0, 0};
    struct stat st;
    int ok = fstat(fileno(f), &st) == 0 && fread(head, 1, 2, f) <= 2;
    *bytes = ok ? (size_t)st.st_size : 0;
    if (ok && head[0] == 0x1f && head[1] == 0x8b && st.st_size >= 18
        && fseek(f, -4, SEEK_END) == 0 && fread(tail, 1, 4, f) == 4)
        *bytes = (size_t)tail[0] | (size_t)tail[1] << 8 |
                 (size_t)tail[2] << 16 | (size_t)tail[3] << 24;
    fclose(f);
    return ok ? 0 : nn_err_set(e, "cannot read '%s'", path);
}

static int open_src(struct src *s, const char *path, char *what, size_t len,
                    nn_err *e)
{
    snprintf(what, len, "'%s'", path);
    s->what = what;
    s->p = NULL;
    if (file_bytes(path, &s->left, e))
        return -1;
    s->f = gzopen(path, "rb");
    if (!s->f)
        return nn_err_set(e, "cannot open '%s': %s", path,
                          errno ? strerror(errno) : "out of memory");
    gzbuffer(s->f, 1 << 17);
    return 0;
}

nn_data *nn_idx_load(const char *images_path, const char *labels_path,
                     const char *name, nn_err *e)
{
    assert(images_path && labels_path && name);
    char iw[300], lw[300];
    struct src img = { 0 }, lab = { 0 };
    nn_data *d = NULL;
    if (open_src(&img, images_path, iw, sizeof iw, e) == 0
        && open_src(&lab, labels_path, lw, sizeof lw, e) == 0)
        d = read_pair(&img, &lab, name, e);
    if (img.f)
        gzclose(img.f);
    if (lab.f)
        gzclose(lab.f);
    return d;
}

static const char *const fashion_classes[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

nn_data *nn_idx_fashion_mnist(const char *dir, int test, nn_err *e)
{
    char ipath[512], lpath[512];
    const char *part = test ? "t10k" : "train";
    dir = dir ? dir : NN_IDX_FASHION_DIR;
    snprintf(ipath, sizeof ipath, "%s/%s-images-idx3-ubyte.gz", dir, part);
    snprintf(lpath, sizeof lpath, "%s/%s-labels-idx1-ubyte.gz", dir, part);
    struct stat st;
    if (stat(ipath, &st) != 0 || stat(lpath, &st) != 0) {
        nn_err_set(e, "Fashion-MNIST is not installed: %s has no %s files "
                   "(install the Debian package dataset-fashion-mnist: "
                   "apt-get install dataset-fashion-mnist)", dir, part);
        return NULL;
    }
    nn_data *d = nn_idx_load(ipath, lpath, test ? "fashion_mnist/test"
                                                : "fashion_mnist/train", e);
    if (d && d->n_classes != 10) {
        nn_err_set(e, "%s holds %d classes, not Fashion-MNIST's 10", lpath,
                   d->n_classes);
        nn_data_free(d);
        return NULL;
    }
    for (int c = 0; d && c < 10; c++)
        if (nn_data_set_class_name(d, c, fashion_classes[c], e)) {
            nn_data_free(d);
            return NULL;
        }
    return d;
}
