#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "library.h"

const char *const library_words[] = { "true", "false", "none", "for", "in",
                                      NULL };

int library_count(const lang_library *lib)
{
    assert(lib);
    int n = 0;
    for (int f = 0; lib->families[f]; f++)
        n += lib->families[f]->n;
    return n;
}

const builtin *library_nth(const lang_library *lib, int i)
{
    assert(lib && i >= 0);
    for (int f = 0; lib->families[f]; f++) {
        if (i < lib->families[f]->n)
            return &lib->families[f]->table[i];
        i -= lib->families[f]->n;
    }
    return NULL;
}

const builtin *library_find(const lang_library *lib, const char *name)
{
    assert(lib && name);
    for (int f = 0; lib->families[f]; f++)
        for (int i = 0; i < lib->families[f]->n; i++)
            if (strcmp(lib->families[f]->table[i].name, name) == 0)
                return &lib->families[f]->table[i];
    return NULL;
}

const builtin *library_command(const lang_library *lib, const char *name)
{
    const builtin *b = library_find(lib, name);
    return b && b->kind == B_COMMAND ? b : NULL;
}

int library_is_keyword(const lang_library *lib, const char *name)
{
    assert(name);
    if (library_command(lib, name))
        return 1;
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *b = library_nth(lib, i);
        if (b->kind == B_COMMAND && b->syntax.link
            && strcmp(b->syntax.link, name) == 0)
            return 1;
    }
    for (int i = 0; library_words[i]; i++)
        if (strcmp(library_words[i], name) == 0)
            return 1;
    return 0;
}
