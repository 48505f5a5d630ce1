/* history: the input history of the kernel, kept across restarts.
 *
 * Like IPython's history, every stored cell has a session number (one per
 * kernel start) and a line number (its execution_count). The last `limit`
 * entries, and at most HISTORY_MAX_BYTES of their text (the newest entry
 * always), are kept in memory; the last `limit` in a file of JSON lines
 * (read and written as safefile.h says), so a restarted
 * kernel answers history_request with the cells of earlier sessions. The
 * file is bounded: it is rewritten with the last `limit` entries when it
 * grows past 1.5 * limit lines. When the file cannot be read or written,
 * history lives in memory only and the kernel goes on.
 *
 * Queries return lists shaped as history_reply's "history": each entry
 * [session, line, input], or [session, line, [input, output]] (output a
 * string or null) when `output` is asked. Not thread-safe: one owner. */
#ifndef HISTORY_H
#define HISTORY_H

#include <jansson.h>
#include <stddef.h>

typedef struct history history;

/* Cells larger than this are executed but not stored (and results larger
 * than this are stored without their output). */
#define HISTORY_MAX_INPUT (1u << 20)
/* Text that the history holds in memory at most, so that an idle kernel
 * does not carry a few huge cells. */
#define HISTORY_MAX_BYTES (2u << 20)

/* Opens the history file at `path` (NULL: memory only), reads the entries
 * of earlier sessions, and starts a new session numbered one past the
 * highest seen. Returns NULL only when out of memory. When the file cannot
 * be used, the history still opens in memory and a warning for the user
 * is written to warn (warn[0] stays 0 otherwise). */
history *history_open(const char *path, size_t limit, char *warn,
                      size_t warnlen);

/* The default file: $XDG_DATA_HOME/cnn/history, or
 * $HOME/.local/share/cnn/history. Returns a malloc'd path, or NULL when
 * neither variable is set or memory is short. */
char *history_default_path(void);

/* This kernel's session number (1 for the first session ever). */
int history_session(const history *h);

/* Stores cell `line` of this session: its input and the text/plain of its
 * result (output NULL: none). Inputs over HISTORY_MAX_INPUT are skipped.
 * h and input must not be NULL.
 * Appends to the file when there is one. Returns 0, or -1 on no memory. */
int history_add(history *h, int line, const char *input, const char *output);

/* The last n entries (n <= 0: none), oldest first. New reference or NULL
 * on no memory (as for the two below). */
json_t *history_tail(const history *h, int n, int output);

/* Entries of `session` (<= 0: relative to this session, 0 = this one)
 * with start <= line < stop (stop <= 0: to the end). */
json_t *history_range(const history *h, int session, int start, int stop,
                      int output);

/* Entries whose input matches the glob `pattern` (fnmatch), oldest first;
 * with unique, only the latest of equal inputs; with n > 0, the last n. */
json_t *history_search(const history *h, const char *pattern, int n,
                       int unique, int output);

/* Frees the history (the file is already up to date). */
void history_close(history *h);

#endif
