/* builtin: calling the builtins a library describes (desc.h): finding
 * one by name, the binder that matches a call's arguments to their
 * parameters, and the readers a builtin reads its arguments with.
 *
 * Each builtin lists its parameters in order; a call may give them by
 * position or as name=value, and leave out those with defaults. The
 * documentation of every builtin is its section in docs/language.md (see
 * docs.h); the descriptors hold what the evaluator and the completer
 * need. */
#ifndef BUILTIN_H
#define BUILTIN_H

#include "desc.h"
#include "run.h"

#define BUILTIN_MAX_PARAMS 16

/* A call after binding: the value of each parameter (NULL when left out)
 * and the node it came from, for error positions. */
typedef struct args {
    value *v[BUILTIN_MAX_PARAMS];
    const node *at[BUILTIN_MAX_PARAMS];
    value *const *rest;          /* variadic builtins: the positional */
    const node *const *rest_at;  /* arguments, in order */
    int nrest;
    const node *call;
    const struct builtin *fn;
} args;

/* How many builtins the families of `lib` hold together. */
int builtin_count(const lang_library *lib);

/* Builtin i (0 <= i < builtin_count(lib)), family by family in the order
 * of the registry: for completion and suggestions. */
const builtin *builtin_nth(const lang_library *lib, int i);

/* The builtin named `name` in `lib`, or NULL. */
const builtin *builtin_find(const lang_library *lib, const char *name);

/* Binds the already evaluated arguments vals[0..call->nkids) of `call` to
 * the parameters of `fn` and runs it. Borrows vals. A new reference, or
 * NULL with a TypeError naming the wrong argument. */
value *builtin_invoke(ev *x, const builtin *fn, const node *call,
                      value **vals);

/* Argument helpers for builtins: each reads parameter i, or the default
 * when it was left out, checks its type and range, and fails with a
 * TypeError/ValueError at the argument (returning -1). */
int arg_num(ev *x, const args *a, int i, double def, double lo, double hi,
            double *out);
int arg_int(ev *x, const args *a, int i, int def, int lo, int hi, int *out);
int arg_bool(ev *x, const args *a, int i, int def, int *out);
/* Borrowed string, or `def`. */
int arg_str(ev *x, const args *a, int i, const char *def, const char **out);
/* Fails unless parameter i was given and is of `kind`; *out borrowed.
 * A missing optional parameter gives *out = NULL and returns 0. */
int arg_value(ev *x, const args *a, int i, value_kind kind, value **out);

/* The byte range to point at for parameter i (the call when left out). */
int arg_pos(const args *a, int i, int *len);

/* A builtin's result: returns v, after filling a MemoryError at the call
 * when v is NULL (making it ran out of memory). */
value *builtin_made(ev *x, const args *a, value *v);

/* builtin_made(x, a, value_none()): the result of a builtin run for what
 * it shows or does. */
value *builtin_none(ev *x, const args *a);

#endif
