#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "complete.h"
#include "docs.h"
#include "lex.h"
#include "parse.h"
#include "utf8.h"

/* ---- is_complete ----------------------------------------------------- */

/* A cell with a for loop is complete, as in Python's console, once its
 * last line is blank: until then the loop may get more lines. 1 when it
 * waits for them. */
static int ends_with_colon(const char *code)
{
    size_t n = strlen(code);
    while (n > 0 && strchr(" \t\r\n", code[n - 1]))
        n--;
    return n > 0 && code[n - 1] == ':';
}

static int loop_open(const cell *c, const char *code)
{
    int loops = 0;
    for (int i = 0; i < c->n; i++)
        loops |= c->stmts[i].kind == S_FOR;
    size_t n = strlen(code);
    while (n > 0 && (code[n - 1] == ' ' || code[n - 1] == '\t'))
        n--;
    return loops && n > 0 && code[n - 1] != '\n';
}

json_t *complete_is_complete(const lang_library *lib, const char *code)
{
    assert(lib && code);
    arena a;
    arena_init(&a);
    lex_result r;
    lang_err e = { 0 };
    cell c;
    int at_end = 0;
    const char *status = "complete", *indent = NULL;
    if (lex_run(code, &a, &r, &e) < 0) {
        if (e.ename && strcmp(e.ename, "MemoryError") == 0)
            status = "unknown";
        else if (r.end == LEX_END_STRING)
            status = "incomplete", indent = "";
        else
            status = "invalid";
    } else if (r.end == LEX_END_OPEN) {
        status = "incomplete", indent = "    ";
    } else if (r.end == LEX_END_CONTINUE) {
        status = "incomplete", indent = "";
    } else if (parse_cell(&r, lib, &a, &c, &e, &at_end) < 0) {
        int oom = e.ename && strcmp(e.ename, "MemoryError") == 0;
        status = oom ? "unknown" : at_end ? "incomplete" : "invalid";
        indent = at_end && !oom ? (ends_with_colon(code) ? "    " : "")
                                : NULL;
    } else if (loop_open(&c, code)) {
        status = "incomplete", indent = "    ";
    }
    lex_free(&r);
    arena_free(&a);
    return indent ? json_pack("{s:s, s:s}", "status", status, "indent", indent)
                  : json_pack("{s:s}", "status", status);
}

/* ---- scanning backwards from the cursor --------------------------------- */

static int is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Where the string the cursor is in starts (the byte after the quote), or
 * -1 when the cursor is not inside a string. Comments are skipped. */
static int string_start(const char *code, int cur)
{
    char q = 0;
    int start = -1;
    for (int i = 0; i < cur; i++) {
        char c = code[i];
        if (q) {
            if (c == '\\' && i + 1 < cur)
                i++;
            else if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
            start = i + 1;
        } else if (c == '#') {
            while (i < cur && code[i] != '\n')
                i++;
        }
    }
    return q ? start : -1;
}

/* The builtin whose parameter names may be typed at the cursor: the
 * builtin of a call `name(` left open, or the command of a statement
 * after its first comma (where its options go). NULL anywhere else,
 * inside a list literal included. */
static const builtin *call_context(const lang_library *lib,
                                   const char *code, int word_start)
{
    int depth = 0;
    int comma_at_top = 0;
    int i = word_start - 1;
    for (; i >= 0; i--) {
        char c = code[i];
        if (c == ')' || c == ']') {
            depth++;
        } else if (c == '[') {
            if (depth == 0)
                return NULL;    /* inside a list literal */
            depth--;
        } else if (c == '(') {
            if (depth == 0) {
                int end = i;
                while (end > 0 && code[end - 1] == ' ')
                    end--;
                int s = end;
                while (s > 0 && is_ident(code[s - 1]))
                    s--;
                char name[64];
                if (end - s <= 0 || end - s >= (int)sizeof name)
                    return NULL;
                memcpy(name, code + s, (size_t)(end - s));
                name[end - s] = '\0';
                return library_find(lib, name);
            }
            depth--;
        } else if (c == ',' && depth == 0) {
            comma_at_top = 1;
        } else if (c == '\n' && depth == 0) {
            int j = i - 1;
            while (j >= 0 && (code[j] == ' ' || code[j] == '\t'))
                j--;
            if (j < 0 || !strchr(",=+-*/>", code[j]))
                break;
        }
    }
    /* The statement starts at i + 1: a command with a comma after it? */
    int s = i + 1;
    while (code[s] == ' ' || code[s] == '\t' || code[s] == '\n')
        s++;
    int e = s;
    while (is_ident(code[e]))
        e++;
    char word[16];
    if (!comma_at_top || e - s <= 0 || e - s >= (int)sizeof word)
        return NULL;
    memcpy(word, code + s, (size_t)(e - s));
    word[e - s] = '\0';
    const builtin *b = library_find(lib, word);
    return b && b->kind == B_COMMAND ? b : NULL;
}

/* ---- matches ----------------------------------------------------------- */

static int add_match(json_t *m, const char *cand, const char *suffix,
                     const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(cand, prefix, n) != 0)
        return 0;
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", cand, suffix);
    size_t i;
    json_t *v;
    json_array_foreach(m, i, v)
        if (strcmp(json_string_value(v), buf) == 0)
            return 0;
    return json_array_append_new(m, json_string(buf));
}

static int file_matches(json_t *m, const char *code, int s, int cur,
                        int *start)
{
    char path[1024];
    int n = cur - s;
    if (n >= (int)sizeof path)
        return 0;
    memcpy(path, code + s, (size_t)n);
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[1024];
    if (slash) {
        size_t dn = (size_t)(slash - path);
        memcpy(dir, path, dn ? dn : 1);
        dir[dn ? dn : 1] = '\0';
        if (dn == 0)
            dir[0] = '/';
    } else {
        strcpy(dir, ".");
    }
    *start = s + (int)(base - path);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (de->d_name[0] == '.' && base[0] != '.')
            continue;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        rc = add_match(m, de->d_name, de->d_type == DT_DIR ? "/" : "", base);
    }
    closedir(d);
    return rc;
}

static int name_matches(json_t *m, const lang_library *lib, const env *en,
                        const builtin *call, const char *prefix)
{
    int rc = 0;
    if (call)
        for (int i = call->kind == B_COMMAND ? call->required : 0;
             call->params[i].name; i++)
            rc |= add_match(m, call->params[i].name, "=", prefix);
    for (int i = 0; i < en->n; i++)
        rc |= add_match(m, en->names[i], "", prefix);
    for (int i = 0, n = library_count(lib); i < n; i++)
        rc |= add_match(m, library_nth(lib, i)->name, "", prefix);
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *b = library_nth(lib, i);
        if (b->kind == B_COMMAND && b->syntax.link)
            rc |= add_match(m, b->syntax.link, "", prefix);
    }
    for (int i = 0; library_words[i]; i++)
        rc |= add_match(m, library_words[i], "", prefix);
    return rc;
}

json_t *complete_matches(const lang_library *lib, const env *en,
                         const char *code, int cursor_pos)
{
    assert(lib && en && code && cursor_pos >= 0);
    int cur = utf8_offset(code, cursor_pos);
    json_t *m = json_array();
    if (!m)
        return NULL;
    int start = cur, end = cur, rc;
    int s = string_start(code, cur);
    if (s >= 0) {
        rc = file_matches(m, code, s, cur, &start);
    } else {
        while (start > 0 && is_ident(code[start - 1]))
            start--;
        while (is_ident(code[end]))
            end++;
        char prefix[256];
        int n = cur - start < 255 ? cur - start : 255;
        memcpy(prefix, code + start, (size_t)n);
        prefix[n] = '\0';
        rc = name_matches(m, lib, en, call_context(lib, code, start), prefix);
    }
    json_t *r = rc < 0 ? NULL
        : json_pack("{s:o, s:i, s:i, s:{}}", "matches", m, "cursor_start",
                    utf8_count(code, start), "cursor_end",
                    utf8_count(code, end), "metadata");
    if (!r && rc < 0)
        json_decref(m);
    return r;
}

/* ---- inspect ---------------------------------------------------------- */

json_t *complete_inspect(const lang_library *lib, const env *en,
                         const char *code, int cursor_pos)
{
    assert(lib && en && code && cursor_pos >= 0);
    int cur = utf8_offset(code, cursor_pos);
    int s = cur, e = cur;
    while (s > 0 && is_ident(code[s - 1]))
        s--;
    while (is_ident(code[e]))
        e++;
    char name[128] = "";
    if (e > s && e - s < (int)sizeof name) {
        memcpy(name, code + s, (size_t)(e - s));
        name[e - s] = '\0';
    } else {
        const builtin *b = call_context(lib, code, cur);
        if (b)
            snprintf(name, sizeof name, "%s", b->name);
    }
    const value *v = name[0] ? env_get(en, name) : NULL;
    const builtin *fn = name[0] && !v ? library_find(lib, name) : NULL;
    json_t *data = NULL;
    if (v) {
        if (!(data = lib->show(v)))
            return NULL;
    } else if (fn || (name[0] && docs_has(name))) {
        /* A builtin's page (its section and its descriptor), else the
         * reference's section of that name. */
        char *doc = fn ? docs_builtin(fn) : docs_section(name);
        if (!doc)
            return NULL;
        char *plain = docs_plain(doc);
        data = plain ? json_pack("{s:s, s:s}", "text/plain", plain,
                                 "text/markdown", doc)
                     : NULL;
        free(plain);
        free(doc);
        if (!data)
            return NULL;
    }
    return json_pack("{s:b, s:o, s:{}}", "found", data != NULL, "data",
                     data ? data : json_object(), "metadata");
}
