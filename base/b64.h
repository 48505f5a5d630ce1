/* b64: base64, for binary and markup embedded in text (data: URIs).
 *
 * The standard alphabet (RFC 4648, "A-Za-z0-9+/") with "=" padding, no
 * line breaks. */
#ifndef B64_H
#define B64_H

#include <stddef.h>

#include "sb.h"

/* Appends base64 of the n bytes at data (data may be NULL when n is 0). */
void b64_put(sb *b, const void *data, size_t n);

/* Base64 of the n bytes at data as a new string (the caller frees it);
 * NULL on OOM or when n is too large for the result to be addressed. */
char *b64_encode(const void *data, size_t n);

#endif
