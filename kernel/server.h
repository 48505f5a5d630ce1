/* server: a Jupyter kernel speaking messaging protocol 5.3 over ZeroMQ.
 *
 * server_run binds the five channels of a connection file and serves them
 * until shutdown_request (or SIGTERM), running code through an `interp`
 * (see interp.h). Threads, each the only user of its sockets:
 *   main (shell)  shell and stdin ROUTERs; runs cells and introspection
 *                 (shell.c, output.c);
 *   control       control ROUTER (control.c), answered while a cell runs;
 *   iopub pump    the XPUB socket, fed by one inproc PUSH per thread
 *                 (pump.c);
 *   heartbeat     a ROUTER echo (pump.c).
 * SIGINT interrupts the running cell like interrupt_request; SIGTERM shuts
 * down like shutdown_request; SIGPIPE is ignored (a log line written to a
 * closed stderr is lost, not fatal). With the ipc transport, the socket
 * files are removed at exit. */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>

#include "conn.h"
#include "interp.h"

/* Serves the connection until shutdown. history_path is the history file
 * (NULL: memory only; an unusable file only prints a warning). Returns 0
 * after a shutdown, or -1 with a message in err when the kernel could not
 * start (a port already in use, no memory). ci, lang and err must not be
 * NULL. */
int server_run(const conn_info *ci, const interp *lang,
               const char *history_path, char *err, size_t errlen);

#endif
