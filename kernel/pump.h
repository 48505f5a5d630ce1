/* pump: a thread that forwards ZeroMQ messages from one socket to another.
 *
 * Two kernel channels need no logic, only a thread of their own:
 *   iopub      every thread that publishes sends its signed messages on an
 *              inproc PUSH socket; the pump moves them from the PULL end to
 *              the PUB socket, which only the pump touches (ZeroMQ sockets
 *              are not thread-safe);
 *   heartbeat  a ROUTER pumped into itself echoes each ping to its sender,
 *              also while a cell runs.
 * The pump takes ownership of its sockets and closes them when stopped. */
#ifndef PUMP_H
#define PUMP_H

#include <stddef.h>

typedef struct pump pump;

/* Starts a thread forwarding every multipart message arriving on `in` to
 * `out` (they may be the same socket). Returns NULL with a message in err
 * when the thread cannot start; the sockets are then still the caller's. */
pump *pump_start(void *in, void *out, char *err, size_t errlen);

/* Stops the thread after it forwarded every message already queued on
 * `in`, closes the sockets, and frees the pump. */
void pump_stop(pump *p);

#endif
