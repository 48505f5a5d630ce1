#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "docs.h"

/* Generated at build time from docs/language.md by the embed tool. */
extern const unsigned char lang_docs_md[];
extern const size_t lang_docs_md_len;

const char *docs_all(void)
{
    return (const char *)lang_docs_md;
}

/* Start of the "### name" line, or NULL. */
static const char *find_heading(const char *name)
{
    size_t n = strlen(name);
    const char *s = docs_all();
    for (const char *p = s; p; p = strchr(p, '\n')) {
        if (*p == '\n')
            p++;
        if (strncmp(p, "### ", 4) == 0 && strncmp(p + 4, name, n) == 0
            && (p[4 + n] == '\n' || p[4 + n] == ' ' || p[4 + n] == '\0'))
            return p;
    }
    return NULL;
}

int docs_has(const char *name)
{
    return find_heading(name) != NULL;
}

char *docs_section(const char *name)
{
    const char *start = find_heading(name);
    if (!start)
        return NULL;
    const char *end = start + 1;
    while ((end = strchr(end, '\n')) && end[1]
           && strncmp(end + 1, "## ", 3) != 0
           && strncmp(end + 1, "### ", 4) != 0)
        end++;
    size_t len = end ? (size_t)(end - start) + 1 : strlen(start);
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, start, len);
        s[len] = '\0';
    }
    return s;
}
