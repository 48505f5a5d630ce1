/* nn_safetensors: model files in the safetensors format.
 *
 * An 8-byte little-endian header length, a JSON header, then raw
 * little-endian float32 data. Tensors are named as PyTorch's nn.Sequential
 * state_dict ("0.weight" [out, in], "0.bias" [out], "2.weight", ... with
 * the layer's index in the stack), and "__metadata__" holds the input width
 * and the architecture, so that
 *     from safetensors.torch import load_file; net.load_state_dict(load_file(p))
 * or a few lines of plain Python rebuild the same network. */
#ifndef NN_SAFETENSORS_H
#define NN_SAFETENSORS_H

#include "nn_err.h"
#include "nn_model.h"

/* Writes `m` to `path`. Returns 0, or -1 with the reason (cannot open,
 * disk full). */
int nn_safetensors_save(const nn_model *m, const char *path, nn_err *e);

/* Reads a model written by nn_safetensors_save (or by a PyTorch user who
 * filled the same metadata). Returns a new model, or NULL with the reason
 * (not a safetensors file, truncated, unknown layer, shape mismatch). */
nn_model *nn_safetensors_load(const char *path, nn_err *e);

/* Extra string entries of "__metadata__" (beside "format", "input" and
 * "layers"), e.g. "task": "regression". Keys are at most 31 bytes, values
 * at most 255 (longer ones are cut); at most NN_ST_EXTRA_MAX entries. */
#define NN_ST_EXTRA_MAX 8
typedef struct nn_st_extra {
    int n;
    char key[NN_ST_EXTRA_MAX][32];
    char value[NN_ST_EXTRA_MAX][256];
} nn_st_extra;

/* Adds key: value to x (cut to size). Returns -1 when x is full. */
int nn_st_extra_add(nn_st_extra *x, const char *key, const char *value);

/* The value of key in x, or NULL. */
const char *nn_st_extra_get(const nn_st_extra *x, const char *key);

/* nn_safetensors_save with the entries of x (may be NULL) added to the
 * metadata (JSON-escaped). */
int nn_safetensors_save_extra(const nn_model *m, const char *path,
                              const nn_st_extra *x, nn_err *e);

/* nn_safetensors_load that also fills x (not NULL) with the metadata
 * entries other than format, input and layers (the first
 * NN_ST_EXTRA_MAX). */
nn_model *nn_safetensors_load_extra(const char *path, nn_st_extra *x,
                                    nn_err *e);

#endif
