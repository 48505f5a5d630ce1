/* fault_alloc: allocation fault injection and live-block counting for
 * test programs, SQLite-style.
 *
 * A program linked with
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,
 *   --wrap=strdup,--wrap=strndup,--wrap=aligned_alloc,--wrap=asprintf,
 *   --wrap=vasprintf,--wrap=open_memstream
 * sends every such call in its own objects and in the static libraries it
 * links (lang, commands, render, nn, base) through the __wrap_ functions
 * below; fault_jansson() routes Jansson's allocations through them too.
 * Each wrapped allocation is counted; when fault_arm(n) made the count
 * reach n, that one allocation fails (returns NULL, errno ENOMEM) and
 * the next ones succeed again (or fail too: fault_persist). Every block handed out is remembered until
 * it is freed, so fault_live() is the number of blocks not yet freed: 0
 * after a program freed all it made.
 *
 * Not covered: allocations inside shared libraries other than Jansson
 * (libc's own, OpenBLAS, fopen's buffers, the buffer an open_memstream
 * stream grows: only the open_memstream call itself can fail).
 * Thread-safe. Nothing here allocates through the wrapped functions. */
#ifndef FAULT_ALLOC_H
#define FAULT_ALLOC_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

/* Restarts the count of allocations at 0 and makes allocation number n
 * (1-based) fail; n = 0 makes none fail. */
void fault_arm(long n);

/* With on = 1, every allocation from number n of fault_arm(n) on fails,
 * not only the nth (as when memory stays short); on = 0, only the nth
 * (the default). */
void fault_persist(int on);

/* The allocations counted since the last fault_arm. */
long fault_count(void);

/* Whether an allocation failed (was injected) since the last fault_arm. */
int fault_triggered(void);

/* The blocks handed out by the wrapped functions and not freed yet. */
long fault_live(void);

/* Makes Jansson allocate through __wrap_malloc and __wrap_free; call it
 * before the first Jansson call. */
void fault_jansson(void);

/* The wrappers the linker's --wrap option routes the calls to. */
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int __wrap_asprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
FILE *__wrap_open_memstream(char **buf, size_t *len);

#endif
