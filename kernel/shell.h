/* shell: the shell channel's requests, answered through a dispatch table.
 *
 * The shell thread reads requests from the shell ROUTER and answers each
 * between a busy and an idle status on iopub, as the messaging spec 5.3
 * asks. Which handler answers which msg_type, and with which reply type,
 * is one table (shell_route_find): execute, complete, inspect,
 * is_complete, history, kernel_info, comm_info, comm_open (answered by a
 * comm_close on iopub: no comm targets exist) and shutdown. A type not in
 * the table is logged and ignored, as ipykernel does. A request whose
 * content is not valid JSON (invalid UTF-8, a lone surrogate escape) is
 * answered with status "error" and ename "BadRequest", like a request
 * with a mistyped field.
 *
 * stop_on_error: when a cell fails, the requests already waiting behind
 * it are read before its reply (at most 256 of them, 16 MB in all, so the
 * reply never waits on a sender that does not stop) and answered after
 * it, execute requests with status "aborted" (as ipykernel does); what
 * the client sends once it saw the failure runs. Past that bound (a
 * flood), requests are aborted one at a time as read until the queue is
 * empty: memory stays bounded and every request is answered. */
#ifndef SHELL_H
#define SHELL_H

#include <jansson.h>
#include <stddef.h>

#include "control.h"
#include "history.h"
#include "interp.h"
#include "pump.h"
#include "wire.h"

/* What the shell uses, all borrowed; they must outlive the shell. */
typedef struct shell_env {
    wire_session *s;
    void *router;           /* the shell ROUTER (bound) */
    void *stdin_sock;       /* the stdin ROUTER (bound) */
    void *iopub;            /* the shell thread's PUSH to the iopub pump */
    pump *iopub_pump;       /* to wait for a first subscriber; may be NULL */
    const interp *lang;
    history *hist;
    control_flags *flags;
    const json_t *kernel_info;  /* kernel_info_reply content */
} shell_env;

typedef struct shell shell;

/* A handler answers one request (req is borrowed). */
typedef void (*shell_handler)(shell *sh, wire_msg *req);

/* One row of the dispatch table. reply is NULL for a request that is
 * answered on iopub only (comm_open). */
typedef struct shell_route {
    const char *request;
    const char *reply;
    shell_handler handle;
} shell_route;

/* The row for msg_type, or NULL when the shell does not answer it. The
 * row is static: never freed. */
const shell_route *shell_route_find(const char *msg_type);

/* A shell on env (copied; every pointer but iopub_pump must be non-NULL).
 * Returns NULL when out of memory. Free with shell_free. */
shell *shell_new(const shell_env *env);

/* Reads and answers every request waiting on the shell ROUTER, without
 * blocking. Returns 0 when the socket is empty or a shutdown was asked,
 * -1 when the socket failed for good (the context was terminated). */
int shell_serve(shell *sh);

/* Frees the shell (not what its env points to). Safe on NULL. */
void shell_free(shell *sh);

#endif
