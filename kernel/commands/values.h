/* values: the builtins that compute with values: len, min, max, mean,
 * round, and table (a list of records, such as the results of a sweep,
 * shown as one table). */
#ifndef VALUES_H
#define VALUES_H

#include "builtin.h"

extern const builtin_family values_family;

#endif
