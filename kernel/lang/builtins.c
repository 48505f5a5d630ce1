#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "data.h"
#include "docs.h"
#include "draw.h"
#include "net.h"
#include "show.h"
#include "fit.h"
#include "evaluate.h"
#include "model.h"
#include "plotcmd.h"
#include "predict.h"

/* ---- binding ------------------------------------------------------- */

static int n_params(const builtin *fn)
{
    int n = 0;
    while (fn->params[n])
        n++;
    return n;
}

static int param_index(const builtin *fn, const char *name)
{
    for (int i = 0; fn->params[i]; i++)
        if (strcmp(fn->params[i], name) == 0)
            return i;
    return -1;
}

/* Puts argument i of the call (value v) in its place in a: a positional
 * one in the next parameter (or in rest, for a variadic builtin), a
 * keyword one in the parameter of that name. *npos counts the positional
 * arguments so far. Returns 0, or -1 with a TypeError at the argument. */
static int bind_arg(ev *x, args *a, int i, value *v, int *npos,
                    value **rest, const node **rest_at)
{
    const builtin *fn = a->fn;
    const node *call = a->call, *k = call->kids[i];
    const char *key = call->keys ? call->keys[i] : NULL;
    int np = n_params(fn), slot;
    if (!key && fn->variadic) {
        rest[a->nrest] = v;
        rest_at[a->nrest++] = k;
        return 0;
    }
    if (!key) {
        slot = (*npos)++;
        if (slot >= np && np == 0)
            return lang_err_set(x->e, "TypeError", k->pos, k->len,
                                "%s takes no arguments", fn->name);
        if (slot >= np)
            return lang_err_set(x->e, "TypeError", k->pos, k->len,
                                "%s takes at most %d argument%s, got %d "
                                "(see help %s)", fn->name, np,
                                np == 1 ? "" : "s", call->nkids, fn->name);
    } else if ((slot = param_index(fn, key)) < 0) {
        lang_err_set(x->e, "TypeError", call->key_pos[i], (int)strlen(key),
                     "%s has no parameter '%s'", fn->name, key);
        diag_suggest(x->e, key, fn->params, np);
        return -1;
    } else if (a->v[slot]) {
        return lang_err_set(x->e, "TypeError", call->key_pos[i],
                            (int)strlen(key), "%s is given twice", key);
    }
    a->v[slot] = v;
    a->at[slot] = k;
    return 0;
}

value *builtin_invoke(ev *x, const builtin *fn, const node *call,
                      value **vals)
{
    args a;
    memset(&a, 0, sizeof a);
    a.call = call;
    a.fn = fn;
    int nargs = vals ? call->nkids : 0;
    value **rest = NULL;
    const node **rest_at = NULL;
    if (fn->variadic && nargs > 0) {
        rest = calloc((size_t)nargs, sizeof *rest);
        rest_at = calloc((size_t)nargs, sizeof *rest_at);
        if (!rest || !rest_at) {
            free(rest);
            free(rest_at);
            lang_err_oom(x->e, call->pos);
            return NULL;
        }
    }
    int fail = 0, npos = 0;
    for (int i = 0; i < nargs && !fail; i++)
        fail = bind_arg(x, &a, i, vals[i], &npos, rest, rest_at) < 0;
    for (int i = 0; i < fn->required && !fail; i++)
        if (!a.v[i])
            fail = lang_err_set(x->e, "TypeError", call->pos, call->len,
                                "%s needs %s (see help %s)", fn->name,
                                fn->params[i], fn->name) < 0;
    a.rest = rest;
    a.rest_at = rest_at;
    value *r = fail ? NULL : fn->run(x, &a);
    free(rest);
    free(rest_at);
    return r;
}

int arg_pos(const args *a, int i, int *len)
{
    const node *n = a->at[i] ? a->at[i] : a->call;
    *len = n->len;
    return n->pos;
}

static int wrong_type(ev *x, const args *a, int i, const char *want)
{
    int len, pos = arg_pos(a, i, &len);
    return lang_err_set(x->e, "TypeError", pos, len,
                        "%s: %s must be %s, not %s", a->fn->name,
                        a->fn->params[i], want, value_kind_name(a->v[i]));
}

int arg_num(ev *x, const args *a, int i, double def, double lo, double hi,
            double *out)
{
    if (!a->v[i]) {
        *out = def;
        return 0;
    }
    if (a->v[i]->kind != V_NUM)
        return wrong_type(x, a, i, "a number");
    double v = a->v[i]->as.num;
    if (v >= lo && v <= hi) {
        *out = v;
        return 0;
    }
    char l[32], h[32], g[32];
    value_format_num(lo, l, sizeof l);
    value_format_num(hi, h, sizeof h);
    value_format_num(v, g, sizeof g);
    int len, pos = arg_pos(a, i, &len);
    if (isinf(hi))
        return lang_err_set(x->e, "ValueError", pos, len,
                            "%s: %s must be at least %s, got %s",
                            a->fn->name, a->fn->params[i], l, g);
    return lang_err_set(x->e, "ValueError", pos, len,
                        "%s: %s must be between %s and %s, got %s",
                        a->fn->name, a->fn->params[i], l, h, g);
}

int arg_int(ev *x, const args *a, int i, int def, int lo, int hi, int *out)
{
    double v;
    if (arg_num(x, a, i, def, lo, hi, &v) < 0)
        return -1;
    if (v != floor(v)) {
        int len, pos = arg_pos(a, i, &len);
        char g[32];
        value_format_num(v, g, sizeof g);
        return lang_err_set(x->e, "ValueError", pos, len,
                            "%s: %s must be a whole number, got %s",
                            a->fn->name, a->fn->params[i], g);
    }
    *out = (int)v;
    return 0;
}

int arg_bool(ev *x, const args *a, int i, int def, int *out)
{
    if (!a->v[i]) {
        *out = def;
        return 0;
    }
    if (a->v[i]->kind != V_BOOL)
        return wrong_type(x, a, i, "true or false");
    *out = a->v[i]->as.num != 0;
    return 0;
}

int arg_str(ev *x, const args *a, int i, const char *def, const char **out)
{
    if (!a->v[i]) {
        *out = def;
        return 0;
    }
    if (a->v[i]->kind != V_STR)
        return wrong_type(x, a, i, "a string");
    *out = a->v[i]->as.str;
    return 0;
}

int arg_value(ev *x, const args *a, int i, value_kind kind, value **out)
{
    *out = NULL;
    if (!a->v[i] || (a->v[i]->kind == V_NONE && i >= a->fn->required))
        return 0;
    if (a->v[i]->kind != kind) {
        static const char *const want[] = {
            "none", "a number", "true or false", "a string", "a list",
            "a data set", "a net", "an optimizer (adam(), sgd(lr=0.1), ...)",
            "a schedule (step(10), cosine())", "a function"
        };
        return wrong_type(x, a, i, want[kind]);
    }
    *out = a->v[i];
    return 0;
}

value *builtin_made(ev *x, const args *a, value *v)
{
    if (!v)
        lang_err_oom(x->e, a->call->pos);
    return v;
}

value *builtin_none(ev *x, const args *a)
{
    return builtin_made(x, a, value_none());
}

/* ---- output -------------------------------------------------------- */

/* Joins the arguments' print texts with spaces and a final newline. */
static char *join_rest(const args *a)
{
    size_t n = 2;
    char **parts = calloc((size_t)a->nrest + 1, sizeof *parts);
    if (!parts)
        return NULL;
    int ok = 1;
    for (int i = 0; i < a->nrest && ok; i++) {
        ok = (parts[i] = value_str_text(a->rest[i])) != NULL;
        if (ok)
            n += strlen(parts[i]) + 1;
    }
    char *s = ok ? malloc(n) : NULL;
    if (s) {
        char *w = s;
        for (int i = 0; i < a->nrest; i++)
            w += sprintf(w, "%s%s", i ? " " : "", parts[i]);
        strcpy(w, "\n");
    }
    for (int i = 0; i < a->nrest; i++)
        free(parts[i]);
    free(parts);
    return s;
}

static value *write_stream(ev *x, const args *a, const char *name)
{
    char *s = join_rest(a);
    if (!s) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    x->out->stream(x->out->ctx, name, s);
    free(s);
    return builtin_none(x, a);
}

static value *run_print(ev *x, const args *a)
{
    return write_stream(x, a, "stdout");
}

static value *run_warn(ev *x, const args *a)
{
    return write_stream(x, a, "stderr");
}

static value *run_clear(ev *x, const args *a)
{
    int wait;
    if (arg_bool(x, a, 0, 0, &wait) < 0)
        return NULL;
    x->out->clear(x->out->ctx, wait);
    return builtin_none(x, a);
}

static value *run_ask(ev *x, const args *a)
{
    const char *prompt;
    int password;
    if (arg_str(x, a, 0, "", &prompt) < 0
        || arg_bool(x, a, 1, 0, &password) < 0)
        return NULL;
    char *line = x->out->input(x->out->ctx, prompt, password);
    if (!line) {
        if (x->out->interrupted(x->out->ctx))
            lang_err_set(x->e, "KeyboardInterrupt", a->call->pos,
                         a->call->len, "interrupted while waiting for input");
        else
            lang_err_set(x->e, "StdinNotImplementedError", a->call->pos,
                         a->call->len,
                         "ask needs input, but this frontend does not "
                         "allow it (allow_stdin is false)");
        return NULL;
    }
    value *v = value_str(line);
    free(line);
    return builtin_made(x, a, v);
}

/* ---- layers -------------------------------------------------------- */

static value *layer(ev *x, const args *a, nn_layer_kind kind, int units,
                    float arg)
{
    nn_layer_spec l = { kind, units, arg };
    return builtin_made(x, a, value_net(&l, 1, 0));
}

static value *run_linear(ev *x, const args *a)
{
    int units;
    if (arg_int(x, a, 0, 1, 1, 1 << 20, &units) < 0)
        return NULL;
    return layer(x, a, NN_LINEAR, units, 0);
}

static value *run_leaky_relu(ev *x, const args *a)
{
    double slope;
    if (arg_num(x, a, 0, 0.01, 0, 1, &slope) < 0)
        return NULL;
    return layer(x, a, NN_LEAKY_RELU, 0, (float)slope);
}

static value *run_dropout(ev *x, const args *a)
{
    double p;
    if (arg_num(x, a, 0, 0.5, 0, 0.99, &p) < 0)
        return NULL;
    return layer(x, a, NN_DROPOUT, 0, (float)p);
}

static value *activation(ev *x, const args *a)
{
    return layer(x, a, nn_layer_kind_from_name(a->fn->name), 0, 0);
}

static value *run_input(ev *x, const args *a)
{
    int d;
    if (arg_int(x, a, 0, 1, 1, 1 << 20, &d) < 0)
        return NULL;
    return builtin_made(x, a, value_net(NULL, 0, d));
}

/* ---- optimizers and schedules ---------------------------------------- */

/* sgd(lr, momentum, nesterov, weight_decay)
 * adam/adamw(lr, betas, eps, weight_decay)
 * rmsprop(lr, alpha, eps, momentum, weight_decay) */
static int read_betas(ev *x, const args *a, int i, nn_optim_spec *o)
{
    value *v = a->v[i];
    if (!v)
        return 0;
    int len, pos = arg_pos(a, i, &len);
    if (v->kind != V_LIST || v->as.list.n != 2
        || v->as.list.items[0]->kind != V_NUM
        || v->as.list.items[1]->kind != V_NUM)
        return lang_err_set(x->e, "TypeError", pos, len,
                            "%s: betas must be a list of two numbers, "
                            "e.g. betas=[0.9, 0.999]", a->fn->name);
    double b1 = v->as.list.items[0]->as.num, b2 = v->as.list.items[1]->as.num;
    if (b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1)
        return lang_err_set(x->e, "ValueError", pos, len,
                            "%s: betas must be in [0, 1)", a->fn->name);
    o->beta1 = (float)b1;
    o->beta2 = (float)b2;
    return 0;
}

static value *run_optim(ev *x, const args *a)
{
    nn_optim_kind kind = nn_optim_kind_from_name(a->fn->name);
    nn_optim_spec o = nn_optim_defaults(kind);
    double lr, wd, m = 0, eps = o.eps, alpha = o.alpha;
    int nesterov = 0;
    if (arg_num(x, a, 0, o.lr, 1e-12, 1e3, &lr) < 0)
        return NULL;
    if (kind == NN_SGD) {
        if (arg_num(x, a, 1, 0, 0, 1, &m) < 0
            || arg_bool(x, a, 2, 0, &nesterov) < 0
            || arg_num(x, a, 3, 0, 0, 1, &wd) < 0)
            return NULL;
        if (nesterov && m <= 0) {
            int len, pos = arg_pos(a, 2, &len);
            lang_err_set(x->e, "ValueError", pos, len,
                         "sgd: nesterov needs momentum > 0, e.g. "
                         "sgd(lr=0.1, momentum=0.9, nesterov=true)");
            return NULL;
        }
    } else if (kind == NN_RMSPROP) {
        if (arg_num(x, a, 1, o.alpha, 0, 1, &alpha) < 0
            || arg_num(x, a, 2, o.eps, 0, 1, &eps) < 0
            || arg_num(x, a, 3, 0, 0, 1, &m) < 0
            || arg_num(x, a, 4, 0, 0, 1, &wd) < 0)
            return NULL;
    } else {
        if (read_betas(x, a, 1, &o) < 0
            || arg_num(x, a, 2, o.eps, 0, 1, &eps) < 0
            || arg_num(x, a, 3, o.weight_decay, 0, 1, &wd) < 0)
            return NULL;
    }
    o.lr = (float)lr;
    o.momentum = (float)m;
    o.nesterov = nesterov;
    o.eps = (float)eps;
    o.alpha = (float)alpha;
    o.weight_decay = (float)wd;
    return builtin_made(x, a, value_optim(&o));
}

static value *run_step(ev *x, const args *a)
{
    sched_value s = { NN_SCHED_STEP, 0, 0.1f, 0, 0 };
    double gamma;
    if (arg_int(x, a, 0, 1, 1, 1 << 30, &s.step_size) < 0
        || arg_num(x, a, 1, 0.1, 0, 1, &gamma) < 0)
        return NULL;
    s.gamma = (float)gamma;
    return builtin_made(x, a, value_sched(&s));
}

static value *run_cosine(ev *x, const args *a)
{
    sched_value s = { NN_SCHED_COSINE, 0, 0, 0, 0 };
    double eta_min;
    if (arg_int(x, a, 0, 0, 0, 1 << 30, &s.t_max) < 0
        || arg_num(x, a, 1, 0, 0, 1e3, &eta_min) < 0)
        return NULL;
    s.eta_min = (float)eta_min;
    return builtin_made(x, a, value_sched(&s));
}

/* ---- help and names -------------------------------------------------- */

static value *run_help(ev *x, const args *a)
{
    const char *topic;
    if (arg_str(x, a, 0, NULL, &topic) < 0)
        return NULL;
    char *text = topic ? docs_section(topic) : strdup(docs_all());
    if (!text) {
        if (topic && !docs_has(topic)) {
            int len, pos = arg_pos(a, 0, &len);
            lang_err_set(x->e, "NameError", pos, len,
                         "no help on '%s'", topic);
            const char *cands[256];
            int k = 0;
            for (int i = 0; i < builtin_count && k < 256; i++)
                cands[k++] = builtin_table[i].name;
            diag_suggest(x->e, topic, cands, k);
            return NULL;
        }
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    json_t *page = json_pack("{s:s, s:{s:s, s:s}, s:i}", "source", "page",
                             "data", "text/plain", text, "text/markdown",
                             text, "start", 0);
    free(text);
    if (!page || json_array_append_new(x->payload, page) < 0) {
        lang_err_oom(x->e, a->call->pos);
        return NULL;
    }
    return builtin_none(x, a);
}

static value *run_names(ev *x, const args *a)
{
    if (show_names(x) < 0)
        return NULL;
    return builtin_none(x, a);
}

/* ---- the table ------------------------------------------------------- */

static const char *const p_none[] = { NULL };
static const char *const p_clear[] = { "wait", NULL };
static const char *const p_ask[] = { "prompt", "password", NULL };
static const char *const p_units[] = { "units", NULL };
static const char *const p_slope[] = { "slope", NULL };
static const char *const p_p[] = { "p", NULL };
static const char *const p_input[] = { "width", NULL };
static const char *const p_sgd[] = { "lr", "momentum", "nesterov",
                                     "weight_decay", NULL };
static const char *const p_adam[] = { "lr", "betas", "eps", "weight_decay",
                                      NULL };
static const char *const p_rmsprop[] = { "lr", "alpha", "eps", "momentum",
                                         "weight_decay", NULL };
static const char *const p_step[] = { "size", "gamma", NULL };
static const char *const p_cosine[] = { "t_max", "eta_min", NULL };
static const char *const p_help[] = { "topic", NULL };
static const char *const p_gen2[] = { "n", "noise", "seed", NULL };
static const char *const p_circles[] = { "n", "noise", "factor", "seed",
                                         NULL };
static const char *const p_spirals[] = { "k", "n", "noise", "seed", NULL };
static const char *const p_blobs[] = { "k", "d", "n", "spread", "seed",
                                       NULL };
static const char *const p_csv[] = { "path", "target", NULL };
static const char *const p_split[] = { "data", "fraction", "stratify",
                                       "seed", NULL };
static const char *const p_load[] = { "path", NULL };
static const char *const p_fit[] = { "net", "data", "epochs", "batch",
                                     "optimizer", "loss", "validate",
                                     "patience", "min_delta", "restore_best",
                                     "schedule", "seed", "shuffle", "verbose",
                                     "boundary", "draw", NULL };
static const char *const p_evaluate[] = { "net", "data", "boundary", NULL };
static const char *const p_predict[] = { "net", "rows", "limit", NULL };
static const char *const p_plot[] = { "what", "data", "x", "y", NULL };
static const char *const p_draw[] = { "net", "data", NULL };
static const char *const p_summary[] = { "net", NULL };
static const char *const p_save[] = { "net", "path", NULL };

const builtin builtin_table[] = {
    { "print", B_FUNC, p_none, 0, 1, run_print },
    { "warn", B_FUNC, p_none, 0, 1, run_warn },
    { "clear", B_FUNC, p_clear, 0, 0, run_clear },
    { "ask", B_FUNC, p_ask, 0, 0, run_ask },
    { "xor", B_DATA, p_gen2, 0, 0, data_xor },
    { "moons", B_DATA, p_gen2, 0, 0, data_moons },
    { "circles", B_DATA, p_circles, 0, 0, data_circles },
    { "spirals", B_DATA, p_spirals, 0, 0, data_spirals },
    { "blobs", B_DATA, p_blobs, 0, 0, data_blobs },
    { "iris", B_DATA, p_none, 0, 0, data_bundled },
    { "wine", B_DATA, p_none, 0, 0, data_bundled },
    { "breast_cancer", B_DATA, p_none, 0, 0, data_bundled },
    { "digits", B_DATA, p_none, 0, 0, data_bundled },
    { "csv", B_FUNC, p_csv, 1, 0, data_csv },
    { "split", B_FUNC, p_split, 1, 0, data_split },
    { "standardize", B_FUNC, p_none, 0, 1, data_standardize },
    { "input", B_LAYER, p_input, 1, 0, run_input },
    { "linear", B_LAYER, p_units, 1, 0, run_linear },
    { "relu", B_LAYER, p_none, 0, 0, activation },
    { "leaky_relu", B_LAYER, p_slope, 0, 0, run_leaky_relu },
    { "sigmoid", B_LAYER, p_none, 0, 0, activation },
    { "tanh", B_LAYER, p_none, 0, 0, activation },
    { "softmax", B_LAYER, p_none, 0, 0, activation },
    { "gelu", B_LAYER, p_none, 0, 0, activation },
    { "identity", B_LAYER, p_none, 0, 0, activation },
    { "dropout", B_LAYER, p_p, 0, 0, run_dropout },
    { "sgd", B_OPTIM, p_sgd, 0, 0, run_optim },
    { "adam", B_OPTIM, p_adam, 0, 0, run_optim },
    { "adamw", B_OPTIM, p_adam, 0, 0, run_optim },
    { "rmsprop", B_OPTIM, p_rmsprop, 0, 0, run_optim },
    { "step", B_SCHED, p_step, 1, 0, run_step },
    { "cosine", B_SCHED, p_cosine, 0, 0, run_cosine },
    { "load", B_FUNC, p_load, 1, 0, model_load },
    { "fit", B_COMMAND, p_fit, 2, 0, fit_cmd },
    { "evaluate", B_COMMAND, p_evaluate, 2, 0, evaluate_cmd },
    { "predict", B_COMMAND, p_predict, 2, 0, predict_cmd },
    { "plot", B_COMMAND, p_plot, 1, 0, plotcmd_run },
    { "draw", B_COMMAND, p_draw, 1, 0, draw_net },
    { "summary", B_COMMAND, p_summary, 1, 0, model_summary },
    { "save", B_COMMAND, p_save, 2, 0, model_save },
    { "help", B_COMMAND, p_help, 0, 0, run_help },
    { "names", B_COMMAND, p_none, 0, 0, run_names },
};

const int builtin_count = sizeof builtin_table / sizeof *builtin_table;

const builtin *builtin_find(const char *name)
{
    for (int i = 0; i < builtin_count; i++)
        if (strcmp(builtin_table[i].name, name) == 0)
            return &builtin_table[i];
    return NULL;
}
