/* docs: the language reference (docs/language.md, compiled into the
 * program), whole or one builtin's section, and a builtin's page for help
 * and inspect: its section followed by what its descriptor says. */
#ifndef DOCS_H
#define DOCS_H

#include <stddef.h>

#include "desc.h"

/* The whole reference as Markdown (static, NUL-terminated). */
const char *docs_all(void);

/* Nonzero when the reference has a section for `name` (a "### name"
 * heading). */
int docs_has(const char *name);

/* The section of `name`: from its "### name" heading to the next heading.
 * malloc'd; NULL when there is none or on OOM (docs_has tells which). */
char *docs_section(const char *name);

/* The page `help NAME` and inspect show for builtin fn: its section of
 * the reference (or a heading alone when it has none), then its one-line
 * doc and the list of its parameters from the descriptor: each with its
 * default, what it takes (kind, range) and its one-line doc. malloc'd;
 * NULL on OOM. */
char *docs_builtin(const builtin *fn);

/* Markdown md (the reference's subset: headings, ``` fences, `code`,
 * **bold**, bullets) as plain text for a console or a tooltip: a heading
 * is its text underlined, a fenced block is indented four spaces without
 * its fences, backticks and ** are dropped. malloc'd; NULL on OOM. */
char *docs_plain(const char *md);

/* How the default of parameter p is written in the reference and in
 * help: 100, 0.001, 1e-8, true, "auto", adam(), none. Fills buf (at
 * least 32 bytes) and returns 0, or returns -1 when p has no default (it
 * is simply absent when left out). */
int docs_param_default(const param *p, char *buf, size_t size);

/* The strings a P_CHOICE parameter takes, as help and errors list them:
 * "auto", "classification" or "regression". Fills buf (cut to size). */
void docs_param_choices(const param *p, char *buf, size_t size);

#endif
