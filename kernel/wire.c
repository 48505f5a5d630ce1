/* wire: Jupyter wire format and HMAC signatures. See wire.h. */
/* HMAC-SHA256 is OpenSSL 3's EVP_MAC: the key is set once per session
 * (a keyed EVP_MAC_CTX), and each message is signed on a copy of it, so
 * that threads sign concurrently without a lock. */
#include "wire.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* One generation of the replay guard: an open-addressing set of the
 * signatures of recent messages. */
typedef struct idset {
    char **slot;
    size_t cap, count;
} idset;

struct wire_session {
    size_t key_len;             /* 0: messages are not signed */
    EVP_MAC *mac;               /* HMAC, when key_len > 0 */
    EVP_MAC_CTX *keyed;         /* HMAC-SHA256 under the key; copied for
                                   each message, never changed */
    char id[37];
    char *username;
    long pid;
    atomic_ulong counter;
    pthread_mutex_t lock;       /* guards the two replay generations */
    idset seen[2];              /* seen[0] current, seen[1] previous */
    size_t window;
};

/* ---- replay guard ------------------------------------------------------ */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int idset_has(const idset *set, const char *id)
{
    size_t i = fnv1a(id) & (set->cap - 1);
    for (; set->slot[i]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slot[i], id) == 0)
            return 1;
    return 0;
}

static void idset_clear(idset *set)
{
    for (size_t i = 0; i < set->cap; i++) {
        free(set->slot[i]);
        set->slot[i] = NULL;
    }
    set->count = 0;
}

/* Remembers id; returns 1 when it was already there, 0 when new, -1 when
 * out of memory. Called with the lock held. */
static int replay_check(wire_session *s, const char *id)
{
    if (idset_has(&s->seen[0], id) || idset_has(&s->seen[1], id))
        return 1;
    if (s->seen[0].count >= s->window) {
        idset tmp = s->seen[1];
        s->seen[1] = s->seen[0];
        s->seen[0] = tmp;
        idset_clear(&s->seen[0]);
    }
    size_t len = strlen(id) + 1;
    char *copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, id, len);
    idset *set = &s->seen[0];
    size_t i = fnv1a(id) & (set->cap - 1);
    while (set->slot[i])
        i = (i + 1) & (set->cap - 1);
    set->slot[i] = copy;
    set->count++;
    return 0;
}

/* ---- session ----------------------------------------------------------- */

/* Fills buf with random bytes from the kernel's generator. */
static int random_bytes(unsigned char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/* Keys the session's HMAC-SHA256. Returns 0, or -1 when OpenSSL cannot
 * (no memory, no HMAC or SHA256 in its providers). */
static int hmac_setup(wire_session *s, const unsigned char *key, size_t len)
{
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                         (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    s->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    s->keyed = s->mac ? EVP_MAC_CTX_new(s->mac) : NULL;
    return s->keyed && EVP_MAC_init(s->keyed, key, len, params) ? 0 : -1;
}

wire_session *wire_session_new(const unsigned char *key, size_t key_len,
                               const char *username, size_t replay_window,
                               char *err, size_t errlen)
{
    wire_session *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->pid = (long)getpid();
    s->window = replay_window ? replay_window : 1;
    size_t cap = 16;
    while (cap < 2 * s->window)
        cap *= 2;
    s->username = strdup(username);
    s->seen[0].slot = calloc(cap, sizeof(char *));
    s->seen[1].slot = calloc(cap, sizeof(char *));
    s->seen[0].cap = s->seen[1].cap = cap;
    if (!s->username || !s->seen[0].slot || !s->seen[1].slot) {
        snprintf(err, errlen, "out of memory");
        wire_session_free(s);
        return NULL;
    }
    s->key_len = key_len;
    if (key_len && hmac_setup(s, key, key_len) < 0) {
        snprintf(err, errlen, "OpenSSL cannot compute HMAC-SHA256");
        wire_session_free(s);
        return NULL;
    }
    unsigned char u[16];
    if (random_bytes(u, sizeof u) < 0) {
        snprintf(err, errlen, "no random numbers: %s", strerror(errno));
        wire_session_free(s);
        return NULL;
    }
    u[6] = (u[6] & 0x0f) | 0x40; /* version 4 */
    u[8] = (u[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    char *p = s->id;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        p += sprintf(p, "%02x", u[i]);
    }
    return s;
}

const char *wire_session_id(const wire_session *s)
{
    return s->id;
}

void wire_session_free(wire_session *s)
{
    if (!s)
        return;
    for (int g = 0; g < 2; g++) {
        if (s->seen[g].slot)
            idset_clear(&s->seen[g]);
        free(s->seen[g].slot);
    }
    EVP_MAC_CTX_free(s->keyed);
    EVP_MAC_free(s->mac);
    free(s->username);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* ---- signing ----------------------------------------------------------- */

/* Hex HMAC-SHA256 of the four parts into hex[65]. Returns 0, or -1 when
 * out of memory. */
static int hmac_hex(const wire_session *s, const void *const part[4],
                    const size_t len[4], char hex[65])
{
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup(s->keyed);
    unsigned char md[EVP_MAX_MD_SIZE];
    size_t n = 0;
    int ok = c != NULL;
    for (int i = 0; ok && i < 4; i++)
        ok = EVP_MAC_update(c, part[i], len[i]);
    ok = ok && EVP_MAC_final(c, md, &n, sizeof md) && n == 32;
    EVP_MAC_CTX_free(c);
    if (!ok)
        return -1;
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = 0;
    return 0;
}

/* ---- decoding ---------------------------------------------------------- */

static int copy_blobs(const wire_frame *f, size_t n, wire_blob **out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    wire_blob *b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    *out = b;
    for (size_t i = 0; i < n; i++) {
        b[i].data = malloc(f[i].len ? f[i].len : 1);
        if (!b[i].data)
            return -1;
        memcpy(b[i].data, f[i].data, f[i].len);
        b[i].len = f[i].len;
    }
    return 0;
}

static void free_blobs(wire_blob *b, size_t n)
{
    for (size_t i = 0; b && i < n; i++)
        free(b[i].data);
    free(b);
}

void wire_msg_free(wire_msg *msg)
{
    free_blobs(msg->idents, msg->n_idents);
    free_blobs(msg->buffers, msg->n_buffers);
    json_decref(msg->header);
    json_decref(msg->parent);
    json_decref(msg->metadata);
    json_decref(msg->content);
    free(msg->content_error);
    memset(msg, 0, sizeof *msg);
}

/* Whether a JSON part failed for its text rather than its syntax: bytes
 * that are not UTF-8, or an escape of a lone UTF-16 surrogate. */
static int bad_text(const json_error_t *jerr)
{
    return json_error_code(jerr) == json_error_invalid_utf8
           || strncmp(jerr->text, "invalid Unicode", 15) == 0;
}

static int reject(wire_msg *msg, char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "%s", why);
    wire_msg_free(msg);
    return -1;
}

/* Parses the four JSON parts into msg (see wire_decode for the parts
 * that are not valid text). Returns 0, or -1 after reject. */
static int parse_parts(wire_msg *msg, const wire_frame part[4], char *err,
                       size_t errlen)
{
    json_t **dst[4] = {&msg->header, &msg->parent, &msg->metadata,
                       &msg->content};
    static const char *const names[4] = {"header", "parent_header",
                                         "metadata", "content"};
    for (int i = 0; i < 4; i++) {
        json_error_t jerr;
        *dst[i] = json_loadb(part[i].data, part[i].len, 0, &jerr);
        if (i > 0 && !*dst[i] && !msg->content_error && bad_text(&jerr)) {
            char why[200];
            snprintf(why, sizeof why, "%s is not valid text: %s", names[i],
                     jerr.text);
            msg->content_error = strdup(why);
            *dst[i] = json_object();
            if (!msg->content_error || !*dst[i])
                return reject(msg, err, errlen, "out of memory");
        }
        if (!json_is_object(*dst[i])) {
            char why[64];
            snprintf(why, sizeof why, "%s is not a JSON object", names[i]);
            return reject(msg, err, errlen, why);
        }
    }
    return 0;
}

int wire_decode(wire_session *s, const wire_frame *frames, size_t n,
                wire_msg *msg, char *err, size_t errlen)
{
    memset(msg, 0, sizeof *msg);
    size_t d = 0;
    while (d < n
           && !(frames[d].len == sizeof WIRE_DELIM - 1
                && memcmp(frames[d].data, WIRE_DELIM, frames[d].len) == 0))
        d++;
    if (d == n)
        return reject(msg, err, errlen, "no <IDS|MSG> delimiter");
    if (d > WIRE_MAX_IDENTS)
        return reject(msg, err, errlen, "too many routing frames");
    if (n - d < 6)
        return reject(msg, err, errlen, "fewer than 5 frames after <IDS|MSG>");
    const wire_frame *sig = &frames[d + 1], *part = &frames[d + 2];

    if (s->key_len) {
        const void *p[4];
        size_t l[4];
        for (int i = 0; i < 4; i++) {
            p[i] = part[i].data;
            l[i] = part[i].len;
        }
        char want[65];
        if (sig->len == 0)
            return reject(msg, err, errlen, "unsigned message (a key is set)");
        if (hmac_hex(s, p, l, want) < 0)
            return reject(msg, err, errlen, "out of memory");
        if (sig->len != 64 || CRYPTO_memcmp(want, sig->data, 64) != 0)
            return reject(msg, err, errlen, "invalid signature");
    }

    if (parse_parts(msg, part, err, errlen) < 0)
        return -1;
    msg->msg_id = json_string_value(json_object_get(msg->header, "msg_id"));
    msg->msg_type = json_string_value(json_object_get(msg->header, "msg_type"));
    if (!msg->msg_id || !msg->msg_type || !*msg->msg_id)
        return reject(msg, err, errlen,
                      "header lacks string msg_id and msg_type");

    if (s->key_len) {
        /* The replay guard remembers signatures, as jupyter_client's
         * digest_history does: a replay repeats the signature, and a
         * signature covers the header's msg_id and date. msg_ids alone
         * would not do: jupyter_client's KernelManager and its clients
         * share one session id with separate counters, so their msg_ids
         * repeat. Without a key anyone may send anything: no guard. */
        char sigtext[65];
        memcpy(sigtext, sig->data, 64);
        sigtext[64] = 0;
        pthread_mutex_lock(&s->lock);
        int seen = replay_check(s, sigtext);
        pthread_mutex_unlock(&s->lock);
        if (seen)
            return reject(msg, err, errlen, seen > 0 ? "replayed message"
                                                     : "out of memory");
    }

    msg->n_idents = d;
    msg->n_buffers = n - d - 6;
    for (size_t i = 0; i < n; i++)
        msg->size += frames[i].len;
    if (copy_blobs(frames, d, &msg->idents) < 0
        || copy_blobs(frames + d + 6, msg->n_buffers, &msg->buffers) < 0)
        return reject(msg, err, errlen, "out of memory");
    return 0;
}

/* ---- encoding ---------------------------------------------------------- */

void wire_now(char buf[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

json_t *wire_header(wire_session *s, const char *msg_type)
{
    char id[80], date[32];
    unsigned long n = atomic_fetch_add(&s->counter, 1);
    snprintf(id, sizeof id, "%s_%ld_%lu", s->id, s->pid, n);
    wire_now(date);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", id,
                     "session", s->id, "username", s->username, "date", date,
                     "msg_type", msg_type, "version", WIRE_PROTOCOL_VERSION);
}

void wire_out_free(wire_out *out)
{
    for (int i = 0; i < 4; i++)
        free(out->part[i]);
    memset(out, 0, sizeof *out);
}

int wire_encode(wire_session *s, const char *msg_type, json_t *parent,
                json_t *metadata, json_t *content, wire_out *out)
{
    memset(out, 0, sizeof *out);
    json_t *header = wire_header(s, msg_type);
    json_t *empty = json_object();
    json_t *parts[4] = {header, parent ? parent : empty,
                        metadata ? metadata : empty, content};
    int rc = header && empty ? 0 : -1;
    for (int i = 0; rc == 0 && i < 4; i++) {
        out->part[i] = json_dumps(parts[i], JSON_COMPACT);
        if (!out->part[i])
            rc = -1;
        else
            out->len[i] = strlen(out->part[i]);
    }
    json_decref(header);
    json_decref(empty);
    if (rc == 0 && s->key_len) {
        const void *p[4] = {out->part[0], out->part[1], out->part[2],
                            out->part[3]};
        if (hmac_hex(s, p, out->len, out->signature) < 0)
            rc = -1;
    }
    if (rc < 0)
        wire_out_free(out);
    return rc;
}

/* ---- sockets ----------------------------------------------------------- */

int wire_recv(wire_session *s, void *sock, wire_msg *msg, char *err,
              size_t errlen)
{
    memset(msg, 0, sizeof *msg);
    enum { MAX_FRAMES = 4096 };
    size_t n = 0, cap = 0;
    zmq_msg_t *parts = NULL;
    int rc = 0, more = 1, overflow = 0;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, sock, ZMQ_DONTWAIT) < 0) {
            int e = errno;
            zmq_msg_close(&part);
            if (n == 0 && e == EAGAIN) {
                rc = 1;
            } else {
                snprintf(err, errlen, "receive failed: %s", zmq_strerror(e));
                rc = -1;
            }
            errno = e;
            break;
        }
        more = zmq_msg_more(&part);
        if (n == cap && !overflow) {
            /* Keep up to MAX_FRAMES frames; drain (and reject) the rest. */
            size_t nc = cap ? 2 * cap : 16;
            zmq_msg_t *np = nc <= MAX_FRAMES ? realloc(parts, nc * sizeof *np)
                                             : NULL;
            if (np) {
                parts = np;
                cap = nc;
            }
        }
        if (n < cap && !overflow) {
            parts[n++] = part;
        } else {
            zmq_msg_close(&part);
            overflow = 1;
        }
    }
    if (rc == 0 && overflow) {
        snprintf(err, errlen, "message with too many frames");
        rc = -1;
    } else if (rc == 0) {
        wire_frame *f = malloc((n ? n : 1) * sizeof *f);
        if (!f) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            for (size_t i = 0; i < n; i++) {
                f[i].data = zmq_msg_data(&parts[i]);
                f[i].len = zmq_msg_size(&parts[i]);
            }
            rc = wire_decode(s, f, n, msg, err, errlen);
            free(f);
        }
    }
    for (size_t i = 0; i < n; i++)
        zmq_msg_close(&parts[i]);
    free(parts);
    return rc;
}

/* zmq_send that retries when a signal interrupts it, so a multipart
 * message is never left half sent. */
static int send_frame(void *sock, const void *data, size_t len, int flags)
{
    int rc;
    do
        rc = zmq_send(sock, data, len, flags);
    while (rc < 0 && errno == EINTR);
    return rc;
}

int wire_send(wire_session *s, void *sock, const wire_blob *idents,
              size_t n_idents, const char *msg_type, json_t *parent,
              json_t *metadata, json_t *content)
{
    wire_out out;
    if (wire_encode(s, msg_type, parent, metadata, content, &out) < 0) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc >= 0 && i < n_idents; i++)
        rc = send_frame(sock, idents[i].data, idents[i].len, ZMQ_SNDMORE);
    if (rc >= 0)
        rc = send_frame(sock, WIRE_DELIM, sizeof WIRE_DELIM - 1, ZMQ_SNDMORE);
    if (rc >= 0)
        rc = send_frame(sock, out.signature, strlen(out.signature), ZMQ_SNDMORE);
    for (int i = 0; rc >= 0 && i < 4; i++)
        rc = send_frame(sock, out.part[i], out.len[i], i < 3 ? ZMQ_SNDMORE : 0);
    int e = errno;
    wire_out_free(&out);
    errno = e;
    return rc < 0 ? -1 : 0;
}
