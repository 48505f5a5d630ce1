/* weights: a net's numbers as values: weights(net, i) and bias(net, i),
 * the parameters of its i-th linear layer, and activations(net, rows),
 * every layer's output for one row. Each gives a record (record.h) that
 * shows as a table, its shape named. */
#ifndef WEIGHTS_H
#define WEIGHTS_H

#include "builtin.h"

extern const builtin_family weights_family;

#endif
