/* wire: the Jupyter wire format, signed with HMAC-SHA256.
 *
 * A message on the wire is a list of ZeroMQ frames:
 *
 *     ident... "<IDS|MSG>" signature header parent_header metadata content buffer...
 *
 * The signature is the lowercase hex HMAC-SHA256 of the four JSON frames
 * under the connection key ("" when the key is empty). A wire_session holds
 * the key, our session id and username, a counter for message ids and the
 * signatures of recent incoming messages (to drop replays). It is shared by
 * every thread of the kernel: all its functions are thread-safe. */
#ifndef WIRE_H
#define WIRE_H

#include <jansson.h>
#include <stddef.h>

#define WIRE_DELIM "<IDS|MSG>"
#define WIRE_PROTOCOL_VERSION "5.3"
#define WIRE_MAX_IDENTS 16   /* routing frames accepted before <IDS|MSG> */

typedef struct wire_session wire_session;

/* A read-only view of one frame. */
typedef struct wire_frame {
    const void *data;
    size_t len;
} wire_frame;

/* An owned byte string: a routing identity or a buffer. */
typedef struct wire_blob {
    unsigned char *data;
    size_t len;
} wire_blob;

/* A decoded incoming message. Everything in it is owned by it. */
typedef struct wire_msg {
    wire_blob *idents;      /* routing frames before <IDS|MSG> */
    size_t n_idents;
    wire_blob *buffers;     /* raw frames after content */
    size_t n_buffers;
    json_t *header;         /* object with string msg_id and msg_type */
    json_t *parent;         /* object */
    json_t *metadata;       /* object */
    json_t *content;        /* object */
    const char *msg_type;   /* borrowed from header */
    const char *msg_id;     /* borrowed from header */
    size_t size;            /* bytes of all its frames, as received */
    char *content_error;    /* malloc'd, or NULL: why parent, metadata or
                               content could not be read as text (invalid
                               UTF-8, a lone surrogate escape); that part
                               is then an empty object and the request
                               deserves an error reply */
} wire_msg;

/* The four JSON frames of an outgoing message, serialized and signed. */
typedef struct wire_out {
    char signature[65];     /* hex HMAC, "" when unsigned */
    char *part[4];          /* malloc'd: header, parent, metadata, content */
    size_t len[4];
} wire_out;

/* Creates a session with the connection key (key_len 0 = unsigned) and a
 * fresh random session id (a uuid4 from getrandom(2)). The replay
 * guard remembers the signatures of the last `replay_window` messages in
 * two generations (so between replay_window and 2 * replay_window). Returns NULL
 * with a message in err when memory or the random generator fail. */
wire_session *wire_session_new(const unsigned char *key, size_t key_len,
                               const char *username, size_t replay_window,
                               char *err, size_t errlen);

/* Our session id (a uuid4 string), valid while the session lives. */
const char *wire_session_id(const wire_session *s);

/* Frees the session. */
void wire_session_free(wire_session *s);

/* Decodes and verifies frames[0..n). Returns 0 and fills *msg (free it with
 * wire_msg_free), or -1 with the reason in err and *msg empty: no
 * delimiter, too few frames, a bad or missing signature while a key is
 * set, a signature seen before (a replay), JSON that does not parse, a
 * header without string msg_id/msg_type, or a part that is not an object.
 * One exception: when the header is good but parent, metadata or content
 * is not valid text (invalid UTF-8, or a \ud800-style lone surrogate
 * escape), it returns 0 with that part empty and msg->content_error
 * saying why, so that the sender gets an error reply instead of none. */
int wire_decode(wire_session *s, const wire_frame *frames, size_t n,
                wire_msg *msg, char *err, size_t errlen);

/* Frees what wire_decode put in *msg; *msg becomes empty. */
void wire_msg_free(wire_msg *msg);

/* Builds a new header: unique msg_id "<session>_<pid>_<counter>", our
 * session and username, an ISO-8601 UTC date with microseconds and "Z",
 * msg_type and version "5.3". Returns a new reference, NULL on no memory. */
json_t *wire_header(wire_session *s, const char *msg_type);

/* Serializes and signs a message: a new header of msg_type, `parent`
 * (the request's header; NULL = {}), metadata (NULL = {}) and content
 * (borrowed). Returns 0, or -1 on no memory. Free *out with
 * wire_out_free. */
int wire_encode(wire_session *s, const char *msg_type, json_t *parent,
                json_t *metadata, json_t *content, wire_out *out);

void wire_out_free(wire_out *out);

/* Receives one multipart message from a ZeroMQ socket without blocking
 * (poll first) and decodes it. Every frame of the message is consumed even
 * when it is rejected. Returns 0 with *msg filled, 1 when there was nothing
 * to read, -1 when the message was dropped (reason in err; the caller logs
 * it) or the socket failed (errno set, err says so). */
int wire_recv(wire_session *s, void *sock, wire_msg *msg, char *err,
              size_t errlen);

/* Encodes and sends a message on `sock`, preceded by the routing frames
 * idents[0..n_idents) (for a ROUTER: the request's idents; for iopub: one
 * topic frame). Returns 0, or -1 (no memory, or errno from ZeroMQ). */
int wire_send(wire_session *s, void *sock, const wire_blob *idents,
              size_t n_idents, const char *msg_type, json_t *parent,
              json_t *metadata, json_t *content);

/* Writes the current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (28 bytes
 * with the NUL). */
void wire_now(char buf[32]);

#endif
