/* arena: a bump allocator for the syntax tree of one cell.
 *
 * A parse allocates many small nodes that all die together when the cell
 * has run; an arena hands them out from large blocks and frees them in one
 * call, so the parser never has to unwind a half-built tree. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;   /* newest block first */
    size_t bytes;        /* handed out since the last arena_free */
} arena;

/* An empty arena (no allocation until the first arena_alloc). */
void arena_init(arena *a);

/* Returns `size` zeroed bytes aligned for any type, owned by the arena,
 * or NULL when memory runs out. */
void *arena_alloc(arena *a, size_t size);

/* Copies n bytes of s into the arena and NUL-terminates the copy; NULL on
 * OOM. */
char *arena_strndup(arena *a, const char *s, size_t n);

/* The bytes handed out since arena_init or the last arena_free. */
size_t arena_bytes(const arena *a);

/* Frees every block; the arena is empty again and can be reused. */
void arena_free(arena *a);

#endif
