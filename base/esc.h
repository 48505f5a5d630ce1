/* esc: the one escaper of the kernel, for text put into HTML, SVG and
 * plain-text displays.
 *
 * Whatever a user names (a class, a feature, a file) is shown through
 * here: the result is always valid UTF-8 (an invalid byte becomes U+FFFD),
 * control characters become spaces, and in markup the five characters XML
 * reserves become references: named ones (&amp; &lt; &gt; &quot; and
 * &#39;) in ESC_MARKUP, numeric ones (&#38; &#60; &#62; &#34; &#39;) in
 * ESC_MARKUP_NUM, the form the network diagram has always written. */
#ifndef ESC_H
#define ESC_H

#include <stddef.h>

#include "sb.h"

typedef enum esc_mode { ESC_PLAIN, ESC_MARKUP, ESC_MARKUP_NUM } esc_mode;

/* Appends at most `max` characters of s (NULL reads as ""; SIZE_MAX for
 * no limit), then "…" when s was longer. Returns the characters written
 * (code points, the display width, the ellipsis counted). b may be NULL
 * to measure only. */
size_t esc_put(sb *b, const char *s, esc_mode mode, size_t max);

/* Display width of s in characters, as esc_put writes it. */
size_t esc_width(const char *s);

/* s escaped for HTML/XML text and attributes as a new string (the caller
 * frees it); NULL on OOM. */
char *esc_html(const char *s);

#endif
