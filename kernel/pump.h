/* pump: a thread that forwards ZeroMQ messages from one socket to another.
 *
 * Two kernel channels need no logic, only a thread of their own:
 *   iopub      every thread that publishes sends its signed messages on an
 *              inproc PUSH socket; the pump moves them from the PULL end to
 *              the XPUB socket, which only the pump touches (ZeroMQ sockets
 *              are not thread-safe), and counts its subscribers;
 *   heartbeat  a ROUTER pumped into itself echoes each ping to its sender,
 *              also while a cell runs.
 * The pump takes ownership of its sockets and closes them when stopped. */
#ifndef PUMP_H
#define PUMP_H

#include <stddef.h>

typedef struct pump pump;

/* Called on the pump's thread (the owner of `out`) when an XPUB `out`
 * gets a subscription to `topic`, so that it can send a greeting on it. */
typedef void (*pump_greet_fn)(void *ctx, void *out, const char *topic);

/* Starts a thread forwarding every multipart message arriving on `in` to
 * `out` (they may be the same socket). When `out` is an XPUB, `greet` (may
 * be NULL) is called for each new subscription. Returns NULL with a
 * message in err when the thread cannot start; the sockets are then still
 * the caller's. */
pump *pump_start(void *in, void *out, pump_greet_fn greet, void *greet_ctx,
                 char *err, size_t errlen);

/* When `out` is an XPUB socket, waits until it has a subscriber, for at
 * most timeout_ms. Returns 1 when one is there, 0 on timeout. Clients
 * connect their iopub SUB at the same time as their shell socket, and
 * some (jupyter run, jupyter console with jupyter_client 7) send their
 * first execute_request as soon as kernel_info is answered: without this
 * wait, the outputs of that first cell can be published before the
 * subscription arrives, and be lost (ZeroMQ's "slow joiner"). */
int pump_wait_subscriber(pump *p, int timeout_ms);

/* Stops the thread after it forwarded every message already queued on
 * `in`, closes the sockets, and frees the pump. */
void pump_stop(pump *p);

#endif
