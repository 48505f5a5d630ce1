/* Tests of kernel/lang/netdraw.c: the diagram of a net as a user sees it.
 * Models get known weights; the SVG is checked for well-formedness and by
 * counting what it draws (nodes, connections of each colour, heatmaps,
 * whose PNG pixels are decoded), the text form by the lines it holds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "netcol.h"
#include "netdraw.h"
#include "palette.h"
#include "xml_check.h"

#define POS "#0877bd"
#define NEG "#f59322"

/* ---- helpers ---------------------------------------------------------- */

/* Connections drawn in `color` (with `opacity`, or any when NULL): the
 * segments of the connection paths, one "M" each. */
static int edges(const char *svg, const char *color, const char *opacity)
{
    char head[64], op[40];
    snprintf(head, sizeof head, "<path fill=\"none\" stroke=\"%s\"", color);
    snprintf(op, sizeof op, "stroke-opacity=\"%s\"", opacity ? opacity : "");
    int n = 0;
    for (const char *p = svg; (p = strstr(p, head)); p++) {
        const char *d = strstr(p, " d=\""), *end = strchr(d + 4, '"');
        const char *o = strstr(p, op);
        if (opacity && (!o || o > d))
            continue;
        for (const char *q = d + 4; q < end; q++)
            n += *q == 'M';
    }
    return n;
}

static nn_model *model(int in, const nn_layer_spec *l, int n)
{
    nn_err e;
    nn_model *m = nn_model_new(in, l, n, 1, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    return m;
}

/* Weight and bias of layer i of m. */
static float *weight(nn_model *m, int i)
{
    return nn_model_params(m) + nn_model_layer_offset(m, i);
}

static float *bias(nn_model *m, int i)
{
    return weight(m, i)
           + (size_t)nn_model_layer_out(m, i) * nn_model_layer_in(m, i);
}

/* Counts the positive and negative weights of every linear layer. */
static void signs(nn_model *m, int *pos, int *neg)
{
    *pos = *neg = 0;
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        if (nn_model_layer(m, i)->kind != NN_LINEAR)
            continue;
        size_t n = (size_t)nn_model_layer_out(m, i) * nn_model_layer_in(m, i);
        for (size_t k = 0; k < n; k++) {
            *pos += weight(m, i)[k] >= 0;
            *neg += weight(m, i)[k] < 0;
        }
    }
}

static char *svg_of(const netdraw_net *n)
{
    char *s = netdraw_svg(n);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(xml_ok(s), "not well-formed:\n%s", s);
    return s;
}

/* The line of t holding `sub`, copied into buf. */
static const char *line_with(const char *t, const char *sub, char *buf,
                             size_t size)
{
    const char *p = strstr(t, sub);
    ck_assert_msg(p != NULL, "no '%s' in\n%s", sub, t);
    while (p > t && p[-1] != '\n')
        p--;
    size_t n = strcspn(p, "\n");
    n = n < size - 1 ? n : size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

/* 2 -> 4 (tanh) -> 1 (sigmoid) with known weights: x1 -> hidden #1 is
 * +2, hidden #4 -> output is +3, every other weight +-0.1, 8 positive and
 * 4 negative in all; biases +0.5, -0.5, 0, 0 and 0. */
static const nn_layer_spec small_net[] = {
    { NN_LINEAR, 4, 0, 0, 0, 0 }, { NN_TANH, 0, 0, 0, 0, 0 }, { NN_LINEAR, 1, 0, 0, 0, 0 },
    { NN_SIGMOID, 0, 0, 0, 0, 0 },
};

static nn_model *small_model(void)
{
    nn_model *m = model(2, small_net, 4);
    for (int k = 0; k < 8; k++)
        weight(m, 0)[k] = k % 3 == 1 ? -0.1f : 0.1f;
    weight(m, 0)[0] = 2;
    for (int k = 0; k < 4; k++)
        weight(m, 2)[k] = k % 2 ? -0.1f : 0.1f;
    weight(m, 2)[3] = 3;
    const float b[] = { 0.5f, -0.5f, 0, 0 };
    memcpy(bias(m, 0), b, sizeof b);
    bias(m, 2)[0] = 0;
    return m;
}

/* ---- the small diagram ------------------------------------------------ */

START_TEST(small_net_nodes_and_connections)
{
    nn_model *m = small_model();
    netdraw_net n = { .model = m };
    char *s = svg_of(&n);
    ck_assert_int_eq(check_count(s, "<circle"), 2 + 4 + 1);
    ck_assert_int_eq(edges(s, POS, NULL) + edges(s, NEG, NULL), 2 * 4 + 4);
    ck_assert_ptr_nonnull(strstr(s, ">12 connections, all drawn<"));
    ck_assert_ptr_nonnull(strstr(s, ">x1</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">x2</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">P(1)</text>"));
    ck_assert_ptr_nonnull(strstr(s, "2 \xE2\x86\x92 4 \xE2\x86\x92 1 net"));
    /* each layer's activation under it */
    ck_assert_ptr_nonnull(strstr(s, ">tanh</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">sigmoid</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">4 neurons</text>"));
    ck_assert_ptr_nonnull(strstr(s, "width=\"700\""));
    free(s);
    nn_model_free(m);
}
END_TEST

START_TEST(colours_follow_weight_signs)
{
    nn_model *m = small_model();
    netdraw_net n = { .model = m };
    int pos, neg;
    signs(m, &pos, &neg);
    ck_assert_int_eq(pos, 8);
    ck_assert_int_eq(neg, 4);
    char *s = svg_of(&n);
    ck_assert_int_eq(edges(s, POS, NULL), pos);
    ck_assert_int_eq(edges(s, NEG, NULL), neg);
    /* the largest weight of each layer is drawn widest and opaque: +2 in
     * the first, +3 in the second */
    ck_assert_int_eq(edges(s, POS, "1"), 2);
    ck_assert_int_eq(edges(s, NEG, "1"), 0);
    free(s);
    /* negated weights swap the colours */
    for (int k = 0; k < 8; k++)
        weight(m, 0)[k] = -weight(m, 0)[k];
    for (int k = 0; k < 4; k++)
        weight(m, 2)[k] = -weight(m, 2)[k];
    s = svg_of(&n);
    ck_assert_int_eq(edges(s, POS, NULL), neg);
    ck_assert_int_eq(edges(s, NEG, NULL), pos);
    ck_assert_int_eq(edges(s, POS, "1"), 0);
    ck_assert_int_eq(edges(s, NEG, "1"), 2);
    free(s);
    nn_model_free(m);
}
END_TEST

/* The fill of the i-th circle as 0xRRGGBB. */
static unsigned circle_fill(const char *s, int i)
{
    const char *p = s;
    for (int k = 0; k <= i; k++) {
        p = strstr(p, "<circle");
        ck_assert_ptr_nonnull(p);
        p++;
    }
    const char *f = strstr(p, "fill=\"#");
    ck_assert_ptr_nonnull(f);
    return (unsigned)strtoul(f + 7, NULL, 16);
}

START_TEST(nodes_are_filled_with_their_bias)
{
    nn_model *m = small_model();
    netdraw_net n = { .model = m };
    char *s = svg_of(&n);
    /* inputs, zero biases (and an output layer whose biases are all 0)
     * are white */
    ck_assert_int_eq(check_count(s, "fill=\"#ffffff\""), 5);
    unsigned up = circle_fill(s, 2), down = circle_fill(s, 3);
    ck_assert_uint_gt(up & 0xFF, up >> 16);      /* +0.5: blue */
    ck_assert_uint_gt(down >> 16, down & 0xFF);  /* -0.5: orange */
    free(s);
    nn_model_free(m);
}
END_TEST

START_TEST(before_and_after_training_differ)
{
    nn_model *m = small_model();
    netdraw_net n = { .model = m };
    char *before = svg_of(&n);
    weight(m, 0)[4] = 1.5f;   /* was -0.1: a new strong positive line */
    char *after = svg_of(&n);
    ck_assert_str_ne(before, after);
    ck_assert_int_eq(edges(after, POS, NULL), edges(before, POS, NULL) + 1);
    free(before);
    free(after);
    nn_model_free(m);
}
END_TEST

/* ---- names ------------------------------------------------------------ */

START_TEST(inputs_and_outputs_are_named)
{
    nn_model *m = small_model();
    const char *features[] = { "petal <length> & \"width\"",
                               "abcdefghijklmnopqrstuvwxyz" };
    const char *classes[] = { "no", "yes" };
    netdraw_net n = { .model = m, .features = features, .classes = classes,
                      .n_classes = 2, .note = "after 5 epochs on <toy>" };
    char *s = svg_of(&n);
    /* 18 characters shown */
    ck_assert_ptr_nonnull(strstr(s, ">petal &#60;length&#62; &#38; "
                                    "&#34;\xE2\x80\xA6</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">abcdefghijklmnopqr\xE2\x80\xA6</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">P(yes)</text>"));
    ck_assert_ptr_nonnull(strstr(s, "after 5 epochs on &#60;toy&#62;"));
    free(s);
    /* bytes that are not UTF-8 become U+FFFD, control characters spaces */
    const char *bad[] = { "a\xff" "b", "c\td" };
    n.features = bad;
    s = svg_of(&n);
    ck_assert_ptr_nonnull(strstr(s, ">a\xEF\xBF\xBD" "b</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">c d</text>"));
    free(s);
    nn_model_free(m);
}
END_TEST

START_TEST(outputs_without_names)
{
    const nn_layer_spec three[] = { { NN_LINEAR, 3, 0, 0, 0, 0 },
                                    { NN_SOFTMAX, 0, 0, 0, 0, 0 } };
    nn_model *m = model(2, three, 2);
    const char *two[] = { "a", "b" };
    /* class names that do not fit the outputs are not used */
    netdraw_net n = { .model = m, .classes = two, .n_classes = 2 };
    char *s = svg_of(&n);
    ck_assert_ptr_nonnull(strstr(s, ">0</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">2</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">softmax</text>"));
    free(s);
    nn_model_free(m);
    const nn_layer_spec one[] = { { NN_LINEAR, 1, 0, 0, 0, 0 } };
    m = model(3, one, 1);
    n.model = m;
    s = svg_of(&n);
    ck_assert_ptr_nonnull(strstr(s, ">out</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">linear</text>"));  /* no activation */
    free(s);
    nn_model_free(m);
}
END_TEST

START_TEST(columns_take_activation_and_dropout)
{
    const nn_layer_spec l[] = {
        { NN_TANH, 0, 0, 0, 0, 0 }, { NN_LINEAR, 4, 0, 0, 0, 0 }, { NN_RELU, 0, 0, 0, 0, 0 },
        { NN_DROPOUT, 0, 0.5f, 0, 0, 0 }, { NN_LINEAR, 1, 0, 0, 0, 0 },
    };
    nn_model *m = model(2, l, 5);
    ck_assert_int_eq(netcol_count(m), 3);
    ck_assert_int_eq(netcol_units(m, 0), 2);
    ck_assert_int_eq(netcol_units(m, 1), 4);
    ck_assert_int_eq(netcol_layer(m, 0), 0);   /* tanh of inputs */
    ck_assert_int_eq(netcol_layer(m, 1), 3);   /* after dropout */
    ck_assert_int_eq(netcol_layer(m, 2), 4);   /* linear only */
    netdraw_net n = { .model = m };
    char *s = svg_of(&n);
    ck_assert_ptr_nonnull(strstr(s, ">relu, dropout(0.5)</text>"));
    ck_assert_ptr_nonnull(strstr(s, ">tanh</text>"));
    free(s);
    nn_model_free(m);
    const nn_layer_spec plain[] = { { NN_LINEAR, 1, 0, 0, 0, 0 } };
    m = model(2, plain, 1);
    ck_assert_int_eq(netcol_layer(m, 0), -1);
    nn_model_free(m);
}
END_TEST

/* ---- large nets ------------------------------------------------------- */

START_TEST(mnist_sized_net_is_shortened)
{
    const nn_layer_spec l[] = {
        { NN_LINEAR, 256, 0, 0, 0, 0 }, { NN_RELU, 0, 0, 0, 0, 0 }, { NN_LINEAR, 128, 0, 0, 0, 0 },
        { NN_RELU, 0, 0, 0, 0, 0 }, { NN_LINEAR, 10, 0, 0, 0, 0 }, { NN_SOFTMAX, 0, 0, 0, 0, 0 },
    };
    nn_model *m = model(784, l, 6);
    netdraw_net n = { .model = m };
    char *s = svg_of(&n);
    ck_assert_uint_lt(strlen(s), 300 * 1024);
    /* seven at each end of a long layer, and what is left out */
    ck_assert_int_eq(check_count(s, "<circle"), 14 + 14 + 14 + 10);
    ck_assert_ptr_nonnull(strstr(s, ">\xE2\x80\xA6 770 more<"));
    ck_assert_ptr_nonnull(strstr(s, ">\xE2\x80\xA6 242 more<"));
    ck_assert_ptr_nonnull(strstr(s, ">\xE2\x80\xA6 114 more<"));
    ck_assert_ptr_nonnull(strstr(s, ">x784</text>"));
    ck_assert_ptr_null(strstr(s, ">x8</text>"));
    int drawn = 14 * 14 + 14 * 14 + 14 * 10;
    ck_assert_int_eq(edges(s, POS, NULL) + edges(s, NEG, NULL), drawn);
    ck_assert_ptr_nonnull(strstr(s, "connections thinned: 532 of 234,752 "
                                    "drawn"));
    ck_assert_ptr_nonnull(strstr(s, "235,146 parameters"));
    free(s);
    char *t = netdraw_text(&n);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(strstr(t, "x1, x2, x3, x4, \xE2\x80\xA6 (784)"));
    char buf[200];
    ck_assert_ptr_nonnull(strstr(line_with(t, "hidden 2", buf, sizeof buf),
                                 "128"));
    free(t);
    nn_model_free(m);
}
END_TEST

START_TEST(many_connections_keep_the_strongest)
{
    /* ten layers of 16: 2,560 connections, more than NETDRAW_EDGES; the
     * magnitudes 1..256 of each layer make the weakest easy to tell */
    nn_layer_spec l[20];
    for (int i = 0; i < 10; i++) {
        l[2 * i] = (nn_layer_spec){ NN_LINEAR, 16, 0, 0, 0, 0 };
        l[2 * i + 1] = (nn_layer_spec){ NN_TANH, 0, 0, 0, 0, 0 };
    }
    nn_model *m = model(16, l, 20);
    for (int i = 0; i < 20; i += 2)
        for (int k = 0; k < 256; k++)
            weight(m, i)[k] = (float)((k * 37) % 256 + 1) * (k % 2 ? -1 : 1);
    netdraw_net n = { .model = m };
    char *s = svg_of(&n);
    ck_assert_int_eq(edges(s, POS, NULL) + edges(s, NEG, NULL),
                     NETDRAW_EDGES);
    ck_assert_ptr_nonnull(strstr(s, "connections thinned: 1,500 of 2,560 "
                                    "drawn (the strongest"));
    /* 150 of each layer's 256 kept: those of |w| >= 107, none of the
     * three weakest widths (|w| / largest below 0.36) */
    const char *weak[] = { "0.25", "0.36", "0.46" };
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(edges(s, POS, weak[i]) + edges(s, NEG, weak[i]), 0);
    /* every layer keeps its strongest: the 19 of |w| >= 238 (6.5/7 of the
     * largest) drawn widest */
    ck_assert_int_eq(edges(s, POS, "1") + edges(s, NEG, "1"), 10 * 19);
    free(s);
    nn_model_free(m);
}
END_TEST

/* ---- heatmaps --------------------------------------------------------- */

#define G 8

/* Decodes base64 (standard alphabet) into out; returns the length. */
static size_t unbase64(const char *s, size_t n, unsigned char *out)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t w = 0;
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        v = v << 6 | (unsigned)(strchr(abc, s[i]) - abc);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[w++] = (unsigned char)(v >> bits);
        }
    }
    return w;
}

/* The data of the PNG chunk `type`, or NULL. */
static const unsigned char *chunk(const unsigned char *png, size_t n,
                                  const char *type, size_t *len)
{
    for (size_t i = 8; i + 12 <= n;) {
        size_t l = (size_t)png[i] << 24 | png[i + 1] << 16 | png[i + 2] << 8
                 | png[i + 3];
        if (!memcmp(png + i + 4, type, 4)) {
            *len = l;
            return png + i + 8;
        }
        i += 12 + l;
    }
    return NULL;
}

/* The colour of pixel (row r from the top, column i) of the k-th heatmap
 * image of svg, a G x G palette PNG stored without compression. */
static unsigned pixel(const char *svg, int k, int r, int i)
{
    const char *p = svg;
    for (int j = 0; j <= k; j++) {
        p = strstr(p, "base64,");
        ck_assert_ptr_nonnull(p);
        p += 7;
    }
    unsigned char png[4096];
    size_t n = unbase64(p, strcspn(p, "\""), png), len;
    ck_assert(n > 8 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8));
    const unsigned char *ihdr = chunk(png, n, "IHDR", &len);
    ck_assert(ihdr && ihdr[3] == G && ihdr[7] == G && ihdr[9] == 3);
    size_t colours;
    const unsigned char *plte = chunk(png, n, "PLTE", &colours);
    const unsigned char *idat = chunk(png, n, "IDAT", &len);
    ck_assert(plte && idat && len == 7 + G * (G + 1) + 4);
    int idx = idat[7 + r * (G + 1) + 1 + i];   /* zlib + block header */
    ck_assert_uint_lt((unsigned)idx * 3 + 2, colours);
    return (unsigned)plte[3 * idx] << 16 | plte[3 * idx + 1] << 8
           | plte[3 * idx + 2];
}

START_TEST(heatmaps_show_each_neuron_over_the_plane)
{
    const nn_layer_spec l[] = { { NN_LINEAR, 3, 0, 0, 0, 0 }, { NN_LINEAR, 2, 0, 0, 0, 0 },
                                { NN_SOFTMAX, 0, 0, 0, 0, 0 } };
    nn_model *m = model(2, l, 3);
    static float hidden[3 * G * G], out[2 * G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            hidden[j * G + i] = (float)i - 3.5f;             /* x across */
            hidden[G * G + j * G + i] = (float)j - 3.5f;     /* y up */
            hidden[2 * G * G + j * G + i] = 0;               /* dead */
            out[j * G + i] = 1;                              /* sure */
            out[G * G + j * G + i] = 0;
        }
    const float *heat[] = { NULL, hidden, out };
    netdraw_net n = { .model = m, .heat = heat, .grid = G };
    char *s = svg_of(&n);
    ck_assert_int_eq(check_count(s, "<image"), 3 + 2);
    ck_assert_int_eq(check_count(s, "<circle"), 2);   /* the inputs */
    ck_assert_ptr_nonnull(strstr(s, "over the input plane (x1 across, x2 "
                                    "up)"));
    unsigned pos = 0x0877bd, neg = 0xf59322, white = 0xffffff;
    ck_assert_uint_eq(pixel(s, 0, 0, 0), neg);          /* left */
    ck_assert_uint_eq(pixel(s, 0, 0, G - 1), pos);      /* right */
    ck_assert_uint_eq(pixel(s, 1, 0, 3), pos);          /* top */
    ck_assert_uint_eq(pixel(s, 1, G - 1, 3), neg);      /* bottom */
    ck_assert_uint_eq(pixel(s, 2, 4, 4), white);
    /* outputs in their class colours, white where improbable */
    unsigned c0 = (unsigned)strtoul(palette_class(0) + 1, NULL, 16);
    ck_assert_uint_eq(pixel(s, 3, 2, 2), c0);
    ck_assert_uint_eq(pixel(s, 4, 2, 2), white);
    free(s);
    /* a column without heatmaps keeps its circles */
    heat[2] = NULL;
    s = svg_of(&n);
    ck_assert_int_eq(check_count(s, "<image"), 3);
    ck_assert_int_eq(check_count(s, "<circle"), 2 + 2);
    free(s);
    nn_model_free(m);
}
END_TEST

/* Squared distance of two colours 0xRRGGBB. */
static int distance(unsigned a, unsigned b)
{
    int d = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        int x = (int)(a >> sh & 0xFF) - (int)(b >> sh & 0xFF);
        d += x * x;
    }
    return d;
}

START_TEST(sigmoid_output_heatmap_in_the_two_class_colours)
{
    nn_model *m = small_model();
    static float hidden[4 * G * G], out[G * G];
    for (int k = 0; k < G * G; k++)
        out[k] = k % G < G / 2 ? 0.1f : 0.9f;    /* class 0 left */
    const float *heat[] = { NULL, hidden, out };
    netdraw_net n = { .model = m, .heat = heat, .grid = G };
    char *s = svg_of(&n);
    unsigned c0 = (unsigned)strtoul(palette_class(0) + 1, NULL, 16);
    unsigned c1 = (unsigned)strtoul(palette_class(1) + 1, NULL, 16);
    unsigned left = pixel(s, 4, 0, 0), right = pixel(s, 4, 0, G - 1);
    /* 0.1 and 0.9 lie 80% of the way from 0.5 to each class */
    ck_assert_int_lt(distance(left, c0), distance(left, 0xffffff));
    ck_assert_int_lt(distance(left, c0), distance(left, c1));
    ck_assert_int_lt(distance(right, c1), distance(right, 0xffffff));
    ck_assert_int_lt(distance(right, c1), distance(right, c0));
    free(s);
    nn_model_free(m);
}
END_TEST

/* ---- the text form ---------------------------------------------------- */

START_TEST(text_lists_layers_and_largest_weights)
{
    nn_model *m = small_model();
    const char *classes[] = { "no", "yes" };
    netdraw_net n = { .model = m, .classes = classes, .n_classes = 2 };
    char *t = netdraw_text(&n), buf[200];
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(line_with(t, "parameters", buf, sizeof buf),
                     "2 \xE2\x86\x92 4 \xE2\x86\x92 1 net \xC2\xB7 "
                     "17 parameters");
    line_with(t, "input", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "x1, x2"));
    line_with(t, "hidden 1  ", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, " 4  tanh"));
    line_with(t, "output", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "sigmoid"));
    ck_assert_ptr_nonnull(strstr(buf, "P(yes)"));
    /* the largest weight of each layer first */
    const char *w = strstr(t, "largest weights\n");
    ck_assert_ptr_nonnull(w);
    line_with(w, "+2", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "x1"));
    ck_assert_ptr_nonnull(strstr(buf, "hidden 1 #1"));
    line_with(w, "+3", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "hidden 1 #4"));
    ck_assert_ptr_nonnull(strstr(buf, "P(yes)"));
    ck_assert(strstr(w, "+2") < strstr(w, "-0.1"));
    ck_assert_int_eq(check_count(w, "hidden 1 #"), 3 + 3);   /* 3 per layer */
    free(t);
    nn_model_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("netdraw");
    TCase *t = tcase_create("core");
    tcase_add_test(t, small_net_nodes_and_connections);
    tcase_add_test(t, colours_follow_weight_signs);
    tcase_add_test(t, nodes_are_filled_with_their_bias);
    tcase_add_test(t, before_and_after_training_differ);
    tcase_add_test(t, inputs_and_outputs_are_named);
    tcase_add_test(t, outputs_without_names);
    tcase_add_test(t, columns_take_activation_and_dropout);
    tcase_add_test(t, mnist_sized_net_is_shortened);
    tcase_add_test(t, many_connections_keep_the_strongest);
    tcase_add_test(t, heatmaps_show_each_neuron_over_the_plane);
    tcase_add_test(t, sigmoid_output_heatmap_in_the_two_class_colours);
    tcase_add_test(t, text_lists_layers_and_largest_weights);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
