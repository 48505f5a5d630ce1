/* sb: the string builder every part of the kernel writes text with.
 *
 * An sb grows as text is appended and remembers the first allocation
 * failure: code that builds a document runs straight through its appends
 * and learns of a failure once, at the end, when sb_done() returns NULL.
 * Start with `sb b = {0};` (or sb_init); nothing is allocated until the
 * first append. */
#ifndef SB_H
#define SB_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sb {
    char *s;         /* NUL-terminated once anything was appended */
    size_t len, cap;
    int failed;      /* 1 after an allocation failed: appends do nothing */
} sb;

/* An empty builder. */
void sb_init(sb *b);

/* Appends n bytes of s (which may hold NULs). */
void sb_put(sb *b, const char *s, size_t n);

/* Appends the NUL-terminated s. */
void sb_str(sb *b, const char *s);

/* Appends printf-style. */
void sb_fmt(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a pixel coordinate with at most one decimal ("12", "12.5",
 * "-3.2"), clamped to +-1e7 (NaN to -1e7) so no value overflows. */
void sb_num(sb *b, double v);

/* The finished string, owned by the caller (free it), "" when nothing was
 * appended; NULL after a failure (the builder's memory is freed either
 * way). The builder is empty again afterwards. */
char *sb_done(sb *b);

/* Frees what was built, for an error path that drops it. */
void sb_free(sb *b);

/* printf into a new string. The caller frees it; NULL on OOM. */
char *sb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vsnprintf into buf (size >= 64 bytes) for a message that must end well:
 * a text longer than size - 1 bytes (a long name in its middle) keeps
 * its start and its last size / 3 bytes, which say what is wrong, with
 * " … " between, each cut at a UTF-8 character boundary. When memory for
 * the whole text runs out, buf keeps just its start, as vsnprintf would. */
void sb_vfit(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
