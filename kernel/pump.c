/* pump: forwarding thread. See pump.h. */
#include "pump.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

struct pump {
    void *in, *out;
    int stopfd;            /* eventfd: written once to stop the thread */
    pthread_t thread;
    atomic_int subscribed; /* out (an XPUB) has a subscriber */
    pump_greet_fn greet;   /* called on each subscription, or NULL */
    void *greet_ctx;
};

/* Reads the (un)subscriptions an XPUB `out` passes up: one frame each,
 * first byte 1 to subscribe (every one, with ZMQ_XPUB_VERBOSE), 0 when the
 * last subscriber of a topic left. Jupyter clients all subscribe to "". */
static void count_subscriptions(pump *p)
{
    zmq_msg_t m;
    zmq_msg_init(&m);
    while (zmq_msg_recv(&m, p->out, ZMQ_DONTWAIT) >= 0) {
        const char *b = zmq_msg_data(&m);
        size_t n = zmq_msg_size(&m);
        if (n > 0)
            atomic_store(&p->subscribed, b[0] == 1);
        if (n > 0 && b[0] == 1 && p->greet) {
            char topic[256];
            snprintf(topic, sizeof topic, "%.*s", (int)(n - 1), b + 1);
            p->greet(p->greet_ctx, p->out, topic);
        }
    }
    zmq_msg_close(&m);
}

/* Forwards one multipart message if one is waiting. Returns 1 when a
 * message moved, 0 when none was waiting, -1 when the socket failed. */
static int forward(pump *p)
{
    int more = 1, moved = 0;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, p->in, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            /* A multipart message arrives whole, so only the first part
             * can be missing. */
            return errno == EAGAIN || errno == EINTR ? moved : -1;
        }
        more = zmq_msg_more(&m);
        int rc;
        do
            rc = zmq_msg_send(&m, p->out, more ? ZMQ_SNDMORE : 0);
        while (rc < 0 && errno == EINTR);
        if (rc < 0)
            zmq_msg_close(&m);
        moved = 1;
    }
    return moved;
}

static void *forward_loop(void *arg)
{
    pump *p = arg;
    int type = 0;
    size_t len = sizeof type;
    int xpub = p->out != p->in
               && zmq_getsockopt(p->out, ZMQ_TYPE, &type, &len) == 0
               && type == ZMQ_XPUB;
    zmq_pollitem_t items[3] = {
        {p->in, 0, ZMQ_POLLIN, 0},
        {NULL, p->stopfd, ZMQ_POLLIN, 0},
        {p->out, 0, ZMQ_POLLIN, 0},
    };
    for (;;) {
        if (zmq_poll(items, xpub ? 3 : 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (items[0].revents & ZMQ_POLLIN)
            while (forward(p) > 0)
                ;
        if (items[1].revents & ZMQ_POLLIN)
            break;
        if (xpub && (items[2].revents & ZMQ_POLLIN))
            count_subscriptions(p);
    }
    while (forward(p) > 0)
        ;
    return NULL;
}

pump *pump_start(void *in, void *out, pump_greet_fn greet, void *greet_ctx,
                 char *err, size_t errlen)
{
    pump *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->in = in;
    p->out = out;
    p->greet = greet;
    p->greet_ctx = greet_ctx;
    p->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    /* Signals go to the thread that runs cells, not to the pump. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = p->stopfd < 0 ? -1
                           : pthread_create(&p->thread, NULL, forward_loop, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start a thread");
        if (p->stopfd >= 0)
            close(p->stopfd);
        free(p);
        return NULL;
    }
    return p;
}

void pump_stop(pump *p)
{
    if (!p)
        return;
    uint64_t one = 1;
    ssize_t w = write(p->stopfd, &one, sizeof one);
    (void)w;
    pthread_join(p->thread, NULL);
    zmq_close(p->in);
    if (p->out != p->in)
        zmq_close(p->out);
    close(p->stopfd);
    free(p);
}

int pump_wait_subscriber(pump *p, int timeout_ms)
{
    struct timespec tick = {0, 2 * 1000 * 1000};
    for (int waited = 0; !atomic_load(&p->subscribed); waited += 2) {
        if (waited >= timeout_ms)
            return 0;
        nanosleep(&tick, NULL);
    }
    return 1;
}
