/* xml_check: XML well-formedness for the SVG and HTML the renderers
 * write. */
#include <ctype.h>
#include <string.h>

#include "xml_check.h"

static int is_name(int c)
{
    return isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.';
}

/* The end of the entity reference at p ('&'), or NULL if it is none. */
static const char *entity_end(const char *p)
{
    static const char *const named[] = {"&lt;", "&gt;", "&amp;", "&quot;",
                                        "&apos;"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strncmp(p, named[i], strlen(named[i])))
            return p + strlen(named[i]);
    if (p[1] != '#')
        return NULL;
    const char *q = p + 2, *digits;
    int hex = *q == 'x';
    q += hex;
    for (digits = q; hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q);)
        q++;
    return q > digits && *q == ';' ? q + 1 : NULL;
}

int xml_ok(const char *s)
{
    const char *stack[64];
    size_t len[64];
    int depth = 0, roots = 0;
    const char *p = s;
    while (*p) {
        if (*p == '&') {
            if (!depth || !(p = entity_end(p)))
                return 0;
            continue;
        }
        if (*p != '<') {
            if (!depth && !isspace((unsigned char)*p))
                return 0;
            p++;
            continue;
        }
        int closing = *++p == '/';
        p += closing;
        const char *name = p;
        while (is_name((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - name);
        if (!n)
            return 0;
        if (closing) {
            if (!depth || len[depth - 1] != n
                || strncmp(stack[depth - 1], name, n) || *p != '>')
                return 0;
            depth--;
            p++;
            continue;
        }
        if (!depth && roots++)
            return 0;
        for (;;) {
            int space = 0;
            while (isspace((unsigned char)*p)) {
                p++;
                space = 1;
            }
            if (*p == '>') {
                if (depth == 64)
                    return 0;
                stack[depth] = name;
                len[depth++] = n;
                p++;
                break;
            }
            if (p[0] == '/' && p[1] == '>') {
                p += 2;
                break;
            }
            const char *attr = p;
            while (is_name((unsigned char)*p))
                p++;
            if (!space || p == attr || *p++ != '=')
                return 0;
            char quote = *p++;
            if (quote != '"' && quote != '\'')
                return 0;
            while (*p != quote) {
                if (!*p || *p == '<')
                    return 0;
                if (*p == '&') {
                    if (!(p = entity_end(p)))
                        return 0;
                } else {
                    p++;
                }
            }
            p++;
        }
    }
    return depth == 0 && roots == 1;
}
