#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs.h"
#include "utf8.h"
#include "sb.h"

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
    assert(name);
    return find_heading(name) != NULL;
}

char *docs_section(const char *name)
{
    assert(name);
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

/* ---- from the descriptors -------------------------------------------- */

/* A number as the reference writes it: shortest round-trip form, with
 * the exponent unpadded (1e-8, not 1e-08). */
static void format_num(double v, char *buf, size_t size)
{
    value_format_num(v, buf, size);
    char *e = strstr(buf, "e-0");
    if (!e)
        e = strstr(buf, "e+0");
    if (e)
        memmove(e + 2, e + 3, strlen(e + 3) + 1);
}

int docs_param_default(const param *p, char *buf, size_t size)
{
    assert(p && buf && size >= 32);
    switch (p->kind) {
    case P_NUM:
    case P_INT:
        format_num(p->def, buf, size);
        return 0;
    case P_BOOL:
        snprintf(buf, size, "%s", p->def != 0 ? "true" : "false");
        return 0;
    case P_STR:
    case P_CHOICE:
        if (!p->text)
            return -1;
        snprintf(buf, size, "\"%s\"", p->text);
        return 0;
    default:
        if (!p->text)
            return -1;
        snprintf(buf, size, "%s", p->text);
        return 0;
    }
}

void docs_param_choices(const param *p, char *buf, size_t size)
{
    assert(p && p->kind == P_CHOICE && p->choices && buf && size > 0);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; p->choices[i] && used < size; i++) {
        const char *sep = i == 0 ? "" : p->choices[i + 1] ? ", " : " or ";
        int n = snprintf(buf + used, size - used, "%s\"%s\"", sep,
                         p->choices[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* What parameter p takes, for its line in the parameter list. */
static void param_takes(sb *b, const param *p)
{
    static const char *const kinds[] = {
        "any value", "a number", "true or false", "a string", "a list",
        "a data set", "a net", "an optimizer", "a schedule", "a function"
    };
    char lo[32], hi[32];
    format_num(p->lo, lo, sizeof lo);
    format_num(p->hi, hi, sizeof hi);
    const char *what = p->kind == P_INT ? "a whole number" : "a number";
    switch (p->kind) {
    case P_NUM:
    case P_INT:
        if (isinf(p->hi))
            sb_fmt(b, "%s, at least %s", what, lo);
        else
            sb_fmt(b, "%s from %s to %s", what, lo, hi);
        break;
    case P_BOOL:
        sb_str(b, "true or false");
        break;
    case P_STR:
        sb_str(b, "a string");
        break;
    case P_CHOICE: {
        char list[256];
        docs_param_choices(p, list, sizeof list);
        sb_str(b, list);
        break;
    }
    default:
        sb_str(b, kinds[p->want]);
    }
}

char *docs_builtin(const builtin *fn)
{
    assert(fn);
    sb b = { 0 };
    char *section = docs_section(fn->name);
    if (!section && docs_has(fn->name))
        return NULL;    /* out of memory: no page rather than half of one */
    if (section) {
        size_t n = strlen(section);
        while (n > 0 && section[n - 1] == '\n')
            n--;
        sb_put(&b, section, n);
    } else {
        sb_fmt(&b, "### %s", fn->name);
    }
    free(section);
    sb_fmt(&b, "\n\n%s: %s.\n", fn->name, fn->doc);
    if (fn->variadic)
        sb_str(&b, "Takes any number of values.\n");
    if (fn->params[0].name)
        sb_str(&b, "\nParameters:\n");
    for (int i = 0; fn->params[i].name; i++) {
        const param *p = &fn->params[i];
        char def[64];
        sb_fmt(&b, "- `%s", p->name);
        if (i >= fn->required && docs_param_default(p, def, sizeof def) == 0)
            sb_fmt(&b, "=%s", def);
        sb_str(&b, "` (");
        param_takes(&b, p);
        sb_fmt(&b, "%s): %s\n", i < fn->required ? ", required" : "", p->doc);
    }
    return sb_done(&b);
}

/* ---- Markdown as plain text ------------------------------------------- */

/* Appends line [s, s + n) with backticks and ** dropped. */
static void plain_inline(sb *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '`')
            continue;
        if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
            i++;
            continue;
        }
        sb_put(b, s + i, 1);
    }
}

char *docs_plain(const char *md)
{
    assert(md);
    sb b = { 0 };
    int code = 0;
    for (const char *s = md; *s;) {
        size_t n = strcspn(s, "\n");
        if (strncmp(s, "```", 3) == 0) {
            code = !code;
        } else if (code) {
            if (n)
                sb_str(&b, "    ");
            sb_put(&b, s, n);
            sb_str(&b, "\n");
        } else if (*s == '#') {
            size_t h = strspn(s, "#");
            size_t skip = h + strspn(s + h, " ");
            sb t = { 0 };
            plain_inline(&t, s + skip, n - skip);
            char *title = sb_done(&t);
            b.failed |= title == NULL;
            if (title) {
                int w = utf8_count(title, (int)strlen(title));
                sb_str(&b, title);
                sb_str(&b, "\n");
                for (int i = 0; i < w; i++)
                    sb_str(&b, h < 3 ? "=" : "-");
                sb_str(&b, "\n");
            }
            free(title);
        } else {
            plain_inline(&b, s, n);
            sb_str(&b, "\n");
        }
        s += n + (s[n] == '\n');
    }
    return sb_done(&b);
}
