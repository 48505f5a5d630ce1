/* data: the builtins that make data sets: generators (xor, moons,
 * circles, spirals, blobs), the bundled classic sets, CSV files, split and
 * standardize. Each is a builtin run function (see builtins.h): it returns
 * a new data value (or a list of them), or NULL with the error set. */
#ifndef DATA_H
#define DATA_H

#include "builtins.h"

value *data_xor(ev *x, const args *a);
value *data_moons(ev *x, const args *a);
value *data_circles(ev *x, const args *a);
value *data_spirals(ev *x, const args *a);
value *data_blobs(ev *x, const args *a);
/* iris, wine, breast_cancer, digits: the set named like the builtin. */
value *data_bundled(ev *x, const args *a);
value *data_csv(ev *x, const args *a);
value *data_split(ev *x, const args *a);
value *data_standardize(ev *x, const args *a);

#endif
