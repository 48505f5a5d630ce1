/* wire: signing, verification and the shape of the messages we send. */
#include <check.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "wire.h"

#define KEY "secret"

static wire_session *session(const char *key)
{
    char err[128];
    wire_session *s = wire_session_new((const unsigned char *)key, strlen(key),
                                       "ada", 64, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* frames of a message: idents, delimiter, signature, four JSON parts */
typedef struct frames {
    wire_frame f[12];
    size_t n;
} frames;

static void push(frames *fr, const char *text)
{
    fr->f[fr->n].data = text;
    fr->f[fr->n].len = strlen(text);
    fr->n++;
}

static const char *H = "{\"msg_id\":\"a1\",\"msg_type\":\"kernel_info_request\"}";
/* HMAC-SHA256 of H {} {} {} under "secret", from Python's hmac module */
static const char *SIG =
    "0d95933f4e109d19e2d8a8a169142cdd5cc6564ee7ef081b5ccc30ba04258a90";

static frames known(const char *sig)
{
    frames fr = {0};
    push(&fr, "client-id");
    push(&fr, WIRE_DELIM);
    push(&fr, sig);
    push(&fr, H);
    push(&fr, "{}");
    push(&fr, "{}");
    push(&fr, "{}");
    return fr;
}

START_TEST(accepts_a_message_signed_by_python)
{
    wire_session *s = session(KEY);
    frames fr = known(SIG);
    push(&fr, "buffer-bytes");
    wire_msg m;
    char err[128];
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), 0);
    ck_assert_str_eq(m.msg_type, "kernel_info_request");
    ck_assert_str_eq(m.msg_id, "a1");
    ck_assert_uint_eq(m.n_idents, 1);
    ck_assert_mem_eq(m.idents[0].data, "client-id", 9);
    ck_assert_uint_eq(m.n_buffers, 1);
    ck_assert_uint_eq(m.buffers[0].len, 12);
    wire_msg_free(&m);
    wire_session_free(s);
}
END_TEST

START_TEST(long_keys_are_hashed_first)
{
    /* RFC 2104: keys longer than a block (64 bytes) are hashed */
    unsigned char key[100];
    for (int i = 0; i < 100; i++)
        key[i] = (unsigned char)i;
    char err[128];
    wire_session *s = wire_session_new(key, sizeof key, "ada", 64, err,
                                       sizeof err);
    ck_assert_ptr_nonnull(s);
    frames fr = known("b5ec2ce8721a2de5aad9ea5f731bcad0"
                      "e070b1138aaea02d05729d3873d57321");
    wire_msg m;
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), 0);
    wire_msg_free(&m);
    wire_session_free(s);
}
END_TEST

START_TEST(rejects_forged_unsigned_and_replayed)
{
    wire_session *s = session(KEY);
    wire_msg m;
    char err[128];
    char forged[65];
    strcpy(forged, SIG);
    forged[10] = forged[10] == '0' ? '1' : '0';
    frames fr = known(forged);
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    ck_assert_str_eq(err, "invalid signature");
    ck_assert_ptr_null(m.header);
    fr = known("");
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    ck_assert_str_eq(err, "unsigned message (a key is set)");
    fr = known("0d95");
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    fr = known(SIG);
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), 0);
    wire_msg_free(&m);
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    ck_assert_str_eq(err, "replayed message");
    wire_session_free(s);
}
END_TEST

START_TEST(replay_guard_is_bounded)
{
    /* window 64: a message is remembered for at least 64 more messages */
    wire_session *sender = session(KEY), *s = session(KEY);
    wire_out first;
    json_t *empty = json_object();
    ck_assert_int_eq(wire_encode(sender, "ping", NULL, NULL, empty, &first), 0);
    json_decref(empty);
    frames fr = {0};
    push(&fr, WIRE_DELIM);
    push(&fr, first.signature);
    for (int i = 0; i < 4; i++)
        push(&fr, first.part[i]);
    wire_msg m;
    char err[128];
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), 0);
    wire_msg_free(&m);
    for (int i = 0; i < 64; i++) {
        wire_out o;
        json_t *c = json_object();
        ck_assert_int_eq(wire_encode(sender, "ping", NULL, NULL, c, &o), 0);
        json_decref(c);
        frames g = {0};
        push(&g, WIRE_DELIM);
        push(&g, o.signature);
        for (int j = 0; j < 4; j++)
            push(&g, o.part[j]);
        ck_assert_int_eq(wire_decode(s, g.f, g.n, &m, err, sizeof err), 0);
        wire_msg_free(&m);
        wire_out_free(&o);
    }
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    wire_out_free(&first);
    wire_session_free(sender);
    wire_session_free(s);
}
END_TEST

START_TEST(rejects_malformed_frames)
{
    wire_session *s = session("");
    wire_msg m;
    char err[128];
    frames fr = {0};
    push(&fr, "only one frame");
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
    ck_assert_str_eq(err, "no <IDS|MSG> delimiter");

    fr = (frames){0};
    push(&fr, WIRE_DELIM);
    push(&fr, "");
    push(&fr, H);
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);

    const char *bad[][4] = {
        {"not json", "{}", "{}", "{}"},
        {"{\"msg_type\":\"x\"}", "{}", "{}", "{}"},
        {"{\"msg_id\":7,\"msg_type\":\"x\"}", "{}", "{}", "{}"},
        {H, "[]", "{}", "{}"},
        {H, "{}", "{}", "\"content\""},
        {H, "{}", "{}", "{\"code\": "},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fr = (frames){0};
        push(&fr, WIRE_DELIM);
        push(&fr, "");
        for (int j = 0; j < 4; j++)
            push(&fr, bad[i][j]);
        ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), -1);
        ck_assert_ptr_null(m.content);
    }
    /* unsigned messages are fine when there is no key */
    fr = known("");
    ck_assert_int_eq(wire_decode(s, fr.f, fr.n, &m, err, sizeof err), 0);
    wire_msg_free(&m);
    wire_session_free(s);
}
END_TEST

START_TEST(encodes_headers_as_the_spec_says)
{
    wire_session *s = session(KEY);
    json_t *parent = json_pack("{s:s, s:s}", "msg_id", "req-1", "msg_type",
                               "execute_request");
    json_t *content = json_pack("{s:s}", "text", "héllo");
    wire_out o;
    ck_assert_int_eq(wire_encode(s, "stream", parent, NULL, content, &o), 0);

    frames fr = {0};
    push(&fr, WIRE_DELIM);
    push(&fr, o.signature);
    for (int i = 0; i < 4; i++)
        push(&fr, o.part[i]);
    wire_session *peer = session(KEY); /* verifies like a client would */
    wire_msg m;
    char err[128];
    ck_assert_int_eq(wire_decode(peer, fr.f, fr.n, &m, err, sizeof err), 0);
    ck_assert_str_eq(m.msg_type, "stream");
    ck_assert_str_eq(json_string_value(json_object_get(m.header, "version")),
                     "5.3");
    ck_assert_str_eq(json_string_value(json_object_get(m.header, "username")),
                     "ada");
    ck_assert_str_eq(json_string_value(json_object_get(m.header, "session")),
                     wire_session_id(s));
    ck_assert(json_equal(m.parent, parent));
    ck_assert(json_equal(m.content, content));

    regex_t re;
    ck_assert_int_eq(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
                                  ":[0-9]{2}\\.[0-9]{6}Z$", REG_EXTENDED), 0);
    const char *date = json_string_value(json_object_get(m.header, "date"));
    ck_assert_int_eq(regexec(&re, date, 0, NULL, 0), 0);
    regfree(&re);
    ck_assert_int_eq(regcomp(&re, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                  "[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                             REG_EXTENDED), 0);
    ck_assert_int_eq(regexec(&re, wire_session_id(s), 0, NULL, 0), 0);
    regfree(&re);

    wire_msg_free(&m);
    wire_out_free(&o);
    json_decref(parent);
    json_decref(content);
    wire_session_free(peer);
    wire_session_free(s);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(msg_ids_are_unique)
{
    wire_session *s = session(KEY), *t = session(KEY);
    enum { N = 2000 };
    char **ids = malloc(2 * N * sizeof *ids);
    for (int i = 0; i < 2 * N; i++) {
        json_t *h = wire_header(i < N ? s : t, "status");
        ids[i] = strdup(json_string_value(json_object_get(h, "msg_id")));
        json_decref(h);
    }
    qsort(ids, 2 * N, sizeof *ids, cmp_str);
    for (int i = 1; i < 2 * N; i++)
        ck_assert_str_ne(ids[i - 1], ids[i]);
    for (int i = 0; i < 2 * N; i++)
        free(ids[i]);
    free(ids);
    ck_assert_str_ne(wire_session_id(s), wire_session_id(t));
    wire_session_free(s);
    wire_session_free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wire");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, accepts_a_message_signed_by_python);
    tcase_add_test(tc, long_keys_are_hashed_first);
    tcase_add_test(tc, rejects_forged_unsigned_and_replayed);
    tcase_add_test(tc, replay_guard_is_bounded);
    tcase_add_test(tc, rejects_malformed_frames);
    tcase_add_test(tc, encodes_headers_as_the_spec_says);
    tcase_add_test(tc, msg_ids_are_unique);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
