#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK 8192
#define ARENA_BLOCK_MAX (1 << 20)

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void arena_init(arena *a)
{
    a->head = NULL;
    a->bytes = 0;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        /* Blocks double up to a megabyte: a big cell takes few large
         * blocks (returned to the system whole when freed), a small one
         * a single small block. */
        size_t cap = b ? b->size * 2 : ARENA_BLOCK;
        if (cap > ARENA_BLOCK_MAX)
            cap = ARENA_BLOCK_MAX;
        if (cap < size)
            cap = size;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->bytes += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

size_t arena_bytes(const arena *a)
{
    return a->bytes;
}

void arena_free(arena *a)
{
    a->bytes = 0;
    while (a->head) {
        arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}
