/* nn_csv_out: writes data sets, fields and numbers as CSV text that
 * nn_csv reads back as they were. */
#ifndef NN_CSV_OUT_H
#define NN_CSV_OUT_H

#include <stdio.h>

#include "nn_data.h"
#include "nn_err.h"

/* Writes a data set as CSV text to f: a header of the feature names and
 * "class" (a regression set: its target names), then one line per row,
 * its features and its class name (its targets, in the original units
 * when the set holds them scaled: t * t_std + t_mean), by
 * nn_csv_put_float and nn_csv_put_field. The features, and the targets of
 * a set not scaled, read back bit for bit; a regression set reads back
 * with its target columns given by index and the task regression.
 * A feature or target that is not finite is written as nn_csv_put_float
 * writes it, and the reader refuses it. Returns 0, or -1 with the reason:
 * a label is out of range (nn_data_check_labels; nothing is written), or
 * f reports a write error. */
int nn_csv_print(const nn_data *data, FILE *f, nn_err *e);

/* nn_csv_print into the file at path, which is replaced only when all is
 * written (base/safefile's rules: a regular file or nothing is there).
 * Returns 0 or -1 with the reason. */
int nn_csv_write(const nn_data *data, const char *path, nn_err *e);

/* Writes s as one CSV field to f: as it is, or in double quotes (a quote
 * doubled) when it holds a comma, quote or line break, begins or ends
 * with a space, tab or CR (which the reader drops from an unquoted
 * field), or begins with a UTF-8 byte order mark (which it drops at the
 * start of a file). nn_csv_read reads it back as s. */
void nn_csv_put_field(FILE *f, const char *s);

/* Writes x to f in the fewest digits (6 to 9, %g) that nn_csv_read reads
 * back as x, bit for bit: 0.1f as "0.1", FLT_MAX as "3.4028235e+38", -0
 * as "-0"; NaN and infinities as "nan", "inf" and "-inf", which it
 * refuses. */
void nn_csv_put_float(FILE *f, float x);

#endif
