/* env: the names a session has defined and their values. */
#ifndef ENV_H
#define ENV_H

#include "value.h"

/* The names a session has defined, in order of first definition. */
typedef struct env {
    char **names;
    value **vals;
    int n, cap;
    int seeded;        /* seed(x) ran: x is the default of every seed= */
    int seed;
} env;

/* An empty env (no allocation until the first env_set). */
void env_init(env *en);

/* Frees every name and drops every value. */
void env_free(env *en);

/* The value bound to `name` (borrowed), or NULL. */
value *env_get(const env *en, const char *name);

/* Binds `name` to v, taking the caller's reference; the old value is
 * dropped. Returns -1 on OOM (v is then dropped too). */
int env_set(env *en, const char *name, value *v);

#endif
