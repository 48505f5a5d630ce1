/* train: the builtins that use a net: fit (with a live loss curve),
 * evaluate (metrics, confusion matrix, decision boundary), predict, plot,
 * summary, save and load. Each is a builtin run function (builtins.h). */
#ifndef TRAIN_H
#define TRAIN_H

#include "builtins.h"

value *train_fit(ev *x, const args *a);
value *train_evaluate(ev *x, const args *a);
value *train_predict(ev *x, const args *a);
value *train_plot(ev *x, const args *a);
value *train_summary(ev *x, const args *a);
value *train_save(ev *x, const args *a);
value *train_load(ev *x, const args *a);

#endif
