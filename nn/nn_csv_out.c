#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flt.h"
#include "nn_csv_out.h"
#include "nn_file.h"

void nn_csv_put_field(FILE *f, const char *s)
{
    assert(f && s);
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL
                || (len > 0 && (strchr(" \t\r", s[0])
                                || strchr(" \t\r", s[len - 1])))
                || strncmp(s, "\xEF\xBB\xBF", 3) == 0;
    if (!quote) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

void nn_csv_put_float(FILE *f, float x)
{
    assert(f);
    char buf[FLT_TEXT_MAX];
    fputs(flt_text(buf, x), f);
}

/* Writes the CSV text of a valid set to f; f keeps any write error. */
static void print_rows(const nn_data *data, FILE *f)
{
    int reg = data->task == NN_TASK_REGRESS, k = data->n_targets;
    size_t d = (size_t)data->d;
    for (size_t j = 0; j < d; j++) {
        nn_csv_put_field(f, data->feature_names[j]);
        putc(',', f);
    }
    for (int j = 0; reg && j < k; j++) {
        nn_csv_put_field(f, data->target_names[j]);
        putc(j + 1 < k ? ',' : '\n', f);
    }
    if (!reg)
        fputs("class\n", f);
    for (size_t i = 0; i < (size_t)data->n; i++) {
        for (size_t j = 0; j < d; j++) {
            nn_csv_put_float(f, data->x[i * d + j]);
            putc(',', f);
        }
        for (int j = 0; reg && j < k; j++) {
            float t = data->t[i * (size_t)k + (size_t)j];
            if (data->t_mean) /* in the original units */
                t = t * data->t_std[j] + data->t_mean[j];
            nn_csv_put_float(f, t);
            putc(j + 1 < k ? ',' : '\n', f);
        }
        if (!reg) {
            nn_csv_put_field(f, data->class_names[data->y[i]]);
            putc('\n', f);
        }
    }
}

int nn_csv_print(const nn_data *data, FILE *f, nn_err *e)
{
    assert(data && f);
    if (nn_data_check_labels(data, e) < 0)
        return -1;
    errno = 0;
    print_rows(data, f);
    if (ferror(f) || fflush(f) != 0)
        return nn_err_os(e, "cannot write '%s' as CSV: %s", data->name,
                         errno ? strerror(errno) : "write error");
    return 0;
}

int nn_csv_write(const nn_data *data, const char *path, nn_err *e)
{
    assert(data && path);
    if (nn_data_check_labels(data, e) < 0)
        return -1;
    nn_file_out out;
    FILE *f = nn_file_begin(&out, path, e);
    if (!f)
        return -1;
    print_rows(data, f);
    return nn_file_commit(&out, e); /* it reports a failed write */
}
