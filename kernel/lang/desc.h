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

#include "value.h"

struct lang_run;
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

/* What a parameter takes. The readers of builtin.h check it. */
typedef enum param_kind {
    P_NUM,      /* a number in [lo, hi] */
    P_INT,      /* a whole number in [lo, hi] */
    P_BOOL,     /* true or false */
    P_STR,      /* a string */
    P_CHOICE,   /* one of the strings in `choices` */
    P_VALUE     /* a value of kind `want` (V_NONE: the builtin checks) */
} param_kind;

/* One parameter: everything help, inspect, completion, the binder and
 * the readers know about it, said once. */
typedef struct param {
    const char *name;
    param_kind kind;
    double def;         /* P_NUM, P_INT, P_BOOL: the default */
    double lo, hi;      /* P_NUM, P_INT: the range */
    const char *text;   /* P_STR, P_CHOICE: the default string; P_VALUE:
                           how the default is written ("none", "adam()");
                           NULL: no default (the parameter is simply
                           absent) */
    value_kind want;    /* P_VALUE */
    const char *doc;    /* one line for help and inspect */
    const char *const *choices; /* P_CHOICE: the strings it takes, in the
                                   order help lists them, NULL-ended; the
                                   default is one of them */
} param;

/* One-line parameter rows for the descriptor tables. */
#define PARAM_NUM(name, def, lo, hi, doc) \
    { name, P_NUM, def, lo, hi, NULL, V_NONE, doc, NULL }
#define PARAM_INT(name, def, lo, hi, doc) \
    { name, P_INT, def, lo, hi, NULL, V_NONE, doc, NULL }
#define PARAM_BOOL(name, def, doc) \
    { name, P_BOOL, def, 0, 1, NULL, V_NONE, doc, NULL }
#define PARAM_STR(name, def, doc) \
    { name, P_STR, 0, 0, 0, def, V_NONE, doc, NULL }
/* PARAM_CHOICE("task", "auto", CHOICES("auto", "regression"), "...") */
#define PARAM_CHOICE(name, def, choices, doc) \
    { name, P_CHOICE, 0, 0, 0, def, V_NONE, doc, choices }
#define CHOICES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define PARAM_VALUE(name, want, def, doc) \
    { name, P_VALUE, 0, 0, 0, def, want, doc, NULL }
#define PARAM_END { NULL, P_NUM, 0, 0, 0, NULL, V_NONE, NULL, NULL }

/* How a command is written (B_COMMAND only): `fit net on data, ...`.
 * Its first part is its first parameter; a second part, after `link`,
 * is the second parameter. */
typedef struct command_syntax {
    const char *link;     /* word between the two parts ("on", "to"), or
                             NULL for a command of at most one part */
    int link_optional;    /* the second part may follow without the word
                             (predict net [[1, 2]]) */
    int options;          /* name=value options may follow, after commas */
    const char *example;  /* shown when the command is written wrong */
    int word_part;        /* the one part is a bare word or a string,
                             taken as a string (help fit) */
} command_syntax;

typedef struct builtin {
    const char *name;
    builtin_kind kind;
    const param *params;         /* in order, ended by PARAM_END */
    int required;                /* the first `required` have no default */
    int variadic;                /* positional arguments go to args.rest */
    /* Runs the builtin; returns a new reference, or NULL with run->e set. */
    struct value *(*run)(struct lang_run *run, const struct args *a);
    const char *doc;             /* one line for help and inspect */
    command_syntax syntax;       /* B_COMMAND: how it is written */
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
