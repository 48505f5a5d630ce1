/* libFuzzer target for the CSV reader (nn/nn_csv.c).
 *
 * The first byte picks the target column (the last, column 0, column 1 or
 * the column named "target"); the rest is the CSV text. Besides what the
 * sanitizers catch, every set that parses must be valid and must come back
 * the same after nn_csv_write and a second read: same sizes, features
 * (bit for bit), labels and names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_csv.h"

static char tmp_path[64];

static void remove_tmp(void)
{
    unlink(tmp_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(tmp_path, sizeof tmp_path, "/tmp/fuzz_csv.%ld.csv",
             (long)getpid());
    atexit(remove_tmp);
    return 0;
}

static void check_same(const nn_data *a, const nn_data *b)
{
    if (a->n != b->n || a->d != b->d || a->n_classes != b->n_classes)
        abort();
    if (memcmp(a->x, b->x, (size_t)a->n * (size_t)a->d * sizeof *a->x)
        || memcmp(a->y, b->y, (size_t)a->n * sizeof *a->y))
        abort();
    for (int j = 0; j < a->d; j++)
        if (strcmp(a->feature_names[j], b->feature_names[j]))
            abort();
    for (int c = 0; c < a->n_classes; c++)
        if (strcmp(a->class_names[c], b->class_names[c]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const targets[] = {NULL, "0", "1", "target"};
    if (size < 1)
        return 0;
    const char *target = targets[data[0] % 4];
    nn_err e;
    nn_data *d = nn_csv_parse((const char *)data + 1, size - 1, "fuzz",
                              target, &e);
    if (!d) {
        if (!e.msg[0])
            abort(); /* a failure must say why */
        return 0;
    }
    if (d->n < 1 || nn_data_validate(d, &e) < 0)
        abort();
    if (nn_csv_write(d, tmp_path, &e) < 0)
        abort();
    nn_data *again = nn_csv_read(tmp_path, NULL, &e);
    if (!again) {
        fprintf(stderr, "re-reading the written CSV failed: %s\n", e.msg);
        abort();
    }
    check_same(d, again);
    nn_data_free(again);
    nn_data_free(d);
    return 0;
}
