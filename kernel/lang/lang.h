/* lang: the cell language as an interpreter for the Jupyter protocol
 * (kernel/interp.h). One interpreter holds the names a session defines. */
#ifndef LANG_H
#define LANG_H

#include "../interp.h"

/* A new interpreter with no names defined. Free it with its free
 * function. Returns NULL when memory runs out. */
interp *lang_interp_new(void);

#endif
