#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_arch.h"
#include "nn_file.h"
#include "nn_json.h"
#include "nn_safetensors.h"

/* The format caps the JSON header at 100 MB. */
#define HEADER_MAX (100u << 20)
#define NAME_MAX_LEN 64
#define META_MAX 8192

/* ---- writing ---------------------------------------------------------- */

/* Floats as little-endian bytes, whatever the host's order. */
static void put_le(const float *src, unsigned char *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &src[i], 4);
        dst[4 * i] = (unsigned char)u;
        dst[4 * i + 1] = (unsigned char)(u >> 8);
        dst[4 * i + 2] = (unsigned char)(u >> 16);
        dst[4 * i + 3] = (unsigned char)(u >> 24);
    }
}

static void get_le(const unsigned char *src, float *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *b = src + 4 * i;
        uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                     (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        memcpy(&dst[i], &u, 4);
    }
}

/* Batchnorm layer i's tensors in the header, as BatchNorm1d/2d's
 * state_dict: weight and bias among the parameters, the running
 * statistics in the state after them (from byte `state`), its batch count
 * (I64, shape []) at byte `tracked`. */
static void norm_json(FILE *f, const nn_model *m, int i, size_t state,
                      size_t tracked)
{
    static const char *const names[5] = { "weight", "bias", "running_mean",
                                   "running_var", "num_batches_tracked" };
    size_t c = nn_model_layer_params(m, i) / 2;
    size_t w = nn_model_layer_offset(m, i) * 4;
    size_t r = state + nn_model_layer_state_offset(m, i) * 4;
    size_t at[5] = { w, w + c * 4, r, r + c * 4, tracked };
    char dim[32];
    snprintf(dim, sizeof dim, "%zu", c);
    for (int k = 0; k < 5; k++)
        fprintf(f, ",\"%d.%s\":{\"dtype\":\"%s\",\"shape\":[%s],"
                   "\"data_offsets\":[%zu,%zu]}", i, names[k],
                k < 4 ? "F32" : "I64", k < 4 ? dim : "", at[k],
                at[k] + (k < 4 ? c * 4 : 8));
}

/* The JSON header, padded with spaces to a multiple of 8 bytes. Returns a
 * malloc'ed string and its length, or NULL on OOM. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
}

static char *header_json(const nn_model *m, const nn_st_extra *x,
                         size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    int shape[3];
    if (nn_model_layer_shape(m, -1, shape))
        fprintf(f, "{\"__metadata__\":{\"format\":\"pt\",\"input\":"
                   "\"%dx%dx%d\",\"layers\":\"", shape[0], shape[1],
                shape[2]);
    else
        fprintf(f, "{\"__metadata__\":{\"format\":\"pt\",\"input\":\"%d\","
                   "\"layers\":\"", nn_model_in(m));
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        char name[64];
        nn_layer_format(nn_model_layer(m, i), name, sizeof name);
        fprintf(f, "%s%s", i ? "," : "", name);
    }
    fputs("\"", f);
    for (int i = 0; x && i < x->n; i++) {
        fputs(",\"", f);
        put_escaped(f, x->key[i]);
        fputs("\":\"", f);
        put_escaped(f, x->value[i]);
        fputs("\"", f);
    }
    fputs("}", f);
    size_t state = nn_model_n_params(m) * 4, tracked = state
                   + nn_model_n_state(m) * 4;
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        const nn_layer_spec *l = nn_model_layer(m, i);
        if (l->kind == NN_BATCHNORM) {
            norm_json(f, m, i, state, tracked);
            tracked += 8;
        }
        if (l->kind != NN_LINEAR && l->kind != NN_CONV2D)
            continue;
        size_t off = nn_model_layer_offset(m, i) * 4;
        int in = nn_model_layer_in(m, i), out = nn_model_layer_out(m, i);
        char dims[64];
        if (l->kind == NN_CONV2D) {
            nn_model_layer_shape(m, i - 1, shape);
            out = l->units;
            in = shape[0] * l->kernel * l->kernel;
            snprintf(dims, sizeof dims, "%d,%d,%d,%d", out, shape[0],
                     l->kernel, l->kernel);
        } else {
            snprintf(dims, sizeof dims, "%d,%d", out, in);
        }
        size_t wbytes = (size_t)in * out * 4;
        fprintf(f, ",\"%d.weight\":{\"dtype\":\"F32\",\"shape\":[%s],"
                   "\"data_offsets\":[%zu,%zu]}", i, dims, off,
                off + wbytes);
        fprintf(f, ",\"%d.bias\":{\"dtype\":\"F32\",\"shape\":[%d],"
                   "\"data_offsets\":[%zu,%zu]}", i, out, off + wbytes,
                off + wbytes + (size_t)out * 4);
    }
    fputc('}', f);
    while (ftell(f) % 8)
        fputc(' ', f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = size;
    return buf;
}

/* Writes n floats little-endian. 0, or -1 on a write error. */
static int put_floats(FILE *f, const float *p, size_t n)
{
    unsigned char chunk[4096 * 4];
    for (size_t i = 0; i < n; i += 4096) {
        size_t c = n - i < 4096 ? n - i : 4096;
        put_le(p + i, chunk, c);
        if (fwrite(chunk, 4, c, f) != c)
            return -1;
    }
    return 0;
}

/* The header, the parameters, the batchnorm running statistics, and each
 * batchnorm layer's batch count (I64). */
static int write_all(FILE *f, const nn_model *m, const char *json, size_t len)
{
    unsigned char head[8];
    for (int i = 0; i < 8; i++)
        head[i] = (unsigned char)((uint64_t)len >> (8 * i));
    if (fwrite(head, 1, 8, f) != 8 || fwrite(json, 1, len, f) != len
        || put_floats(f, nn_model_params((nn_model *)m), nn_model_n_params(m))
        || put_floats(f, nn_model_state((nn_model *)m), nn_model_n_state(m)))
        return -1;
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        uint64_t v = (uint64_t)nn_model_layer_tracked(m, i);
        for (int k = 0; k < 8; k++)
            head[k] = (unsigned char)(v >> (8 * k));
        if (nn_model_layer(m, i)->kind == NN_BATCHNORM
            && fwrite(head, 1, 8, f) != 8)
            return -1;
    }
    return 0;
}

int nn_safetensors_save(const nn_model *m, const char *path, nn_err *e)
{
    return nn_safetensors_save_extra(m, path, NULL, e);
}

int nn_st_extra_add(nn_st_extra *x, const char *key, const char *value)
{
    assert(x && key && value);
    if (x->n >= NN_ST_EXTRA_MAX)
        return -1;
    snprintf(x->key[x->n], sizeof x->key[0], "%s", key);
    snprintf(x->value[x->n], sizeof x->value[0], "%s", value);
    x->n++;
    return 0;
}

const char *nn_st_extra_get(const nn_st_extra *x, const char *key)
{
    for (int i = 0; x && i < x->n; i++)
        if (strcmp(x->key[i], key) == 0)
            return x->value[i];
    return NULL;
}

int nn_safetensors_save_extra(const nn_model *m, const char *path,
                              const nn_st_extra *x, nn_err *e)
{
    assert(m && path);
    size_t len = 0;
    char *json = header_json(m, x, &len);
    if (!json)
        return nn_err_oom(e, "the model file header", 4096);
    /* Written beside the target and renamed, so that a failed save never
     * destroys an existing file. */
    nn_file_out out;
    FILE *f = nn_file_begin(&out, path, e);
    int rc = -1;
    if (f) {
        if (write_all(f, m, json, len) == 0) {
            rc = nn_file_commit(&out, e);
        } else {
            nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
            nn_file_abort(&out);
        }
    }
    free(json);
    return rc;
}

/* ---- reading the file ------------------------------------------------- */

struct tensor {
    char name[NAME_MAX_LEN];
    int f32, i64;
    uint64_t shape[4];
    int ndim;
    uint64_t begin, end;
    int used;
};

struct header {
    char input[META_MAX], layers[META_MAX];
    nn_st_extra *extra;   /* other metadata entries, or NULL */
    struct tensor *t;
    int n, cap;
};

static int read_metadata(nn_json *j, struct header *h)
{
    char key[64], value[META_MAX];
    if (nn_json_expect(j, '{'))
        return -1;
    if (nn_json_peek(j, '}') == 0)
        return 0;
    do {
        if (nn_json_string(j, key, sizeof key) || nn_json_expect(j, ':')
            || nn_json_string(j, value, sizeof value))
            return -1;
        if (strcmp(key, "input") == 0)
            memcpy(h->input, value, sizeof value);
        else if (strcmp(key, "layers") == 0)
            memcpy(h->layers, value, sizeof value);
        else if (h->extra && strcmp(key, "format") != 0)
            nn_st_extra_add(h->extra, key, value);
    } while (nn_json_peek(j, ',') == 0);
    return nn_json_expect(j, '}');
}

static int read_tensor(nn_json *j, struct tensor *t)
{
    char key[64], dtype[16];
    uint64_t offs[2];
    int n_offs = 0, have_dtype = 0;
    t->ndim = -1;
    if (nn_json_expect(j, '{'))
        return -1;
    if (nn_json_peek(j, '}') != 0) {
        do {
            if (nn_json_string(j, key, sizeof key) || nn_json_expect(j, ':'))
                return -1;
            if (strcmp(key, "dtype") == 0) {
                if (nn_json_string(j, dtype, sizeof dtype))
                    return -1;
                t->f32 = strcmp(dtype, "F32") == 0;
                t->i64 = strcmp(dtype, "I64") == 0;
                have_dtype = 1;
            } else if (strcmp(key, "shape") == 0) {
                if (nn_json_uints(j, t->shape, 4, &t->ndim))
                    return -1;
            } else if (strcmp(key, "data_offsets") == 0) {
                if (nn_json_uints(j, offs, 2, &n_offs))
                    return -1;
            } else if (nn_json_skip(j, 1)) {
                return -1;
            }
        } while (nn_json_peek(j, ',') == 0);
        if (nn_json_expect(j, '}'))
            return -1;
    }
    if (!have_dtype || t->ndim < 0 || n_offs != 2 || offs[1] < offs[0])
        return nn_json_fail(j, "a tensor without dtype, shape or data_offsets");
    t->begin = offs[0];
    t->end = offs[1];
    return 0;
}

static int read_header(nn_json *j, struct header *h)
{
    char key[NAME_MAX_LEN * 4];
    if (nn_json_expect(j, '{'))
        return -1;
    if (nn_json_peek(j, '}') == 0)
        return 0;
    do {
        if (nn_json_string(j, key, sizeof key) || nn_json_expect(j, ':'))
            return -1;
        if (strcmp(key, "__metadata__") == 0) {
            if (read_metadata(j, h))
                return -1;
            continue;
        }
        if (strlen(key) >= NAME_MAX_LEN) {
            nn_err_set(j->e, "unexpected tensor '%.60s...' in the file", key);
            j->failed = 1;
            return -1;
        }
        if (h->n == h->cap) {
            int cap = h->cap ? 2 * h->cap : 16;
            struct tensor *t = realloc(h->t, (size_t)cap * sizeof *t);
            if (!t) {
                j->failed = 1;
                return nn_err_oom(j->e, "the tensor list",
                                  (size_t)cap * sizeof *t);
            }
            h->t = t;
            h->cap = cap;
        }
        struct tensor *t = &h->t[h->n++];
        memset(t, 0, sizeof *t);
        memcpy(t->name, key, strlen(key) + 1);
        if (read_tensor(j, t))
            return -1;
    } while (nn_json_peek(j, ',') == 0);
    if (nn_json_expect(j, '}'))
        return -1;
    nn_json_space(j);
    return j->p == j->end ? 0 : nn_json_fail(j, "text after the header object");
}

static struct tensor *find(struct header *h, const char *name)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->t[i].name, name) == 0)
            return &h->t[i];
    return NULL;
}

/* The data part of an open model file: bytes [start, start + size). */
struct data {
    int fd;
    uint64_t start, size;
};

/* Reads n bytes at offset `off` of the data. Returns 0, or -1 on a read
 * error or a file that ends early (errno 0). */
static int read_at(const struct data *d, void *buf, size_t n, uint64_t off)
{
    unsigned char *p = buf;
    off += d->start;
    while (n > 0) {
        ssize_t got = pread(d->fd, p, n, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = 0;
            return -1;
        }
        p += got;
        n -= (size_t)got;
        off += (uint64_t)got;
    }
    return 0;
}

/* Reads count floats of tensor t into dst, refusing NaN and infinity. */
static int read_floats(const struct data *d, const struct tensor *t,
                       float *dst, size_t count, nn_err *e)
{
    unsigned char chunk[4096 * 4];
    for (size_t i = 0; i < count; i += 4096) {
        size_t c = count - i < 4096 ? count - i : 4096;
        if (read_at(d, chunk, c * 4, t->begin + i * 4) < 0)
            return nn_err_set(e, "cannot read tensor '%s': %s", t->name,
                              errno ? strerror(errno)
                                    : "the file is truncated");
        get_le(chunk, dst + i, c);
        for (size_t k = 0; k < c; k++)
            if (!isfinite(dst[i + k]))
                return nn_err_set(e, "tensor '%s' holds %s at index %zu: "
                                  "the weights are not usable", t->name,
                                  isnan(dst[i + k]) ? "NaN" : "an infinity",
                                  i + k);
    }
    return 0;
}

/* Copies one tensor's data into dst after checking its type, shape and
 * extent. */
static int load_tensor(struct header *h, const char *name,
                       const uint64_t *shape, int ndim, const struct data *d,
                       float *dst, nn_err *e)
{
    struct tensor *t = find(h, name);
    if (!t)
        return nn_err_set(e, "tensor '%s' is missing from the file", name);
    if (!t->f32)
        return nn_err_set(e, "tensor '%s' is not F32", name);
    int same = t->ndim == ndim;
    for (int i = 0; same && i < ndim; i++)
        same = t->shape[i] == shape[i];
    if (!same)
        return nn_err_set(e, "tensor '%s' has a shape that does not match "
                          "the layers in the metadata", name);
    uint64_t count = 1;
    for (int i = 0; i < ndim; i++)
        count *= shape[i];
    if (t->end - t->begin != count * 4)
        return nn_err_set(e, "tensor '%s' has %llu bytes, its shape needs "
                          "%llu", name,
                          (unsigned long long)(t->end - t->begin),
                          (unsigned long long)(count * 4));
    if (t->end > d->size)
        return nn_err_set(e, "the file is truncated: tensor '%s' ends at "
                          "byte %llu of %llu", name,
                          (unsigned long long)t->end,
                          (unsigned long long)d->size);
    if (read_floats(d, t, dst, (size_t)count, e) < 0)
        return -1;
    t->used = 1;
    return 0;
}

static int by_begin(const void *a, const void *b)
{
    const struct tensor *x = *(const struct tensor *const *)a;
    const struct tensor *y = *(const struct tensor *const *)b;
    return x->begin < y->begin ? -1 : x->begin > y->begin;
}

/* Two tensors may not share bytes of the data. */
static int check_overlaps(const struct header *h, nn_err *e)
{
    if (h->n < 2)
        return 0;
    const struct tensor **sorted = malloc((size_t)h->n * sizeof *sorted);
    if (!sorted)
        return nn_err_oom(e, "the tensor list", (size_t)h->n * sizeof *sorted);
    int n = 0;
    for (int i = 0; i < h->n; i++)
        if (h->t[i].end > h->t[i].begin) /* empty tensors hold no bytes */
            sorted[n++] = &h->t[i];
    qsort(sorted, (size_t)n, sizeof *sorted, by_begin);
    int rc = 0;
    for (int i = 1; i < n && rc == 0; i++) {
        const struct tensor *a = sorted[i - 1], *b = sorted[i];
        if (b->begin < a->end)
            rc = nn_err_set(e, "tensors '%s' (bytes %llu to %llu) and '%s' "
                            "(bytes %llu to %llu) overlap in the file",
                            a->name, (unsigned long long)a->begin,
                            (unsigned long long)a->end, b->name,
                            (unsigned long long)b->begin,
                            (unsigned long long)b->end);
    }
    free(sorted);
    return rc;
}

/* The metadata's "input": "784" (rows) or "1x28x28" (images) into shape
 * {c, h, w} (h = w = 0 for rows). */
static int parse_input(const char *text, int shape[3], nn_err *e)
{
    const char *p = text;
    shape[1] = shape[2] = 0;
    for (int i = 0; i < 3; i++) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 1000000000)
            break;
        shape[i] = (int)v;
        p = end;
        if (*p == '\0' && (i == 0 || i == 2))
            return 0;
        if (*p++ != 'x' || i == 2)
            break;
    }
    return nn_err_set(e, "bad input width '%s' in the file", text);
}

/* Reads layer i's weight and bias (linear or conv2d) into the model. */
static int load_layer(struct header *h, const struct data *d, nn_model *m,
                      int i, nn_err *e)
{
    const nn_layer_spec *l = nn_model_layer(m, i);
    char name[NAME_MAX_LEN];
    float *w = nn_model_params(m) + nn_model_layer_offset(m, i);
    uint64_t shape[4] = {(uint64_t)nn_model_layer_out(m, i),
                         (uint64_t)nn_model_layer_in(m, i), 1, 1};
    int ndim = 2;
    if (l->kind == NN_CONV2D) {
        int in[3];
        nn_model_layer_shape(m, i - 1, in);
        shape[0] = (uint64_t)l->units;
        shape[1] = (uint64_t)in[0];
        shape[2] = shape[3] = (uint64_t)l->kernel;
        ndim = 4;
    }
    snprintf(name, sizeof name, "%d.weight", i);
    if (load_tensor(h, name, shape, ndim, d, w, e))
        return -1;
    snprintf(name, sizeof name, "%d.bias", i);
    return load_tensor(h, name, shape, 1, d,
                       w + shape[0] * shape[1] * shape[2] * shape[3], e);
}

/* Reads batchnorm layer i's weight, bias, running statistics and batch
 * count (I64, shape []) into the model. */
static int load_norm(struct header *h, const struct data *d, nn_model *m,
                     int i, nn_err *e)
{
    uint64_t c = nn_model_layer_params(m, i) / 2;
    float *w = nn_model_params(m) + nn_model_layer_offset(m, i);
    float *st = nn_model_state(m) + nn_model_layer_state_offset(m, i);
    float *dst[4] = { w, w + c, st, st + c };
    static const char *const names[4] = { "weight", "bias", "running_mean",
                                          "running_var" };
    char name[NAME_MAX_LEN];
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "%d.%s", i, names[k]);
        if (load_tensor(h, name, &c, 1, d, dst[k], e))
            return -1;
    }
    snprintf(name, sizeof name, "%d.num_batches_tracked", i);
    struct tensor *t = find(h, name);
    unsigned char b[8];
    uint64_t v = 0;
    if (!t || !t->i64 || t->ndim != 0 || t->end - t->begin != 8
        || t->end > d->size || read_at(d, b, 8, t->begin) < 0)
        return nn_err_set(e, "tensor '%s' is missing from the file, or is "
                          "not one I64", name);
    for (int k = 0; k < 8; k++)
        v |= (uint64_t)b[k] << (8 * k);
    nn_model_set_layer_tracked(m, i, v > INT64_MAX ? 0 : (int64_t)v);
    t->used = 1;
    return 0;
}

static nn_model *build(struct header *h, const struct data *d, nn_err *e)
{
    uint64_t size = d->size;
    if (!h->input[0] || !h->layers[0]) {
        nn_err_set(e, "no \"input\" and \"layers\" in __metadata__: the "
                   "architecture cannot be rebuilt");
        return NULL;
    }
    int in[3];
    if (parse_input(h->input, in, e))
        return NULL;
    nn_layer_spec specs[256];
    int n = nn_layer_parse_list(h->layers, specs, 256, e);
    if (n < 0)
        return NULL;
    /* The weights the metadata asks for must be in the file before the
     * model is allocated: a small file must not make us allocate
     * gigabytes. */
    double need = nn_arch_weight_bytes(specs, n, in);
    if (need > (double)size) {
        nn_err_set(e, "the file is truncated or lies about its sizes: the "
                   "layers of its metadata (%s inputs, %.80s) need %.0f bytes "
                   "of weights, the file holds %llu", h->input, h->layers,
                   need, (unsigned long long)size);
        return NULL;
    }
    nn_model *m = nn_model_new_image(in[0], in[1], in[2], specs, n, 0, e);
    if (!m)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (specs[i].kind == NN_BATCHNORM && load_norm(h, d, m, i, e)) {
            nn_model_free(m);
            return NULL;
        }
        if (specs[i].kind != NN_LINEAR && specs[i].kind != NN_CONV2D)
            continue;
        if (load_layer(h, d, m, i, e)) {
            nn_model_free(m);
            return NULL;
        }
    }
    for (int i = 0; i < h->n; i++) {
        if (!h->t[i].used) {
            nn_err_set(e, "unexpected tensor '%s' in the file: it belongs to "
                       "no linear layer of the metadata", h->t[i].name);
            nn_model_free(m);
            return NULL;
        }
    }
    return m;
}

/* The JSON header of the open file (size bytes): its length to *hlen, a
 * malloc'ed copy, or NULL with the reason. Only the 8 bytes of its length
 * are read before that length is checked against the file's size. */
static char *read_json(int fd, const char *path, uint64_t size,
                       uint64_t *hlen, nn_err *e)
{
    struct data whole = {fd, 0, size};
    unsigned char head[8];
    int bad = size < 8 || read_at(&whole, head, 8, 0) < 0;
    uint64_t len = 0;
    for (int i = 0; i < 8 && !bad; i++)
        len |= (uint64_t)head[i] << (8 * i);
    char *json = NULL;
    if (!bad && len >= 2 && len <= HEADER_MAX && len <= size - 8) {
        if (!(json = malloc((size_t)len))) {
            nn_err_oom(e, "the model file header", (size_t)len);
            return NULL;
        }
        if (read_at(&whole, json, (size_t)len, 8) < 0 || json[0] != '{') {
            free(json);
            json = NULL;
        }
    }
    if (!json)
        nn_err_set(e, "'%s' is not a safetensors file (or is truncated): "
                   "its first 8 bytes must give the length of a JSON "
                   "header that follows", path);
    *hlen = len;
    return json;
}

nn_model *nn_safetensors_load(const char *path, nn_err *e)
{
    return nn_safetensors_load_extra(path, NULL, e);
}

nn_model *nn_safetensors_load_extra(const char *path, nn_st_extra *x,
                                    nn_err *e)
{
    assert(path);
    if (x)
        x->n = 0;
    long long size;
    int fd = nn_file_open_read(path, &size, e);
    if (fd < 0)
        return NULL;
    uint64_t hlen;
    char *json = read_json(fd, path, (uint64_t)size, &hlen, e);
    struct header *h = json ? calloc(1, sizeof *h) : NULL;
    nn_model *m = NULL;
    if (json && !h)
        nn_err_oom(e, "the file header", sizeof *h);
    if (h) {
        nn_json j = {.start = json, .p = json, .end = json + hlen,
                         .e = e};
        struct data d = {fd, 8 + hlen, (uint64_t)size - 8 - hlen};
        h->extra = x;
        if (read_header(&j, h) == 0 && check_overlaps(h, e) == 0)
            m = build(h, &d, e);
        free(h->t);
        free(h);
    }
    free(json);
    close(fd);
    return m;
}
