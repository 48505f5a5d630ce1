/* library: finding builtins in the library an interpreter was given
 * (desc.h): by name, or all of them in order, and the words its commands
 * reserve. */
#ifndef LIBRARY_H
#define LIBRARY_H

#include "desc.h"

/* How many builtins the families of `lib` hold together. */
int library_count(const lang_library *lib);

/* Builtin i (0 <= i < library_count(lib)), family by family in the order
 * of the registry: for completion and suggestions. NULL past the end. */
const builtin *library_nth(const lang_library *lib, int i);

/* The builtin named `name` in `lib`, or NULL. */
const builtin *library_find(const lang_library *lib, const char *name);

/* The command named `name` (a B_COMMAND builtin), or NULL. */
const builtin *library_command(const lang_library *lib, const char *name);

/* Nonzero when `name` is a keyword: a command, a word joining the parts
 * of a command ("on", "to"), or true, false, none, for, in. Keywords cannot be
 * assigned. */
int library_is_keyword(const lang_library *lib, const char *name);

/* The keywords that no descriptor says: true, false, none, for, in, ended by
 * NULL. */
extern const char *const library_words[];

#endif
