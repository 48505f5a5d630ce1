#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "confusion.h"
#include "pictures.h"
#include "evaluate.h"
#include "nn_metrics.h"
#include "nn_train.h"
#include "record.h"
#include "regeval.h"
#include "sb.h"
#include "show.h"
#include "table.h"
#include "view.h"

static int metrics_tables(const nn_metrics *mt, char **html, char **text)
{
    const char *avg = mt->k > 2 ? " (macro)" : "";
    static const char *const head[] = { "metric", "value" };
    char *cells[10] = { 0 };
    cells[0] = sb_printf("accuracy");
    cells[1] = table_fixed(mt->accuracy, 4);
    cells[2] = sb_printf("precision%s", avg);
    cells[3] = table_fixed(mt->precision, 4);
    cells[4] = sb_printf("recall%s", avg);
    cells[5] = table_fixed(mt->recall, 4);
    cells[6] = sb_printf("F1%s", avg);
    cells[7] = table_fixed(mt->f1, 4);
    cells[8] = sb_printf("log loss");
    cells[9] = table_fixed(mt->log_loss, 4);
    int ok = 1;
    for (int i = 0; i < 10; i++)
        ok = ok && cells[i];
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, 5, 2, html, text) == 0;
    for (int i = 0; i < 10; i++)
        free(cells[i]);
    return ok ? 0 : -1;
}

/* Precision, recall, F1 and support of each class (as sklearn's
 * classification_report) as HTML and text. Returns 0, or -1 with both
 * NULL on OOM. */
static int class_tables(const nn_metrics *mt, const char *const *names,
                        char **html, char **text)
{
    static const char *const head[] = { "class", "precision", "recall", "F1",
                                        "support" };
    int k = mt->k, n = 5 * k;
    char **cells = calloc((size_t)n, sizeof *cells);
    int ok = cells != NULL;
    for (int c = 0; ok && c < k; c++) {
        char **row = cells + 5 * c;
        row[0] = names ? strdup(names[c]) : sb_printf("%d", c);
        row[1] = table_fixed(mt->class_precision[c], 4);
        row[2] = table_fixed(mt->class_recall[c], 4);
        row[3] = table_fixed(mt->class_f1[c], 4);
        row[4] = sb_printf("%d", mt->support[c]);
        for (int j = 0; j < 5; j++)
            ok = ok && row[j];
    }
    *html = *text = NULL;
    if (ok)
        ok = show_table(head, cells, k, 5, html, text) == 0;
    view_strv_free(cells, cells ? n : 0);
    return ok ? 0 : -1;
}

#define EVAL_CHUNK 8192 /* rows predicted between interrupt checks */

/* The metrics of model m over d (k classes). Returns 0, or -1 with the
 * error set (mt then holds nothing to free). */
static int evaluate_metrics(lang_run *run, const args *a, nn_model *m,
                            const nn_data *d, int k, nn_metrics *mt)
{
    int out = nn_model_out(m);
    nn_err err;
    float *prob = malloc((size_t)d->n * (size_t)out * sizeof *prob + 1);
    int *pred = malloc((size_t)d->n * sizeof *pred + 1);
    int rc = 0;
    if (!prob || !pred)
        rc = lang_err_oom(run->e, a->call->pos);
    /* in chunks, so that an interrupt stops a long evaluation */
    for (int i = 0; rc == 0 && i < d->n; i += EVAL_CHUNK) {
        int rows = d->n - i < EVAL_CHUNK ? d->n - i : EVAL_CHUNK;
        if (run->out->interrupted(run->out->ctx))
            rc = lang_err_set(run->e, "KeyboardInterrupt", a->call->pos,
                              a->call->len, "evaluate interrupted after %d "
                              "of %d samples", i, d->n);
        else if (nn_model_predict(m, d->x + (size_t)i * d->d, rows,
                                  prob + (size_t)i * out, &err) < 0)
            rc = view_fail(run, a, "MemoryError", &err);
    }
    if (rc == 0) {
        for (int i = 0; i < d->n; i++)
            pred[i] = nn_predict_class(prob + (size_t)i * out, out);
        if (nn_metrics_compute(mt, d->y, pred, prob, out, d->n, k, &err) < 0)
            rc = view_fail(run, a, "ValueError", &err);
    }
    free(prob);
    free(pred);
    return rc;
}

/* Shows the metrics and confusion matrix of mt over d (the data the net
 * saw), and with `boundary` over 2-D data the decision boundary drawn over
 * `data` as the user gave it (grid points through boundary_s when it is
 * not NULL). Returns the metrics record (record.h), or NULL with the
 * error set. */
static value *evaluate_show(lang_run *run, const args *a, nn_model *m,
                            net_value *n, const value *data,
                            const nn_data *d, const char *note,
                            const nn_metrics *mt, int boundary,
                            const nn_scaler *boundary_s)
{
    int k = mt->k;
    const char *const *names = view_classes(n, k);
    char *mh = NULL, *mtx = NULL, *kh = NULL, *kt = NULL;
    char *ch = confusion_html(mt->confusion, k, names);
    char *ct = confusion_text(mt->confusion, k, names);
    char *html = NULL, *text = NULL;
    if (metrics_tables(mt, &mh, &mtx) == 0
        && class_tables(mt, names, &kh, &kt) == 0 && ch && ct) {
        const char *sep = note ? "; " : "";
        note = note ? note : "";
        html = sb_printf("<div><p><b>%s</b>: %d samples%s%s</p>%s<p>per "
                        "class</p>%s<p>confusion matrix (rows: true class, "
                        "columns: predicted)</p>%s</div>", d->name, d->n, sep,
                        note, mh, kh, ch);
        text = sb_printf("%s: %d samples%s%s\n%s\nper class\n%s\nconfusion "
                        "matrix (rows: true class, columns: predicted)\n%s",
                        d->name, d->n, sep, note, mtx, kt, ct);
    }
    free(mh);
    free(mtx);
    free(kh);
    free(kt);
    free(ch);
    free(ct);
    if (show_display(run, html, text, NULL, 0) < 0)
        return NULL;
    if (d->height > 0 && pictures_misclassified(run, a, m, d, names, k) < 0)
        return NULL;
    if (boundary && d->d == 2) {
        const nn_data *shown_d = data->as.data.set;
        char *title = sb_printf("decision boundary on %s", shown_d->name);
        char *svg = NULL, *btext = NULL;
        if (title)
            boundary_plot(m, shown_d, boundary_s, names, k, title, &svg,
                          &btext);
        free(title);
        if (show_plot(run, svg, btext, NULL, 0) < 0)
            return NULL;
    }
    return builtin_made(run, a, record_metrics(mt));
}

static value *evaluate_cmd(lang_run *run, const args *a)
{
    value *net, *data;
    int boundary;
    nn_model *m;
    if (arg_value(run, a, "net", &net) < 0
        || arg_value(run, a, "data", &data) < 0
        || arg_bool(run, a, "boundary", &boundary) < 0
        || !(m = view_model(run, a, net)))
        return NULL;
    net_value *n = net->as.net;
    nn_data *copy;
    char *note;
    const nn_data *d = view_data(run, a, n, data, &copy, &note);
    if (!d)
        return NULL;
    value *result = NULL;
    nn_metrics mt;
    memset(&mt, 0, sizeof mt);
    int k = view_n_classes(nn_model_out(m));
    if (view_check_width(run, a, m, d) < 0
        || regeval_check(run, a, n, m, d, "evaluate") < 0)
        goto done;
    if (regeval_applies(n, d)) {
        result = regeval_evaluate(run, a, n, m, d, note);
        goto done;
    }
    if (d->n_classes > k) {
        lang_err_set(run->e, "ShapeError", a->call->pos, a->call->len,
                     "%s has %d classes, but the net predicts %d", d->name,
                     d->n_classes, k);
        goto done;
    }
    if (evaluate_metrics(run, a, m, d, k, &mt) == 0)
        result = evaluate_show(run, a, m, n, data, d, note, &mt, boundary,
                               copy ? n->scaler : NULL);
done:
    nn_metrics_free(&mt);
    free(note);
    nn_data_free(copy);
    return result;
}

/* ---- the family ---------------------------------------------------- */

static const param p_evaluate[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net to measure"),
    PARAM_VALUE("data", V_DATA, NULL, "the data to measure it on"),
    PARAM_BOOL("boundary", 1, "draw the decision boundary (2 features)"),
    PARAM_END
};

static const builtin table[] = {
    { "evaluate", B_COMMAND, p_evaluate, 2, 0, evaluate_cmd,
      "measures a net on a data set: metrics, confusion matrix, boundary",
      { "on", 0, 1, "evaluate net on test", 0 } },
};

const builtin_family evaluate_family = {
    "evaluate", table, sizeof table / sizeof *table
};
