/* output: where a running cell writes, as the shell thread publishes it.
 *
 * An `output` implements interp_out (interp.h) for the cell that the shell
 * runs now: streams, displays and clear_output go to iopub through the
 * shell thread's inproc PUSH (the iopub pump owns the XPUB socket), and
 * input() asks the frontend on the stdin ROUTER. Stream text is batched:
 * it is published when other output follows, when 64 KB gathered, 50 ms
 * after it started, and when the cell ends, so a loop of prints cannot
 * flood the PUB socket (which drops messages past its high-water mark).
 * One owner: the shell thread. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <jansson.h>
#include <stddef.h>

#include "control.h"
#include "interp.h"
#include "wire.h"

typedef struct output {
    wire_session *s;
    void *iopub;            /* this thread's PUSH to the iopub pump */
    void *stdin_sock;       /* the stdin ROUTER */
    control_flags *flags;   /* interrupt and shutdown, raised elsewhere */
    const wire_msg *req;    /* the execute_request running, or NULL */
    int allow_stdin;
    char stream_name[8];    /* "stdout" or "stderr": what buf holds */
    char *buf;              /* batched stream text, len bytes */
    size_t len, cap;
    double buf_since;       /* when the batch started, CLOCK_MONOTONIC s */
} output;

/* Starts an output with no request running. The sockets and flags are
 * borrowed and must outlive it; none may be NULL. */
void output_init(output *o, wire_session *s, void *iopub, void *stdin_sock,
                 control_flags *flags);

/* The interp_out whose functions write through o. */
interp_out output_interp(output *o);

/* Makes req (borrowed until output_end; must not be NULL) the parent of
 * what follows; allow_stdin says whether input() may ask the frontend. */
void output_begin(output *o, const wire_msg *req, int allow_stdin);

/* Publishes the batched stream text and forgets the request. */
void output_end(output *o);

/* Publishes an iopub message of `type` with parent header `parent` (NULL:
 * none). Takes content (NULL: a failed json_pack, reported). A message
 * that cannot be sent is reported on stderr and dropped. */
void output_publish(output *o, const char *type, json_t *parent,
                    json_t *content);

/* Frees the stream buffer; o may be initialized again. */
void output_free(output *o);

#endif
