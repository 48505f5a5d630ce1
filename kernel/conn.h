/* conn: the connection file a Jupyter frontend hands to a kernel.
 *
 * The frontend writes a small JSON file (transport, ip, five ports, the
 * signing key and scheme) and starts the kernel with its path. conn reads
 * it into a conn_info and turns each channel into a ZeroMQ endpoint. */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>

/* The five sockets of a kernel, in the order of conn_info.port. */
typedef enum conn_channel {
    CONN_SHELL,
    CONN_IOPUB,
    CONN_STDIN,
    CONN_CONTROL,
    CONN_HB,
    CONN_NCHANNELS
} conn_channel;

typedef struct conn_info {
    char transport[4];        /* "tcp" or "ipc" */
    char *ip;                 /* malloc'd: address, interface or ipc path */
    int port[CONN_NCHANNELS]; /* indexed by conn_channel */
    char *scheme;             /* malloc'd: "hmac-sha256" (the default) */
    unsigned char *key;       /* malloc'd, NUL-terminated; key_len 0 = unsigned */
    size_t key_len;
} conn_info;

/* Reads the connection file at `path` into *ci. Returns 0, or -1 with a
 * message in err (file unreadable, not JSON, a missing or ill-typed field,
 * a port outside 1..65535, an unknown transport or scheme) and *ci left
 * empty. The caller frees a loaded *ci with conn_free. */
int conn_load(const char *path, conn_info *ci, char *err, size_t errlen);

/* Parses connection-file text; as conn_load. */
int conn_parse(const char *text, conn_info *ci, char *err, size_t errlen);

/* Writes the endpoint of channel `ch` into buf ("tcp://IP:PORT",
 * "tcp://[IPV6]:PORT" or "ipc://PATH-PORT" as jupyter_client names them).
 * Returns 0, or -1 when it does not fit in buflen. */
int conn_endpoint(const conn_info *ci, conn_channel ch, char *buf,
                  size_t buflen);

/* Nonzero when the address is IPv6 (sockets then need ZMQ_IPV6). */
int conn_is_ipv6(const conn_info *ci);

/* Frees what conn_load allocated; *ci becomes empty. Safe on an empty one. */
void conn_free(conn_info *ci);

#endif
