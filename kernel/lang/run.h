/* run: one running cell, as the evaluator, the binder and the builtins
 * see it: the names defined so far, the builtins it may call, where its
 * output goes and where its error is filled. */
#ifndef RUN_H
#define RUN_H

#include <jansson.h>

#include "../interp.h"
#include "desc.h"
#include "diag.h"
#include "env.h"
#include "parse.h"

/* One running cell. */
typedef struct lang_run {
    env *env;
    const lang_library *lib;  /* the builtins the cell can call */
    const char *src;          /* the cell's code, for error positions */
    const interp_out *out;    /* where output goes */
    lang_err *e;              /* the error when something fails */
    json_t *payload;          /* payload list (help pages), or NULL */
    const stmt *current;      /* the statement being run */
} lang_run;

#endif
