/* docs: the language reference (docs/language.md, compiled into the
 * program), whole or one builtin's section, for help and inspect. */
#ifndef DOCS_H
#define DOCS_H

/* The whole reference as Markdown (static, NUL-terminated). */
const char *docs_all(void);

/* Nonzero when the reference has a section for `name` (a "### name"
 * heading). */
int docs_has(const char *name);

/* The section of `name`: from its "### name" heading to the next heading.
 * malloc'd; NULL when there is none or on OOM (docs_has tells which). */
char *docs_section(const char *name);

#endif
