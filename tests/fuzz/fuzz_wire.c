/* libFuzzer target for the wire format (kernel/wire.c).
 *
 * The input is a list of frames separated by NUL bytes. Its first byte
 * picks the mode: bit 0 sets a connection key; bit 1 makes the harness
 * sign the message correctly (the signature frame after <IDS|MSG> is
 * replaced by the right HMAC), so that the fuzzer gets past the signature
 * check to the JSON. Besides what the sanitizers catch:
 *   - a message that decodes is rejected the second time when a key is
 *     set (a replay),
 *   - its content, re-encoded by wire_encode and decoded by a second
 *     session with the same key, comes back equal,
 *   - a part that was not valid text (content_error) is left empty. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define MAX_FRAMES 64

static const char key[] = "fuzz-key";

/* Writes into hex[65] the HMAC-SHA256 of the four parts under key. */
static void sign(const wire_frame *part, char hex[65])
{
    size_t total = 0;
    for (int i = 0; i < 4; i++)
        total += part[i].len;
    unsigned char *buf = malloc(total ? total : 1), *p = buf;
    if (!buf)
        abort();
    for (int i = 0; i < 4; i++) {
        memcpy(p, part[i].data, part[i].len);
        p += part[i].len;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key, sizeof key - 1, buf, total, md, &len))
        abort();
    free(buf);
    for (unsigned i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The frames of an encoded message: delimiter, signature, four parts. */
static size_t out_frames(const wire_out *o, wire_frame *f)
{
    f[0] = (wire_frame){WIRE_DELIM, sizeof WIRE_DELIM - 1};
    f[1] = (wire_frame){o->signature, strlen(o->signature)};
    for (int i = 0; i < 4; i++)
        f[2 + i] = (wire_frame){o->part[i], o->len[i]};
    return 6;
}

static void roundtrip(const wire_msg *msg, int keyed)
{
    char err[128];
    const unsigned char *k = (const unsigned char *)key;
    wire_session *a = wire_session_new(k, keyed ? sizeof key - 1 : 0, "a",
                                       4, err, sizeof err);
    wire_session *b = wire_session_new(k, keyed ? sizeof key - 1 : 0, "b",
                                       4, err, sizeof err);
    if (!a || !b)
        abort();
    wire_out out;
    if (wire_encode(a, msg->msg_type, msg->header, msg->metadata,
                    msg->content, &out) < 0)
        abort();
    wire_frame f[6];
    wire_msg back;
    if (wire_decode(b, f, out_frames(&out, f), &back, err, sizeof err) < 0) {
        fprintf(stderr, "a re-encoded message does not decode: %s\n", err);
        abort();
    }
    if (!json_equal(back.content, msg->content)
        || !json_equal(back.parent, msg->header)
        || strcmp(back.msg_type, msg->msg_type))
        abort();
    wire_msg_free(&back);
    wire_out_free(&out);
    wire_session_free(b);
    wire_session_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int keyed = data[0] & 1, sign_it = data[0] & 2;
    wire_frame f[MAX_FRAMES];
    size_t n = 0;
    const uint8_t *p = data + 1, *end = data + size;
    while (n < MAX_FRAMES) {
        const uint8_t *z = memchr(p, 0, (size_t)(end - p));
        const uint8_t *stop = z ? z : end;
        f[n++] = (wire_frame){p, (size_t)(stop - p)};
        if (!z)
            break;
        p = z + 1;
    }
    char hex[65];
    if (keyed && sign_it) {
        for (size_t d = 0; d + 6 <= n; d++) {
            if (f[d].len == sizeof WIRE_DELIM - 1
                && memcmp(f[d].data, WIRE_DELIM, f[d].len) == 0) {
                sign(&f[d + 2], hex);
                f[d + 1] = (wire_frame){hex, 64};
                break;
            }
        }
    }
    char err[128];
    wire_session *s = wire_session_new((const unsigned char *)key,
                                       keyed ? sizeof key - 1 : 0, "fuzz", 4,
                                       err, sizeof err);
    if (!s)
        abort();
    wire_msg msg;
    if (wire_decode(s, f, n, &msg, err, sizeof err) == 0) {
        if (!msg.header || !msg.parent || !msg.metadata || !msg.content
            || !msg.msg_id || !msg.msg_type)
            abort();
        if (msg.content_error && json_object_size(msg.parent)
            && json_object_size(msg.metadata) && json_object_size(msg.content))
            abort();
        roundtrip(&msg, keyed);
        wire_msg again;
        int rc = wire_decode(s, f, n, &again, err, sizeof err);
        if (keyed && (rc == 0 || strcmp(err, "replayed message")))
            abort();
        if (rc == 0)
            wire_msg_free(&again);
        wire_msg_free(&msg);
    } else if (!err[0]) {
        abort(); /* a rejection must say why */
    }
    wire_session_free(s);
    return 0;
}
