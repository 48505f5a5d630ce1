/* nn_csv: reads a labelled data set from a CSV file. */
#ifndef NN_CSV_H
#define NN_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "nn_data.h"
#include "nn_err.h"

/* Reads `path`: a header row of column names, then one sample per line,
 * comma separated, RFC 4180 quoting ("a, b" and "" inside quotes). The
 * target column is named by `target` (a column name, or a 0-based index
 * written as digits); NULL means the last column. Numeric targets that are
 * whole numbers 0..k-1 become labels as they are; any other target values
 * (strings, or other numbers) become classes in order of first appearance,
 * with their text as class names. Every other column must be numeric.
 * Returns NULL on failure with a message naming the file, line and column
 * ("iris.csv:12: column 3 'petal_len': 'abc' is not a number").
 *
 * Details: spaces around unquoted fields are dropped; a NUL byte anywhere
 * is an error (a CSV file holds text); CRLF line ends, a
 * UTF-8 byte order mark and blank lines are accepted; a row with another
 * field count than the header is an error. "Whole numbers 0..k-1" means
 * every target is a whole number, the smallest is 0 and the largest is
 * below the row count (k = largest + 1, class names "0".."k-1"); more than
 * 1000 distinct target texts is an error (the wrong column, most likely).
 * The data set is named after the file's base name without ".csv". */
nn_data *nn_csv_read(const char *path, const char *target, nn_err *e);

/* What the target column is (nn_csv_options.task). */
enum {
    NN_CSV_TASK_AUTO = 0, /* decide: see nn_csv_options.task */
    NN_CSV_TASK_CLASSIFY, /* labels, as nn_csv_read describes */
    NN_CSV_TASK_REGRESS   /* a numeric target: a regression set */
};

/* How nn_csv_read_with reads a file. Zero fields take the defaults. */
typedef struct nn_csv_options {
    /* the target column as nn_csv_read takes it; NULL: the last column */
    const char *target;
    /* NN_CSV_TASK_*. Auto reads a target as regression when every value is
     * a number and some value is not a whole number or there are more than
     * NN_CSV_MAX_AUTO_CLASSES distinct values; else as classes. A
     * regression target that is not a finite number is an error naming
     * its row. */
    int task;
    /* Called every 64 KiB read and every 4096 rows when not NULL: a
     * non-zero return stops the read, which fails with "<file>:<line>:
     * reading was interrupted" (the caller knows why it said stop). */
    int (*poll)(void *ctx);
    void *poll_ctx;
    /* The most memory the rows read may take, in bytes; 0: the machine's
     * memory. A larger file fails with "too large" and the sizes. */
    size_t max_bytes;
    /* Several target columns (n_targets >= 2; each as `target` takes
     * one): a regression set with that many targets, in this order
     * (multi-output regression); `target` is then not used, and a task
     * of NN_CSV_TASK_CLASSIFY is an error. A column missing or given
     * twice, or a value not a number, is an error naming it (the row's
     * line for a value). 0 or 1: one target, `target`. */
    const char *const *targets;
    int n_targets;
    /* Out, when not NULL: receives the (first) target column's header
     * name, NUL-terminated, cut to NN_CSV_COLUMN_MAX - 1 bytes; "" when
     * the read fails before the header is read. */
    char *column;
} nn_csv_options;

/* The size of the buffer nn_csv_options.column points at. */
#define NN_CSV_COLUMN_MAX 128

/* Distinct whole numbers above which auto reads a target as regression. */
#define NN_CSV_MAX_AUTO_CLASSES 50

/* nn_csv_read with options (opt may be NULL: the defaults). The file is
 * read in chunks, never whole: the memory it takes is bounded by about
 * 2.5 times the size of the data set it returns. */
nn_data *nn_csv_read_with(const char *path, const nn_csv_options *opt,
                          nn_err *e);

/* nn_csv_parse with options (opt may be NULL: the defaults; its poll and
 * max_bytes apply too). */
nn_data *nn_csv_parse_with(const char *text, size_t len, const char *name,
                           const nn_csv_options *opt, nn_err *e);

/* Parses CSV text held in memory (len bytes, no NUL needed) by the rules of
 * nn_csv_read; `name` names the data set and the source in messages.
 * Returns a new data set or NULL with the reason. */
nn_data *nn_csv_parse(const char *text, size_t len, const char *name,
                      const char *target, nn_err *e);

#endif
