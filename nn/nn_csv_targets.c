#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "nn_csv_targets.h"

/* 1 when feature f of a set is one of cols[0..m). */
static int moved(const int *cols, int m, int f)
{
    for (int j = 0; j < m; j++)
        if (cols[j] == f)
            return 1;
    return 0;
}

nn_data *nn_csv_targets_move(nn_data *one, const int *cols, int m,
                             nn_err *e)
{
    assert(one && one->task == NN_TASK_REGRESS && one->n_targets == 1);
    assert(cols && m >= 1 && m < one->d + 1);
    for (int j = 0; j < m; j++) {
        assert(cols[j] >= 0 && cols[j] < one->d);
        assert(!moved(cols, j, cols[j]));
    }
    int n = one->n, d = one->d - m, k = m + 1;
    nn_data *out = NULL;
    if (d < 1) {
        nn_err_set(e, "%s: all %d columns are targets: it needs at least "
                   "one feature column besides the targets", one->name,
                   one->d + 1);
        goto done;
    }
    out = nn_data_new_regression(one->name, n, d, k, e);
    if (!out)
        goto done;
    for (int i = 0; i < n; i++) {
        const float *row = one->x + (size_t)i * one->d;
        float *x = out->x + (size_t)i * d, *t = out->t + (size_t)i * k;
        t[0] = one->t[i];
        for (int j = 0; j < m; j++)
            t[j + 1] = row[cols[j]];
        for (int f = 0, g = 0; f < one->d; f++)
            if (!moved(cols, m, f))
                x[g++] = row[f];
    }
    int ok = nn_data_set_target_name(out, 0, one->target_names[0], e) == 0;
    for (int j = 0; j < m && ok; j++)
        ok = nn_data_set_target_name(out, j + 1,
                                     one->feature_names[cols[j]], e) == 0;
    for (int f = 0, g = 0; f < one->d && ok; f++)
        if (!moved(cols, m, f))
            ok = nn_data_set_feature_name(out, g++, one->feature_names[f],
                                          e) == 0;
    if (!ok) {
        nn_data_free(out);
        out = NULL;
    }
done:
    nn_data_free(one);
    return out;
}
