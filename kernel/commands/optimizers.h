/* optimizers: the optimizers fit trains with (sgd, adam, adamw,
 * rmsprop) and the learning-rate schedules (step, cosine). */
#ifndef OPTIMIZERS_H
#define OPTIMIZERS_H

#include "builtin.h"

extern const builtin_family optimizers_family;

#endif
