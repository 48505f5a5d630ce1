/* diag: error values of the cell language and how they are shown.
 *
 * An error carries a Jupyter exception name ("SyntaxError", "NameError",
 * "TypeError", "ValueError", "ShapeError", "KeyboardInterrupt", ...), a
 * one-line message, and the place in the cell it points at (a byte range).
 * diag turns it into the traceback a user reads: line and column, the
 * source line, a caret under the place. It also finds the nearest name to
 * a typo, and converts between byte offsets and the Unicode code point
 * positions the Jupyter protocol counts in. */
#ifndef DIAG_H
#define DIAG_H

#include <jansson.h>

#include "nn_err.h"

#define LANG_ERR_MAX 640

typedef struct lang_err {
    const char *ename;        /* static string; NULL while no error */
    char msg[LANG_ERR_MAX];   /* one line, no position */
    int pos;                  /* byte offset in the cell, -1 for none */
    int len;                  /* bytes to underline, >= 1 */
} lang_err;

/* Fills `e` (printf style; a message too long keeps its start and end, as
 * sb_vfit does) and returns -1 so callers can write
 * `return lang_err_set(...)`. pos = -1 for an error without a place. */
int lang_err_set(lang_err *e, const char *ename, int pos, int len,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The out-of-memory error (ename "MemoryError"); returns -1. */
int lang_err_oom(lang_err *e, int pos);

/* An error of the engine as the language's: `ename` with the engine's
 * message, or a MemoryError when the engine ran out of memory (NN_ERR_OOM).
 * `prefix` (may be NULL) goes before the message as "prefix: ". Returns
 * -1. */
int lang_err_engine(lang_err *e, const char *ename, int pos, int len,
                    const char *prefix, const nn_err *err);

/* The traceback lines of `e` for the cell `src`:
 *     line 2, column 21:
 *         net = linear(16) -> rleu
 *                             ^^^^
 *     NameError: unknown layer 'rleu'; did you mean 'relu'?
 * With `colour`, the caret and the exception name are in ANSI red. The
 * column counts code points from 1. Returns a new JSON array of strings,
 * or NULL on OOM. */
json_t *diag_traceback(const char *src, const lang_err *e, int colour);

/* The same lines joined by '\n' (with a final '\n'), without colour, as a
 * malloc'd string (NULL on OOM). Used for golden tests and warnings. */
char *diag_format(const char *src, const lang_err *e);

/* The candidate closest to `word` by Damerau-Levenshtein (optimal string
 * alignment) distance, when it is close enough to be a likely typo (none for
 * one or two letters, 1 edit up to four, up to 3 for long words), else NULL. Candidates equal to
 * `word` are ignored. Returns one of `cands` (borrowed). */
const char *diag_nearest(const char *word, const char *const *cands, int n);

/* Appends "; did you mean 'x'?" to e->msg when diag_nearest finds one. */
void diag_suggest(lang_err *e, const char *word, const char *const *cands,
                  int n);

#endif
