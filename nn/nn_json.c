/* nn_json: see nn_json.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nn_json.h"

int nn_json_fail(nn_json *j, const char *what)
{
    if (!j->failed)
        nn_err_set(j->e, "not a valid safetensors header: %s at byte %td "
                   "of the JSON", what, j->p - j->start);
    j->failed = 1;
    return -1;
}

void nn_json_space(nn_json *j)
{
    while (j->p < j->end && strchr(" \t\n\r", *j->p) && *j->p)
        j->p++;
}

/* Consumes `c` after optional white space; 0 or -1 (nothing consumed). */
int nn_json_peek(nn_json *j, char c)
{
    nn_json_space(j);
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return 0;
    }
    return -1;
}

int nn_json_expect(nn_json *j, char c)
{
    if (nn_json_peek(j, c) == 0)
        return 0;
    char what[32];
    snprintf(what, sizeof what, "expected '%c'", c);
    return nn_json_fail(j, what);
}

/* A string into buf (size bytes, NUL-terminated), or skipped when buf is
 * NULL. Escapes are decoded; unicode escapes outside ASCII are refused (no
 * name or value read here needs them). */
int nn_json_string(nn_json *j, char *buf, size_t size)
{
    size_t n = 0;
    if (nn_json_expect(j, '"'))
        return -1;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            if (j->p >= j->end)
                break;
            c = *j->p++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    if (j->p >= j->end)
                        return nn_json_fail(j, "unterminated string");
                    char h = *j->p++;
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                  : 99);
                }
                if (v > 127 && buf)
                    return nn_json_fail(j, "unsupported \\u escape");
                c = (char)v;
                break;
            }
            default: break; /* \" \\ \/ stand for themselves */
            }
        }
        if (!buf)
            continue;
        if (n + 1 >= size)
            return nn_json_fail(j, "string too long");
        buf[n++] = c;
    }
    if (j->p >= j->end)
        return nn_json_fail(j, "unterminated string");
    j->p++;
    if (buf)
        buf[n] = '\0';
    return 0;
}

/* A non-negative integer. */
int nn_json_uint(nn_json *j, uint64_t *v)
{
    nn_json_space(j);
    if (j->p >= j->end || *j->p < '0' || *j->p > '9')
        return nn_json_fail(j, "expected a non-negative integer");
    *v = 0;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
        if (*v > (UINT64_MAX - 9) / 10)
            return nn_json_fail(j, "integer too large");
        *v = *v * 10 + (uint64_t)(*j->p++ - '0');
    }
    return 0;
}

/* An array of at most `max` non-negative integers; their count to *n. */
int nn_json_uints(nn_json *j, uint64_t *v, int max, int *n)
{
    *n = 0;
    if (nn_json_expect(j, '['))
        return -1;
    if (nn_json_peek(j, ']') == 0)
        return 0;
    do {
        if (*n == max)
            return nn_json_fail(j, "array too long");
        if (nn_json_uint(j, &v[(*n)++]))
            return -1;
    } while (nn_json_peek(j, ',') == 0);
    return nn_json_expect(j, ']');
}

/* Skips any value (unknown keys are allowed by the format). */
int nn_json_skip(nn_json *j, int depth)
{
    nn_json_space(j);
    if (depth > NN_JSON_DEPTH_MAX || j->p >= j->end)
        return nn_json_fail(j, "unexpected end or nesting");
    char c = *j->p;
    if (c == '"')
        return nn_json_string(j, NULL, 0);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        if (nn_json_peek(j, close) == 0)
            return 0;
        do {
            if (c == '{' && (nn_json_string(j, NULL, 0)
                             || nn_json_expect(j, ':')))
                return -1;
            if (nn_json_skip(j, depth + 1))
                return -1;
        } while (nn_json_peek(j, ',') == 0);
        return nn_json_expect(j, close);
    }
    const char *start = j->p;
    while (j->p < j->end && strchr("+-.0123456789eEtruefalsn", *j->p))
        j->p++;
    return j->p > start ? 0 : nn_json_fail(j, "unexpected character");
}

