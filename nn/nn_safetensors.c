#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_safetensors.h"

/* The format caps the JSON header at 100 MB. */
#define HEADER_MAX (100u << 20)
#define NAME_MAX_LEN 64
#define META_MAX 8192
#define DEPTH_MAX 32

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

/* The JSON header, padded with spaces to a multiple of 8 bytes. Returns a
 * malloc'ed string and its length, or NULL on OOM. */
static char *header_json(const nn_model *m, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fprintf(f, "{\"__metadata__\":{\"format\":\"pt\",\"input\":\"%d\","
               "\"layers\":\"", nn_model_in(m));
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        char name[64];
        nn_layer_format(nn_model_layer(m, i), name, sizeof name);
        fprintf(f, "%s%s", i ? "," : "", name);
    }
    fputs("\"}", f);
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        if (nn_model_layer(m, i)->kind != NN_LINEAR)
            continue;
        size_t off = nn_model_layer_offset(m, i) * 4;
        int in = nn_model_layer_in(m, i), out = nn_model_layer_out(m, i);
        size_t wbytes = (size_t)in * out * 4;
        fprintf(f, ",\"%d.weight\":{\"dtype\":\"F32\",\"shape\":[%d,%d],"
                   "\"data_offsets\":[%zu,%zu]}", i, out, in, off,
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

static int write_all(FILE *f, const nn_model *m, const char *json, size_t len)
{
    unsigned char head[8];
    for (int i = 0; i < 8; i++)
        head[i] = (unsigned char)((uint64_t)len >> (8 * i));
    if (fwrite(head, 1, 8, f) != 8 || fwrite(json, 1, len, f) != len)
        return -1;
    const float *p = nn_model_params((nn_model *)m);
    size_t n = nn_model_n_params(m);
    unsigned char chunk[4096 * 4];
    for (size_t i = 0; i < n; i += 4096) {
        size_t c = n - i < 4096 ? n - i : 4096;
        put_le(p + i, chunk, c);
        if (fwrite(chunk, 4, c, f) != c)
            return -1;
    }
    return 0;
}

int nn_safetensors_save(const nn_model *m, const char *path, nn_err *e)
{
    size_t len = 0;
    char *json = header_json(m, &len);
    if (!json)
        return nn_err_oom(e, "the model file header", 4096);
    /* Written beside the target and renamed, so that a failed save never
     * destroys an existing file. */
    size_t plen = strlen(path) + 5;
    char *tmp = malloc(plen);
    if (!tmp) {
        free(json);
        return nn_err_oom(e, "a file name", plen);
    }
    snprintf(tmp, plen, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (!f) {
        nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
    } else {
        int bad = write_all(f, m, json, len);
        int err = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            err = errno;
        }
        if (bad)
            nn_err_set(e, "cannot write '%s': %s", path, strerror(err));
        else if (rename(tmp, path) != 0)
            nn_err_set(e, "cannot write '%s': %s", path, strerror(errno));
        else
            rc = 0;
        if (rc)
            remove(tmp);
    }
    free(tmp);
    free(json);
    return rc;
}

/* ---- reading the JSON header ------------------------------------------ */

/* A reader over the header bytes; the first error message wins. */
struct json {
    const char *start, *p, *end;
    nn_err *e;
    int failed;
};

static int jfail(struct json *j, const char *what)
{
    if (!j->failed)
        nn_err_set(j->e, "not a valid safetensors header: %s at byte %td "
                   "of the JSON", what, j->p - j->start);
    j->failed = 1;
    return -1;
}

static void jspace(struct json *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* Consumes `c` after optional white space; 0 or -1 (nothing consumed). */
static int jpeek(struct json *j, char c)
{
    jspace(j);
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return 0;
    }
    return -1;
}

static int jexpect(struct json *j, char c)
{
    if (jpeek(j, c) == 0)
        return 0;
    char what[32];
    snprintf(what, sizeof what, "expected '%c'", c);
    return jfail(j, what);
}

/* A string into buf (size bytes, NUL-terminated), or skipped when buf is
 * NULL. Escapes are decoded; unicode escapes outside ASCII are refused (no
 * name or value read here needs them). */
static int jstring(struct json *j, char *buf, size_t size)
{
    size_t n = 0;
    if (jexpect(j, '"'))
        return -1;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            if (j->p >= j->end)
                break;
            c = *j->p++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    if (j->p >= j->end)
                        return jfail(j, "unterminated string");
                    char h = *j->p++;
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                  : 99);
                }
                if (v > 127 && buf)
                    return jfail(j, "unsupported \\u escape");
                c = (char)v;
                break;
            }
            default: break; /* \" \\ \/ stand for themselves */
            }
        }
        if (!buf)
            continue;
        if (n + 1 >= size)
            return jfail(j, "string too long");
        buf[n++] = c;
    }
    if (j->p >= j->end)
        return jfail(j, "unterminated string");
    j->p++;
    if (buf)
        buf[n] = '\0';
    return 0;
}

/* A non-negative integer. */
static int juint(struct json *j, uint64_t *v)
{
    jspace(j);
    if (j->p >= j->end || *j->p < '0' || *j->p > '9')
        return jfail(j, "expected a non-negative integer");
    *v = 0;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
        if (*v > (UINT64_MAX - 9) / 10)
            return jfail(j, "integer too large");
        *v = *v * 10 + (uint64_t)(*j->p++ - '0');
    }
    return 0;
}

/* An array of at most `max` non-negative integers; their count to *n. */
static int juints(struct json *j, uint64_t *v, int max, int *n)
{
    *n = 0;
    if (jexpect(j, '['))
        return -1;
    if (jpeek(j, ']') == 0)
        return 0;
    do {
        if (*n == max)
            return jfail(j, "array too long");
        if (juint(j, &v[(*n)++]))
            return -1;
    } while (jpeek(j, ',') == 0);
    return jexpect(j, ']');
}

/* Skips any value (unknown keys are allowed by the format). */
static int jskip(struct json *j, int depth)
{
    jspace(j);
    if (depth > DEPTH_MAX || j->p >= j->end)
        return jfail(j, "unexpected end or nesting");
    char c = *j->p;
    if (c == '"')
        return jstring(j, NULL, 0);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        if (jpeek(j, close) == 0)
            return 0;
        do {
            if (c == '{' && (jstring(j, NULL, 0) ||
                             jexpect(j, ':')))
                return -1;
            if (jskip(j, depth + 1))
                return -1;
        } while (jpeek(j, ',') == 0);
        return jexpect(j, close);
    }
    const char *start = j->p;
    while (j->p < j->end && strchr("+-.0123456789eEtruefalsn", *j->p))
        j->p++;
    return j->p > start ? 0 : jfail(j, "unexpected character");
}

/* ---- reading the file ------------------------------------------------- */

struct tensor {
    char name[NAME_MAX_LEN];
    int f32;
    uint64_t shape[4];
    int ndim;
    uint64_t begin, end;
    int used;
};

struct header {
    char input[META_MAX], layers[META_MAX];
    struct tensor *t;
    int n, cap;
};

static int read_metadata(struct json *j, struct header *h)
{
    char key[64], value[META_MAX];
    if (jexpect(j, '{'))
        return -1;
    if (jpeek(j, '}') == 0)
        return 0;
    do {
        if (jstring(j, key, sizeof key) || jexpect(j, ':') ||
            jstring(j, value, sizeof value))
            return -1;
        if (strcmp(key, "input") == 0)
            memcpy(h->input, value, sizeof value);
        else if (strcmp(key, "layers") == 0)
            memcpy(h->layers, value, sizeof value);
    } while (jpeek(j, ',') == 0);
    return jexpect(j, '}');
}

static int read_tensor(struct json *j, struct tensor *t)
{
    char key[64], dtype[16];
    uint64_t offs[2];
    int n_offs = 0, have_dtype = 0;
    t->ndim = -1;
    if (jexpect(j, '{'))
        return -1;
    if (jpeek(j, '}') != 0) {
        do {
            if (jstring(j, key, sizeof key) || jexpect(j, ':'))
                return -1;
            if (strcmp(key, "dtype") == 0) {
                if (jstring(j, dtype, sizeof dtype))
                    return -1;
                t->f32 = strcmp(dtype, "F32") == 0;
                have_dtype = 1;
            } else if (strcmp(key, "shape") == 0) {
                if (juints(j, t->shape, 4, &t->ndim))
                    return -1;
            } else if (strcmp(key, "data_offsets") == 0) {
                if (juints(j, offs, 2, &n_offs))
                    return -1;
            } else if (jskip(j, 1)) {
                return -1;
            }
        } while (jpeek(j, ',') == 0);
        if (jexpect(j, '}'))
            return -1;
    }
    if (!have_dtype || t->ndim < 0 || n_offs != 2 || offs[1] < offs[0])
        return jfail(j, "a tensor without dtype, shape or data_offsets");
    t->begin = offs[0];
    t->end = offs[1];
    return 0;
}

static int read_header(struct json *j, struct header *h)
{
    char key[NAME_MAX_LEN * 4];
    if (jexpect(j, '{'))
        return -1;
    if (jpeek(j, '}') == 0)
        return 0;
    do {
        if (jstring(j, key, sizeof key) || jexpect(j, ':'))
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
    } while (jpeek(j, ',') == 0);
    if (jexpect(j, '}'))
        return -1;
    jspace(j);
    return j->p == j->end ? 0 : jfail(j, "text after the header object");
}

/* "linear(16),relu,leaky_relu(0.1)" into specs (at most max). Returns the
 * count or -1. */
static int parse_layers(const char *text, nn_layer_spec *specs, int max,
                        nn_err *e)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char word[32];
        size_t len = strcspn(p, "(,");
        while (*p == ' ')
            p++, len--;
        if (len == 0 || len >= sizeof word)
            return nn_err_set(e, "bad layer list in the file: '%s'", text);
        memcpy(word, p, len);
        word[len] = '\0';
        while (len && word[len - 1] == ' ')
            word[--len] = '\0';
        p += strcspn(p, "(,");
        int kind = nn_layer_kind_from_name(word);
        if (kind < 0)
            return nn_err_set(e, "unknown layer '%s' in the file", word);
        if (n == max)
            return nn_err_set(e, "too many layers in the file");
        nn_layer_spec s = {.kind = (nn_layer_kind)kind};
        if (*p == '(') {
            char *end;
            double v = strtod(p + 1, &end);
            if (end == p + 1 || *end != ')')
                return nn_err_set(e, "bad argument of '%s' in the file",
                                  word);
            if (kind == NN_LINEAR) {
                if (v < 1 || v > 1e9 || v != (int)v)
                    return nn_err_set(e, "bad width of linear in the file");
                s.units = (int)v;
            } else {
                s.arg = (float)v;
            }
            p = end + 1;
        } else if (kind == NN_LINEAR) {
            return nn_err_set(e, "linear without a width in the file");
        } else if (kind == NN_LEAKY_RELU) {
            s.arg = 0.01f;
        }
        specs[n++] = s;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p)
            return nn_err_set(e, "bad layer list in the file: '%s'", text);
    }
    return n;
}

static struct tensor *find(struct header *h, const char *name)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->t[i].name, name) == 0)
            return &h->t[i];
    return NULL;
}

/* Copies one tensor's data into dst after checking its type, shape and
 * extent. */
static int load_tensor(struct header *h, const char *name, const uint64_t *shape,
                       int ndim, const unsigned char *data, uint64_t size,
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
    uint64_t count = ndim == 2 ? shape[0] * shape[1] : shape[0];
    if (t->end - t->begin != count * 4)
        return nn_err_set(e, "tensor '%s' has %llu bytes, its shape needs "
                          "%llu", name,
                          (unsigned long long)(t->end - t->begin),
                          (unsigned long long)(count * 4));
    if (t->end > size)
        return nn_err_set(e, "the file is truncated: tensor '%s' ends at "
                          "byte %llu of %llu", name,
                          (unsigned long long)t->end,
                          (unsigned long long)size);
    get_le(data + t->begin, dst, (size_t)count);
    t->used = 1;
    return 0;
}

static nn_model *build(struct header *h, const unsigned char *data,
                       uint64_t size, nn_err *e)
{
    if (!h->input[0] || !h->layers[0]) {
        nn_err_set(e, "no \"input\" and \"layers\" in __metadata__: the "
                   "architecture cannot be rebuilt");
        return NULL;
    }
    char *end;
    long in = strtol(h->input, &end, 10);
    if (*end || in < 1 || in > 1000000000) {
        nn_err_set(e, "bad input width '%s' in the file", h->input);
        return NULL;
    }
    nn_layer_spec specs[256];
    int n = parse_layers(h->layers, specs, 256, e);
    if (n < 0)
        return NULL;
    /* The weights the metadata asks for must be in the file before the
     * model is allocated: a small file must not make us allocate
     * gigabytes. Counted in double: no overflow. */
    double need = 0, width = (double)in;
    for (int i = 0; i < n; i++) {
        if (specs[i].kind != NN_LINEAR)
            continue;
        need += (width + 1) * specs[i].units * 4;
        width = specs[i].units;
    }
    if (need > (double)size) {
        nn_err_set(e, "the file is truncated or lies about its sizes: the "
                   "layers of its metadata (%ld inputs, %.80s) need %.0f bytes "
                   "of weights, the file holds %llu", in, h->layers, need,
                   (unsigned long long)size);
        return NULL;
    }
    nn_model *m = nn_model_new((int)in, specs, n, 0, e);
    if (!m)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (specs[i].kind != NN_LINEAR)
            continue;
        char name[NAME_MAX_LEN];
        float *w = nn_model_params(m) + nn_model_layer_offset(m, i);
        uint64_t out = (uint64_t)nn_model_layer_out(m, i);
        uint64_t shape[2] = {out, (uint64_t)nn_model_layer_in(m, i)};
        snprintf(name, sizeof name, "%d.weight", i);
        int bad = load_tensor(h, name, shape, 2, data, size, w, e);
        snprintf(name, sizeof name, "%d.bias", i);
        if (bad || load_tensor(h, name, shape, 1, data, size,
                               w + shape[0] * shape[1], e)) {
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

/* The whole file in memory; NULL with the reason. */
static unsigned char *slurp(const char *path, size_t *size, nn_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nn_err_set(e, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    unsigned char *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        len = ftell(f);
    if (len < 0 || fseek(f, 0, SEEK_SET) != 0) {
        nn_err_set(e, "cannot read '%s': %s", path, strerror(errno));
    } else if (!(buf = malloc(len ? (size_t)len : 1))) {
        nn_err_oom(e, "the model file", (size_t)len);
    } else if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
        nn_err_set(e, "cannot read '%s'", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)len;
    return buf;
}

nn_model *nn_safetensors_load(const char *path, nn_err *e)
{
    size_t size;
    unsigned char *buf = slurp(path, &size, e);
    if (!buf)
        return NULL;
    nn_model *m = NULL;
    uint64_t hlen = 0;
    for (int i = 0; i < 8 && size >= 8; i++)
        hlen |= (uint64_t)buf[i] << (8 * i);
    if (size < 8 || hlen < 2 || hlen > HEADER_MAX || hlen > size - 8 ||
        buf[8] != '{') {
        nn_err_set(e, "'%s' is not a safetensors file (or is truncated): "
                   "its first 8 bytes must give the length of a JSON "
                   "header that follows", path);
        free(buf);
        return NULL;
    }
    struct header *h = calloc(1, sizeof *h);
    if (!h) {
        nn_err_oom(e, "the file header", sizeof *h);
        free(buf);
        return NULL;
    }
    const char *json = (const char *)buf + 8;
    struct json j = {.start = json, .p = json, .end = json + hlen, .e = e};
    if (read_header(&j, h) == 0)
        m = build(h, buf + 8 + hlen, size - 8 - hlen, e);
    free(h->t);
    free(h);
    free(buf);
    return m;
}
