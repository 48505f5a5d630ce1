/* control: the control channel, answered on its own thread.
 *
 * A cell may run for minutes on the shell thread; shutdown_request,
 * interrupt_request, kernel_info_request and usage_request must be
 * answered meanwhile, so the control ROUTER has a thread of its own. It
 * talks to the shell thread through control_flags only: two atomic flags
 * the running cell polls (interp_out.interrupted) and an eventfd that
 * wakes the shell thread when it sleeps in zmq_poll. The same flags are
 * raised by SIGINT and SIGTERM. */
#ifndef CONTROL_H
#define CONTROL_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

#include "wire.h"

typedef struct control_flags {
    atomic_int interrupt;   /* stop the running cell */
    atomic_int shutdown;    /* stop the running cell and exit */
    int wakefd;             /* eventfd polled by the shell thread */
} control_flags;

/* Raises the interrupt flag (and the shutdown flag when shutdown is
 * nonzero) and wakes the shell thread. Async-signal-safe. */
void control_raise(control_flags *f, int shutdown);

/* Empties the wake eventfd after a poll saw it readable, so that the next
 * poll sleeps again. The flags themselves are left as they are. */
void control_drain_wake(control_flags *f);

typedef struct control control;

/* Starts the control thread on a bound ROUTER `router` and a PUSH socket
 * `iopub` connected to the iopub pump, both handed over to the thread
 * (closed by control_stop). kernel_info is the kernel_info_reply content
 * (copied). The thread stops by itself after answering shutdown_request.
 * Returns NULL with a message in err when out of memory or no thread can
 * start; the sockets are then still the caller's. */
control *control_start(void *router, void *iopub, wire_session *s,
                       json_t *kernel_info, control_flags *flags, char *err,
                       size_t errlen);

/* Stops the thread (if still running), closes its sockets, frees c. */
void control_stop(control *c);

/* Sends a status message (busy, idle, starting) on an iopub PUSH socket
 * with `parent` as parent_header (NULL: none). Returns 0 or -1. Used by
 * both the shell and control threads, each with its own socket. */
int control_status(wire_session *s, void *iopub, json_t *parent,
                   const char *state);

#endif
