#include <assert.h>
#include <string.h>

#include "nn_blas.h"
#include "nn_conv.h"
#include "nn_pool.h"
#include "nn_tensor.h"

int nn_conv_out_size(int in, int k, int stride, int pad)
{
    if (in < 1 || k < 1 || stride < 1 || pad < 0 || in + 2 * pad < k)
        return 0;
    return (in + 2 * pad - k) / stride + 1;
}

int nn_conv_geom_plan(nn_conv_geom *g)
{
    assert(g);
    g->out_h = nn_conv_out_size(g->in_h, g->k, g->stride, g->pad);
    g->out_w = nn_conv_out_size(g->in_w, g->k, g->stride, g->pad);
    return g->out_h > 0 && g->out_w > 0 ? 0 : -1;
}

static size_t pixels(const nn_conv_geom *g)
{
    return (size_t)g->out_h * g->out_w;
}

static size_t patch(const nn_conv_geom *g)
{
    return (size_t)g->in_c * g->k * g->k;
}

static size_t in_len(const nn_conv_geom *g)
{
    return (size_t)g->in_c * g->in_h * g->in_w;
}

size_t nn_conv_cols_len(const nn_conv_geom *g, int n)
{
    return (size_t)n * pixels(g) * patch(g);
}

size_t nn_conv_tmp_len(const nn_conv_geom *g, int n)
{
    return (size_t)n * pixels(g) * g->out_c;
}

/* What the image loops share. */
struct job {
    const nn_conv_geom *g;
    int n;              /* images in the batch: cols rows are n*P long */
    const float *x, *b, *src;
    float *z, *y, *cols, *tmp, *dst;
    const nn_layer_spec *act;
};

/* The output columns [lo, hi) whose input column ox*s + kx - pad lies
 * inside [0, in_w). */
static void valid_cols(const nn_conv_geom *g, int kx, int *lo, int *hi)
{
    int s = g->stride, off = kx - g->pad;
    *lo = off >= 0 ? 0 : (-off + s - 1) / s;
    *hi = g->in_w - off <= 0 ? 0 : (g->in_w - off - 1) / s + 1;
    if (*hi > g->out_w)
        *hi = g->out_w;
    if (*lo > *hi)
        *lo = *hi;
}

/* Image i's patches into its P columns of each of the K rows of cols
 * (rows n*P long: row (c, ky, kx), column i*P + oy*out_w + ox), zeros in
 * the padding. Row segments are copied whole when the stride is 1. */
static void im2col_image(const nn_conv_geom *g, const float *x, float *cols,
                         size_t ld)
{
    int k = g->k, s = g->stride, pad = g->pad;
    for (int c = 0; c < g->in_c; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                float *row = cols + ((size_t)(c * k + ky) * k + kx) * ld;
                int lo, hi;
                valid_cols(g, kx, &lo, &hi);
                for (int oy = 0; oy < g->out_h; oy++) {
                    float *d = row + (size_t)oy * g->out_w;
                    int iy = oy * s + ky - pad;
                    if (iy < 0 || iy >= g->in_h) {
                        memset(d, 0, (size_t)g->out_w * sizeof *d);
                        continue;
                    }
                    const float *line = x + ((size_t)c * g->in_h + iy)
                                        * g->in_w + kx - pad;
                    for (int ox = 0; ox < lo; ox++)
                        d[ox] = 0.0f;
                    if (s == 1)
                        memcpy(d + lo, line + lo,
                               (size_t)(hi - lo) * sizeof *d);
                    else
                        for (int ox = lo; ox < hi; ox++)
                            d[ox] = line[(size_t)ox * s];
                    for (int ox = hi; ox < g->out_w; ox++)
                        d[ox] = 0.0f;
                }
            }
}

/* The adjoint of im2col_image: adds image i's columns of cols back to the
 * input values they were read from; gx is zeroed first. */
NN_VECTORIZE static void col2im_image(const nn_conv_geom *g, const float *cols, size_t ld,
                         float *gx)
{
    int k = g->k, s = g->stride, pad = g->pad;
    memset(gx, 0, in_len(g) * sizeof *gx);
    for (int c = 0; c < g->in_c; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                const float *row =
                    cols + ((size_t)(c * k + ky) * k + kx) * ld;
                int lo, hi;
                valid_cols(g, kx, &lo, &hi);
                for (int oy = 0; oy < g->out_h; oy++) {
                    int iy = oy * s + ky - pad;
                    if (iy < 0 || iy >= g->in_h)
                        continue;
                    const float *d = row + (size_t)oy * g->out_w;
                    float *line = gx + ((size_t)c * g->in_h + iy) * g->in_w
                                  + kx - pad;
                    if (s == 1)
                        for (int ox = lo; ox < hi; ox++)
                            line[ox] += d[ox];
                    else
                        for (int ox = lo; ox < hi; ox++)
                            line[(size_t)ox * s] += d[ox];
                }
            }
}

static size_t ld_of(const struct job *j)
{
    return (size_t)j->n * pixels(j->g);
}

static void im2col_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    for (size_t i = begin; i < end; i++)
        im2col_image(j->g, j->x + i * in_len(j->g),
                     j->cols + i * pixels(j->g), ld_of(j));
}

static void col2im_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    for (size_t i = begin; i < end; i++)
        col2im_image(j->g, j->cols + i * pixels(j->g), ld_of(j),
                     j->dst + i * in_len(j->g));
}

/* Image i's columns of tmp (out_c rows n*P long) to z (NCHW) with the
 * bias added, then the activation while the image is in cache. */
NN_VECTORIZE static void finish_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    const nn_conv_geom *g = j->g;
    size_t p_n = pixels(g), oc = (size_t)g->out_c, len = oc * p_n;
    for (size_t i = begin; i < end; i++) {
        float *z = j->z + i * len;
        for (size_t c = 0; c < oc; c++) {
            const float *restrict t = j->tmp + c * ld_of(j) + i * p_n;
            float bias = j->b[c], *restrict zc = z + c * p_n;
            for (size_t p = 0; p < p_n; p++)
                zc[p] = t[p] + bias;
        }
        if (j->act)
            nn_layer_activate(j->act, z, j->y + i * len, 1, (int)len);
    }
}

/* The gradient of z (NCHW) into tmp (out_c rows n*P long). */
static void gather_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    const nn_conv_geom *g = j->g;
    size_t p_n = pixels(g), oc = (size_t)g->out_c;
    for (size_t i = begin; i < end; i++)
        for (size_t c = 0; c < oc; c++)
            memcpy(j->tmp + c * ld_of(j) + i * p_n,
                   j->src + (i * oc + c) * p_n, p_n * sizeof(float));
}

void nn_conv2d_forward(const nn_conv_geom *g, const float *x, int n,
                       const float *w, const float *b, float *z,
                       const nn_layer_spec *act, float *y, float *cols,
                       float *tmp)
{
    assert(g && x && w && b && z && cols && tmp && n >= 1);
    assert(!act || (y && y != z));
    struct job j = { .g = g, .n = n, .x = x, .b = b, .z = z, .y = y,
                     .cols = cols, .tmp = tmp, .act = act };
    nn_pool_rows(im2col_part, &j, (size_t)n, pixels(g) * patch(g));
    int np = (int)ld_of(&j), kk = (int)patch(g);
    /* tmp [out_c, n*P] = W [out_c, K] cols [K, n*P] */
    nn_blas_sgemm(0, 0, g->out_c, np, kk, 1.0f, w, kk, cols, np, 0.0f, tmp,
                  np);
    nn_pool_rows(finish_part, &j, (size_t)n, pixels(g) * g->out_c);
}

/* gb[c] = the sum of row c of tmp: in 16 lanes (value p into lane
 * p % 16), then the lanes in order, so that the result does not depend on
 * the vector unit. */
NN_VECTORIZE static void row_sums(const float *tmp, int rows, size_t len,
                                  float *gb)
{
    enum { LANES = 16 };
    for (int c = 0; c < rows; c++) {
        float acc[LANES] = { 0 };
        const float *r = tmp + (size_t)c * len;
        size_t p = 0;
        for (; p + LANES <= len; p += LANES)
            for (int j = 0; j < LANES; j++)
                acc[j] += r[p + j];
        for (; p < len; p++)
            acc[p % LANES] += r[p];
        float sum = 0.0f;
        for (int j = 0; j < LANES; j++)
            sum += acc[j];
        gb[c] = sum;
    }
}

void nn_conv2d_backward(const nn_conv_geom *g, int n, const float *w,
                        const float *gz, float *gw, float *gb, float *gx,
                        float *cols, float *tmp)
{
    assert(g && w && gz && gw && gb && cols && tmp && n >= 1);
    struct job j = { .g = g, .n = n, .src = gz, .cols = cols, .tmp = tmp,
                     .dst = gx };
    nn_pool_rows(gather_part, &j, (size_t)n, pixels(g) * g->out_c);
    int np = (int)ld_of(&j), kk = (int)patch(g);
    row_sums(tmp, g->out_c, (size_t)np, gb);
    /* gw [out_c, K] = G [out_c, n*P] cols^T */
    nn_blas_sgemm(0, 1, g->out_c, kk, np, 1.0f, tmp, np, cols, np, 0.0f, gw,
                  kk);
    if (!gx)
        return;
    /* cols [K, n*P] = W^T G */
    nn_blas_sgemm(1, 0, kk, np, g->out_c, 1.0f, w, kk, tmp, np, 0.0f, cols,
                  np);
    nn_pool_rows(col2im_part, &j, (size_t)n, pixels(g) * patch(g));
}

/* 2x2 max pooling of one plane, the common case, without index loops. */
NN_VECTORIZE static void max2_plane(const nn_conv_geom *g, const float *restrict x,
                       float *restrict y)
{
    for (int oy = 0; oy < g->out_h; oy++) {
        const float *a = x + (size_t)2 * oy * g->in_w, *b = a + g->in_w;
        float *r = y + (size_t)oy * g->out_w;
        for (int ox = 0; ox < g->out_w; ox++) {
            float m1 = a[2 * ox + 1] > a[2 * ox] ? a[2 * ox + 1] : a[2 * ox];
            float m2 = b[2 * ox + 1] > b[2 * ox] ? b[2 * ox + 1] : b[2 * ox];
            r[ox] = m2 > m1 ? m2 : m1;
        }
    }
}

/* The backward of max2_plane: the first largest of each window (as the
 * generic loop picks it) gets the gradient, the other three 0; rows and
 * columns no window covers get 0. */
NN_VECTORIZE static void unmax2_plane(const nn_conv_geom *g,
                                      const float *restrict x,
                                      const float *restrict gy,
                                      float *restrict gx)
{
    size_t w = (size_t)g->in_w;
    for (int oy = 0; oy < g->out_h; oy++) {
        const float *a = x + 2 * oy * w, *b = a + w;
        float *ga = gx + 2 * oy * w, *gb = ga + w;
        const float *r = gy + (size_t)oy * g->out_w;
        for (int ox = 0; ox < g->out_w; ox++) {
            float a0 = a[2 * ox], a1 = a[2 * ox + 1];
            float b0 = b[2 * ox], b1 = b[2 * ox + 1], m = a0;
            int k = 0;
            k = a1 > m ? 1 : k, m = a1 > m ? a1 : m;
            k = b0 > m ? 2 : k, m = b0 > m ? b0 : m;
            k = b1 > m ? 3 : k;
            float v = r[ox];
            ga[2 * ox] = k == 0 ? v : 0.0f;
            ga[2 * ox + 1] = k == 1 ? v : 0.0f;
            gb[2 * ox] = k == 2 ? v : 0.0f;
            gb[2 * ox + 1] = k == 3 ? v : 0.0f;
        }
        if (g->in_w % 2)
            ga[w - 1] = gb[w - 1] = 0.0f;
    }
    if (g->in_h % 2)
        memset(gx + (w * (size_t)(g->in_h - 1)), 0, w * sizeof *gx);
}

/* One pooling plane: y[oy][ox] = max or mean of the window. */
static void pool_plane(const nn_conv_geom *g, const float *x, float *y,
                       int is_max)
{
    int k = g->k, s = g->stride;
    float inv = 1.0f / (float)(k * k);
    if (is_max && k == 2 && s == 2) {
        max2_plane(g, x, y);
        return;
    }
    for (int oy = 0; oy < g->out_h; oy++)
        for (int ox = 0; ox < g->out_w; ox++) {
            const float *w0 = x + (size_t)oy * s * g->in_w + (size_t)ox * s;
            float acc = is_max ? w0[0] : 0.0f;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    float v = w0[(size_t)ky * g->in_w + kx];
                    if (is_max)
                        acc = v > acc ? v : acc;
                    else
                        acc += v;
                }
            y[(size_t)oy * g->out_w + ox] = is_max ? acc : acc * inv;
        }
}

/* The backward of pool_plane into gx (zeroed first). */
static void unpool_plane(const nn_conv_geom *g, const float *x,
                         const float *gy, float *gx, int is_max)
{
    int k = g->k, s = g->stride;
    float inv = 1.0f / (float)(k * k);
    if (is_max && k == 2 && s == 2) {
        unmax2_plane(g, x, gy, gx);
        return;
    }
    memset(gx, 0, (size_t)g->in_h * g->in_w * sizeof *gx);
    for (int oy = 0; oy < g->out_h; oy++)
        for (int ox = 0; ox < g->out_w; ox++) {
            size_t base = (size_t)oy * s * g->in_w + (size_t)ox * s;
            float grad = gy[(size_t)oy * g->out_w + ox];
            if (!is_max) {
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        gx[base + (size_t)ky * g->in_w + kx] += grad * inv;
                continue;
            }
            size_t best = base;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    size_t at = base + (size_t)ky * g->in_w + kx;
                    if (x[at] > x[best])
                        best = at;
                }
            gx[best] += grad;
        }
}

/* Pooling over the planes [begin, end) (image x channel). */
static void pool_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    const nn_conv_geom *g = j->g;
    size_t in_p = (size_t)g->in_h * g->in_w, out_p = pixels(g);
    int is_max = j->act != NULL;
    for (size_t i = begin; i < end; i++) {
        if (j->y)
            pool_plane(g, j->x + i * in_p, j->y + i * out_p, is_max);
        else
            unpool_plane(g, j->x ? j->x + i * in_p : NULL,
                         j->src + i * out_p, j->dst + i * in_p, is_max);
    }
}

/* Runs a pooling pass over every plane; `is_max` is told to pool_part by
 * a non-NULL act. */
static void pool_run(const nn_conv_geom *g, struct job *j, int n, int is_max)
{
    static const nn_layer_spec max_tag = { .kind = NN_IDENTITY };
    j->g = g;
    j->act = is_max ? &max_tag : NULL;
    int planes = n * g->in_c;
    size_t per = (size_t)g->in_h * g->in_w;
    nn_pool_rows(pool_part, j, (size_t)planes, per);
}

void nn_maxpool_forward(const nn_conv_geom *g, const float *x, int n,
                        float *y)
{
    assert(g && x && y && n >= 1 && g->out_c == g->in_c);
    struct job j = { .x = x, .y = y };
    pool_run(g, &j, n, 1);
}

void nn_maxpool_backward(const nn_conv_geom *g, const float *x, int n,
                         const float *gy, float *gx)
{
    assert(g && x && gy && gx && n >= 1);
    struct job j = { .x = x, .src = gy, .dst = gx };
    pool_run(g, &j, n, 1);
}

void nn_avgpool_forward(const nn_conv_geom *g, const float *x, int n,
                        float *y)
{
    assert(g && x && y && n >= 1 && g->out_c == g->in_c);
    struct job j = { .x = x, .y = y };
    pool_run(g, &j, n, 0);
}

void nn_avgpool_backward(const nn_conv_geom *g, int n, const float *gy,
                         float *gx)
{
    assert(g && gy && gx && n >= 1);
    struct job j = { .src = gy, .dst = gx };
    pool_run(g, &j, n, 0);
}
