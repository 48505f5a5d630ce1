/* output: a running cell's output on iopub and stdin. See output.h. */
#include "output.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "utf8.h"

#define STREAM_FLUSH_BYTES (64 * 1024)
#define STREAM_FLUSH_SECONDS 0.05

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void output_init(output *o, wire_session *s, void *iopub, void *stdin_sock,
                 control_flags *flags)
{
    assert(o && s && iopub && stdin_sock && flags);
    *o = (output){.s = s, .iopub = iopub, .stdin_sock = stdin_sock,
                  .flags = flags};
}

void output_publish(output *o, const char *type, json_t *parent,
                    json_t *content)
{
    wire_blob topic = {(unsigned char *)type, strlen(type)};
    if (!content || wire_send(o->s, o->iopub, &topic, 1, type, parent, NULL,
                              content) < 0)
        fprintf(stderr, "cnn-kernel: cannot publish %s\n", type);
    json_decref(content);
}

static json_t *parent_of(const output *o)
{
    return o->req ? o->req->header : NULL;
}

static void stream_flush(output *o)
{
    if (o->len == 0)
        return;
    json_t *text = utf8_valid(o->buf, o->len) ? json_stringn(o->buf, o->len)
                                              : NULL;
    if (!text)
        text = json_string("(output dropped: not valid UTF-8)\n");
    output_publish(o, "stream", parent_of(o),
                   json_pack("{s:s, s:o}", "name", o->stream_name, "text", text));
    o->len = 0;
}

/* Makes room for n more bytes and a NUL. Returns 0 or -1 (no memory). */
static int stream_reserve(output *o, size_t n)
{
    if (o->len + n + 1 <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + n + 1)
        cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b)
        return -1;
    o->buf = b;
    o->cap = cap;
    return 0;
}

static void out_stream(void *ctx, const char *name, const char *text)
{
    output *o = ctx;
    size_t n = strlen(text);
    if (strcmp(name, "stderr") != 0)
        name = "stdout";
    if (o->len && strcmp(name, o->stream_name) != 0)
        stream_flush(o);
    if (stream_reserve(o, n) < 0) {
        stream_flush(o);
        fprintf(stderr, "cnn-kernel: out of memory; output dropped\n");
        return;
    }
    if (o->len == 0) {
        strcpy(o->stream_name, name);
        o->buf_since = now_seconds();
    }
    memcpy(o->buf + o->len, text, n);
    o->len += n;
    if (o->len >= STREAM_FLUSH_BYTES
        || now_seconds() - o->buf_since >= STREAM_FLUSH_SECONDS)
        stream_flush(o);
}

static void out_display(void *ctx, json_t *data, json_t *metadata,
                        const char *display_id, int update)
{
    output *o = ctx;
    stream_flush(o);
    json_t *c = json_pack("{s:O, s:o}", "data", data, "metadata",
                          metadata ? json_deep_copy(metadata) : json_object());
    if (c && display_id)
        json_object_set_new(c, "transient",
                            json_pack("{s:s}", "display_id", display_id));
    output_publish(o, update && display_id ? "update_display_data"
                                           : "display_data",
                   parent_of(o), c);
}

static void out_clear(void *ctx, int wait)
{
    output *o = ctx;
    stream_flush(o);
    output_publish(o, "clear_output", parent_of(o),
                   json_pack("{s:b}", "wait", wait));
}

static int out_interrupted(void *ctx)
{
    output *o = ctx;
    if (o->len && now_seconds() - o->buf_since >= STREAM_FLUSH_SECONDS)
        stream_flush(o);
    return atomic_load(&o->flags->interrupt)
           || atomic_load(&o->flags->shutdown);
}

/* Reads what waits on stdin. Returns the malloc'd value of an
 * input_reply, or NULL when none came (yet, or for good: *fatal). */
static char *read_input_reply(output *o, int *fatal)
{
    wire_msg m;
    char err[128];
    int rc;
    while ((rc = wire_recv(o->s, o->stdin_sock, &m, err, sizeof err)) != 1) {
        if (rc < 0) {
            fprintf(stderr, "cnn-kernel: stdin: dropped a message: %s\n", err);
            if (errno == ETERM) {
                *fatal = 1;
                return NULL;
            }
            continue;
        }
        const char *v = json_string_value(json_object_get(m.content, "value"));
        char *line = NULL;
        if (strcmp(m.msg_type, "input_reply") == 0 && v && !m.content_error)
            line = strdup(v);
        else
            fprintf(stderr, "cnn-kernel: stdin: ignored a %s\n", m.msg_type);
        wire_msg_free(&m);
        if (line)
            return line;
    }
    return NULL;
}

/* input(): an input_request on stdin routed to the shell request's sender,
 * then waits for input_reply, an interrupt or a shutdown. */
static char *out_input(void *ctx, const char *prompt, int password)
{
    output *o = ctx;
    if (!o->allow_stdin || !o->req)
        return NULL;
    stream_flush(o);
    json_t *c = json_pack("{s:s, s:b}", "prompt", prompt, "password", password);
    int rc = c ? wire_send(o->s, o->stdin_sock, o->req->idents,
                           o->req->n_idents, "input_request", o->req->header,
                           NULL, c)
               : -1;
    json_decref(c);
    if (rc < 0)
        return NULL;
    zmq_pollitem_t items[2] = {
        {o->stdin_sock, 0, ZMQ_POLLIN, 0},
        {NULL, o->flags->wakefd, ZMQ_POLLIN, 0},
    };
    int fatal = 0;
    while (!fatal && !out_interrupted(o)) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (items[1].revents & ZMQ_POLLIN)
            control_drain_wake(o->flags);
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        char *line = read_input_reply(o, &fatal);
        if (line)
            return line;
    }
    return NULL;
}

interp_out output_interp(output *o)
{
    assert(o);
    return (interp_out){o, out_stream, out_display, out_clear,
                        out_interrupted, out_input};
}

void output_begin(output *o, const wire_msg *req, int allow_stdin)
{
    assert(o && req);
    o->req = req;
    o->allow_stdin = allow_stdin;
}

void output_end(output *o)
{
    stream_flush(o);
    o->req = NULL;
}

void output_free(output *o)
{
    free(o->buf);
    o->buf = NULL;
    o->len = o->cap = 0;
}
