/* text: malloc'd strings built printf-style, for the messages and HTML
 * the builtins and displays put together. */
#ifndef TEXT_H
#define TEXT_H

/* printf into a new string. The caller frees it; NULL on OOM. */
char *text_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* a followed by b in a new string. Takes both (malloc'd, freed here);
 * NULL when either is NULL or on OOM, so a chain of text_cat calls fails
 * once at the end. */
char *text_cat(char *a, char *b);

/* For renderers that make a pair of forms (HTML or SVG, and text): 0 when
 * both *a and *b were made; else frees whichever was, sets both to NULL
 * and returns -1, so that the caller hands on both or neither. */
int text_both(char **a, char **b);

#endif
