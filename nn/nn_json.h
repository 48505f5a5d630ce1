/* nn_json: the small JSON reader of model file headers (safetensors):
 * objects, arrays, strings, non-negative integers, and skipping any other
 * value. It reads from a byte range, never past its end, allocates
 * nothing, and keeps the first error as an nn_err ("not a valid
 * safetensors header: ... at byte N of the JSON"). Every function returns
 * 0, or -1 with that error set and `failed` raised. */
#ifndef NN_JSON_H
#define NN_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "nn_err.h"

/* Nesting deeper than this is refused (nn_json_skip). */
#define NN_JSON_DEPTH_MAX 32

/* A reader over the bytes [start, end); p is where it is. */
typedef struct nn_json {
    const char *start, *p, *end;
    nn_err *e;
    int failed;
} nn_json;

/* Sets the error "what" at the current byte (the first error wins);
 * returns -1. */
int nn_json_fail(nn_json *j, const char *what);

/* Skips white space. */
void nn_json_space(nn_json *j);

/* Consumes `c` after optional white space; 0, or -1 with nothing consumed
 * and no error set. */
int nn_json_peek(nn_json *j, char c);

/* Consumes `c` after optional white space, or fails. */
int nn_json_expect(nn_json *j, char c);

/* A string into buf (size bytes, NUL-terminated), or skipped when buf is
 * NULL. Escapes are decoded; \u escapes above ASCII are refused. */
int nn_json_string(nn_json *j, char *buf, size_t size);

/* A non-negative integer that fits in 64 bits. */
int nn_json_uint(nn_json *j, uint64_t *v);

/* An array of at most `max` non-negative integers; their count to *n. */
int nn_json_uints(nn_json *j, uint64_t *v, int max, int *n);

/* Skips any one value, nested at most NN_JSON_DEPTH_MAX deep (`depth`:
 * the nesting so far, 0 at the top). */
int nn_json_skip(nn_json *j, int depth);

#endif
