/* control: the control channel thread. See control.h. */
#include "control.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include "resource.h"

struct control {
    void *router, *iopub;
    wire_session *s;
    json_t *kernel_info;
    control_flags *flags;
    resource_meter meter;
    int stopfd;
    pthread_t thread;
};

void control_raise(control_flags *f, int shutdown)
{
    if (shutdown)
        atomic_store(&f->shutdown, 1);
    atomic_store(&f->interrupt, 1);
    uint64_t one = 1;
    ssize_t w = write(f->wakefd, &one, sizeof one);
    (void)w;
}

void control_drain_wake(control_flags *f)
{
    uint64_t v;
    ssize_t r = read(f->wakefd, &v, sizeof v);
    (void)r;
}

int control_status(wire_session *s, void *iopub, json_t *parent,
                   const char *state)
{
    json_t *content = json_pack("{s:s}", "execution_state", state);
    wire_blob topic = {(unsigned char *)"status", 6};
    int rc = content ? wire_send(s, iopub, &topic, 1, "status", parent, NULL,
                                 content)
                     : -1;
    json_decref(content);
    return rc;
}

static void reply(control *c, wire_msg *req, const char *type, json_t *content)
{
    if (!content || wire_send(c->s, c->router, req->idents, req->n_idents,
                              type, req->header, NULL, content) < 0)
        fprintf(stderr, "cnn-kernel: control: cannot send %s\n", type);
    json_decref(content);
}

/* Answers one request. Returns 1 after shutdown_request, else 0. */
static int answer(control *c, wire_msg *req)
{
    const char *t = req->msg_type;
    int done = 0;
    control_status(c->s, c->iopub, req->header, "busy");
    if (req->content_error) {
        /* Content that is not valid text: an error reply, as on shell. */
        static const char *const types[][2] = {
            {"kernel_info_request", "kernel_info_reply"},
            {"shutdown_request", "shutdown_reply"},
            {"interrupt_request", "interrupt_reply"},
            {"usage_request", "usage_reply"},
        };
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (strcmp(t, types[i][0]) == 0)
                reply(c, req, types[i][1],
                      json_pack("{s:s, s:s, s:s, s:[]}", "status", "error",
                                "ename", "BadRequest", "evalue",
                                req->content_error, "traceback"));
    } else if (strcmp(t, "kernel_info_request") == 0) {
        reply(c, req, "kernel_info_reply", json_deep_copy(c->kernel_info));
    } else if (strcmp(t, "shutdown_request") == 0) {
        int restart = json_is_true(json_object_get(req->content, "restart"));
        control_raise(c->flags, 1);
        reply(c, req, "shutdown_reply",
              json_pack("{s:s, s:b}", "status", "ok", "restart", restart));
        done = 1;
    } else if (strcmp(t, "interrupt_request") == 0) {
        control_raise(c->flags, 0);
        reply(c, req, "interrupt_reply", json_pack("{s:s}", "status", "ok"));
    } else if (strcmp(t, "usage_request") == 0) {
        reply(c, req, "usage_reply", resource_sample(&c->meter));
    } else {
        fprintf(stderr, "cnn-kernel: control: unknown message type '%s' "
                "ignored\n", t);
    }
    control_status(c->s, c->iopub, req->header, "idle");
    return done;
}

static void *control_loop(void *arg)
{
    control *c = arg;
    zmq_pollitem_t items[2] = {
        {c->router, 0, ZMQ_POLLIN, 0},
        {NULL, c->stopfd, ZMQ_POLLIN, 0},
    };
    for (;;) {
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cnn-kernel: control: %s\n", zmq_strerror(errno));
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            break;
        wire_msg m;
        char err[128];
        int rc;
        while ((rc = wire_recv(c->s, c->router, &m, err, sizeof err)) != 1) {
            if (rc < 0) {
                fprintf(stderr, "cnn-kernel: control: dropped a message: %s\n",
                        err);
                if (errno == ETERM)
                    return NULL;
                continue;
            }
            int done = answer(c, &m);
            wire_msg_free(&m);
            if (done)
                return NULL;
        }
    }
    return NULL;
}

control *control_start(void *router, void *iopub, wire_session *s,
                       json_t *kernel_info, control_flags *flags, char *err,
                       size_t errlen)
{
    control *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *c = (control){.router = router, .iopub = iopub, .s = s,
                   .kernel_info = json_deep_copy(kernel_info), .flags = flags};
    c->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!c->kernel_info || c->stopfd < 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&c->thread, NULL, control_loop, c);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        return c;
    snprintf(err, errlen, "cannot start the control thread");
fail:
    if (c->stopfd >= 0)
        close(c->stopfd);
    json_decref(c->kernel_info);
    free(c);
    return NULL;
}

void control_stop(control *c)
{
    if (!c)
        return;
    uint64_t one = 1;
    ssize_t w = write(c->stopfd, &one, sizeof one);
    (void)w;
    pthread_join(c->thread, NULL);
    zmq_close(c->router);
    zmq_close(c->iopub);
    close(c->stopfd);
    json_decref(c->kernel_info);
    free(c);
}
