/* lang: the cell language as an interpreter for the Jupyter protocol
 * (kernel/interp.h). One interpreter holds the names a session defines. */
#ifndef LANG_H
#define LANG_H

#include "../interp.h"
#include "desc.h"

/* A new interpreter with no names defined, whose cells call the builtins
 * of `lib` (borrowed for the interpreter's life; kernel/commands'
 * registry.h gives the kernel's). Free it with its free function.
 * Returns NULL when memory runs out. */
interp *lang_interp_new(const lang_library *lib);

#endif
