/* conn: reading a Jupyter connection file. See conn.h. */
#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefile.h"

static const char *const port_names[CONN_NCHANNELS] = {
    "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port",
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int fail(conn_info *ci, char *err, size_t errlen, const char *msg,
                const char *what)
{
    snprintf(err, errlen, "connection file: %s%s", msg, what ? what : "");
    conn_free(ci);
    return -1;
}

int conn_parse(const char *text, conn_info *ci, char *err, size_t errlen)
{
    memset(ci, 0, sizeof *ci);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root) {
        snprintf(err, errlen, "connection file: not JSON (line %d: %s)",
                 jerr.line, jerr.text);
        return -1;
    }
    int rc = -1;
    if (!json_is_object(root)) {
        fail(ci, err, errlen, "not a JSON object", NULL);
        goto out;
    }

    json_t *v = json_object_get(root, "transport");
    const char *transport = v ? json_string_value(v) : "tcp";
    if (!transport || (strcmp(transport, "tcp") && strcmp(transport, "ipc"))) {
        fail(ci, err, errlen, "\"transport\" must be \"tcp\" or \"ipc\"", NULL);
        goto out;
    }
    strcpy(ci->transport, transport);

    v = json_object_get(root, "ip");
    const char *ip = v ? json_string_value(v) : "127.0.0.1";
    if (!ip || !*ip) {
        fail(ci, err, errlen, "\"ip\" must be a non-empty string", NULL);
        goto out;
    }
    for (int c = 0; c < CONN_NCHANNELS; c++) {
        v = json_object_get(root, port_names[c]);
        if (!json_is_integer(v) || json_integer_value(v) < 1
            || json_integer_value(v) > 65535) {
            fail(ci, err, errlen, "needs an integer 1..65535 for ",
                 port_names[c]);
            goto out;
        }
        ci->port[c] = (int)json_integer_value(v);
    }

    v = json_object_get(root, "signature_scheme");
    const char *scheme = v ? json_string_value(v) : "hmac-sha256";
    if (!scheme || strcmp(scheme, "hmac-sha256")) {
        fail(ci, err, errlen,
             "\"signature_scheme\" must be \"hmac-sha256\"", NULL);
        goto out;
    }
    v = json_object_get(root, "key");
    const char *key = v ? json_string_value(v) : "";
    if (!key) {
        fail(ci, err, errlen, "\"key\" must be a string", NULL);
        goto out;
    }
    ci->ip = dup_str(ip);
    ci->scheme = dup_str(scheme);
    ci->key = (unsigned char *)dup_str(key);
    ci->key_len = strlen(key);
    if (!ci->ip || !ci->scheme || !ci->key) {
        fail(ci, err, errlen, "out of memory", NULL);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

int conn_load(const char *path, conn_info *ci, char *err, size_t errlen)
{
    memset(ci, 0, sizeof *ci);
    int fd = safefile_open(path, O_RDONLY, 0);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot open connection file %s: %s", path,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (1u << 20)) {
                free(text);
                fclose(f);
                snprintf(err, errlen, "connection file %s is over 1 MB", path);
                return -1;
            }
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                snprintf(err, errlen, "out of memory reading %s", path);
                return -1;
            }
            text = t;
        }
        size_t n = fread(text + len, 1, 4096, f);
        len += n;
        if (n < 4096)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        snprintf(err, errlen, "cannot read connection file %s", path);
        return -1;
    }
    text[len] = '\0';
    int rc = conn_parse(text, ci, err, errlen);
    free(text);
    return rc;
}

int conn_is_ipv6(const conn_info *ci)
{
    return strcmp(ci->transport, "tcp") == 0 && strchr(ci->ip, ':') != NULL;
}

int conn_endpoint(const conn_info *ci, conn_channel ch, char *buf,
                  size_t buflen)
{
    int n;
    if (strcmp(ci->transport, "ipc") == 0)
        n = snprintf(buf, buflen, "ipc://%s-%d", ci->ip, ci->port[ch]);
    else if (conn_is_ipv6(ci))
        n = snprintf(buf, buflen, "tcp://[%s]:%d", ci->ip, ci->port[ch]);
    else
        n = snprintf(buf, buflen, "tcp://%s:%d", ci->ip, ci->port[ch]);
    return n < 0 || (size_t)n >= buflen ? -1 : 0;
}

void conn_free(conn_info *ci)
{
    free(ci->ip);
    free(ci->scheme);
    free(ci->key);
    memset(ci, 0, sizeof *ci);
}
