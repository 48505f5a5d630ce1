#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "fitreg.h"
#include "model.h"
#include "nn_safetensors.h"
#include "show.h"
#include "sb.h"
#include "view.h"

static value *model_summary(lang_run *run, const args *a)
{
    value *net;
    char *html, *text;
    if (arg_value(run, a, "net", &net) < 0)
        return NULL;
    show_summary(net, &html, &text);
    return view_shown(run, a, html, text);
}

static value *model_save(lang_run *run, const args *a)
{
    value *net = arg_get(a, "net");
    const char *path;
    nn_model *m;
    nn_err err;
    if (net->kind != V_NET)         /* a data set, predictions: CSV */
        return io_save_csv(run, a, net);
    if (arg_value(run, a, "net", &net) < 0
        || arg_str(run, a, "path", &path) < 0
        || !(m = view_model(run, a, net)))
        return NULL;
    nn_st_extra extra = { 0 };
    fitreg_meta(net->as.net, &extra);
    if (nn_safetensors_save_extra(m, path, &extra, &err) < 0) {
        int len, pos = arg_pos(a, "path", &len);
        lang_err_engine(run->e, "OSError", pos, len, NULL, &err);
        return NULL;
    }
    char *s = sb_printf("saved the net (%zu parameters) to %s\n",
                       nn_model_n_params(m), path);
    if (s)
        run->out->stream(run->out->ctx, "stdout", s);
    free(s);
    return builtin_none(run, a);
}

static value *model_load(lang_run *run, const args *a)
{
    const char *path;
    nn_err err;
    if (arg_str(run, a, "path", &path) < 0)
        return NULL;
    nn_st_extra extra;
    nn_model *m = nn_safetensors_load_extra(path, &extra, &err);
    if (!m) {
        int len, pos = arg_pos(a, "path", &len);
        lang_err_engine(run->e, "OSError", pos, len, NULL, &err);
        return NULL;
    }
    int nl = nn_model_n_layers(m);
    nn_layer_spec *l = malloc((size_t)nl * sizeof *l);
    value *v = NULL;
    if (l) {
        for (int i = 0; i < nl; i++)
            l[i] = *nn_model_layer(m, i);
        v = value_net(l, nl, nn_model_in(m));
        free(l);
    }
    if (!v) {
        nn_model_free(m);
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    v->as.net->model = m;
    if (fitreg_from_meta(v->as.net, nn_model_out(m), &extra) < 0) {
        value_unref(v);
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    return v;
}

/* ---- the family ---------------------------------------------------- */

static const param p_load[] = {
    PARAM_STR("path", NULL, "a safetensors file written by save"),
    PARAM_END
};
static const param p_summary[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net to describe"),
    PARAM_END
};
static const param p_save[] = {
    PARAM_VALUE("net", V_NONE, NULL,
                "the net to save (built), or a data set or predictions"),
    PARAM_STR("path", NULL, "the file to write"),
    PARAM_END
};

static const builtin table[] = {
    { "load", B_FUNC, p_load, 1, 0, model_load,
      "reads a net written by save", { 0 } },
    { "summary", B_COMMAND, p_summary, 1, 0, model_summary,
      "a table of the layers of a net",
      { NULL, 0, 0, "summary net", 0 } },
    { "save", B_COMMAND, p_save, 2, 0, model_save,
      "writes the weights of a net as safetensors (data as CSV)",
      { "to", 0, 0, "save net to \"net.safetensors\"", 0 } },
};

const builtin_family model_family = {
    "model", table, sizeof table / sizeof *table
};
