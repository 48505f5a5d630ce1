#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "sb.h"
#include "view.h"

/* Fills an error pointing at the whole command; returns -1. */
int view_fail(lang_run *run, const args *a, const char *ename,
              const nn_err *err)
{
    return lang_err_engine(run->e, ename, a->call->pos, a->call->len, NULL,
                           err);
}

/* The model of the net (argument 0), or NULL with a ValueError when it is
 * not built yet. */
nn_model *view_model(lang_run *run, const args *a, value *net)
{
    assert(run && a && net && net->kind == V_NET);
    if (net->as.net->model)
        return net->as.net->model;
    int len, pos = arg_pos(a, a->fn->params[0].name, &len);
    lang_err_set(run->e, "ValueError", pos, len,
                 "the net is not built yet: fit it first (fit net on train)"
                 " or start it with input(d)");
    return NULL;
}

/* Frees n strings and the array holding them. */
void view_strv_free(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* A malloc'd copy of n strings; NULL on OOM. */
char **view_strv_dup(char *const *v, int n)
{
    char **c = calloc((size_t)n, sizeof *c);
    for (int i = 0; c && i < n; i++)
        if (!(c[i] = strdup(v[i]))) {
            view_strv_free(c, i);
            return NULL;
        }
    return c;
}

/* The names of the k classes a net predicts: those of the data it was fit
 * on, else "0".."k-1", made once and kept in the net (a loaded net, or one
 * not fit yet). NULL when memory runs out: tables then write numbers and
 * plots "class c". */
const char *const *view_classes(net_value *n, int k)
{
    if (n->n_classes == k)
        return (const char *const *)n->class_names;
    char **names = calloc((size_t)k, sizeof *names);
    int ok = names != NULL;
    for (int c = 0; ok && c < k; c++)
        ok = (names[c] = sb_printf("%d", c)) != NULL;
    if (!ok) {
        view_strv_free(names, k);
        return NULL;
    }
    view_strv_free(n->class_names, n->n_classes);
    n->class_names = names;
    n->n_classes = k;
    return (const char *const *)names;
}

/* Number of classes a model with `out` outputs predicts. */
int view_n_classes(int out)
{
    return out == 1 ? 2 : out;
}


/* Shows html and text (taken; either NULL when making it failed) as what
 * a command displays. Returns none, or NULL with the error set. */
value *view_shown(lang_run *run, const args *a, char *html, char *text)
{
    if (show_display(run, html, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}

/* ---- data the net sees ------------------------------------------------ */

const nn_data *view_data(lang_run *run, const args *a, const net_value *n,
                          const value *data, nn_data **copy, char **note)
{
    assert(run && a && n && data && data->kind == V_DATA && copy);
    const nn_data *d = data->as.data.set;
    *copy = NULL;
    if (note)
        *note = NULL;
    if (!n->scaler || data->as.data.scaler)
        return d;
    nn_err err;
    if (!(*copy = nn_data_copy(d, NULL, &err))
        || (note && !(*note = sb_printf("%s is standardized with the scaler "
                                       "of %s, the data the net was fit on",
                                       d->name, n->fit_on)))) {
        nn_data_free(*copy);
        *copy = NULL;
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    nn_scaler_apply(n->scaler, (*copy)->x, (*copy)->n);
    return *copy;
}

int view_check_width(lang_run *run, const args *a, nn_model *m,
                     const nn_data *d)
{
    if (nn_model_in(m) == d->d)
        return 0;
    int len, pos = arg_pos(a, a->fn->params[1].name, &len);
    return lang_err_set(run->e, "ShapeError", pos, len,
                        "the net takes %d features, but %s has %d",
                        nn_model_in(m), d->name, d->d);
}
