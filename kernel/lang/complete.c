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

/* The matches being gathered: their texts, and for each its kind (as
 * ipykernel's _jupyter_types_experimental: "function", "keyword",
 * "class", "instance", "param", "path", "statement") so a frontend shows
 * an icon. */
typedef struct matcher {
    json_t *m;          /* texts */
    json_t *types;      /* their kinds, in the same order */
    const char *prefix;
} matcher;

static int add_match(matcher *mt, const char *cand, const char *suffix,
                     const char *type)
{
    size_t n = strlen(mt->prefix);
    if (strncmp(cand, mt->prefix, n) != 0)
        return 0;
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", cand, suffix);
    size_t i;
    json_t *v;
    json_array_foreach(mt->m, i, v)
        if (strcmp(json_string_value(v), buf) == 0)
            return 0;
    if (json_array_append_new(mt->m, json_string(buf)) < 0
        || json_array_append_new(mt->types, json_string(type)) < 0)
        return -1;
    return 0;
}

static int file_matches(matcher *mt, const char *code, int s, int cur,
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
    mt->prefix = base;
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
        rc = add_match(mt, de->d_name, de->d_type == DT_DIR ? "/" : "",
                       "path");
    }
    closedir(d);
    return rc;
}

/* The kind of match a builtin is. */
static const char *builtin_type(const builtin *b)
{
    switch (b->kind) {
    case B_FUNC: return "function";
    case B_DATA: return "instance";
    case B_COMMAND: return "keyword";
    default: return "class";        /* layers, optimizers, schedules */
    }
}

/* Builtins of kind `kind` and the names defined whose value is of kind
 * `want` (V_NONE: none of them). */
static int kind_matches(matcher *mt, const lang_library *lib, const env *en,
                        builtin_kind kind, value_kind want)
{
    int rc = 0;
    for (int i = 0; want != V_NONE && i < en->n; i++)
        if (en->vals[i]->kind == want)
            rc |= add_match(mt, en->names[i], "", "instance");
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *b = library_nth(lib, i);
        if (b->kind == kind)
            rc |= add_match(mt, b->name, "", builtin_type(b));
    }
    return rc;
}

static int name_matches(matcher *mt, const lang_library *lib, const env *en,
                        const builtin *call)
{
    int rc = 0;
    if (call)
        for (int i = call->kind == B_COMMAND ? call->required : 0;
             call->params[i].name; i++)
            rc |= add_match(mt, call->params[i].name, "=", "param");
    for (int i = 0; i < en->n; i++)
        rc |= add_match(mt, en->names[i], "", "instance");
    for (int i = 0, n = library_count(lib); i < n; i++)
        rc |= add_match(mt, library_nth(lib, i)->name, "",
                        builtin_type(library_nth(lib, i)));
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *b = library_nth(lib, i);
        if (b->kind == B_COMMAND && b->syntax.link)
            rc |= add_match(mt, b->syntax.link, "", "keyword");
    }
    for (int i = 0; library_words[i]; i++)
        rc |= add_match(mt, library_words[i], "", "keyword");
    return rc;
}

/* The choices of a P_CHOICE parameter, each as written in code (quoted
 * unless `bare`, inside a string). */
static int choice_matches(matcher *mt, const param *p, int bare)
{
    int rc = 0;
    for (int i = 0; p->choices[i] && rc == 0; i++) {
        char word[80];
        snprintf(word, sizeof word, "%s%s%s", bare ? "" : "\"",
                 p->choices[i], bare ? "" : "\"");
        rc = add_match(mt, word, "", "statement");
    }
    return rc;
}

/* After `name.` (the '.' at dot): the fields of the record called name.
 * Returns 0 with them added (*rc: 0 or -1 on OOM), or -1 when name is
 * no record. */
static int field_matches(matcher *mt, const env *en, const char *code,
                         int dot, int *rc)
{
    int s = dot;
    while (s > 0 && is_ident(code[s - 1]))
        s--;
    char name[128];
    if (dot - s <= 0 || dot - s >= (int)sizeof name)
        return -1;
    snprintf(name, sizeof name, "%.*s", dot - s, code + s);
    const value *v = env_get(en, name);
    if (!v || v->kind != V_REC)
        return -1;
    *rc = 0;
    for (int i = 0; i < v->as.rec.n; i++)
        *rc |= add_match(mt, v->as.rec.names[i], "", "property");
    return 0;
}

/* What may be typed at `at` by the code before it: -1 anything (no
 * narrowing), else the matches were added (0, or -1 on OOM in *rc). After
 * '->' layers; after help at a line's start builtins; after name= of the
 * call or command around it, what that parameter takes. */
static int context_matches(matcher *mt, const lang_library *lib,
                           const env *en, const char *code, int at,
                           int in_string, int *rc)
{
    int j = at;
    while (j > 0 && (code[j - 1] == ' ' || code[j - 1] == '\t'))
        j--;
    if (!in_string && j >= 2 && code[j - 1] == '>' && code[j - 2] == '-') {
        *rc = kind_matches(mt, lib, en, B_LAYER, V_NET);
        return 0;
    }
    if (!in_string && j == at && j > 0 && code[j - 1] == '.')
        return field_matches(mt, en, code, j - 1, rc);
    int k = j;
    while (k > 0 && is_ident(code[k - 1]))
        k--;
    int line = k;
    while (line > 0 && (code[line - 1] == ' ' || code[line - 1] == '\t'))
        line--;
    if (!in_string && j - k == 4 && strncmp(code + k, "help", 4) == 0
        && j < at && (line == 0 || code[line - 1] == '\n')) {
        *rc = 0;
        for (int i = 0, n = library_count(lib); i < n; i++)
            *rc |= add_match(mt, library_nth(lib, i)->name, "",
                             builtin_type(library_nth(lib, i)));
        return 0;
    }
    if (j == 0 || code[j - 1] != '=' || (j >= 2 && strchr("=<>!", code[j - 2])))
        return -1;
    int e = j - 1;
    while (e > 0 && code[e - 1] == ' ')
        e--;
    int s = e;
    while (s > 0 && is_ident(code[s - 1]))
        s--;
    char name[64];
    const builtin *call = call_context(lib, code, s);
    if (!call || e - s <= 0 || e - s >= (int)sizeof name)
        return -1;
    snprintf(name, sizeof name, "%.*s", e - s, code + s);
    int i = builtin_param(call, name);
    const param *p = i >= 0 ? &call->params[i] : NULL;
    if (p && p->kind == P_VALUE && p->want == V_OPTIM && !in_string)
        *rc = kind_matches(mt, lib, en, B_OPTIM, V_OPTIM);
    else if (p && p->kind == P_VALUE && p->want == V_SCHED && !in_string)
        *rc = kind_matches(mt, lib, en, B_SCHED, V_SCHED);
    else if (p && p->kind == P_CHOICE)
        *rc = choice_matches(mt, p, in_string);
    else
        return -1;
    return 0;
}

/* The metadata of the matches: _jupyter_types_experimental, a
 * {text, type, start, end} per match (start and end in code points). */
static json_t *match_types(const matcher *mt, int start, int end)
{
    json_t *list = json_array();
    size_t i;
    json_t *v;
    if (!list)
        return NULL;
    json_array_foreach(mt->m, i, v) {
        json_t *t = json_pack("{s:O, s:O, s:i, s:i}", "text", v, "type",
                              json_array_get(mt->types, i), "start", start,
                              "end", end);
        if (json_array_append_new(list, t) < 0) {
            json_decref(list);
            return NULL;
        }
    }
    return json_pack("{s:o}", "_jupyter_types_experimental", list);
}

json_t *complete_matches(const lang_library *lib, const env *en,
                         const char *code, int cursor_pos)
{
    assert(lib && en && code && cursor_pos >= 0);
    int cur = utf8_offset(code, cursor_pos);
    matcher mt = { json_array(), json_array(), "" };
    int start = cur, end = cur, rc = 0;
    char prefix[256];
    int s = string_start(code, cur);
    if (mt.m && mt.types && s >= 0) {
        snprintf(prefix, sizeof prefix, "%.*s", cur - s, code + s);
        mt.prefix = prefix;
        start = s;
        if (context_matches(&mt, lib, en, code, s - 1, 1, &rc) < 0)
            rc = file_matches(&mt, code, s, cur, &start);
    } else if (mt.m && mt.types) {
        while (start > 0 && is_ident(code[start - 1]))
            start--;
        while (is_ident(code[end]))
            end++;
        int n = cur - start < 255 ? cur - start : 255;
        memcpy(prefix, code + start, (size_t)n);
        prefix[n] = '\0';
        mt.prefix = prefix;
        if (context_matches(&mt, lib, en, code, start, 0, &rc) < 0)
            rc = name_matches(&mt, lib, en, call_context(lib, code, start));
    } else {
        rc = -1;
    }
    int cs = utf8_count(code, start), ce = utf8_count(code, end);
    json_t *meta = rc < 0 ? NULL : match_types(&mt, cs, ce);
    json_t *r = meta ? json_pack("{s:O, s:i, s:i, s:o}", "matches", mt.m,
                                 "cursor_start", cs, "cursor_end", ce,
                                 "metadata", meta)
                     : NULL;
    json_decref(mt.m);
    json_decref(mt.types);
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
