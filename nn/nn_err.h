/* nn_err: errors as values.
 *
 * Every engine function that can fail takes an `nn_err *` as its last
 * argument, returns a failure status (-1 or NULL) and fills the message with
 * a sentence a user can act on ("label 7 out of range: data has 3 classes").
 * Passing NULL for the error is allowed: the message is then dropped. */
#ifndef NN_ERR_H
#define NN_ERR_H

#include <stddef.h>

#define NN_ERR_MAX 512

/* What failed, for a caller that reports errors by kind. */
typedef enum nn_err_kind {
    NN_ERR_VALUE,       /* the input: bad data, shapes, contents */
    NN_ERR_OOM,         /* memory ran out (nn_err_oom) */
    NN_ERR_OS           /* the system refused a file: missing, no
                           permission, not a regular file (nn_err_os) */
} nn_err_kind;

typedef struct nn_err {
    char msg[NN_ERR_MAX];
    nn_err_kind kind;
} nn_err;

/* Formats a message into `e` (printf style) and sets its kind to
 * NN_ERR_VALUE. A message longer than NN_ERR_MAX - 1 bytes (a long name
 * in it) keeps its start and its end, which says what is wrong, with
 * " … " between (sb_vfit). Always returns -1 so a caller can write
 * `return nn_err_set(e, ...);`. */
int nn_err_set(nn_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fills `e` with the standard out-of-memory message naming what was being
 * allocated and how many bytes, of kind NN_ERR_OOM so that a caller can
 * report a MemoryError. Returns -1. */
int nn_err_oom(nn_err *e, const char *what, size_t bytes);

/* nn_err_set for a file the system refused (kind NN_ERR_OS), long
 * messages kept the same way. Returns -1. */
int nn_err_os(nn_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
