/* desc: the types that describe the builtins a cell can call, and the
 * library of them an interpreter is given.
 *
 * The language (kernel/lang) knows no builtin by name: kernel/commands
 * describes each one (name, parameters, what runs it) in the table of its
 * family, lists the families in its registry, and hands that library to
 * lang_interp_new. This header holds only types, so value.h and the
 * binder (builtin.h) can both use them. */
#ifndef DESC_H
#define DESC_H

#include <jansson.h>

struct ev;
struct args;
struct value;

typedef enum builtin_kind {
    B_FUNC,      /* print("x"): a bare name is a function value */
    B_DATA,      /* moons, iris: a bare name is the data set with defaults */
    B_LAYER,     /* relu, linear(16): a bare name is the layer */
    B_OPTIM,     /* adam, sgd(lr=0.1) */
    B_SCHED,     /* step(10), cosine() */
    B_COMMAND    /* fit, evaluate, ...: written as statements */
} builtin_kind;

typedef struct builtin {
    const char *name;
    builtin_kind kind;
    const char *const *params;   /* NULL-terminated, in order */
    int required;                /* the first `required` have no default */
    int variadic;                /* positional arguments go to args.rest */
    /* Runs the builtin; returns a new reference, or NULL with x->e set. */
    struct value *(*run)(struct ev *x, const struct args *a);
} builtin;

/* The builtins of one family (io, data, layers, ...), in the order
 * completion lists them. */
typedef struct builtin_family {
    const char *name;
    const builtin *table;
    int n;
} builtin_family;

/* What an interpreter runs cells with: the families of builtins and the
 * way a value is shown. */
typedef struct lang_library {
    const builtin_family *const *families;   /* NULL-terminated */
    /* The mime bundle of a value shown as a cell result (text/plain at
     * least). New reference; NULL on OOM. */
    json_t *(*show)(const struct value *v);
} lang_library;

#endif
