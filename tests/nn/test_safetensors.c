/* Model files: round trip, the exact layout PyTorch expects, errors
 * (never crashes) on truncated, garbage and inconsistent files, and saves
 * and loads that touch nothing but regular files of our own. */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_safetensors.h"

static char dir[64];

static const char *path(const char *name)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static void write_bytes(const char *p, const void *data, size_t n)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

static unsigned char *read_bytes(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*n + 1);
    ck_assert_uint_eq(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

/* A file with the given JSON header and `data` bytes of zeros. */
static void write_file(const char *p, const char *json, size_t data)
{
    size_t hl = strlen(json), n = 8 + hl + data;
    unsigned char *b = calloc(1, n);
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)hl >> (8 * i));
    memcpy(b + 8, json, hl);
    write_bytes(p, b, n);
    free(b);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/nn-st-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(round_trip)
{
    nn_layer_spec layers[] = {
        {NN_LINEAR, 5, 0, 0, 0, 0}, {NN_LEAKY_RELU, 0, 0.2f, 0, 0, 0}, {NN_DROPOUT, 0, 0.25f, 0, 0, 0},
        {NN_LINEAR, 4, 0, 0, 0, 0}, {NN_GELU, 0, 0, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0},
        {NN_GELU, 0, NN_GELU_TANH, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0},
        {NN_SOFTMAX, 0, 0, 0, 0, 0},
    };
    nn_err e;
    nn_model *m = helper_model(3, layers, 9, 9);
    ck_assert_int_eq(nn_safetensors_save(m, path("m.safetensors"), &e), 0);
    nn_model *l = nn_safetensors_load(path("m.safetensors"), &e);
    ck_assert_msg(l != NULL, "%s", e.msg);
    char a[256], b[256];
    nn_model_describe(m, a, sizeof a);
    nn_model_describe(l, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(nn_model_in(l), 3);
    ck_assert_uint_eq(nn_model_n_params(l), nn_model_n_params(m));
    ck_assert(helper_same_params(m, l));
    ck_assert_float_eq(nn_model_layer(l, 1)->arg, 0.2f);
    ck_assert_float_eq(nn_model_layer(l, 2)->arg, 0.25f);
    ck_assert_float_eq(nn_model_layer(l, 4)->arg, 0.0f);
    ck_assert_float_eq(nn_model_layer(l, 6)->arg, NN_GELU_TANH);
    float x[6] = {0.1f, -2, 3, 1, 1, 1}, p1[6], p2[6];
    nn_model_predict(m, x, 2, p1, NULL);
    nn_model_predict(l, x, 2, p2, NULL);
    ck_assert_int_eq(memcmp(p1, p2, sizeof p1), 0);
    nn_model_free(m);
    nn_model_free(l);
}
END_TEST

START_TEST(layout)
{
    nn_model *m = helper_model(2, helper_xor_net, 4, 1);
    ck_assert_int_eq(nn_safetensors_save(m, path("x.safetensors"), NULL), 0);
    size_t n;
    unsigned char *b = read_bytes(path("x.safetensors"), &n);
    uint64_t hl = 0;
    for (int i = 0; i < 8; i++)
        hl |= (uint64_t)b[i] << (8 * i);
    ck_assert_uint_eq(hl % 8, 0);
    ck_assert_uint_eq(n, 8 + hl + 65 * 4);
    b[8 + hl] = '\0';
    const char *json = (const char *)b + 8;
    ck_assert_ptr_nonnull(strstr(json, "\"layers\":\"linear(16),relu,"
                                       "linear(1),sigmoid\""));
    ck_assert_ptr_nonnull(strstr(json, "\"input\":\"2\""));
    ck_assert_ptr_nonnull(strstr(json, "\"0.weight\":{\"dtype\":\"F32\","
                                       "\"shape\":[16,2],\"data_offsets\""
                                       ":[0,128]}"));
    ck_assert_ptr_nonnull(strstr(json, "\"0.bias\":{\"dtype\":\"F32\","
                                       "\"shape\":[16],\"data_offsets\""
                                       ":[128,192]}"));
    ck_assert_ptr_nonnull(strstr(json, "\"2.weight\":{\"dtype\":\"F32\","
                                       "\"shape\":[1,16]"));
    ck_assert_ptr_null(strstr(json, "\"1.weight\""));
    /* Data: little-endian float32 in state_dict order. */
    free(b);
    b = read_bytes(path("x.safetensors"), &n);
    const unsigned char *d = b + 8 + hl + 4 * 48; /* 2.weight[0][0] */
    uint32_t u = (uint32_t)d[0] | (uint32_t)d[1] << 8 |
                 (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
    float f;
    memcpy(&f, &u, 4);
    ck_assert_float_eq(f, nn_model_params(m)[48]);
    free(b);
    nn_model_free(m);
}
END_TEST

START_TEST(every_truncation_fails)
{
    nn_layer_spec layers[] = {{NN_LINEAR, 3, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 2, 1);
    nn_safetensors_save(m, path("t.safetensors"), NULL);
    size_t n;
    unsigned char *b = read_bytes(path("t.safetensors"), &n);
    nn_err e;
    for (size_t cut = 0; cut < n; cut++) {
        write_bytes(path("cut"), b, cut);
        ck_assert_msg(nn_safetensors_load(path("cut"), &e) == NULL,
                      "a file cut at %zu of %zu bytes loaded", cut, n);
        ck_assert(e.msg[0] != '\0');
    }
    write_bytes(path("cut"), b, n - 1);
    nn_safetensors_load(path("cut"), &e);
    ck_assert_ptr_nonnull(strstr(e.msg, "truncated"));
    free(b);
    nn_model_free(m);
}
END_TEST

START_TEST(garbage_and_flips)
{
    nn_err e;
    unsigned char junk[300];
    for (int i = 0; i < 300; i++)
        junk[i] = (unsigned char)(i * 77 + 13);
    write_bytes(path("junk"), junk, sizeof junk);
    ck_assert_ptr_null(nn_safetensors_load(path("junk"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a safetensors file"));
    ck_assert_ptr_null(nn_safetensors_load(path("missing"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot open"));
    /* Any byte of the header changed: an error or a model, never a crash. */
    nn_layer_spec layers[] = {{NN_LINEAR, 2, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 2, 1);
    nn_safetensors_save(m, path("f.safetensors"), NULL);
    size_t n;
    unsigned char *b = read_bytes(path("f.safetensors"), &n);
    for (size_t i = 0; i < n - 24; i++) {
        unsigned char keep = b[i];
        b[i] ^= 0x5a;
        write_bytes(path("flip"), b, n);
        nn_model_free(nn_safetensors_load(path("flip"), NULL));
        b[i] = keep;
    }
    free(b);
    nn_model_free(m);
}
END_TEST

START_TEST(sizes_are_checked_before_allocating)
{
    /* A 200-byte file whose metadata asks for 1.6 GB of weights (found by
     * tests/fuzz/fuzz_safetensors: the model was allocated first). */
    nn_err e;
    write_file(path("lies"), "{\"__metadata__\":{\"input\":\"20000\","
               "\"layers\":\"linear(20000),relu,linear(1)\"},\"0.weight\":"
               "{\"dtype\":\"F32\",\"shape\":[20000,20000],"
               "\"data_offsets\":[0,1600000000]}}", 16);
    ck_assert_ptr_null(nn_safetensors_load(path("lies"), &e));
    ck_assert_str_eq(e.msg, "the file is truncated or lies about its sizes: "
                     "the layers of its metadata (20000 inputs, "
                     "linear(20000),relu,linear(1)) need 1600160004 bytes of "
                     "weights, the file holds 16");
}
END_TEST

START_TEST(arguments_round_trip)
{
    /* dropout(0.9999999) was written as dropout(1), which does not load
     * (found by tests/fuzz/fuzz_safetensors). */
    nn_layer_spec layers[] = {{NN_LINEAR, 2, 0, 0, 0, 0}, {NN_DROPOUT, 0, 0.9999999f, 0, 0, 0},
                              {NN_LEAKY_RELU, 0, 0.123456789f, 0, 0, 0},
                              {NN_LEAKY_RELU, 0, 0.1f, 0, 0, 0}};
    nn_model *m = helper_model(3, layers, 4, 1);
    nn_err e;
    ck_assert_int_eq(nn_safetensors_save(m, path("args"), &e), 0);
    nn_model *r = nn_safetensors_load(path("args"), &e);
    ck_assert_msg(r, "%s", e.msg);
    for (int i = 1; i < 4; i++)
        ck_assert_float_eq(nn_model_layer(r, i)->arg, layers[i].arg);
    char text[256];
    nn_model_describe(r, text, sizeof text);
    ck_assert_str_eq(text, "linear(2) -> dropout(0.9999999) -> "
                     "leaky_relu(0.12345679) -> leaky_relu(0.1)");
    nn_model_free(r);
    nn_model_free(m);
}
END_TEST

START_TEST(inconsistent_headers)
{
    nn_err e;
    const char *meta = "{\"__metadata__\":{\"input\":\"2\",\"layers\":"
                       "\"linear(1)\"},";
    char json[512];
    snprintf(json, sizeof json, "%s\"0.weight\":{\"dtype\":\"F64\",\"shape\""
             ":[1,2],\"data_offsets\":[0,8]},\"0.bias\":{\"dtype\":\"F32\","
             "\"shape\":[1],\"data_offsets\":[8,12]}}", meta);
    write_file(path("h"), json, 12);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "F32"));
    snprintf(json, sizeof json, "%s\"0.weight\":{\"dtype\":\"F32\",\"shape\""
             ":[2,1],\"data_offsets\":[0,8]},\"0.bias\":{\"dtype\":\"F32\","
             "\"shape\":[1],\"data_offsets\":[8,12]}}", meta);
    write_file(path("h"), json, 12);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "shape"));
    snprintf(json, sizeof json, "%s\"0.weight\":{\"dtype\":\"F32\",\"shape\""
             ":[1,2],\"data_offsets\":[0,8]}}", meta);
    write_file(path("h"), json, 12);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "'0.bias' is missing"));
    snprintf(json, sizeof json, "%s\"0.weight\":{\"dtype\":\"F32\",\"shape\""
             ":[1,2],\"data_offsets\":[0,8]},\"0.bias\":{\"dtype\":\"F32\","
             "\"shape\":[1],\"data_offsets\":[8,12]},\"5.bias\":{\"dtype\":"
             "\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", meta);
    write_file(path("h"), json, 12);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "'5.bias'"));
    write_file(path("h"), "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],"
               "\"data_offsets\":[0,8]}}", 8);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "__metadata__"));
    write_file(path("h"), "{\"__metadata__\":{\"input\":\"2\",\"layers\":"
               "\"linear(1),rleu\"}}", 0);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown layer 'rleu'"));
    write_file(path("h"), "{\"__metadata__\":{\"input\":\"0\",\"layers\":"
               "\"relu\"}}", 0);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "input width"));
    /* Unknown keys and spacing as other writers produce them are fine. */
    write_file(path("h"), "{ \"__metadata__\" : { \"format\" : \"pt\", "
               "\"input\" : \"2\", \"layers\" : \"tanh, identity\" }, "
               "\"x\" : 1 }", 0);
    ck_assert_ptr_null(nn_safetensors_load(path("h"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "tensor"));
    write_file(path("h"), "{ \"__metadata__\" : { \"format\" : \"pt\", "
               "\"input\" : \"2\", \"layers\" : \"tanh, identity\" } }   ",
               0);
    nn_model *m = nn_safetensors_load(path("h"), &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    ck_assert_int_eq(nn_model_n_layers(m), 2);
    nn_model_free(m);
}
END_TEST

/* The names in dir other than `keep`: a failed or finished save leaves no
 * temporary file behind. */
static int others_in_dir(const char *keep)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)))
        if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..")
            && strcmp(ent->d_name, keep))
            n++;
    closedir(d);
    return n;
}

START_TEST(save_errors)
{
    nn_layer_spec layers[] = {{NN_LINEAR, 2, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 1, 1);
    nn_err e;
    ck_assert_int_eq(nn_safetensors_save(m, path("no/such/dir/m"), &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot write"));
    /* A directory, a FIFO, a device or a symlink is never replaced. */
    ck_assert_int_eq(mkdir(path("sub"), 0700), 0);
    ck_assert_int_eq(nn_safetensors_save(m, path("sub"), &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a directory"));
    ck_assert_int_eq(mkfifo(path("fifo"), 0600), 0);
    ck_assert_int_eq(nn_safetensors_save(m, path("fifo"), &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a FIFO"));
    struct stat st;
    ck_assert_int_eq(lstat(path("fifo"), &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(nn_safetensors_save(m, "/dev/null", &e), -1);
    ck_assert_str_eq(e.msg, "cannot write '/dev/null': it is a device; only "
                     "a regular file is replaced");
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    ck_assert_int_eq(symlink("/dev/null", path("null")), 0);
    ck_assert_int_eq(nn_safetensors_save(m, path("null"), &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "it is a symbolic link"));
    ck_assert_int_eq(unlink(path("null")), 0);
    ck_assert_int_eq(unlink(path("fifo")), 0);
    ck_assert_int_eq(rmdir(path("sub")), 0);
    ck_assert_int_eq(others_in_dir(""), 0);
    nn_model_free(m);
}
END_TEST

/* A symlink at the old temporary name "<path>.tmp" is left alone: the
 * temporary file is a new file of our own, and only it is renamed. */
START_TEST(save_ignores_planted_tmp_symlink)
{
    nn_layer_spec layers[] = {{NN_LINEAR, 3, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 1, 1);
    nn_err e;
    write_bytes(path("victim"), "precious", 8);
    char victim[160];
    snprintf(victim, sizeof victim, "%s", path("victim"));
    ck_assert_int_eq(symlink(victim, path("m.tmp")), 0);
    ck_assert_int_eq(nn_safetensors_save(m, path("m"), &e), 0);
    size_t n;
    unsigned char *b = read_bytes(path("victim"), &n);
    ck_assert_uint_eq(n, 8);
    ck_assert_int_eq(memcmp(b, "precious", 8), 0);
    free(b);
    struct stat st;
    ck_assert_int_eq(lstat(path("m.tmp"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(lstat(path("m"), &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    nn_model *r = nn_safetensors_load(path("m"), &e);
    ck_assert_msg(r != NULL, "%s", e.msg);
    nn_model_free(r);
    /* Saving again replaces the regular file, leaving nothing else. */
    ck_assert_int_eq(unlink(path("m.tmp")), 0);
    ck_assert_int_eq(unlink(path("victim")), 0);
    ck_assert_int_eq(nn_safetensors_save(m, path("m"), &e), 0);
    ck_assert_int_eq(others_in_dir("m"), 0);
    nn_model_free(m);
}
END_TEST

/* A directory we may not write to: an error, the old file kept, no
 * temporary file. (root may write anywhere: then only the last holds.) */
START_TEST(save_into_read_only_dir)
{
    nn_layer_spec layers[] = {{NN_LINEAR, 2, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 1, 1);
    nn_err e;
    write_bytes(path("old"), "old", 3);
    ck_assert_int_eq(chmod(dir, 0500), 0);
    int rc = nn_safetensors_save(m, path("old"), &e);
    ck_assert_int_eq(chmod(dir, 0700), 0);
    if (geteuid() != 0) {
        ck_assert_int_eq(rc, -1);
        ck_assert_ptr_nonnull(strstr(e.msg, "cannot write"));
        ck_assert_ptr_nonnull(strstr(e.msg, "Permission denied"));
        size_t n;
        unsigned char *b = read_bytes(path("old"), &n);
        ck_assert_uint_eq(n, 3);
        free(b);
    }
    ck_assert_int_eq(others_in_dir("old"), 0);
    nn_model_free(m);
}
END_TEST

/* A FIFO with no writer is refused at once, not waited on. */
START_TEST(load_refuses_special_files)
{
    nn_err e;
    ck_assert_int_eq(mkfifo(path("fifo"), 0600), 0);
    ck_assert_ptr_null(nn_safetensors_load(path("fifo"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
    ck_assert_ptr_null(nn_safetensors_load(dir, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
    ck_assert_ptr_null(nn_safetensors_load("/dev/zero", &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
}
END_TEST

/* The 8-byte length is checked against the file's size before anything
 * else is read: a large file of zeros (sparse) is refused by its header. */
START_TEST(load_checks_header_first)
{
    nn_err e;
    FILE *f = fopen(path("big"), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite("\xff\xff\xff\xff\xff\xff\xff\x7f", 1, 8, f), 8);
    fclose(f);
    ck_assert_int_eq(truncate(path("big"), (off_t)1 << 32), 0);
    ck_assert_ptr_null(nn_safetensors_load(path("big"), &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a safetensors file"));
}
END_TEST

/* Values that parse but must not load, each named. */
START_TEST(load_refuses_overlaps_and_non_finite)
{
    nn_err e;
    const char *meta = "{\"__metadata__\":{\"input\":\"2\",\"layers\":"
                       "\"linear(1)\"},";
    char json[512];
    snprintf(json, sizeof json, "%s\"0.weight\":{\"dtype\":\"F32\",\"shape\""
             ":[1,2],\"data_offsets\":[0,8]},\"0.bias\":{\"dtype\":\"F32\","
             "\"shape\":[1],\"data_offsets\":[4,8]}}", meta);
    write_file(path("o"), json, 12);
    ck_assert_ptr_null(nn_safetensors_load(path("o"), &e));
    ck_assert_str_eq(e.msg, "tensors '0.weight' (bytes 0 to 8) and '0.bias' "
                     "(bytes 4 to 8) overlap in the file");
    /* A saved model with one weight made NaN, then infinite. */
    nn_layer_spec layers[] = {{NN_LINEAR, 3, 0, 0, 0, 0}};
    nn_model *m = helper_model(2, layers, 1, 1);
    ck_assert_int_eq(nn_safetensors_save(m, path("w"), &e), 0);
    size_t n;
    unsigned char *b = read_bytes(path("w"), &n);
    /* the bias of 3 is the last 12 bytes; its second value: */
    memcpy(b + n - 8, "\x00\x00\xc0\x7f", 4);
    write_bytes(path("nan"), b, n);
    ck_assert_ptr_null(nn_safetensors_load(path("nan"), &e));
    ck_assert_str_eq(e.msg, "tensor '0.bias' holds NaN at index 1: the "
                     "weights are not usable");
    memcpy(b + n - 8, "\x00\x00\x80\xff", 4);
    write_bytes(path("inf"), b, n);
    ck_assert_ptr_null(nn_safetensors_load(path("inf"), &e));
    ck_assert_str_eq(e.msg, "tensor '0.bias' holds an infinity at index 1: "
                     "the weights are not usable");
    free(b);
    nn_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("safetensors");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, layout);
    tcase_add_test(tc, every_truncation_fails);
    tcase_add_test(tc, sizes_are_checked_before_allocating);
    tcase_add_test(tc, arguments_round_trip);
    tcase_add_test(tc, garbage_and_flips);
    tcase_add_test(tc, inconsistent_headers);
    tcase_add_test(tc, save_errors);
    tcase_add_test(tc, save_ignores_planted_tmp_symlink);
    tcase_add_test(tc, save_into_read_only_dir);
    tcase_add_test(tc, load_refuses_special_files);
    tcase_add_test(tc, load_checks_header_first);
    tcase_add_test(tc, load_refuses_overlaps_and_non_finite);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
