/* confusion: a confusion matrix (how often each true class was predicted
 * as each class) as an HTML table and as aligned plain text.
 *
 * Each function returns a new NUL-terminated string (the caller frees
 * it), or NULL when memory runs out. */
#ifndef CONFUSION_H
#define CONFUSION_H

/* cm holds k*k counts, row = true class, column = predicted (cm NULL or
 * k below 1: an empty table). names (or any entry of it) may be NULL:
 * "class 3" is shown. The HTML shades each cell by its count relative to
 * its row's total, and says that share in the cell's tooltip. */
char *confusion_html(const int *cm, int k, const char *const *names);
char *confusion_text(const int *cm, int k, const char *const *names);

#endif
