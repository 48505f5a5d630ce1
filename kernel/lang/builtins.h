/* builtins: the functions, layers, data sets, optimizers and commands a
 * cell can name, and the binder that matches a call's arguments to their
 * parameters.
 *
 * Each builtin lists its parameters in order; a call may give them by
 * position or as name=value, and leave out those with defaults. The
 * documentation of every builtin is its section in docs/language.md (see
 * docs.h); the table here holds what the evaluator and the completer need. */
#ifndef BUILTINS_H
#define BUILTINS_H

#include "eval.h"

#define BUILTIN_MAX_PARAMS 16

typedef enum builtin_kind {
    B_FUNC,      /* print("x"): a bare name is a function value */
    B_DATA,      /* moons, iris: a bare name is the data set with defaults */
    B_LAYER,     /* relu, linear(16): a bare name is the layer */
    B_OPTIM,     /* adam, sgd(lr=0.1) */
    B_SCHED,     /* step(10), cosine() */
    B_COMMAND    /* fit, evaluate, ...: written as statements */
} builtin_kind;

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

typedef struct builtin {
    const char *name;
    builtin_kind kind;
    const char *const *params;   /* NULL-terminated, in order */
    int required;                /* the first `required` have no default */
    int variadic;                /* positional arguments go to args.rest */
    /* Runs the builtin; returns a new reference, or NULL with x->e set. */
    value *(*run)(ev *x, const args *a);
} builtin;

/* Every builtin (builtin_count of them), for lookup, completion and
 * suggestions. */
extern const builtin builtin_table[];
extern const int builtin_count;

/* The builtin named `name`, or NULL. */
const builtin *builtin_find(const char *name);

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
