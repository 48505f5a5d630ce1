/* registry: every family of builtins the kernel offers, as the library
 * the interpreter is made with (lang_interp_new(&commands_library)). */
#ifndef REGISTRY_H
#define REGISTRY_H

#include "desc.h"

/* The families in the order completion lists their builtins, and
 * show_bundle as the way cell results are shown. */
extern const lang_library commands_library;

#endif
