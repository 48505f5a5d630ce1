#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

void env_init(env *en)
{
    assert(en);
    en->names = NULL;
    en->vals = NULL;
    en->n = en->cap = 0;
}

void env_free(env *en)
{
    for (int i = 0; i < en->n; i++) {
        free(en->names[i]);
        value_unref(en->vals[i]);
    }
    free(en->names);
    free(en->vals);
    env_init(en);
}

static int env_index(const env *en, const char *name)
{
    for (int i = 0; i < en->n; i++)
        if (strcmp(en->names[i], name) == 0)
            return i;
    return -1;
}

value *env_get(const env *en, const char *name)
{
    assert(en && name);
    int i = env_index(en, name);
    return i < 0 ? NULL : en->vals[i];
}

int env_set(env *en, const char *name, value *v)
{
    assert(en && name && v);
    int i = env_index(en, name);
    if (i >= 0) {
        value_unref(en->vals[i]);
        en->vals[i] = v;
        return 0;
    }
    if (en->n == en->cap) {
        int cap = en->cap ? en->cap * 2 : 16;
        char **names = realloc(en->names, (size_t)cap * sizeof *names);
        if (names)
            en->names = names;
        value **vals = realloc(en->vals, (size_t)cap * sizeof *vals);
        if (vals)
            en->vals = vals;
        if (!names || !vals) {
            value_unref(v);
            return -1;
        }
        en->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        value_unref(v);
        return -1;
    }
    en->names[en->n] = copy;
    en->vals[en->n] = v;
    en->n++;
    return 0;
}
