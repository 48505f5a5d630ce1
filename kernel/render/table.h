/* table: a table of strings with a header row, as HTML and as aligned
 * plain text. Numeric-looking cells ("3", "-0.25", "1e-3", "97.5%") are
 * right-aligned, and so is the header of a column whose every non-empty
 * cell is numeric.
 *
 * Each function returns a new NUL-terminated string (the caller frees
 * it), or NULL when memory runs out. Cell text is escaped with esc_put. */
#ifndef TABLE_H
#define TABLE_H

/* The padding of every cell of the HTML tables, a CSS declaration. */
#define TABLE_PAD "padding:2px 8px"

/* rows x cols cells, row by row (cells[r*cols + c]; an entry may be NULL,
 * shown empty), under `header` (cols entries, or NULL: no header row).
 * cells may be NULL, or rows and cols below 1, for a table without rows
 * or columns. */
char *table_html(const char *const *header, const char *const *cells,
                 int rows, int cols);

/* The same as plain text: columns padded to their widest cell and two
 * spaces apart, a line of dashes under the header, no trailing spaces,
 * and no newline after the last row. */
char *table_text(const char *const *header, const char *const *cells,
                 int rows, int cols);

/* A number as a cell: printf's %.*f (table_fixed) or %.*g (table_general)
 * with `digits`, but NaN as "nan" (glibc writes "-nan" for the NaN that
 * x86 arithmetic makes). */
char *table_fixed(double v, int digits);
char *table_general(double v, int digits);

#endif
