/* libFuzzer target for the CSV reader (nn/nn_csv.c).
 *
 * The first byte picks the options: its bits 0-1 the target column (the
 * last, column 0, column 1 or the column named "target"), its bits 2-3 the
 * task (auto, classification, regression, or two target columns: "target"
 * and column 1, or with bit 4 columns 0 and 1, as multi-output
 * regression); the rest is the CSV text. Besides what the
 * sanitizers catch, every set that parses must be valid and must come back
 * the same after nn_csv_print and a second read: same sizes, features
 * and targets (bit for bit), labels and names; a regression set, but for
 * a constant target (which fit refuses), is valid too. The written text goes to a
 * memfd, read back by its /proc path through the file reader: no disk, so
 * a full or slow one cannot fail the run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nn_csv.h"
#include "nn_csv_out.h"

/* "/proc/self/fd/N" of the memfd the written sets go to. */
static char mem_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    int fd = memfd_create("fuzz_csv", MFD_CLOEXEC);
    if (fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(mem_path, sizeof mem_path, "/proc/self/fd/%d", fd);
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
    if (a->task != b->task || a->n_targets != b->n_targets)
        abort();
    if (a->task == NN_TASK_REGRESS
        && memcmp(a->t, b->t,
                  (size_t)a->n * (size_t)a->n_targets * sizeof *a->t))
        abort();
    for (int j = 0; a->task == NN_TASK_REGRESS && j < a->n_targets; j++)
        if (strcmp(a->target_names[j], b->target_names[j]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const targets[] = {NULL, "0", "1", "target"};
    if (size < 1)
        return 0;
    static const char *const pair[2][2] = {{"target", "1"}, {"0", "1"}};
    nn_csv_options o = {.target = targets[data[0] % 4],
                        .task = (data[0] >> 2) % 4};
    if (o.task == 3) {
        o.task = NN_CSV_TASK_AUTO;
        o.targets = pair[(data[0] >> 4) & 1];
        o.n_targets = 2;
    }
    nn_err e;
    nn_data *d = nn_csv_parse_with((const char *)data + 1, size - 1, "fuzz",
                                   &o, &e);
    if (!d) {
        if (!e.msg[0])
            abort(); /* a failure must say why */
        return 0;
    }
    if (d->n < 1
        || (o.n_targets && (d->task != NN_TASK_REGRESS || d->n_targets != 2)))
        abort();
    if (nn_data_validate(d, &e) < 0) {
        /* the one thing a set read may lack: a regression target that
         * varies (told task="regression", the reader keeps a constant
         * one, and fit refuses it by nn_data_validate's message) */
        if (d->task != NN_TASK_REGRESS || !strstr(e.msg, "is constant"))
            abort();
        nn_data_free(d);
        return 0;
    }
    FILE *f = fopen(mem_path, "w"); /* the memfd, emptied */
    if (!f) {
        perror(mem_path);
        abort();
    }
    if (nn_csv_print(d, f, &e) < 0) {
        fprintf(stderr, "writing the set failed: %s\n", e.msg);
        abort();
    }
    if (fclose(f) != 0) {
        perror("closing the written set");
        abort();
    }
    /* classes read back as classes, even where auto would see numbers;
     * targets as targets, by index: they follow the d features */
    nn_csv_options back = {.task = NN_CSV_TASK_CLASSIFY};
    char index[2][16];
    const char *columns[2] = {index[0], index[1]};
    if (d->task == NN_TASK_REGRESS) {
        if (d->n_targets > 2)
            abort(); /* the options above ask for two at most */
        for (int j = 0; j < d->n_targets; j++)
            snprintf(index[j], sizeof index[j], "%d", d->d + j);
        back.task = NN_CSV_TASK_REGRESS;
        back.target = columns[0];
        if (d->n_targets == 2) {
            back.targets = columns;
            back.n_targets = 2;
        }
    }
    nn_data *again = nn_csv_read_with(mem_path, &back, &e);
    if (!again) {
        fprintf(stderr, "re-reading the written CSV failed: %s\n", e.msg);
        abort();
    }
    check_same(d, again);
    nn_data_free(again);
    nn_data_free(d);
    return 0;
}
