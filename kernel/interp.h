/* interp: the contract between the Jupyter protocol and a language.
 *
 * The protocol side (server.c, shell.c and friends) knows sockets, the wire format
 * and message dispatch, and nothing of neural networks. The language side
 * (kernel/lang/) knows code, values and rendering, and nothing of ZeroMQ.
 * They meet here: the protocol calls an `interp` to run code and answer
 * introspection requests, and the interpreter writes what a cell produces
 * through an `interp_out` while it runs. Content is exchanged as Jansson
 * values shaped as the messaging spec's content dicts, so neither side has
 * to know the other's types. xeus splits its kernels the same way. */
#ifndef INTERP_H
#define INTERP_H

#include <jansson.h>

/* Where a running cell writes. Every function may be called any number of
 * times during interp.execute, from the thread that called execute. */
typedef struct interp_out {
    void *ctx;
    /* Text on "stdout" or "stderr" (an iopub stream message). */
    void (*stream)(void *ctx, const char *name, const char *text);
    /* A mime bundle (display_data). `data` (and `metadata`, may be NULL) are
     * borrowed. With a display_id the output can be replaced later by
     * calling again with update = 1 (update_display_data). */
    void (*display)(void *ctx, json_t *data, json_t *metadata,
                    const char *display_id, int update);
    /* Clears the cell's output (clear_output); wait = 1 defers the clear
     * until the next output arrives. */
    void (*clear)(void *ctx, int wait);
    /* Nonzero once the user asked to interrupt (interrupt_request, SIGINT)
     * or shut down. Poll it at safe points: each training step, each row.
     * Cheap: an atomic load. */
    int (*interrupted)(void *ctx);
    /* Asks the user for a line of input through the stdin channel. Returns
     * a malloc'd string the caller frees, or NULL when the frontend does not
     * allow stdin (allow_stdin false) or the request was interrupted. */
    char *(*input)(void *ctx, const char *prompt, int password);
} interp_out;

/* What one execution produced, filled by interp.execute. All json fields
 * start NULL; what the interpreter sets, the protocol takes (and decrefs). */
typedef struct interp_reply {
    int ok;               /* 1 = status "ok"; 0 = status "error" */
    json_t *result;       /* mime bundle of the last-line expression, or NULL */
    json_t *payload;      /* list of payload dicts (e.g. {"source":"page",...}), or NULL */
    /* On error: malloc'd name ("NameError") and one-line message, and a
     * list of strings (may hold ANSI colour). When memory ran out even
     * for these, all three are NULL: the protocol reports a MemoryError. */
    char *ename;
    char *evalue;
    json_t *traceback;
} interp_reply;

typedef struct interp {
    void *self;
    /* Fields merged into kernel_info_reply: "implementation",
     * "implementation_version", "banner", "language_info", "help_links".
     * Returns a new reference. */
    json_t *(*kernel_info)(void *self);
    /* Runs `code`. Returns after the cell ends, fails or is interrupted
     * (then ok = 0 and ename "KeyboardInterrupt"). Never aborts. */
    void (*execute)(void *self, const char *code, int silent,
                    const interp_out *out, interp_reply *reply);
    /* Evaluates one user_expressions entry without side effects on output;
     * returns {"status":"ok","data":{...},"metadata":{}} or an error dict
     * {"status":"error","ename":..,"evalue":..,"traceback":[..]}. */
    json_t *(*expression)(void *self, const char *expr);
    /* complete_reply content without "status": matches, cursor_start,
     * cursor_end, metadata. cursor_pos counts Unicode code points. */
    json_t *(*complete)(void *self, const char *code, int cursor_pos);
    /* inspect_reply content without "status": found, data, metadata. */
    json_t *(*inspect)(void *self, const char *code, int cursor_pos,
                       int detail_level);
    /* is_complete_reply content: status complete|incomplete|invalid, and
     * indent when incomplete. */
    json_t *(*is_complete)(void *self, const char *code);
    /* Frees the interpreter and everything it holds. */
    void (*free)(void *self);
} interp;

#endif
