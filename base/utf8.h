/* utf8: the one UTF-8 decoder of the kernel.
 *
 * Strings are bytes; where a count of characters matters (cursor
 * positions, which the Jupyter protocol counts in code points, display
 * widths, truncation) or where text must be valid (everything sent as
 * JSON), these functions read it. A valid sequence is the shortest form
 * of a code point up to U+10FFFF that is not a surrogate. */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence at the NUL-terminated p, with
 * its code point in *cp (may be NULL); 0 when the bytes there are not one
 * (a stray continuation byte, an overlong form, a surrogate, a value past
 * U+10FFFF, a sequence cut short). p must not be at its NUL. */
int utf8_decode(const char *p, unsigned *cp);

/* Nonzero when the first n bytes of s are valid UTF-8 without NUL. */
int utf8_valid(const char *s, size_t n);

/* Code points in the first `bytes` bytes of s (stopping at a NUL); an
 * invalid byte counts as one. */
int utf8_count(const char *s, int bytes);

/* Byte offset of code point number `cp` in s (clamped to strlen(s));
 * an invalid byte counts as one code point. */
int utf8_offset(const char *s, int cp);

#endif
