/* server: sockets, threads, signals and the shell loop. See server.h.
 *
 * Design: the main thread owns the shell and stdin ROUTERs and runs cells,
 * so a cell's input() can wait on stdin without another thread. iopub
 * messages from the main and the control threads go through their own
 * inproc PUSH sockets to the iopub pump, the only user of the XPUB socket
 * (ZeroMQ sockets are not thread-safe). The control thread answers
 * interrupts and shutdowns while a cell runs and reaches the cell through
 * atomic flags only. Shell requests wait for a first iopub subscriber
 * (pump_wait_subscriber), so that the first cell of a client that
 * executes as soon as kernel_info is answered keeps its output. */
#include "server.h"

#include <assert.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include "control.h"
#include "history.h"
#include "pump.h"
#include "shell.h"
#include "wire.h"

#define IOPUB_INPROC "inproc://iopub"
/* Signatures remembered against replays (wire.h): between this many and
 * twice as many of the latest messages. */
#define REPLAY_WINDOW 4096
#define HISTORY_LIMIT 10000

typedef struct server {
    const conn_info *ci;
    void *zctx;
    wire_session *s;
    history *hist;
    json_t *kernel_info;
    control_flags flags;
    pump *iopub_pump, *hb_pump;
    control *ctrl;
    void *shell_sock, *stdin_sock, *iopub; /* iopub: this thread's PUSH */
    shell *sh;
    int bound[CONN_NCHANNELS]; /* channels bound here (ipc files to remove) */
} server;

static server *the_server; /* for the signal handler */

static void on_signal(int sig)
{
    if (the_server)
        control_raise(&the_server->flags, sig != SIGINT);
}

/* SIGINT and SIGTERM raise the control flags while `on`; SIGPIPE is
 * ignored for good. */
static void catch_signals(server *sv, int on)
{
    struct sigaction sa = {0};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    the_server = on ? sv : NULL;
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
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

/* A socket of `type` bound to channel `channel` of the connection, or
 * (channel < 0) bound or connected to the inproc endpoint `inproc`.
 * Returns NULL with a message in err. */
static void *open_socket(server *sv, int type, int channel, const char *inproc,
                         char *err, size_t errlen)
{
    char ep[512];
    void *sock = zmq_socket(sv->zctx, type);
    int linger = channel == CONN_HB ? 0 : 1000, ipv6 = conn_is_ipv6(sv->ci);
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
        if (conn_endpoint(sv->ci, (conn_channel)channel, ep, sizeof ep) == 0
            && zmq_bind(sock, ep) == 0) {
            sv->bound[channel] = 1;
            return sock;
        }
    }
    snprintf(err, errlen, "cannot bind %s: %s", ep, zmq_strerror(errno));
    zmq_close(sock);
    return NULL;
}

/* Binds every channel and starts the pumps and the control thread.
 * Returns 0, or -1 with a message in err (what started is in sv, for
 * stop_all). */
static int start_all(server *sv, char *err, size_t errlen)
{
    void *pull = NULL, *pub = NULL, *hb = NULL, *ctl = NULL, *ctl_push = NULL;
    int verbose = 1; /* pass every subscription up, to welcome each */
    int rc = -1;
    if (!(pub = open_socket(sv, ZMQ_XPUB, CONN_IOPUB, NULL, err, errlen))
        || zmq_setsockopt(pub, ZMQ_XPUB_VERBOSE, &verbose, sizeof verbose) < 0
        || !(pull = open_socket(sv, ZMQ_PULL, -1, IOPUB_INPROC, err, errlen))
        || !(sv->iopub_pump = pump_start(pull, pub, welcome, sv->s, err,
                                         errlen)))
        goto out;
    pull = pub = NULL;
    if (!(hb = open_socket(sv, ZMQ_ROUTER, CONN_HB, NULL, err, errlen))
        || !(sv->hb_pump = pump_start(hb, hb, NULL, NULL, err, errlen)))
        goto out;
    hb = NULL;
    if (!(sv->iopub = open_socket(sv, ZMQ_PUSH, -1, IOPUB_INPROC, err,
                                  errlen))
        || !(sv->shell_sock = open_socket(sv, ZMQ_ROUTER, CONN_SHELL, NULL,
                                          err, errlen))
        || !(sv->stdin_sock = open_socket(sv, ZMQ_ROUTER, CONN_STDIN, NULL,
                                          err, errlen))
        || !(ctl = open_socket(sv, ZMQ_ROUTER, CONN_CONTROL, NULL, err,
                               errlen))
        || !(ctl_push = open_socket(sv, ZMQ_PUSH, -1, IOPUB_INPROC, err,
                                    errlen))
        || !(sv->ctrl = control_start(ctl, ctl_push, sv->s, sv->kernel_info,
                                      &sv->flags, err, errlen)))
        goto out;
    ctl = ctl_push = NULL;
    rc = 0;
out:;
    void *socks[] = {pull, pub, hb, ctl, ctl_push};
    for (size_t i = 0; i < sizeof socks / sizeof *socks; i++)
        if (socks[i])
            zmq_close(socks[i]);
    return rc;
}

/* With the ipc transport, removes the socket files this kernel bound. */
static void remove_ipc_files(server *sv)
{
    if (strcmp(sv->ci->transport, "ipc") != 0)
        return;
    for (int c = 0; c < CONN_NCHANNELS; c++) {
        char ep[512];
        if (sv->bound[c] && conn_endpoint(sv->ci, (conn_channel)c, ep,
                                          sizeof ep) == 0)
            unlink(ep + strlen("ipc://"));
    }
}

/* Stops the threads, closes the sockets, frees everything. */
static void stop_all(server *sv)
{
    control_stop(sv->ctrl);
    pump_stop(sv->iopub_pump);
    pump_stop(sv->hb_pump);
    shell_free(sv->sh);
    void *socks[] = {sv->iopub, sv->shell_sock, sv->stdin_sock};
    for (size_t i = 0; i < sizeof socks / sizeof *socks; i++)
        if (socks[i])
            zmq_close(socks[i]);
    if (sv->zctx)
        zmq_ctx_term(sv->zctx);
    remove_ipc_files(sv);
    if (sv->flags.wakefd >= 0)
        close(sv->flags.wakefd);
    json_decref(sv->kernel_info);
    history_close(sv->hist);
    wire_session_free(sv->s);
}

/* Sleeps until a shell request or a wake-up, serves, until shutdown. */
static void serve(server *sv)
{
    zmq_pollitem_t items[2] = {
        {sv->shell_sock, 0, ZMQ_POLLIN, 0},
        {NULL, sv->flags.wakefd, ZMQ_POLLIN, 0},
    };
    while (!atomic_load(&sv->flags.shutdown)) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cnn-kernel: shell: %s\n", zmq_strerror(errno));
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            control_drain_wake(&sv->flags);
        if ((items[0].revents & ZMQ_POLLIN) && shell_serve(sv->sh) < 0)
            break;
    }
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

int server_run(const conn_info *ci, const interp *lang,
               const char *history_path, char *err, size_t errlen)
{
    assert(ci && lang && err);
    server sv = {.ci = ci, .flags.wakefd = -1};
    char warn[512];
    int rc = -1;

    sv.zctx = zmq_ctx_new();
    sv.flags.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    sv.s = wire_session_new(ci->key, ci->key_len, user_name(), REPLAY_WINDOW,
                            err, errlen);
    sv.hist = history_open(history_path, HISTORY_LIMIT, warn, sizeof warn);
    sv.kernel_info = make_kernel_info(lang);
    if (!sv.zctx || sv.flags.wakefd < 0 || !sv.s || !sv.hist
        || !sv.kernel_info) {
        if (sv.s)
            snprintf(err, errlen, "cannot start: out of memory or files");
        goto out;
    }
    if (warn[0])
        fprintf(stderr, "cnn-kernel: %s\n", warn);
    if (start_all(&sv, err, errlen) < 0)
        goto out;
    shell_env env = {sv.s, sv.shell_sock, sv.stdin_sock, sv.iopub,
                     sv.iopub_pump, lang, sv.hist, &sv.flags, sv.kernel_info};
    if (!(sv.sh = shell_new(&env))) {
        snprintf(err, errlen, "cannot start: out of memory");
        goto out;
    }
    catch_signals(&sv, 1);
    control_status(sv.s, sv.iopub, NULL, "starting");
    serve(&sv);
    catch_signals(&sv, 0);
    rc = 0;
out:
    stop_all(&sv);
    return rc;
}
