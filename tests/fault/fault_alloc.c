#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fault_alloc.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__real_aligned_alloc(size_t align, size_t size);
FILE *__real_open_memstream(char **buf, size_t *len);

/* The live blocks: an open-addressing hash set of pointers with linear
 * probing and backward-shift deletion, in static memory so that it needs
 * no allocation of its own. */
#define SLOTS (1u << 21)
static void *slots[SLOTS];
static long live;
static long count, target;
static int triggered, persist;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)(h & (SLOTS - 1));
}

/* Called with mu held. */
static void remember(void *p)
{
    if (live >= (long)(SLOTS / 4 * 3)) {
        static const char msg[] = "fault_alloc: too many live blocks\n";
        fwrite(msg, 1, sizeof msg - 1, stderr);
        abort();
    }
    size_t i = slot_of(p);
    while (slots[i])
        i = (i + 1) & (SLOTS - 1);
    slots[i] = p;
    live++;
}

/* Forgets p; returns whether it was remembered. Called with mu held. */
static int forget(void *p)
{
    size_t i = slot_of(p);
    while (slots[i] != p) {
        if (!slots[i])
            return 0;
        i = (i + 1) & (SLOTS - 1);
    }
    /* Backward-shift: move later entries of the run into the hole. */
    size_t hole = i;
    for (size_t j = (i + 1) & (SLOTS - 1); slots[j];
         j = (j + 1) & (SLOTS - 1)) {
        size_t home = slot_of(slots[j]);
        /* slots[j] may move to hole when home is not in (hole, j]. */
        int between = hole <= j ? (home > hole && home <= j)
                                : (home > hole || home <= j);
        if (!between) {
            slots[hole] = slots[j];
            hole = j;
        }
    }
    slots[hole] = NULL;
    live--;
    return 1;
}

/* Counts one allocation; returns 1 when it must fail. */
static int fail_now(void)
{
    pthread_mutex_lock(&mu);
    ++count;
    int fail = target > 0 && (persist ? count >= target : count == target);
    if (fail)
        triggered = 1;
    pthread_mutex_unlock(&mu);
    if (fail)
        errno = ENOMEM;
    return fail;
}

static void *keep(void *p)
{
    if (p) {
        pthread_mutex_lock(&mu);
        remember(p);
        pthread_mutex_unlock(&mu);
    }
    return p;
}

void fault_arm(long n)
{
    pthread_mutex_lock(&mu);
    count = 0;
    target = n;
    triggered = 0;
    pthread_mutex_unlock(&mu);
}

void fault_persist(int on)
{
    pthread_mutex_lock(&mu);
    persist = on;
    pthread_mutex_unlock(&mu);
}

long fault_count(void)
{
    pthread_mutex_lock(&mu);
    long n = count;
    pthread_mutex_unlock(&mu);
    return n;
}

int fault_triggered(void)
{
    pthread_mutex_lock(&mu);
    int t = triggered;
    pthread_mutex_unlock(&mu);
    return t;
}

long fault_live(void)
{
    pthread_mutex_lock(&mu);
    long n = live;
    pthread_mutex_unlock(&mu);
    return n;
}

void fault_jansson(void)
{
    json_set_alloc_funcs(__wrap_malloc, __wrap_free);
}

void *__wrap_malloc(size_t size)
{
    return fail_now() ? NULL : keep(__real_malloc(size));
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : keep(__real_calloc(n, size));
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
    return fail_now() ? NULL : keep(__real_aligned_alloc(align, size));
}

void *__wrap_realloc(void *p, size_t size)
{
    if (fail_now())
        return NULL;
    void *q = __real_realloc(p, size);
    if (q || size == 0) {
        /* p is gone (moved or freed); q, if any, is the live block */
        pthread_mutex_lock(&mu);
        if (p)
            forget(p);
        if (q)
            remember(q);
        pthread_mutex_unlock(&mu);
    }
    return q;
}

void __wrap_free(void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&mu);
    forget(p);
    pthread_mutex_unlock(&mu);
    __real_free(p);
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = __wrap_malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *__wrap_strdup(const char *s)
{
    return __wrap_strndup(s, SIZE_MAX);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n < 0 ? NULL : __wrap_malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    if (!s)
        return -1;
    *out = s;
    return n;
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __wrap_vasprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
    return fail_now() ? NULL : __real_open_memstream(buf, len);
}
