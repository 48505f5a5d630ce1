/* kernel: sockets, threads and the shell channel. See kernel.h.
 *
 * Design: the main thread owns the shell and stdin ROUTERs and runs cells,
 * so a cell's input() can wait on stdin without another thread. iopub
 * messages from the main and the control threads go through their own
 * inproc PUSH sockets to the iopub pump, the only user of the XPUB socket
 * (ZeroMQ sockets are not thread-safe). The control thread answers
 * interrupts and shutdowns while a cell runs and reaches the cell through
 * atomic flags only. Stream output is batched: text is published when
 * other output follows, when 64 KB gathered, 50 ms after it started, and
 * when the cell ends, so a loop of prints cannot flood the PUB socket
 * (which drops messages past its high-water mark). Shell requests wait
 * for a first iopub subscriber (pump_wait_subscriber), so that the first
 * cell of a client that executes as soon as kernel_info is answered keeps
 * its output. */
#include "kernel.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "control.h"
#include "history.h"
#include "pump.h"
#include "wire.h"

#define IOPUB_INPROC "inproc://iopub"
#define STREAM_FLUSH_BYTES (64 * 1024)
#define STREAM_FLUSH_SECONDS 0.05
#define REPLAY_WINDOW 4096
#define HISTORY_LIMIT 10000
/* How long a shell request waits for a first iopub subscriber (pump.h). */
#define SUBSCRIBER_WAIT_MS 2000

typedef struct kernel {
    void *zctx;
    wire_session *s;
    const interp *lang;
    history *hist;
    pump *iopub_pump;
    control_flags flags;
    void *shell, *stdin_sock, *iopub;   /* iopub: this thread's PUSH */
    json_t *kernel_info;
    int execution_count;
    interp_out out;
    /* the execute_request running now */
    wire_msg *req;
    int allow_stdin;
    /* requests that arrived before a failed cell's reply, to abort */
    wire_msg *held;
    size_t n_held, cap_held;
    /* batched stream text */
    char stream_name[8];
    char *buf;
    size_t len, cap;
    double buf_since;
} kernel;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- publishing ------------------------------------------------------- */

static void publish(kernel *k, const char *type, json_t *parent,
                    json_t *content)
{
    wire_blob topic = {(unsigned char *)type, strlen(type)};
    if (!content || wire_send(k->s, k->iopub, &topic, 1, type, parent, NULL,
                              content) < 0)
        fprintf(stderr, "cnn-kernel: cannot publish %s\n", type);
    json_decref(content);
}

static void stream_flush(kernel *k)
{
    if (k->len == 0)
        return;
    json_t *text = json_stringn(k->buf, k->len);
    if (!text)
        text = json_string("(output dropped: not valid UTF-8)\n");
    publish(k, "stream", k->req ? k->req->header : NULL,
            json_pack("{s:s, s:o}", "name", k->stream_name, "text", text));
    k->len = 0;
}

static void out_stream(void *ctx, const char *name, const char *text)
{
    kernel *k = ctx;
    size_t n = strlen(text);
    if (strcmp(name, "stderr") != 0)
        name = "stdout";
    if (k->len && strcmp(name, k->stream_name) != 0)
        stream_flush(k);
    if (k->len + n + 1 > k->cap) {
        size_t cap = k->cap ? k->cap : 4096;
        while (cap < k->len + n + 1)
            cap *= 2;
        char *b = realloc(k->buf, cap);
        if (!b) {
            stream_flush(k);
            fprintf(stderr, "cnn-kernel: out of memory; output dropped\n");
            return;
        }
        k->buf = b;
        k->cap = cap;
    }
    if (k->len == 0) {
        strcpy(k->stream_name, name);
        k->buf_since = now_seconds();
    }
    memcpy(k->buf + k->len, text, n);
    k->len += n;
    if (k->len >= STREAM_FLUSH_BYTES ||
        now_seconds() - k->buf_since >= STREAM_FLUSH_SECONDS)
        stream_flush(k);
}

static void out_display(void *ctx, json_t *data, json_t *metadata,
                        const char *display_id, int update)
{
    kernel *k = ctx;
    stream_flush(k);
    json_t *c = json_pack("{s:O, s:o}", "data", data, "metadata",
                          metadata ? json_deep_copy(metadata) : json_object());
    if (c && display_id)
        json_object_set_new(c, "transient",
                            json_pack("{s:s}", "display_id", display_id));
    publish(k, update && display_id ? "update_display_data" : "display_data",
            k->req ? k->req->header : NULL, c);
}

static void out_clear(void *ctx, int wait)
{
    kernel *k = ctx;
    stream_flush(k);
    publish(k, "clear_output", k->req ? k->req->header : NULL,
            json_pack("{s:b}", "wait", wait));
}

static int out_interrupted(void *ctx)
{
    kernel *k = ctx;
    if (k->len && now_seconds() - k->buf_since >= STREAM_FLUSH_SECONDS)
        stream_flush(k);
    return atomic_load(&k->flags.interrupt) || atomic_load(&k->flags.shutdown);
}

static void drain_wakefd(kernel *k)
{
    uint64_t v;
    ssize_t r = read(k->flags.wakefd, &v, sizeof v);
    (void)r;
}

/* input(): an input_request on stdin routed to the shell request's sender,
 * then waits for input_reply, an interrupt or a shutdown. */
static char *out_input(void *ctx, const char *prompt, int password)
{
    kernel *k = ctx;
    if (!k->allow_stdin || !k->req)
        return NULL;
    stream_flush(k);
    json_t *c = json_pack("{s:s, s:b}", "prompt", prompt, "password", password);
    if (!c || wire_send(k->s, k->stdin_sock, k->req->idents, k->req->n_idents,
                        "input_request", k->req->header, NULL, c) < 0) {
        json_decref(c);
        return NULL;
    }
    json_decref(c);
    zmq_pollitem_t items[2] = {
        {k->stdin_sock, 0, ZMQ_POLLIN, 0},
        {NULL, k->flags.wakefd, ZMQ_POLLIN, 0},
    };
    while (!out_interrupted(k)) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (items[1].revents & ZMQ_POLLIN)
            drain_wakefd(k);
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        wire_msg m;
        char err[128];
        int rc;
        while ((rc = wire_recv(k->s, k->stdin_sock, &m, err, sizeof err)) != 1) {
            if (rc < 0) {
                fprintf(stderr, "cnn-kernel: stdin: dropped a message: %s\n",
                        err);
                if (errno == ETERM)
                    return NULL;
                continue;
            }
            const char *v = json_string_value(json_object_get(m.content,
                                                              "value"));
            char *line = NULL;
            if (strcmp(m.msg_type, "input_reply") == 0 && v)
                line = strdup(v);
            else
                fprintf(stderr, "cnn-kernel: stdin: ignored a %s\n", m.msg_type);
            wire_msg_free(&m);
            if (line)
                return line;
        }
    }
    return NULL;
}

/* ---- replies ---------------------------------------------------------- */

static void reply(kernel *k, wire_msg *req, const char *type, json_t *content)
{
    if (!content || wire_send(k->s, k->shell, req->idents, req->n_idents,
                              type, req->header, NULL, content) < 0)
        fprintf(stderr, "cnn-kernel: cannot send %s\n", type);
    json_decref(content);
}

/* The error reply to a request whose content lacks or mistypes a field. */
static void bad_request(kernel *k, wire_msg *req, const char *type,
                        const char *field, const char *want)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: content.%s must be %s", req->msg_type,
             field, want);
    fprintf(stderr, "cnn-kernel: %s\n", msg);
    reply(k, req, type, json_pack("{s:s, s:s, s:s, s:[]}", "status", "error",
                                  "ename", "BadRequest", "evalue", msg,
                                  "traceback"));
}

/* Reads optional content fields; each returns 0, or -1 after answering
 * with bad_request. */
static int get_bool(kernel *k, wire_msg *req, const char *rtype,
                    const char *field, int dflt, int *out)
{
    json_t *v = json_object_get(req->content, field);
    *out = v ? json_is_true(v) : dflt;
    if (v && !json_is_boolean(v)) {
        bad_request(k, req, rtype, field, "true or false");
        return -1;
    }
    return 0;
}

static int get_int(kernel *k, wire_msg *req, const char *rtype,
                   const char *field, int dflt, int *out)
{
    json_t *v = json_object_get(req->content, field);
    if (v && !json_is_null(v) && !json_is_integer(v)) {
        bad_request(k, req, rtype, field, "an integer");
        return -1;
    }
    json_int_t i = json_is_integer(v) ? json_integer_value(v) : dflt;
    *out = i > INT32_MAX ? INT32_MAX : i < -INT32_MAX ? -INT32_MAX : (int)i;
    return 0;
}

static int get_str(kernel *k, wire_msg *req, const char *rtype,
                   const char *field, const char *dflt, const char **out)
{
    json_t *v = json_object_get(req->content, field);
    *out = v ? json_string_value(v) : dflt;
    if (!*out) {
        bad_request(k, req, rtype, field, "a string");
        return -1;
    }
    return 0;
}

static int count_code_points(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---- shell handlers --------------------------------------------------- */

static json_t *user_expressions(kernel *k, json_t *exprs)
{
    json_t *r = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(exprs, key, v) {
        const char *e = json_string_value(v);
        json_t *res = e ? k->lang->expression(k->lang->self, e)
                        : json_pack("{s:s, s:s, s:s, s:[]}", "status", "error",
                                    "ename", "BadRequest", "evalue",
                                    "user_expressions values must be strings",
                                    "traceback");
        if (res)
            json_object_set_new(r, key, res);
    }
    return r;
}

/* Takes every request already waiting on shell into k->held. Called when
 * a cell failed with stop_on_error, before its reply: what the client sent
 * before seeing the failure is aborted, what it sends after is not. */
static void hold_queued(kernel *k)
{
    for (;;) {
        wire_msg m;
        char err[128];
        int rc = wire_recv(k->s, k->shell, &m, err, sizeof err);
        if (rc == 1 || (rc < 0 && errno == ETERM))
            return;
        if (rc < 0) {
            fprintf(stderr, "cnn-kernel: shell: dropped a message: %s\n", err);
            continue;
        }
        if (k->n_held == k->cap_held) {
            size_t cap = k->cap_held ? 2 * k->cap_held : 8;
            wire_msg *h = realloc(k->held, cap * sizeof *h);
            if (!h) {
                fprintf(stderr, "cnn-kernel: out of memory: dropped a %s\n",
                        m.msg_type);
                wire_msg_free(&m);
                continue;
            }
            k->held = h;
            k->cap_held = cap;
        }
        k->held[k->n_held++] = m;
    }
}

/* Runs an execute_request. */
static void on_execute(kernel *k, wire_msg *req)
{
    const char *rt = "execute_reply", *code;
    int silent, store, allow_stdin, stop_on_error;
    json_t *exprs = json_object_get(req->content, "user_expressions");
    if (get_str(k, req, rt, "code", NULL, &code) < 0 ||
        get_bool(k, req, rt, "silent", 0, &silent) < 0 ||
        get_bool(k, req, rt, "store_history", 1, &store) < 0 ||
        get_bool(k, req, rt, "allow_stdin", 1, &allow_stdin) < 0 ||
        get_bool(k, req, rt, "stop_on_error", 1, &stop_on_error) < 0)
        return;
    if (exprs && !json_is_object(exprs) && !json_is_null(exprs)) {
        bad_request(k, req, rt, "user_expressions", "an object");
        return;
    }
    if (silent)
        store = 0;
    if (store)
        k->execution_count++;
    int count = k->execution_count;
    if (!silent)
        publish(k, "execute_input", req->header,
                json_pack("{s:s, s:i}", "code", code, "execution_count", count));

    atomic_store(&k->flags.interrupt, 0);
    k->req = req;
    k->allow_stdin = allow_stdin;
    interp_reply r = {0};
    k->lang->execute(k->lang->self, code, silent, &k->out, &r);
    stream_flush(k);

    json_t *content;
    const char *result_text = NULL;
    if (r.ok) {
        if (r.result && !silent)
            publish(k, "execute_result", req->header,
                    json_pack("{s:i, s:O, s:{}}", "execution_count", count,
                              "data", r.result, "metadata"));
        result_text = json_string_value(json_object_get(r.result, "text/plain"));
        content = json_pack("{s:s, s:i, s:o, s:o}", "status", "ok",
                            "execution_count", count, "payload",
                            r.payload ? json_incref(r.payload) : json_array(),
                            "user_expressions",
                            exprs ? user_expressions(k, exprs) : json_object());
    } else {
        json_t *tb = r.traceback ? json_incref(r.traceback) : json_array();
        const char *ename = r.ename ? r.ename : "Error";
        const char *evalue = r.evalue ? r.evalue : "";
        publish(k, "error", req->header,
                json_pack("{s:s, s:s, s:O}", "ename", ename, "evalue", evalue,
                          "traceback", tb));
        content = json_pack("{s:s, s:i, s:s, s:s, s:o, s:[], s:{}}", "status",
                            "error", "execution_count", count, "ename", ename,
                            "evalue", evalue, "traceback", tb, "payload",
                            "user_expressions");
    }
    if (store && history_add(k->hist, count, code, result_text) < 0)
        fprintf(stderr, "cnn-kernel: out of memory storing history\n");
    k->req = NULL;
    if (!r.ok && stop_on_error && !silent)
        hold_queued(k);
    reply(k, req, rt, content);
    json_decref(r.result);
    json_decref(r.payload);
    json_decref(r.traceback);
    free(r.ename);
    free(r.evalue);
}

static void on_complete(kernel *k, wire_msg *req)
{
    const char *code;
    int pos;
    if (get_str(k, req, "complete_reply", "code", NULL, &code) < 0 ||
        get_int(k, req, "complete_reply", "cursor_pos", count_code_points(code),
                &pos) < 0)
        return;
    json_t *c = k->lang->complete(k->lang->self, code, pos);
    if (c)
        json_object_set_new(c, "status", json_string("ok"));
    reply(k, req, "complete_reply", c);
}

static void on_inspect(kernel *k, wire_msg *req)
{
    const char *code;
    int pos, detail;
    if (get_str(k, req, "inspect_reply", "code", NULL, &code) < 0 ||
        get_int(k, req, "inspect_reply", "cursor_pos", count_code_points(code),
                &pos) < 0 ||
        get_int(k, req, "inspect_reply", "detail_level", 0, &detail) < 0)
        return;
    json_t *c = k->lang->inspect(k->lang->self, code, pos, detail);
    if (c)
        json_object_set_new(c, "status", json_string("ok"));
    reply(k, req, "inspect_reply", c);
}

static void on_is_complete(kernel *k, wire_msg *req)
{
    const char *code;
    if (get_str(k, req, "is_complete_reply", "code", NULL, &code) == 0)
        reply(k, req, "is_complete_reply",
              k->lang->is_complete(k->lang->self, code));
}

static void on_history(kernel *k, wire_msg *req)
{
    const char *rt = "history_reply", *type, *pattern;
    int output, raw, n, session, start, stop, unique;
    if (get_str(k, req, rt, "hist_access_type", "tail", &type) < 0 ||
        get_bool(k, req, rt, "output", 0, &output) < 0 ||
        get_bool(k, req, rt, "raw", 1, &raw) < 0 ||
        get_int(k, req, rt, "n", strcmp(type, "tail") ? 0 : 10, &n) < 0 ||
        get_int(k, req, rt, "session", 0, &session) < 0 ||
        get_int(k, req, rt, "start", 1, &start) < 0 ||
        get_int(k, req, rt, "stop", 0, &stop) < 0 ||
        get_bool(k, req, rt, "unique", 0, &unique) < 0 ||
        get_str(k, req, rt, "pattern", "*", &pattern) < 0)
        return;
    json_t *list;
    if (strcmp(type, "tail") == 0)
        list = history_tail(k->hist, n, output);
    else if (strcmp(type, "range") == 0)
        list = history_range(k->hist, session, start, stop, output);
    else if (strcmp(type, "search") == 0)
        list = history_search(k->hist, pattern, n, unique, output);
    else {
        bad_request(k, req, rt, "hist_access_type",
                    "\"tail\", \"range\" or \"search\"");
        return;
    }
    reply(k, req, rt, list ? json_pack("{s:s, s:o}", "status", "ok",
                                       "history", list) : NULL);
}

/* No comm targets exist: a comm_open is answered by closing the comm. */
static void on_comm_open(kernel *k, wire_msg *req)
{
    const char *id = json_string_value(json_object_get(req->content, "comm_id"));
    const char *target = json_string_value(json_object_get(req->content,
                                                           "target_name"));
    fprintf(stderr, "cnn-kernel: no comm target '%s'; closing the comm\n",
            target ? target : "");
    if (id)
        publish(k, "comm_close", req->header,
                json_pack("{s:s, s:{}}", "comm_id", id, "data"));
}

/* Greets a new iopub subscriber, as the messaging spec asks of kernels
 * whose iopub is an XPUB: iopub_welcome with the subscribed topic. Runs on
 * the iopub pump's thread, the owner of the socket (pump.h). */
static void welcome(void *session, void *xpub, const char *topic)
{
    json_t *content = json_pack("{s:s}", "subscription", topic);
    wire_blob t = {(unsigned char *)"iopub_welcome", 13};
    if (content)
        wire_send(session, xpub, &t, 1, "iopub_welcome", NULL, NULL, content);
    json_decref(content);
}

/* Handles one shell request between busy and idle. With `aborting` (it
 * was queued behind a failed cell), an execute request is answered
 * "aborted", as ipykernel does; other requests are answered as usual. */
static void handle_shell(kernel *k, wire_msg *m, int aborting)
{
    const char *t = m->msg_type;
    pump_wait_subscriber(k->iopub_pump, SUBSCRIBER_WAIT_MS);
    control_status(k->s, k->iopub, m->header, "busy");
    if (strcmp(t, "execute_request") == 0 && aborting)
        reply(k, m, "execute_reply", json_pack("{s:s}", "status", "aborted"));
    else if (strcmp(t, "execute_request") == 0)
        on_execute(k, m);
    else if (strcmp(t, "kernel_info_request") == 0)
        reply(k, m, "kernel_info_reply", json_deep_copy(k->kernel_info));
    else if (strcmp(t, "complete_request") == 0)
        on_complete(k, m);
    else if (strcmp(t, "inspect_request") == 0)
        on_inspect(k, m);
    else if (strcmp(t, "is_complete_request") == 0)
        on_is_complete(k, m);
    else if (strcmp(t, "history_request") == 0)
        on_history(k, m);
    else if (strcmp(t, "comm_info_request") == 0)
        reply(k, m, "comm_info_reply",
              json_pack("{s:s, s:{}}", "status", "ok", "comms"));
    else if (strcmp(t, "comm_open") == 0)
        on_comm_open(k, m);
    else if (strcmp(t, "shutdown_request") == 0) {
        int restart = json_is_true(json_object_get(m->content, "restart"));
        control_raise(&k->flags, 1);
        reply(k, m, "shutdown_reply",
              json_pack("{s:s, s:b}", "status", "ok", "restart", restart));
    } else
        fprintf(stderr, "cnn-kernel: shell: unknown message type '%s' "
                "ignored\n", t);
    control_status(k->s, k->iopub, m->header, "idle");
}

/* Reads and handles every message waiting on shell. Returns -1 when the
 * socket failed for good. */
static int serve_shell(kernel *k)
{
    while (!atomic_load(&k->flags.shutdown)) {
        wire_msg m;
        char err[128];
        int rc = wire_recv(k->s, k->shell, &m, err, sizeof err);
        if (rc == 1)
            return 0;
        if (rc < 0) {
            fprintf(stderr, "cnn-kernel: shell: dropped a message: %s\n", err);
            if (errno == ETERM)
                return -1;
            continue;
        }
        handle_shell(k, &m, 0);
        wire_msg_free(&m);
        for (size_t i = 0; i < k->n_held; i++) {
            handle_shell(k, &k->held[i], 1);
            wire_msg_free(&k->held[i]);
        }
        k->n_held = 0;
    }
    return 0;
}

/* ---- setup ------------------------------------------------------------ */

static kernel *the_kernel; /* for the signal handler */

static void on_signal(int sig)
{
    if (the_kernel)
        control_raise(&the_kernel->flags, sig != SIGINT);
}

static void *open_socket(kernel *k, int type, const conn_info *ci,
                         int channel, const char *inproc, char *err,
                         size_t errlen)
{
    char ep[512];
    void *sock = zmq_socket(k->zctx, type);
    int linger = channel == CONN_HB ? 0 : 1000, ipv6 = conn_is_ipv6(ci);
    int hwm = 0;
    if (!sock) {
        snprintf(err, errlen, "cannot create a socket: %s", zmq_strerror(errno));
        return NULL;
    }
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (inproc) {
        snprintf(ep, sizeof ep, "%s", inproc);
        if (type == ZMQ_PUSH || type == ZMQ_PULL) {
            zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
            zmq_setsockopt(sock, ZMQ_RCVHWM, &hwm, sizeof hwm);
        }
        if ((type == ZMQ_PULL ? zmq_bind(sock, ep) : zmq_connect(sock, ep)) == 0)
            return sock;
    } else {
        zmq_setsockopt(sock, ZMQ_IPV6, &ipv6, sizeof ipv6);
        if (conn_endpoint(ci, (conn_channel)channel, ep, sizeof ep) == 0 &&
            zmq_bind(sock, ep) == 0)
            return sock;
    }
    snprintf(err, errlen, "cannot bind %s: %s", ep, zmq_strerror(errno));
    zmq_close(sock);
    return NULL;
}

static json_t *make_kernel_info(const interp *lang)
{
    json_t *info = lang->kernel_info(lang->self);
    if (!info)
        return NULL;
    json_object_set_new(info, "status", json_string("ok"));
    json_object_set_new(info, "protocol_version",
                        json_string(WIRE_PROTOCOL_VERSION));
    return info;
}

static const char *user_name(void)
{
    const char *u = getenv("USER");
    struct passwd *pw;
    if (u && *u)
        return u;
    pw = getpwuid(getuid());
    return pw ? pw->pw_name : "username";
}

int kernel_run(const conn_info *ci, const interp *lang,
               const char *history_path, char *err, size_t errlen)
{
    kernel k = {.lang = lang, .flags.wakefd = -1};
    k.out = (interp_out){&k, out_stream, out_display, out_clear,
                         out_interrupted, out_input};
    void *pull = NULL, *pub = NULL, *hb = NULL, *ctl = NULL, *ctl_push = NULL;
    pump *iopub_pump = NULL, *hb_pump = NULL;
    control *ctrl = NULL;
    int rc = -1;
    char warn[512];

    k.zctx = zmq_ctx_new();
    k.flags.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    k.s = wire_session_new(ci->key, ci->key_len, user_name(), REPLAY_WINDOW,
                           err, errlen);
    k.hist = history_open(history_path, HISTORY_LIMIT, warn, sizeof warn);
    k.kernel_info = make_kernel_info(lang);
    if (!k.zctx || k.flags.wakefd < 0 || !k.s || !k.hist || !k.kernel_info) {
        if (k.s)
            snprintf(err, errlen, "cannot start: out of memory or files");
        goto out;
    }
    if (warn[0])
        fprintf(stderr, "cnn-kernel: %s\n", warn);

    int verbose = 1; /* pass every subscription up, to welcome each */
    if (!(pub = open_socket(&k, ZMQ_XPUB, ci, CONN_IOPUB, NULL, err, errlen)) ||
        zmq_setsockopt(pub, ZMQ_XPUB_VERBOSE, &verbose, sizeof verbose) < 0 ||
        !(pull = open_socket(&k, ZMQ_PULL, ci, -1, IOPUB_INPROC, err, errlen)) ||
        !(k.iopub_pump = iopub_pump = pump_start(pull, pub, welcome, k.s,
                                                 err, errlen)))
        goto out;
    pull = pub = NULL;
    if (!(hb = open_socket(&k, ZMQ_ROUTER, ci, CONN_HB, NULL, err, errlen)) ||
        !(hb_pump = pump_start(hb, hb, NULL, NULL, err, errlen)))
        goto out;
    hb = NULL;
    if (!(k.iopub = open_socket(&k, ZMQ_PUSH, ci, -1, IOPUB_INPROC, err, errlen)) ||
        !(k.shell = open_socket(&k, ZMQ_ROUTER, ci, CONN_SHELL, NULL, err, errlen)) ||
        !(k.stdin_sock = open_socket(&k, ZMQ_ROUTER, ci, CONN_STDIN, NULL, err, errlen)) ||
        !(ctl = open_socket(&k, ZMQ_ROUTER, ci, CONN_CONTROL, NULL, err, errlen)) ||
        !(ctl_push = open_socket(&k, ZMQ_PUSH, ci, -1, IOPUB_INPROC, err, errlen)) ||
        !(ctrl = control_start(ctl, ctl_push, k.s, k.kernel_info, &k.flags, err,
                               errlen)))
        goto out;
    ctl = ctl_push = NULL;

    the_kernel = &k;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    control_status(k.s, k.iopub, NULL, "starting");
    zmq_pollitem_t items[2] = {
        {k.shell, 0, ZMQ_POLLIN, 0},
        {NULL, k.flags.wakefd, ZMQ_POLLIN, 0},
    };
    while (!atomic_load(&k.flags.shutdown)) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cnn-kernel: shell: %s\n", zmq_strerror(errno));
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            drain_wakefd(&k);
        if ((items[0].revents & ZMQ_POLLIN) && serve_shell(&k) < 0)
            break;
    }
    rc = 0;

    sa.sa_handler = SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    the_kernel = NULL;
out:
    control_stop(ctrl);
    pump_stop(iopub_pump);
    pump_stop(hb_pump);
    void *socks[] = {pull, pub, hb, ctl, ctl_push, k.iopub, k.shell,
                     k.stdin_sock};
    for (size_t i = 0; i < sizeof socks / sizeof *socks; i++)
        if (socks[i])
            zmq_close(socks[i]);
    if (k.zctx)
        zmq_ctx_term(k.zctx);
    if (k.flags.wakefd >= 0)
        close(k.flags.wakefd);
    free(k.buf);
    free(k.held);
    json_decref(k.kernel_info);
    history_close(k.hist);
    wire_session_free(k.s);
    return rc;
}
