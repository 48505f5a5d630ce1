/* shell: shell requests and their dispatch table. See shell.h. */
#include "shell.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "output.h"
#include "utf8.h"

/* How long a shell request waits for a first iopub subscriber (pump.h). */
#define SUBSCRIBER_WAIT_MS 2000
/* The requests queued behind a failed cell that are read at once and
 * aborted: at most this many, of at most this many bytes in all. */
#define HOLD_MAX 256
#define HOLD_BYTES (16u << 20)

struct shell {
    shell_env env;
    output out;
    interp_out sink;        /* output_interp(&out) */
    int execution_count;
    wire_msg *held;         /* the queue behind a failed cell, HOLD_MAX */
    size_t n_held;
    int held_more;          /* more than the bound was waiting */
    int aborting;           /* answering the queue behind a failed cell */
};

/* ---- replies ---------------------------------------------------------- */

static void reply(shell *sh, wire_msg *req, const char *type, json_t *content)
{
    if (!content || wire_send(sh->env.s, sh->env.router, req->idents,
                              req->n_idents, type, req->header, NULL,
                              content) < 0)
        fprintf(stderr, "cnn-kernel: cannot send %s\n", type);
    json_decref(content);
}

/* The error reply to a request that cannot be served as sent. */
static void reply_error(shell *sh, wire_msg *req, const char *type,
                        const char *msg)
{
    fprintf(stderr, "cnn-kernel: %s\n", msg);
    reply(sh, req, type, json_pack("{s:s, s:s, s:s, s:[]}", "status", "error",
                                   "ename", "BadRequest", "evalue", msg,
                                   "traceback"));
}

/* The error reply to a request whose content lacks or mistypes a field. */
static void bad_request(shell *sh, wire_msg *req, const char *type,
                        const char *field, const char *want)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: content.%s must be %s", req->msg_type,
             field, want);
    reply_error(sh, req, type, msg);
}

/* Reads optional content fields; each returns 0, or -1 after answering
 * with bad_request. */
static int get_bool(shell *sh, wire_msg *req, const char *rtype,
                    const char *field, int dflt, int *out)
{
    json_t *v = json_object_get(req->content, field);
    *out = v ? json_is_true(v) : dflt;
    if (v && !json_is_boolean(v)) {
        bad_request(sh, req, rtype, field, "true or false");
        return -1;
    }
    return 0;
}

static int get_int(shell *sh, wire_msg *req, const char *rtype,
                   const char *field, int dflt, int *out)
{
    json_t *v = json_object_get(req->content, field);
    if (v && !json_is_null(v) && !json_is_integer(v)) {
        bad_request(sh, req, rtype, field, "an integer");
        return -1;
    }
    json_int_t i = json_is_integer(v) ? json_integer_value(v) : dflt;
    *out = i > INT32_MAX ? INT32_MAX : i < -INT32_MAX ? -INT32_MAX : (int)i;
    return 0;
}

static int get_str(shell *sh, wire_msg *req, const char *rtype,
                   const char *field, const char *dflt, const char **out)
{
    json_t *v = json_object_get(req->content, field);
    *out = v ? json_string_value(v) : dflt;
    if (!*out) {
        bad_request(sh, req, rtype, field, "a string");
        return -1;
    }
    return 0;
}

/* The cursor at the end of code, in code points as the protocol counts. */
static int end_of(const char *code)
{
    size_t n = strlen(code);
    return utf8_count(code, n > INT_MAX ? INT_MAX : (int)n);
}

/* ---- execute ---------------------------------------------------------- */

static json_t *user_expressions(shell *sh, json_t *exprs)
{
    const interp *lang = sh->env.lang;
    json_t *r = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(exprs, key, v) {
        const char *e = json_string_value(v);
        json_t *res = e ? lang->expression(lang->self, e)
                        : json_pack("{s:s, s:s, s:s, s:[]}", "status", "error",
                                    "ename", "BadRequest", "evalue",
                                    "user_expressions values must be strings",
                                    "traceback");
        if (res && r)
            json_object_set_new(r, key, res);
        else
            json_decref(res);
    }
    return r;
}

/* execute_reply content (and the execute_result or error on iopub) for
 * the cell's reply r. */
static json_t *execute_outcome(shell *sh, wire_msg *req, const interp_reply *r,
                               int count, int silent, json_t *exprs)
{
    if (r->ok) {
        if (r->result && !silent)
            output_publish(&sh->out, "execute_result", req->header,
                           json_pack("{s:i, s:O, s:{}}", "execution_count",
                                     count, "data", r->result, "metadata"));
        return json_pack("{s:s, s:i, s:o, s:o}", "status", "ok",
                         "execution_count", count, "payload",
                         r->payload ? json_incref(r->payload) : json_array(),
                         "user_expressions",
                         exprs ? user_expressions(sh, exprs) : json_object());
    }
    json_t *tb = r->traceback ? json_incref(r->traceback) : json_array();
    /* interp.h: an error without ename or evalue ran out of memory */
    const char *ename = r->ename ? r->ename : "MemoryError";
    const char *evalue = r->evalue ? r->evalue : "out of memory";
    output_publish(&sh->out, "error", req->header,
                   json_pack("{s:s, s:s, s:O}", "ename", ename, "evalue",
                             evalue, "traceback", tb));
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:[], s:{}}", "status",
                     "error", "execution_count", count, "ename", ename,
                     "evalue", evalue, "traceback", tb, "payload",
                     "user_expressions");
}

/* Reads the requests already waiting behind a cell that failed under
 * stop_on_error, before its reply, so that what the client sent before it
 * saw the failure is aborted and what it sends after runs. At most
 * HOLD_MAX requests of HOLD_BYTES in all are held, so neither memory nor
 * the failed cell's reply waits on a sender that does not stop; past the
 * bound, held_more says that the rest is aborted as read. */
static void hold_queue(shell *sh)
{
    size_t bytes = 0;
    if (!sh->held)
        sh->held = calloc(HOLD_MAX, sizeof *sh->held);
    sh->held_more = !sh->held;
    while (sh->held && sh->n_held < HOLD_MAX && bytes < HOLD_BYTES) {
        char err[128];
        wire_msg *m = &sh->held[sh->n_held];
        int rc = wire_recv(sh->env.s, sh->env.router, m, err, sizeof err);
        if (rc == 1 || (rc < 0 && errno == ETERM))
            return;
        if (rc < 0) {
            fprintf(stderr, "cnn-kernel: shell: dropped a message: %s\n", err);
            continue;
        }
        bytes += m->size;
        sh->n_held++;
    }
    sh->held_more = 1;
}

static void on_execute(shell *sh, wire_msg *req)
{
    const char *rt = "execute_reply", *code;
    int silent, store, allow_stdin, stop_on_error;
    json_t *exprs = json_object_get(req->content, "user_expressions");
    if (sh->aborting) {
        reply(sh, req, rt, json_pack("{s:s}", "status", "aborted"));
        return;
    }
    if (get_str(sh, req, rt, "code", NULL, &code) < 0
        || get_bool(sh, req, rt, "silent", 0, &silent) < 0
        || get_bool(sh, req, rt, "store_history", 1, &store) < 0
        || get_bool(sh, req, rt, "allow_stdin", 1, &allow_stdin) < 0
        || get_bool(sh, req, rt, "stop_on_error", 1, &stop_on_error) < 0)
        return;
    if (exprs && !json_is_object(exprs) && !json_is_null(exprs)) {
        bad_request(sh, req, rt, "user_expressions", "an object");
        return;
    }
    if (silent)
        store = 0;
    if (store)
        sh->execution_count++;
    int count = sh->execution_count;
    if (!silent)
        output_publish(&sh->out, "execute_input", req->header,
                       json_pack("{s:s, s:i}", "code", code,
                                 "execution_count", count));

    atomic_store(&sh->env.flags->interrupt, 0);
    output_begin(&sh->out, req, allow_stdin);
    interp_reply r = {0};
    sh->env.lang->execute(sh->env.lang->self, code, silent, &sh->sink, &r);
    output_end(&sh->out);

    json_t *content = execute_outcome(sh, req, &r, count, silent, exprs);
    const char *result_text =
        r.ok ? json_string_value(json_object_get(r.result, "text/plain")) : NULL;
    if (store && history_add(sh->env.hist, count, code, result_text) < 0)
        fprintf(stderr, "cnn-kernel: out of memory storing history\n");
    /* What the client sent before it saw the failure is aborted. */
    if (!r.ok && stop_on_error && !silent)
        hold_queue(sh);
    reply(sh, req, rt, content);
    json_decref(r.result);
    json_decref(r.payload);
    json_decref(r.traceback);
    free(r.ename);
    free(r.evalue);
}

/* ---- introspection ---------------------------------------------------- */

static void on_complete(shell *sh, wire_msg *req)
{
    const char *code;
    int pos;
    const char *rt = "complete_reply";
    if (get_str(sh, req, rt, "code", NULL, &code) < 0
        || get_int(sh, req, rt, "cursor_pos", end_of(code), &pos) < 0)
        return;
    json_t *c = sh->env.lang->complete(sh->env.lang->self, code, pos);
    if (c)
        json_object_set_new(c, "status", json_string("ok"));
    reply(sh, req, "complete_reply", c);
}

static void on_inspect(shell *sh, wire_msg *req)
{
    const char *code;
    int pos, detail;
    const char *rt = "inspect_reply";
    if (get_str(sh, req, rt, "code", NULL, &code) < 0
        || get_int(sh, req, rt, "cursor_pos", end_of(code), &pos) < 0
        || get_int(sh, req, rt, "detail_level", 0, &detail) < 0)
        return;
    json_t *c = sh->env.lang->inspect(sh->env.lang->self, code, pos, detail);
    if (c)
        json_object_set_new(c, "status", json_string("ok"));
    reply(sh, req, "inspect_reply", c);
}

static void on_is_complete(shell *sh, wire_msg *req)
{
    const char *code;
    if (get_str(sh, req, "is_complete_reply", "code", NULL, &code) == 0)
        reply(sh, req, "is_complete_reply",
              sh->env.lang->is_complete(sh->env.lang->self, code));
}

static void on_history(shell *sh, wire_msg *req)
{
    const char *rt = "history_reply", *type, *pattern;
    int with_output, raw, n, session, start, stop, unique;
    if (get_str(sh, req, rt, "hist_access_type", "tail", &type) < 0
        || get_bool(sh, req, rt, "output", 0, &with_output) < 0
        || get_bool(sh, req, rt, "raw", 1, &raw) < 0
        || get_int(sh, req, rt, "n", strcmp(type, "tail") ? 0 : 10, &n) < 0
        || get_int(sh, req, rt, "session", 0, &session) < 0
        || get_int(sh, req, rt, "start", 1, &start) < 0
        || get_int(sh, req, rt, "stop", 0, &stop) < 0
        || get_bool(sh, req, rt, "unique", 0, &unique) < 0
        || get_str(sh, req, rt, "pattern", "*", &pattern) < 0)
        return;
    history *h = sh->env.hist;
    json_t *list;
    if (strcmp(type, "tail") == 0)
        list = history_tail(h, n, with_output);
    else if (strcmp(type, "range") == 0)
        list = history_range(h, session, start, stop, with_output);
    else if (strcmp(type, "search") == 0)
        list = history_search(h, pattern, n, unique, with_output);
    else {
        bad_request(sh, req, rt, "hist_access_type",
                    "\"tail\", \"range\" or \"search\"");
        return;
    }
    reply(sh, req, rt, list ? json_pack("{s:s, s:o}", "status", "ok",
                                        "history", list) : NULL);
}

/* ---- the rest --------------------------------------------------------- */

static void on_kernel_info(shell *sh, wire_msg *req)
{
    reply(sh, req, "kernel_info_reply",
          json_deep_copy(sh->env.kernel_info));
}

static void on_comm_info(shell *sh, wire_msg *req)
{
    reply(sh, req, "comm_info_reply",
          json_pack("{s:s, s:{}}", "status", "ok", "comms"));
}

/* No comm targets exist: a comm_open is answered by closing the comm,
 * quietly (frontends open comms such as jupyter.widget.version on every
 * notebook; a line on the server's terminal each time reads as a fault). */
static void on_comm_open(shell *sh, wire_msg *req)
{
    const char *id = json_string_value(json_object_get(req->content, "comm_id"));
    if (id)
        output_publish(&sh->out, "comm_close", req->header,
                       json_pack("{s:s, s:{}}", "comm_id", id, "data"));
}

static void on_shutdown(shell *sh, wire_msg *req)
{
    int restart = json_is_true(json_object_get(req->content, "restart"));
    control_raise(sh->env.flags, 1);
    reply(sh, req, "shutdown_reply",
          json_pack("{s:s, s:b}", "status", "ok", "restart", restart));
}

static const shell_route routes[] = {
    {"execute_request", "execute_reply", on_execute},
    {"complete_request", "complete_reply", on_complete},
    {"inspect_request", "inspect_reply", on_inspect},
    {"is_complete_request", "is_complete_reply", on_is_complete},
    {"history_request", "history_reply", on_history},
    {"kernel_info_request", "kernel_info_reply", on_kernel_info},
    {"comm_info_request", "comm_info_reply", on_comm_info},
    {"comm_open", NULL, on_comm_open},
    {"shutdown_request", "shutdown_reply", on_shutdown},
};

const shell_route *shell_route_find(const char *msg_type)
{
    assert(msg_type);
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(routes[i].request, msg_type) == 0)
            return &routes[i];
    return NULL;
}

/* ---- serving ---------------------------------------------------------- */

/* Answers one request between busy and idle. */
static void dispatch(shell *sh, wire_msg *m)
{
    const shell_route *r = shell_route_find(m->msg_type);
    if (sh->env.iopub_pump)
        pump_wait_subscriber(sh->env.iopub_pump, SUBSCRIBER_WAIT_MS);
    control_status(sh->env.s, sh->env.iopub, m->header, "busy");
    if (!r) {
        fprintf(stderr, "cnn-kernel: shell: unknown message type '%s' "
                "ignored\n", m->msg_type);
    } else if (m->content_error) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: %s", m->msg_type, m->content_error);
        if (r->reply)
            reply_error(sh, m, r->reply, msg);
        else
            fprintf(stderr, "cnn-kernel: %s; ignored\n", msg);
    } else {
        r->handle(sh, m);
    }
    control_status(sh->env.s, sh->env.iopub, m->header, "idle");
}

/* Answers the held requests (execute requests with "aborted"), then, if
 * more than the bound was waiting, goes on aborting executes one at a
 * time as read until the queue is empty (shell_serve). */
static void abort_held(shell *sh)
{
    sh->aborting = 1;
    for (size_t i = 0; i < sh->n_held; i++) {
        dispatch(sh, &sh->held[i]);
        wire_msg_free(&sh->held[i]);
    }
    sh->n_held = 0;
    sh->aborting = sh->held_more;
    sh->held_more = 0;
}

int shell_serve(shell *sh)
{
    assert(sh);
    while (!atomic_load(&sh->env.flags->shutdown)) {
        wire_msg m;
        char err[128];
        int rc = wire_recv(sh->env.s, sh->env.router, &m, err, sizeof err);
        if (rc == 1)
            break;
        if (rc < 0) {
            fprintf(stderr, "cnn-kernel: shell: dropped a message: %s\n", err);
            if (errno == ETERM)
                return -1;
            continue;
        }
        dispatch(sh, &m);
        wire_msg_free(&m);
        if (sh->n_held || sh->held_more)
            abort_held(sh);
    }
    /* The queue behind a failed cell is empty: later requests run. */
    sh->aborting = 0;
    return 0;
}

shell *shell_new(const shell_env *env)
{
    assert(env && env->s && env->router && env->stdin_sock && env->iopub
           && env->lang && env->hist && env->flags && env->kernel_info);
    shell *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->env = *env;
    output_init(&sh->out, env->s, env->iopub, env->stdin_sock, env->flags);
    sh->sink = output_interp(&sh->out);
    return sh;
}

void shell_free(shell *sh)
{
    if (!sh)
        return;
    output_free(&sh->out);
    for (size_t i = 0; i < sh->n_held; i++)
        wire_msg_free(&sh->held[i]);
    free(sh->held);
    free(sh);
}
