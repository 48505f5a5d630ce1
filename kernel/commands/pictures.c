#include <stdlib.h>

#include "imagegrid.h"
#include "pictures.h"
#include "sb.h"
#include "show.h"

#define GRID 16

/* Up to GRID rows: the first sample of each class, then the next ones in
 * order. Returns the count. */
static int pick_rows(const nn_data *d, int *rows)
{
    int n = 0;
    char *taken = calloc((size_t)d->n + 1, 1);
    for (int c = 0; taken && c < d->n_classes && n < GRID; c++)
        for (int i = 0; i < d->n; i++)
            if (d->y[i] == c) {
                rows[n++] = i;
                taken[i] = 1;
                break;
            }
    for (int i = 0; i < d->n && n < GRID; i++)
        if (!taken || !taken[i])
            rows[n++] = i;
    free(taken);
    return n;
}

value *pictures_plot_images(lang_run *run, const args *a, const value *data)
{
    const nn_data *d = data->as.data.set;
    int rows[GRID], n = pick_rows(d, rows);
    if (n == 0)
        return builtin_none(run, a);
    char *title = sb_printf("%s: %d images of %dx%dx%d, %d classes",
                            d->name, d->n, d->channels, d->height, d->width,
                            d->n_classes);
    char *svg = NULL, *text = NULL;
    int bad = !title || imagegrid_render(d, rows, n, NULL, title, &svg,
                                         &text) < 0;
    free(title);
    if (bad) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    if (show_plot(run, svg, text, NULL, 0) < 0)
        return NULL;
    return builtin_none(run, a);
}
