/* libFuzzer target for the model file reader (nn/nn_safetensors.c).
 *
 * The input is written to a memfd and loaded by its /proc/self/fd path. Besides what the sanitizers
 * catch (and libFuzzer's malloc limit: a small file must not make the
 * reader allocate gigabytes), every model that loads must save and load
 * again to the same architecture and the same parameters, bit for bit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nn_safetensors.h"

/* The input's memfd as a path; the saved model's file (nn_safetensors_save
 * replaces a file by rename, so it needs a real one). */
static char in_path[64], out_path[64];

static void remove_tmp(void)
{
    unlink(out_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    int fd = memfd_create("fuzz_st", MFD_CLOEXEC);
    if (fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(in_path, sizeof in_path, "/proc/self/fd/%d", fd);
    snprintf(out_path, sizeof out_path, "/tmp/fuzz_st.%ld.out",
             (long)getpid());
    atexit(remove_tmp);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_path, "wb"); /* the memfd, emptied */
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror("writing the input to a memfd");
        abort();
    }
    nn_err e;
    nn_model *m = nn_safetensors_load(in_path, &e);
    if (!m) {
        if (!e.msg[0])
            abort(); /* a failure must say why */
        return 0;
    }
    if (nn_safetensors_save(m, out_path, &e) < 0) {
        fprintf(stderr, "saving a loaded model failed: %s\n", e.msg);
        abort();
    }
    nn_model *again = nn_safetensors_load(out_path, &e);
    if (!again) {
        fprintf(stderr, "re-loading a saved model failed: %s\n", e.msg);
        abort();
    }
    char a[1024], b[1024];
    nn_model_describe(m, a, sizeof a);
    nn_model_describe(again, b, sizeof b);
    size_t n = nn_model_n_params(m);
    if (strcmp(a, b) || nn_model_in(m) != nn_model_in(again)
        || n != nn_model_n_params(again)
        || memcmp(nn_model_params(m), nn_model_params(again),
                  n * sizeof(float)))
        abort();
    nn_model_free(again);
    nn_model_free(m);
    return 0;
}
