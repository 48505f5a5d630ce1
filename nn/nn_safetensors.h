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

#endif
