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

/* Runs fn over images [0, n) on the cores when there is enough work
 * (`per_image` values each), else here. */
static void over_images(void (*fn)(void *, size_t, size_t), void *ctx,
                        int n, size_t per_image)
{
    if ((size_t)n * per_image >= NN_POOL_PARALLEL_MIN && n > 1)
        nn_pool_split(fn, ctx, (size_t)n, 1);
    else
        fn(ctx, 0, (size_t)n);
}

/* What the image loops share. */
struct job {
    const nn_conv_geom *g;
    const float *x, *b, *src;
    float *z, *y, *cols, *tmp, *dst;
    const nn_layer_spec *act;
};

/* Patches of image i into its P rows of cols (zeros in the padding). */
static void im2col_image(const nn_conv_geom *g, const float *x, float *cols)
{
    int k = g->k, s = g->stride, pad = g->pad;
    for (int oy = 0; oy < g->out_h; oy++)
        for (int ox = 0; ox < g->out_w; ox++) {
            float *row = cols + ((size_t)oy * g->out_w + ox) * patch(g);
            for (int c = 0; c < g->in_c; c++) {
                const float *plane = x + (size_t)c * g->in_h * g->in_w;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s + ky - pad;
                    float *r = row + ((size_t)c * k + ky) * k;
                    if (iy < 0 || iy >= g->in_h) {
                        memset(r, 0, (size_t)k * sizeof *r);
                        continue;
                    }
                    const float *line = plane + (size_t)iy * g->in_w;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * s + kx - pad;
                        r[kx] = ix >= 0 && ix < g->in_w ? line[ix] : 0.0f;
                    }
                }
            }
        }
}

/* The adjoint of im2col_image: adds each row of cols back to the input
 * values it was read from; gx is zeroed first. */
static void col2im_image(const nn_conv_geom *g, const float *cols, float *gx)
{
    int k = g->k, s = g->stride, pad = g->pad;
    memset(gx, 0, in_len(g) * sizeof *gx);
    for (int oy = 0; oy < g->out_h; oy++)
        for (int ox = 0; ox < g->out_w; ox++) {
            const float *row = cols + ((size_t)oy * g->out_w + ox) * patch(g);
            for (int c = 0; c < g->in_c; c++) {
                float *plane = gx + (size_t)c * g->in_h * g->in_w;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s + ky - pad;
                    if (iy < 0 || iy >= g->in_h)
                        continue;
                    const float *r = row + ((size_t)c * k + ky) * k;
                    float *line = plane + (size_t)iy * g->in_w;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * s + kx - pad;
                        if (ix >= 0 && ix < g->in_w)
                            line[ix] += r[kx];
                    }
                }
            }
        }
}

static void im2col_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    for (size_t i = begin; i < end; i++)
        im2col_image(j->g, j->x + i * in_len(j->g),
                     j->cols + i * pixels(j->g) * patch(j->g));
}

static void col2im_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    for (size_t i = begin; i < end; i++)
        col2im_image(j->g, j->cols + i * pixels(j->g) * patch(j->g),
                     j->dst + i * in_len(j->g));
}

/* tmp rows (pixel-major, P x out_c per image) to z (channel-major) with
 * the bias added, then the activation while the image is in cache. */
static void finish_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    const nn_conv_geom *g = j->g;
    size_t p_n = pixels(g), oc = (size_t)g->out_c, len = oc * p_n;
    for (size_t i = begin; i < end; i++) {
        const float *t = j->tmp + i * len;
        float *z = j->z + i * len;
        for (size_t c = 0; c < oc; c++) {
            float bias = j->b[c], *zc = z + c * p_n;
            for (size_t p = 0; p < p_n; p++)
                zc[p] = t[p * oc + c] + bias;
        }
        if (j->act)
            nn_layer_activate(j->act, z, j->y + i * len, 1, (int)len);
    }
}

/* The gradient of z (channel-major) into tmp (pixel-major). */
static void transpose_part(void *ctx, size_t begin, size_t end)
{
    const struct job *j = ctx;
    const nn_conv_geom *g = j->g;
    size_t p_n = pixels(g), oc = (size_t)g->out_c, len = oc * p_n;
    for (size_t i = begin; i < end; i++) {
        const float *s = j->src + i * len;
        float *t = j->tmp + i * len;
        for (size_t c = 0; c < oc; c++)
            for (size_t p = 0; p < p_n; p++)
                t[p * oc + c] = s[c * p_n + p];
    }
}

void nn_conv2d_forward(const nn_conv_geom *g, const float *x, int n,
                       const float *w, const float *b, float *z,
                       const nn_layer_spec *act, float *y, float *cols,
                       float *tmp)
{
    assert(g && x && w && b && z && cols && tmp && n >= 1);
    assert(!act || (y && y != z));
    struct job j = { .g = g, .x = x, .b = b, .z = z, .y = y, .cols = cols,
                     .tmp = tmp, .act = act };
    over_images(im2col_part, &j, n, pixels(g) * patch(g));
    int rows = (int)((size_t)n * pixels(g)), kk = (int)patch(g);
    nn_blas_sgemm(0, 1, rows, g->out_c, kk, 1.0f, cols, kk, w, kk, 0.0f, tmp,
                  g->out_c);
    over_images(finish_part, &j, n, pixels(g) * g->out_c);
}

void nn_conv2d_backward(const nn_conv_geom *g, int n, const float *w,
                        const float *gz, float *gw, float *gb, float *gx,
                        float *cols, float *tmp)
{
    assert(g && w && gz && gw && gb && cols && tmp && n >= 1);
    struct job j = { .g = g, .src = gz, .cols = cols, .tmp = tmp,
                     .dst = gx };
    over_images(transpose_part, &j, n, pixels(g) * g->out_c);
    int rows = (int)((size_t)n * pixels(g)), kk = (int)patch(g);
    nn_tensor_col_sums(tmp, rows, g->out_c, gb);
    nn_blas_sgemm(1, 0, g->out_c, kk, rows, 1.0f, tmp, g->out_c, cols, kk,
                  0.0f, gw, kk);
    if (!gx)
        return;
    nn_blas_sgemm(0, 0, rows, kk, g->out_c, 1.0f, tmp, g->out_c, w, kk, 0.0f,
                  cols, kk);
    over_images(col2im_part, &j, n, pixels(g) * patch(g));
}

/* One pooling plane: y[oy][ox] = max or mean of the window. */
static void pool_plane(const nn_conv_geom *g, const float *x, float *y,
                       int is_max)
{
    int k = g->k, s = g->stride;
    float inv = 1.0f / (float)(k * k);
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
    if ((size_t)planes * per >= NN_POOL_PARALLEL_MIN && planes > 1)
        nn_pool_split(pool_part, j, (size_t)planes, 1);
    else
        pool_part(j, 0, (size_t)planes);
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
