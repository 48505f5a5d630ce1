/* shell: every shell request the kernel answers gets its reply type
 * between busy and idle; bad text gets an error reply; a failed cell's
 * queue is aborted. Runs the shell on inproc sockets with a fake
 * interpreter. */
#include <check.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include "check_main.h"
#include "history.h"
#include "shell.h"
#include "wire.h"

/* ---- a fake interpreter: "fail" fails, anything else prints "hi" ------ */

static json_t *fake_info(void *self)
{
    (void)self;
    return json_pack("{s:s, s:s}", "status", "ok", "implementation", "fake");
}

static void fake_execute(void *self, const char *code, int silent,
                         const interp_out *out, interp_reply *r)
{
    (void)self;
    (void)silent;
    if (strstr(code, "fail")) {
        r->ename = strdup("Boom");
        r->evalue = strdup("it failed");
        return;
    }
    out->stream(out->ctx, "stdout", "hi\n");
    r->ok = 1;
}

static json_t *fake_expression(void *self, const char *e)
{
    (void)self;
    (void)e;
    return json_pack("{s:s}", "status", "ok");
}

static json_t *fake_complete(void *self, const char *code, int pos)
{
    (void)self;
    (void)code;
    return json_pack("{s:[], s:i, s:i, s:{}}", "matches", "cursor_start", pos,
                     "cursor_end", pos, "metadata");
}

static json_t *fake_inspect(void *self, const char *code, int pos, int d)
{
    (void)self;
    (void)code;
    (void)pos;
    (void)d;
    return json_pack("{s:b, s:{}, s:{}}", "found", 0, "data", "metadata");
}

static json_t *fake_is_complete(void *self, const char *code)
{
    (void)self;
    (void)code;
    return json_pack("{s:s}", "status", "complete");
}

static const interp fake = {NULL, fake_info, fake_execute, fake_expression,
                            fake_complete, fake_inspect, fake_is_complete,
                            NULL};

/* ---- the fixture: a shell on inproc sockets, a DEALER client ----------- */

static void *ctx, *router, *client, *stdin_sock, *push, *pull;
static wire_session *s;
static history *hist;
static control_flags flags;
static json_t *info;
static shell *sh;

static void setup(void)
{
    char err[128];
    ctx = zmq_ctx_new();
    router = zmq_socket(ctx, ZMQ_ROUTER);
    client = zmq_socket(ctx, ZMQ_DEALER);
    stdin_sock = zmq_socket(ctx, ZMQ_ROUTER);
    pull = zmq_socket(ctx, ZMQ_PULL);
    push = zmq_socket(ctx, ZMQ_PUSH);
    ck_assert_int_eq(zmq_bind(router, "inproc://shell"), 0);
    ck_assert_int_eq(zmq_connect(client, "inproc://shell"), 0);
    ck_assert_int_eq(zmq_bind(stdin_sock, "inproc://stdin"), 0);
    ck_assert_int_eq(zmq_bind(pull, "inproc://iopub"), 0);
    ck_assert_int_eq(zmq_connect(push, "inproc://iopub"), 0);
    s = wire_session_new(NULL, 0, "test", 64, err, sizeof err);
    hist = history_open(NULL, 100, err, sizeof err);
    flags.wakefd = eventfd(0, EFD_NONBLOCK);
    atomic_store(&flags.shutdown, 0);
    atomic_store(&flags.interrupt, 0);
    info = fake_info(NULL);
    ck_assert(s && hist && flags.wakefd >= 0 && info);
    shell_env env = {s, router, stdin_sock, push, NULL, &fake, hist, &flags,
                     info};
    sh = shell_new(&env);
    ck_assert_ptr_nonnull(sh);
}

static void teardown(void)
{
    shell_free(sh);
    void *socks[] = {router, client, stdin_sock, pull, push};
    for (int i = 0; i < 5; i++) {
        int zero = 0;
        zmq_setsockopt(socks[i], ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(socks[i]);
    }
    zmq_ctx_term(ctx);
    json_decref(info);
    history_close(hist);
    wire_session_free(s);
    close(flags.wakefd);
}

/* Sends frames as the client: delimiter, no signature, four parts. */
static void send_raw(const char *type, const char *content)
{
    json_t *h = wire_header(s, type);
    char *ht = json_dumps(h, JSON_COMPACT);
    const char *parts[] = {WIRE_DELIM, "", ht, "{}", "{}", content};
    for (int i = 0; i < 6; i++)
        ck_assert_int_ge(zmq_send(client, parts[i], strlen(parts[i]),
                                  i < 5 ? ZMQ_SNDMORE : 0), 0);
    free(ht);
    json_decref(h);
}

static void send_req(const char *type, json_t *content)
{
    char *text = json_dumps(content, JSON_COMPACT);
    send_raw(type, text);
    free(text);
    json_decref(content);
}

/* The next reply on the client, or 0 when none comes within a second. */
static int next_reply(wire_msg *m)
{
    char err[128];
    zmq_pollitem_t it = {client, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, 1000) <= 0)
        return 0;
    ck_assert_int_eq(wire_recv(s, client, m, err, sizeof err), 0);
    return 1;
}

static const char *status_of(const wire_msg *m)
{
    return json_string_value(json_object_get(m->content, "status"));
}

/* The msg_types published on iopub so far, joined by spaces. */
static void iopub_types(char *buf, size_t len)
{
    char err[128];
    wire_msg m;
    buf[0] = 0;
    while (wire_recv(s, pull, &m, err, sizeof err) == 0) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", n ? " " : "", m.msg_type);
        if (strcmp(m.msg_type, "status") == 0) {
            n = strlen(buf);
            snprintf(buf + n, len - n, ":%s", json_string_value(
                         json_object_get(m.content, "execution_state")));
        }
        wire_msg_free(&m);
    }
}

START_TEST(every_request_maps_to_its_reply)
{
    static const char *const pairs[][2] = {
        {"execute_request", "execute_reply"},
        {"complete_request", "complete_reply"},
        {"inspect_request", "inspect_reply"},
        {"is_complete_request", "is_complete_reply"},
        {"history_request", "history_reply"},
        {"kernel_info_request", "kernel_info_reply"},
        {"comm_info_request", "comm_info_reply"},
        {"shutdown_request", "shutdown_reply"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        const shell_route *r = shell_route_find(pairs[i][0]);
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->reply, pairs[i][1]);
        send_req(pairs[i][0], json_pack("{s:s}", "code", "x"));
        ck_assert_int_eq(shell_serve(sh), 0);
        wire_msg m;
        ck_assert_msg(next_reply(&m), "no reply to %s", pairs[i][0]);
        ck_assert_str_eq(m.msg_type, pairs[i][1]);
        /* is_complete's status is its answer */
        ck_assert_str_eq(status_of(&m), i == 3 ? "complete" : "ok");
        wire_msg_free(&m);
        char types[512];
        iopub_types(types, sizeof types);
        ck_assert_msg(strncmp(types, "status:busy", 11) == 0
                      && strstr(types, "status:idle"), "%s: %s", pairs[i][0],
                      types);
        atomic_store(&flags.shutdown, 0);
    }
    /* comm_open: no reply, the comm is closed on iopub */
    ck_assert_ptr_null(shell_route_find("comm_open")->reply);
    send_req("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c1",
                                    "target_name", "t", "data"));
    shell_serve(sh);
    wire_msg m;
    ck_assert_int_eq(next_reply(&m), 0);
    char types[512];
    iopub_types(types, sizeof types);
    ck_assert_str_eq(types, "status:busy comm_close status:idle");
    /* unknown types and control-only types: ignored, no reply */
    ck_assert_ptr_null(shell_route_find("frobnicate_request"));
    ck_assert_ptr_null(shell_route_find("interrupt_request"));
    send_req("frobnicate_request", json_object());
    shell_serve(sh);
    ck_assert_int_eq(next_reply(&m), 0);
}
END_TEST

START_TEST(bad_text_gets_an_error_reply)
{
    const char *bad[] = {"{\"code\": \"\xff\xfe\"}",
                         "{\"code\": \"a\\ud800b\"}",
                         "{\"code\": \"\\udc00\"}",
                         "{\"code\": \"\xed\xa0\x80\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        send_raw(i % 2 ? "complete_request" : "execute_request", bad[i]);
        shell_serve(sh);
        wire_msg m;
        ck_assert_msg(next_reply(&m), "no reply to %s", bad[i]);
        ck_assert_str_eq(status_of(&m), "error");
        ck_assert_str_eq(json_string_value(json_object_get(m.content, "ename")),
                         "BadRequest");
        ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
                                  m.content, "evalue")), "not valid text"));
        wire_msg_free(&m);
    }
    /* the pair of a surrogate is fine */
    send_raw("execute_request", "{\"code\": \"\\ud83d\\ude00\"}");
    shell_serve(sh);
    wire_msg m;
    ck_assert(next_reply(&m));
    ck_assert_str_eq(status_of(&m), "ok");
    wire_msg_free(&m);
}
END_TEST

/* 300 queued requests: more than the shell holds at once (256), so the
 * rest is aborted as read; every one is answered, in order. */
START_TEST(a_failed_cell_aborts_its_queue_then_runs_again)
{
    send_req("execute_request", json_pack("{s:s}", "code", "fail"));
    for (int i = 0; i < 300; i++)
        send_req("execute_request", json_pack("{s:s}", "code", "x"));
    send_req("kernel_info_request", json_object());
    shell_serve(sh);
    wire_msg m;
    ck_assert(next_reply(&m));
    ck_assert_str_eq(status_of(&m), "error");
    wire_msg_free(&m);
    for (int i = 0; i < 300; i++) {
        ck_assert(next_reply(&m));
        ck_assert_str_eq(m.msg_type, "execute_reply");
        ck_assert_str_eq(status_of(&m), "aborted");
        wire_msg_free(&m);
    }
    /* other requests are answered as usual */
    ck_assert(next_reply(&m));
    ck_assert_str_eq(m.msg_type, "kernel_info_reply");
    ck_assert_str_eq(status_of(&m), "ok");
    wire_msg_free(&m);
    /* what comes after the queue ran dry runs */
    send_req("execute_request", json_pack("{s:s}", "code", "x"));
    shell_serve(sh);
    ck_assert(next_reply(&m));
    ck_assert_str_eq(status_of(&m), "ok");
    wire_msg_free(&m);
    /* stop_on_error false: the queue goes on */
    send_req("execute_request", json_pack("{s:s, s:b}", "code", "fail",
                                          "stop_on_error", 0));
    send_req("execute_request", json_pack("{s:s}", "code", "x"));
    shell_serve(sh);
    ck_assert(next_reply(&m));
    ck_assert_str_eq(status_of(&m), "error");
    wire_msg_free(&m);
    ck_assert(next_reply(&m));
    ck_assert_str_eq(status_of(&m), "ok");
    wire_msg_free(&m);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shell");
    TCase *tc = tcase_create("dispatch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_request_maps_to_its_reply);
    tcase_add_test(tc, bad_text_gets_an_error_reply);
    tcase_add_test(tc, a_failed_cell_aborts_its_queue_then_runs_again);
    suite_add_tcase(su, tc);
    return check_main_run(su);
}
