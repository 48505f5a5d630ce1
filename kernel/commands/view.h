/* view: what the commands that use a net share: the net's model and class
 * names, the data the net runs on (standardized with its scaler when it
 * was fit on standardized data), and the way a command fails or shows a
 * table.
 *
 * Functions that fail fill run->e and return -1 or NULL. */
#ifndef VIEW_H
#define VIEW_H

#include "builtin.h"

/* The engine's error err as the language's, at the call: `ename` with
 * its message, or a MemoryError when the engine ran out of memory.
 * Returns -1. */
int view_fail(lang_run *run, const args *a, const char *ename,
              const nn_err *err);

/* The model of `net` (the command's first part), or NULL with a
 * ValueError at that part when it is not built yet. Borrowed from the
 * net. */
nn_model *view_model(lang_run *run, const args *a, value *net);

/* Frees n strings and the array holding them (NULL is allowed). */
void view_strv_free(char **v, int n);

/* A malloc'd copy of n strings; NULL on OOM. */
char **view_strv_dup(char *const *v, int n);

/* The names of the k classes a net predicts: those of the data it was fit
 * on, else "0".."k-1", made once and kept in the net (borrowed from it).
 * NULL when memory runs out: tables then write numbers and plots
 * "class c". */
const char *const *view_classes(net_value *n, int k);

/* Number of classes a model with `out` outputs predicts. */
int view_n_classes(int out);

/* Shows html and text (taken; either NULL when making it failed) as what
 * a command displays. Returns none, or NULL with the error set. */
value *view_shown(lang_run *run, const args *a, char *html, char *text);

/* The data net n runs on: `data` itself, or a copy standardized with the
 * net's scaler when the net was fit on standardized data and `data` is
 * raw (then *copy is set for the caller to free, and *note, when note is
 * not NULL, is a malloc'd line saying so). NULL with a MemoryError at the
 * statement. */
const nn_data *view_data(lang_run *run, const args *a, const net_value *n,
                         const value *data, nn_data **copy, char **note);

/* 0 when model m takes the features of d, else -1 with a ShapeError at
 * the command's second part (the data). */
int view_check_width(lang_run *run, const args *a, nn_model *m,
                     const nn_data *d);

#endif
