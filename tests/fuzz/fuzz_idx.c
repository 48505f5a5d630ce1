/* libFuzzer target for the IDX reader (nn/nn_idx.c).
 *
 * The first two bytes give the length of the label file (big-endian, cut
 * to what is there); it follows, then the image file is the rest. Besides
 * what the sanitizers catch, every set that parses must be consistent: as
 * many labels as images, labels below n_classes, pixels in [0, 1], the
 * image shape giving the feature count. The reader checks the sizes a
 * header claims against the bytes present before allocating, so no input
 * of a few KiB may allocate much (libFuzzer's -rss_limit_mb catches it). */
#include <stdint.h>
#include <stdlib.h>

#include "nn_idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t llen = (size_t)data[0] << 8 | data[1];
    data += 2, size -= 2;
    if (llen > size)
        llen = size;
    nn_err e;
    nn_data *d = nn_idx_parse(data + llen, size - llen, data, llen, "fuzz",
                              &e);
    if (!d)
        return 0;
    if (d->channels * d->height * d->width != d->d || d->n_classes < 1
        || d->n_classes > 256)
        abort();
    for (int i = 0; i < d->n; i++)
        if (d->y[i] < 0 || d->y[i] >= d->n_classes)
            abort();
    for (size_t i = 0; i < (size_t)d->n * d->d; i++)
        if (!(d->x[i] >= 0.0f && d->x[i] <= 1.0f))
            abort();
    nn_data_free(d);
    return 0;
}
