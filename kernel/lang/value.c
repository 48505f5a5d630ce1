#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb.h"
#include "value.h"

static value *new_value(value_kind kind)
{
    value *v = calloc(1, sizeof *v);
    if (v) {
        v->kind = kind;
        v->refs = 1;
    }
    return v;
}

value *value_none(void)
{
    return new_value(V_NONE);
}

value *value_num(double x)
{
    value *v = new_value(V_NUM);
    if (v)
        v->as.num = x;
    return v;
}

value *value_bool(int b)
{
    value *v = new_value(V_BOOL);
    if (v)
        v->as.num = b != 0;
    return v;
}

value *value_str(const char *s)
{
    value *v = new_value(V_STR);
    if (v && !(v->as.str = strdup(s))) {
        free(v);
        return NULL;
    }
    return v;
}

value *value_list(int n)
{
    value *v = new_value(V_LIST);
    if (!v)
        return NULL;
    v->as.list.n = n;
    v->as.list.depth = 1;
    if (n > 0 && !(v->as.list.items = calloc((size_t)n, sizeof(value *)))) {
        free(v);
        return NULL;
    }
    return v;
}

value *value_packed(int n, int cols, int depth)
{
    assert(n >= 1 && cols >= 1 && (depth == 2 || (depth == 1 && cols == 1)));
    value *v = new_value(V_LIST);
    if (!v)
        return NULL;
    v->as.list.n = n;
    v->as.list.depth = depth;
    v->as.list.cols = cols;
    if (!(v->as.list.nums = calloc((size_t)n * (size_t)cols,
                                   sizeof(double)))) {
        free(v);
        return NULL;
    }
    return v;
}

value *value_list_item(const value *l, int i)
{
    assert(l && l->kind == V_LIST && i >= 0 && i < l->as.list.n);
    int cols = l->as.list.cols;
    if (cols == 0)
        return value_ref(l->as.list.items[i]);
    if (l->as.list.depth == 1)
        return value_num(l->as.list.nums[i]);
    value *row = value_packed(cols, 1, 1);
    if (row)
        memcpy(row->as.list.nums, l->as.list.nums + (size_t)i * cols,
               (size_t)cols * sizeof(double));
    return row;
}

int value_list_num(const value *l, int i, double *x)
{
    assert(l && l->kind == V_LIST && i >= 0 && i < l->as.list.n && x);
    if (l->as.list.cols > 0) {
        if (l->as.list.depth != 1)
            return 0;
        *x = l->as.list.nums[i];
        return 1;
    }
    const value *v = l->as.list.items[i];
    if (v->kind != V_NUM)
        return 0;
    *x = v->as.num;
    return 1;
}

/* The width of the rows of l when every item is a packed list of numbers
 * of that width, 1 when every item is a number, else 0 (l has items). */
static int pack_width(const value *l)
{
    const value *first = l->as.list.items[0];
    int nums = first->kind == V_NUM;
    int cols = 1;
    if (!nums) {
        if (first->kind != V_LIST || first->as.list.cols == 0
            || first->as.list.depth != 1)
            return 0;
        cols = first->as.list.n;
    }
    for (int i = 1; i < l->as.list.n; i++) {
        const value *v = l->as.list.items[i];
        if (nums ? v->kind != V_NUM
                 : v->kind != V_LIST || v->as.list.cols == 0
                   || v->as.list.depth != 1 || v->as.list.n != cols)
            return 0;
    }
    return cols;
}

int value_list_pack(value *l)
{
    assert(l && l->kind == V_LIST);
    int n = l->as.list.n;
    int cols = n > 0 && l->as.list.cols == 0 ? pack_width(l) : 0;
    if (cols == 0)
        return 0;
    int depth = l->as.list.items[0]->kind == V_NUM ? 1 : 2;
    value *p = value_packed(n, cols, depth);
    if (!p)
        return -1;
    for (int i = 0; i < n; i++) {
        value *v = l->as.list.items[i];
        if (depth == 1)
            p->as.list.nums[i] = v->as.num;
        else
            memcpy(p->as.list.nums + (size_t)i * cols, v->as.list.nums,
                   (size_t)cols * sizeof(double));
        value_unref(v);
    }
    free(l->as.list.items);
    l->as.list = p->as.list;
    free(p);                  /* its numbers are l's now */
    return 0;
}

value *value_data(nn_data *set, nn_scaler *scaler)
{
    value *v = new_value(V_DATA);
    if (v) {
        v->as.data.set = set;
        v->as.data.scaler = scaler;
    }
    return v;
}

value *value_net(const nn_layer_spec *layers, int n, int in)
{
    value *v = new_value(V_NET);
    net_value *net = calloc(1, sizeof *net);
    nn_layer_spec *copy = n > 0 ? malloc((size_t)n * sizeof *layers) : NULL;
    if (!v || !net || (n > 0 && !copy)) {
        free(v);
        free(net);
        free(copy);
        return NULL;
    }
    if (n > 0)
        memcpy(copy, layers, (size_t)n * sizeof *layers);
    v->as.net = net;
    net->layers = copy;
    net->n_layers = n;
    net->in = in;
    net->in_fixed = in > 0;
    return v;
}

value *value_optim(const nn_optim_spec *spec)
{
    value *v = new_value(V_OPTIM);
    if (v && !(v->as.optim = malloc(sizeof *spec))) {
        free(v);
        return NULL;
    }
    if (v)
        *v->as.optim = *spec;
    return v;
}

value *value_sched(const sched_value *s)
{
    value *v = new_value(V_SCHED);
    if (v)
        v->as.sched = *s;
    return v;
}

value *value_func(const struct builtin *fn, const char *name)
{
    value *v = new_value(V_FUNC);
    if (v) {
        v->as.fn.fn = fn;
        v->as.fn.name = name;
    }
    return v;
}

value *value_rec(void)
{
    return new_value(V_REC);
}

int value_rec_push(value *r, const char *name, value *v)
{
    assert(r && r->kind == V_REC && name && !value_rec_get(r, name));
    int n = r->as.rec.n;
    char *copy = v ? strdup(name) : NULL;
    char **names = copy ? realloc(r->as.rec.names, (size_t)(n + 1)
                                  * sizeof *names) : NULL;
    if (names)
        r->as.rec.names = names;
    value **vals = names ? realloc(r->as.rec.vals, (size_t)(n + 1)
                                   * sizeof *vals) : NULL;
    if (!vals) {
        free(copy);
        value_unref(v);
        return -1;
    }
    r->as.rec.vals = vals;
    names[n] = copy;
    vals[n] = v;
    r->as.rec.n = n + 1;
    return 0;
}

value *value_rec_get(const value *r, const char *name)
{
    assert(r && r->kind == V_REC && name);
    for (int i = 0; i < r->as.rec.n; i++)
        if (r->as.rec.names[i] && strcmp(r->as.rec.names[i], name) == 0)
            return r->as.rec.vals[i];
    return NULL;
}

int value_depth(const value *v)
{
    return v && v->kind == V_LIST ? v->as.list.depth : 0;
}

int value_list_nest(value *l)
{
    assert(l && l->kind == V_LIST && l->as.list.cols == 0);
    int deepest = 0;
    for (int i = 0; i < l->as.list.n; i++) {
        int d = value_depth(l->as.list.items[i]);
        deepest = d > deepest ? d : deepest;
    }
    if (deepest >= VALUE_MAX_DEPTH)
        return -1;
    return l->as.list.depth = deepest + 1;
}

value *value_ref(value *v)
{
    if (v)
        v->refs++;
    return v;
}

nn_scaler *value_scaler_copy(const nn_scaler *s)
{
    if (!s)
        return NULL;
    nn_scaler *c = malloc(sizeof *c);
    float *mean = malloc((size_t)s->d * sizeof *mean);
    float *std = malloc((size_t)s->d * sizeof *std);
    if (!c || !mean || !std) {
        free(c);
        free(mean);
        free(std);
        return NULL;
    }
    memcpy(mean, s->mean, (size_t)s->d * sizeof *mean);
    memcpy(std, s->std, (size_t)s->d * sizeof *std);
    c->d = s->d;
    c->mean = mean;
    c->std = std;
    return c;
}

static void free_net(net_value *n)
{
    free(n->layers);
    nn_model_free(n->model);
    nn_scaler_free(n->scaler);
    for (int i = 0; i < n->n_classes; i++)
        free(n->class_names[i]);
    free(n->class_names);
    for (int i = 0; i < n->n_features; i++)
        free(n->feature_names[i]);
    free(n->feature_names);
    free(n->fit_on);
    free(n->curve);
    nn_data_free(n->targets);
    free(n);
}

void value_unref(value *v)
{
    if (!v || --v->refs > 0)
        return;
    switch (v->kind) {
    case V_STR:
        free(v->as.str);
        break;
    case V_LIST:
        if (v->as.list.cols > 0) {
            free(v->as.list.nums);
            break;
        }
        for (int i = 0; i < v->as.list.n; i++)
            value_unref(v->as.list.items[i]);
        free(v->as.list.items);
        break;
    case V_DATA:
        nn_data_free(v->as.data.set);
        nn_scaler_free(v->as.data.scaler);
        break;
    case V_NET:
        free_net(v->as.net);
        break;
    case V_OPTIM:
        free(v->as.optim);
        break;
    case V_REC:
        for (int i = 0; i < v->as.rec.n; i++) {
            free(v->as.rec.names[i]);
            value_unref(v->as.rec.vals[i]);
        }
        free(v->as.rec.names);
        free(v->as.rec.vals);
        break;
    default:
        break;
    }
    free(v);
}

const char *value_kind_name(const value *v)
{
    static const char *const names[] = {
        "none", "a number", "a boolean", "a string", "a list", "a data set",
        "a net", "an optimizer", "a schedule", "a function", "a record"
    };
    return names[v->kind];
}

void value_format_num(double x, char *buf, size_t size)
{
    if (isnan(x)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, size, x > 0 ? "inf" : "-inf");
        return;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, size, "%.0f", x == 0 ? 0.0 : x);
        return;
    }
    /* A number that is exactly a float (the engine computes in floats:
     * a loss, a weight) is written as the shortest text that reads back
     * as that float (0.048624698, not 0.04862469807267189). */
    int is_float = fabs(x) <= FLT_MAX && (double)(float)x == x;
    for (int prec = is_float ? 1 : 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        double back = strtod(buf, NULL);
        if (is_float ? (float)back == (float)x : back == x)
            return;
    }
}

/* A string in double quotes with \" \\ \n \t escaped. */
static void repr_str(sb *b, const char *str)
{
    sb_str(b, "\"");
    for (const char *p = str; *p; p++) {
        char e[3] = { '\\', 0, 0 };
        switch (*p) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\t': e[1] = 't'; break;
        default: e[0] = *p; break;
        }
        sb_str(b, e);
    }
    sb_str(b, "\"");
}

/* "net input(2) -> linear(16) -> relu -> ..." */
static void repr_net(sb *b, const net_value *n)
{
    char tmp[256];
    sb_str(b, "net ");
    if (n->in) {
        snprintf(tmp, sizeof tmp, "input(%d)%s", n->in,
                 n->n_layers ? " -> " : "");
        sb_str(b, tmp);
    }
    for (int i = 0; i < n->n_layers; i++) {
        nn_layer_format(&n->layers[i], tmp, sizeof tmp);
        sb_str(b, tmp);
        if (i + 1 < n->n_layers)
            sb_str(b, " -> ");
    }
}

/* A packed list: "[1, 2]" or "[[1, 2], [3, 4]]". */
static void repr_packed(sb *b, const value *v)
{
    int n = v->as.list.n, cols = v->as.list.cols, rows = v->as.list.depth > 1;
    char tmp[32];
    sb_str(b, "[");
    for (int i = 0; i < n; i++) {
        sb_str(b, i ? (rows ? ", [" : ", ") : (rows ? "[" : ""));
        for (int j = 0; j < cols; j++) {
            value_format_num(v->as.list.nums[(size_t)i * cols + j], tmp,
                             sizeof tmp);
            if (j)
                sb_str(b, ", ");
            sb_str(b, tmp);
        }
        if (rows)
            sb_str(b, "]");
    }
    sb_str(b, "]");
}

/* A data set: its name and size, and its classes or targets. */
static void repr_data(sb *b, const value *v)
{
    const nn_data *d = v->as.data.set;
    const char *std = v->as.data.scaler ? " (standardized)" : "";
    if (d->task == NN_TASK_REGRESS)
        sb_fmt(b, "data set %s: %d samples, %d features, %d continuous "
               "target%s%s", d->name, d->n, d->d, d->n_targets,
               d->n_targets == 1 ? "" : "s", std);
    else
        sb_fmt(b, "data set %s: %d samples, %d features, %d classes%s",
               d->name, d->n, d->d, d->n_classes, std);
}

/* Recursion into lists is at most VALUE_MAX_DEPTH deep: the depth of
 * every list is bounded where it is made (value_list_nest). */
static void repr_into(sb *b, const value *v, int depth)
{
    assert(depth <= VALUE_MAX_DEPTH);
    char tmp[256];
    switch (v->kind) {
    case V_NONE:
        sb_str(b, "none");
        break;
    case V_NUM:
        value_format_num(v->as.num, tmp, sizeof tmp);
        sb_str(b, tmp);
        break;
    case V_BOOL:
        sb_str(b, v->as.num ? "true" : "false");
        break;
    case V_STR:
        repr_str(b, v->as.str);
        break;
    case V_LIST:
        if (v->as.list.cols > 0) {
            repr_packed(b, v);
            break;
        }
        sb_str(b, "[");
        for (int i = 0; i < v->as.list.n; i++) {
            if (i)
                sb_str(b, ", ");
            repr_into(b, v->as.list.items[i], depth + 1);
        }
        sb_str(b, "]");
        break;
    case V_DATA:
        repr_data(b, v);
        break;
    case V_NET:
        repr_net(b, v->as.net);
        break;
    case V_OPTIM: {
        const nn_optim_spec *o = v->as.optim;
        char lr[32];
        value_format_num(o->lr, lr, sizeof lr);
        snprintf(tmp, sizeof tmp, "%s(lr=%s)", nn_optim_name(o->kind), lr);
        sb_str(b, tmp);
        break;
    }
    case V_SCHED:
        if (v->as.sched.kind == NN_SCHED_STEP) {
            char g[32];
            value_format_num(v->as.sched.gamma, g, sizeof g);
            snprintf(tmp, sizeof tmp, "step(size=%d, gamma=%s)",
                     v->as.sched.step_size, g);
        } else {
            snprintf(tmp, sizeof tmp, "cosine(t_max=%d)", v->as.sched.t_max);
        }
        sb_str(b, tmp);
        break;
    case V_FUNC:
        snprintf(tmp, sizeof tmp, "builtin %s (help %s)", v->as.fn.name,
                 v->as.fn.name);
        sb_str(b, tmp);
        break;
    case V_REC:
        sb_str(b, "{");
        for (int i = 0; i < v->as.rec.n; i++) {
            sb_fmt(b, "%s%s: ", i ? ", " : "", v->as.rec.names[i]);
            repr_into(b, v->as.rec.vals[i], depth + 1);
        }
        sb_str(b, "}");
        break;
    }
}

char *value_repr(const value *v)
{
    sb b = { 0 };
    repr_into(&b, v, 0);
    return sb_done(&b);
}

char *value_str_text(const value *v)
{
    if (v->kind == V_STR)
        return strdup(v->as.str);
    return value_repr(v);
}
