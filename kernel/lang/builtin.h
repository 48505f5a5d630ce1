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
#include "library.h"
#include "run.h"

#define BUILTIN_MAX_PARAMS 24

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

/* Binds the already evaluated arguments vals[0..call->nkids) of `call` to
 * the parameters of `fn` and runs it. Borrows vals. A new reference, or
 * NULL with a TypeError naming the wrong argument. */
value *builtin_invoke(lang_run *run, const builtin *fn, const node *call,
                      value **vals);

/* The number of parameters of fn. */
int builtin_n_params(const builtin *fn);

/* The index of fn's parameter `name`, or -1. */
int builtin_param(const builtin *fn, const char *name);

/* Argument readers for builtins. Each reads the parameter called `name`
 * (which the builtin's descriptor must list: asserted), or its default
 * from the descriptor when it was left out (for a parameter called
 * "seed", the session's seed once seed(x) has set one: env.h), checks its type (and range,
 * from the descriptor too) and fails with a TypeError or ValueError at
 * the argument, returning -1; else returns 0. A number must be finite
 * (not NaN nor infinite) whatever its range. */
int arg_num(lang_run *run, const args *a, const char *name, double *out);
/* arg_num for a number the engine takes as a float: fails with a
 * ValueError too when it is beyond float range (|x| > FLT_MAX), where it
 * would turn infinite. */
int arg_float(lang_run *run, const args *a, const char *name, float *out);
int arg_int(lang_run *run, const args *a, const char *name, int *out);
int arg_bool(lang_run *run, const args *a, const char *name, int *out);
/* *out borrowed: the string given, or the descriptor's default (which
 * may be NULL). */
int arg_str(lang_run *run, const args *a, const char *name, const char **out);
/* For a P_CHOICE parameter: *out borrowed, the choice given (or the
 * default) as the descriptor spells it. Returns its index in the
 * descriptor's choices; anything else fails with a ValueError that lists
 * them (and names the nearest to a typo). */
int arg_choice(lang_run *run, const args *a, const char *name,
               const char **out);
/* *out borrowed: fails unless the value given is of the descriptor's
 * `want` kind (any kind for V_NONE). A missing optional parameter, or
 * none given for one, gives *out = NULL and returns 0. */
int arg_value(lang_run *run, const args *a, const char *name, value **out);

/* arg_num and arg_int for a range that depends on other arguments (a
 * feature index of the data given): [lo, hi] instead of the
 * descriptor's. */
int arg_num_within(lang_run *run, const args *a, const char *name, double lo,
                   double hi, double *out);
int arg_int_within(lang_run *run, const args *a, const char *name, double lo,
                   double hi, int *out);

/* The value given for parameter `name` (borrowed), or NULL when it was
 * left out: for parameters that take more than one kind. */
value *arg_get(const args *a, const char *name);

/* The byte range to point at for parameter `name` (the call when it was
 * left out). */
int arg_pos(const args *a, const char *name, int *len);

/* A builtin's result: returns v, after filling a MemoryError at the call
 * when v is NULL (making it ran out of memory). */
value *builtin_made(lang_run *run, const args *a, value *v);

/* builtin_made(run, a, value_none()): the result of a builtin run for what
 * it shows or does. */
value *builtin_none(lang_run *run, const args *a);

#endif
