/* value: the values a cell computes with, reference counted.
 *
 * Numbers are doubles; strings, lists, data sets, nets, optimizers,
 * schedules and builtin functions are shared by reference (assigning a net
 * to a second name and fitting one fits both, as in Python). A value is
 * created with one reference, owned by the caller; value_unref() drops one
 * and frees the value with the last.
 *
 * A list of numbers, or of rows of numbers of one width, may be packed:
 * held as one array of doubles rather than a value per number (a literal
 * of a million numbers takes 8 MB, not 48). It prints, joins and unpacks
 * as the same list of values would; value_list_item() reads any list. */
#ifndef VALUE_H
#define VALUE_H

#include <jansson.h>

#include "nn_data.h"
#include "nn_layer.h"
#include "nn_model.h"
#include "nn_optim.h"

typedef enum value_kind {
    V_NONE, V_NUM, V_BOOL, V_STR, V_LIST, V_DATA, V_NET, V_OPTIM, V_SCHED,
    V_FUNC, V_REC
} value_kind;

struct builtin;

/* A net: a chain of layers, built into a model once its input width is
 * known (at once with input(d), else when fit first sees data). */
typedef struct net_value {
    nn_layer_spec *layers;
    int n_layers;
    int in;                   /* input width; 0 = taken from data at fit */
    int in_fixed;             /* 1 when given by input(d) or a loaded file */
    int in_shape[3];          /* {c, h, w} when input(c, h, w) gave images;
                                 in_shape[1] = 0 otherwise */
    nn_model *model;          /* NULL until built */
    nn_scaler *scaler;        /* standardization of the data it was fit on */
    char **class_names;       /* classes of the data it was fit on */
    int n_classes;            /* 0 before the first fit */
    char **feature_names;     /* the n_features input names of that data */
    int n_features;           /* 0 before the first fit */
    char *fit_on;             /* name of that data set, or NULL */
    int epochs;               /* epochs trained so far */
    /* The curves of the last fit, for plot [net, ...]: curve_n points of
     * train loss, validation loss, train and validation accuracy (in
     * that order in `curve`, NAN without validation), point i after
     * epoch (i+1)*curve_every of curve_total. NULL before a fit. */
    float *curve;
    int curve_n, curve_every, curve_total, curve_val;
    /* Fit on a regression set: an empty set (0 rows) with its target
     * names and scale, so predictions are named and in the target's
     * units. NULL when fit on classes or not fit. */
    nn_data *targets;
} net_value;

/* A learning-rate schedule, for fit's schedule= option. */
typedef struct sched_value {
    nn_schedule_kind kind;
    int step_size;
    float gamma;
    int t_max;
    float eta_min;
} sched_value;

typedef struct value {
    value_kind kind;
    int refs;
    union {
        double num;                 /* V_NUM; V_BOOL 0 or 1 */
        char *str;                  /* V_STR */
        struct {
            union {
                struct value **items;   /* cols == 0: n items */
                double *nums;           /* cols > 0: packed (below) */
            };
            int n;
            int depth;              /* levels of lists: 1 when no item
                                       is a list (value_list_nest) */
            int cols;               /* 0: items; > 0: packed numbers,
                                       n x cols of them: depth 1 (cols
                                       1) a list of n numbers, depth 2
                                       n rows of cols numbers */
        } list;                     /* V_LIST */
        struct {
            nn_data *set;
            nn_scaler *scaler;      /* applied to set, or NULL */
        } data;                     /* V_DATA */
        net_value *net;             /* V_NET (owned: big members are
                                       held through pointers, so that a
                                       number stays small) */
        nn_optim_spec *optim;       /* V_OPTIM (owned) */
        sched_value sched;          /* V_SCHED */
        struct {
            const struct builtin *fn;
            const char *name;       /* the builtin's (static) */
        } fn;                       /* V_FUNC */
        struct {
            char **names;           /* n field names, in order */
            struct value **vals;    /* their values (NULL until set) */
            int n;
        } rec;                      /* V_REC: what a command gives
                                       (h.loss, r.accuracy); only
                                       builtins make records, of
                                       numbers, strings and lists */
    } as;
} value;

/* Constructors: a new value with one reference, or NULL on OOM. */
value *value_none(void);
value *value_num(double x);
value *value_bool(int b);
value *value_str(const char *s);          /* copies s */
value *value_list(int n);                 /* n NULL items to fill */
/* A packed list of numbers, its n * cols doubles to fill (zero): a list
 * of n numbers (depth 1, cols 1) or of n rows of cols numbers (depth 2).
 * n >= 1, cols >= 1. */
value *value_packed(int n, int cols, int depth);
value *value_data(nn_data *set, nn_scaler *scaler);   /* takes both */
value *value_net(const nn_layer_spec *layers, int n, int in);  /* copies */
value *value_optim(const nn_optim_spec *spec);
value *value_sched(const sched_value *s);
/* A function value for builtin fn, called `name` (fn->name: static, not
 * copied). */
value *value_func(const struct builtin *fn, const char *name);

/* A record with no fields yet, to fill with value_rec_push. */
value *value_rec(void);

/* Appends field `name` (copied; r must not have it yet) with value v
 * (taken, even on failure) to record r. Returns 0, or -1 on OOM (r
 * unchanged). */
int value_rec_push(value *r, const char *name, value *v);

/* The field `name` of record r (borrowed), or NULL when it has none. */
value *value_rec_get(const value *r, const char *name);

/* The most levels lists may nest, however they are built (`a = [a]` run
 * again and again nests one more each time). Everything that walks a
 * list recursively (value_unref, value_repr) relies on it. Brackets in
 * one cell nest at most 64 deep (lex.c). */
#define VALUE_MAX_DEPTH 256

/* The levels of lists in v: 0 for anything else, 1 for a list of no
 * lists, one more than its deepest item otherwise. */
int value_depth(const value *v);

/* Sets the depth of list l (whose items are all filled) from its items:
 * who puts lists in a list calls it. Returns the depth, or -1 (nothing
 * else changed) when it would pass VALUE_MAX_DEPTH: the caller refuses
 * to make that list. */
int value_list_nest(value *l);

/* Item i (0 <= i < n) of list l as a new reference: the item itself,
 * or for a packed list a number or a row made for it. NULL on OOM. */
value *value_list_item(const value *l, int i);

/* Item i of list l when it is a number: 1 with the number in *x, else 0
 * (*x untouched). */
int value_list_num(const value *l, int i, double *x);

/* Packs list l (items filled, depth set) in place when every item is a
 * number or every item is a packed list of numbers of one width: the
 * same list, held as doubles. Returns 0, or -1 on OOM (l unchanged and
 * still valid). */
int value_list_pack(value *l);

/* Takes one more reference; returns v. NULL is allowed. */
value *value_ref(value *v);

/* Drops one reference, freeing the value with the last. NULL is allowed. */
void value_unref(value *v);

/* "a number", "a string", "a data set", ... for messages. */
const char *value_kind_name(const value *v);

/* Copies a scaler (NULL gives NULL without error). Returns NULL on OOM
 * for a non-NULL scaler. */
nn_scaler *value_scaler_copy(const nn_scaler *s);

/* The plain-text form of a value as a cell result: numbers in shortest
 * round-trip form (3, 0.1), strings quoted, lists in brackets, a data set
 * or net as a short description. malloc'd; NULL on OOM. */
char *value_repr(const value *v);

/* What print() writes: strings without quotes, everything else as
 * value_repr. malloc'd; NULL on OOM. */
char *value_str_text(const value *v);

/* Formats a number the way value_repr does into buf (>= 32 bytes). */
void value_format_num(double x, char *buf, size_t size);

#endif
