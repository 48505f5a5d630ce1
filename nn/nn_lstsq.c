#include <assert.h>
#include <stdlib.h>

#include "nn_lstsq.h"

/* LAPACK (Fortran calling convention), from OpenBLAS. */
void sgelsd_(const int *m, const int *n, const int *nrhs, float *a,
             const int *lda, float *b, const int *ldb, float *s,
             const float *rcond, int *rank, float *work, const int *lwork,
             int *iwork, int *info);

/* Calls sgelsd on A (m x n, column-major) and B (m x nrhs); a workspace
 * query first. Returns LAPACK's info, or -1000 on OOM. */
static int gelsd(int m, int n, int nrhs, float *a, float *b, float *s)
{
    float rcond = -1.0f, query;
    int rank, info, lwork = -1, iquery;
    sgelsd_(&m, &n, &nrhs, a, &m, b, &m, s, &rcond, &rank, &query, &lwork,
            &iquery, &info);
    if (info != 0)
        return info;
    lwork = (int)query + 1;
    float *work = malloc((size_t)lwork * sizeof *work);
    int *iwork = malloc((size_t)(iquery > 1 ? iquery : 1) * sizeof *iwork);
    if (!work || !iwork)
        info = -1000;
    else
        sgelsd_(&m, &n, &nrhs, a, &m, b, &m, s, &rcond, &rank, work,
                &lwork, iwork, &info);
    free(work);
    free(iwork);
    return info;
}

int nn_lstsq(const nn_data *data, float *w, float *b, nn_err *e)
{
    assert(data && w && b);
    if (data->task != NN_TASK_REGRESS)
        return nn_err_set(e, "least squares needs a regression set; '%s' "
                          "has classes", data->name);
    int m = data->n, d = data->d, k = data->n_targets, n = d + 1;
    if (m < n)
        return nn_err_set(e, "least squares on %d features needs at least "
                          "%d rows; '%s' has %d", d, n, data->name, m);
    size_t bytes = ((size_t)m * n + (size_t)m * k + (size_t)n) * sizeof(float);
    float *a = malloc(bytes);
    if (!a)
        return nn_err_oom(e, "the least-squares system", bytes);
    float *rhs = a + (size_t)m * n, *s = rhs + (size_t)m * k;
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < d; j++)
            a[(size_t)j * m + i] = data->x[(size_t)i * d + j];
        a[(size_t)d * m + i] = 1.0f;
        for (int c = 0; c < k; c++)
            rhs[(size_t)c * m + i] = data->t[(size_t)i * k + c];
    }
    int info = gelsd(m, n, k, a, rhs, s);
    if (info == 0)
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++)
                w[(size_t)c * d + j] = rhs[(size_t)c * m + j];
            b[c] = rhs[(size_t)c * m + d];
        }
    free(a);
    if (info == -1000)
        return nn_err_oom(e, "the least-squares workspace", 0);
    if (info != 0)
        return nn_err_set(e, "least squares failed (LAPACK sgelsd info %d)",
                          info);
    return 0;
}
