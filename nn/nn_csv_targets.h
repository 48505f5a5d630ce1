/* nn_csv_targets: multi-output regression from CSV. The reader reads the
 * first target column as the target and the other target columns as
 * features (so they are parsed and checked as numbers, each error naming
 * its line); this module then moves those columns into the targets. */
#ifndef NN_CSV_TARGETS_H
#define NN_CSV_TARGETS_H

#include "nn_data.h"
#include "nn_err.h"

/* Makes from regression set `one` (one target) a set whose targets are
 * one's target followed by its features at indexes cols[0..m) (distinct,
 * in range: asserted), in that order, named by those features' names;
 * the other features stay, in order. Consumes `one` (freed in any case).
 * Returns the new set, or NULL with `e` on OOM or when no feature would
 * be left ("needs at least one feature column besides the targets"). */
nn_data *nn_csv_targets_move(nn_data *one, const int *cols, int m,
                             nn_err *e);

#endif
