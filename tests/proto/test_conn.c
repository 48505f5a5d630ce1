/* conn: reading connection files as jupyter_client writes them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "conn.h"

static const char *good =
    "{\"shell_port\": 5001, \"iopub_port\": 5002, \"stdin_port\": 5003,"
    " \"control_port\": 5004, \"hb_port\": 5005, \"ip\": \"0.0.0.0\","
    " \"key\": \"a-b-c\", \"transport\": \"tcp\","
    " \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"cnn\"}";

START_TEST(reads_every_field)
{
    conn_info ci;
    char err[256], ep[128];
    ck_assert_int_eq(conn_parse(good, &ci, err, sizeof err), 0);
    ck_assert_str_eq(ci.transport, "tcp");
    ck_assert_str_eq(ci.ip, "0.0.0.0");
    ck_assert_int_eq(ci.port[CONN_SHELL], 5001);
    ck_assert_int_eq(ci.port[CONN_HB], 5005);
    ck_assert_uint_eq(ci.key_len, 5);
    ck_assert_str_eq((char *)ci.key, "a-b-c");
    ck_assert_int_eq(conn_endpoint(&ci, CONN_CONTROL, ep, sizeof ep), 0);
    ck_assert_str_eq(ep, "tcp://0.0.0.0:5004");
    ck_assert_int_eq(conn_endpoint(&ci, CONN_CONTROL, ep, 10), -1);
    conn_free(&ci);
}
END_TEST

START_TEST(ipc_and_ipv6_endpoints)
{
    conn_info ci;
    char err[256], ep[128];
    ck_assert_int_eq(conn_parse(
        "{\"transport\":\"ipc\",\"ip\":\"/tmp/k\",\"shell_port\":1,"
        "\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,\"hb_port\":5,"
        "\"key\":\"\"}", &ci, err, sizeof err), 0);
    ck_assert_int_eq(conn_endpoint(&ci, CONN_IOPUB, ep, sizeof ep), 0);
    ck_assert_str_eq(ep, "ipc:///tmp/k-2");
    ck_assert_uint_eq(ci.key_len, 0);
    conn_free(&ci);
    ck_assert_int_eq(conn_parse(
        "{\"ip\":\"::1\",\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,"
        "\"control_port\":4,\"hb_port\":5,\"key\":\"k\"}", &ci, err, sizeof err), 0);
    ck_assert(conn_is_ipv6(&ci));
    ck_assert_int_eq(conn_endpoint(&ci, CONN_HB, ep, sizeof ep), 0);
    ck_assert_str_eq(ep, "tcp://[::1]:5");
    ck_assert_str_eq(ci.scheme, "hmac-sha256");
    conn_free(&ci);
}
END_TEST

START_TEST(explains_bad_files)
{
    const char *bad[][2] = {
        {"not json", "not JSON"},
        {"[1]", "not a JSON object"},
        {"{\"shell_port\": 1}", "iopub_port"},
        {"{\"transport\":\"udp\"}", "transport"},
        {"{\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,"
         "\"hb_port\":70000}", "hb_port"},
        {"{\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,"
         "\"hb_port\":5,\"signature_scheme\":\"hmac-md5\"}", "signature_scheme"},
        {"{\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,"
         "\"hb_port\":5,\"key\":5}", "key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        conn_info ci;
        char err[256];
        ck_assert_int_eq(conn_parse(bad[i][0], &ci, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i][1]), "'%s' lacks '%s'", err, bad[i][1]);
        ck_assert_ptr_null(ci.ip);
    }
    conn_info ci;
    char err[256];
    ck_assert_int_eq(conn_load("/nonexistent/kernel.json", &ci, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/kernel.json"));
}
END_TEST

START_TEST(loads_a_file)
{
    char path[] = "/tmp/cnn-conn-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(good, f);
    fclose(f);
    conn_info ci;
    char err[256];
    ck_assert_int_eq(conn_load(path, &ci, err, sizeof err), 0);
    ck_assert_int_eq(ci.port[CONN_STDIN], 5003);
    conn_free(&ci);
    remove(path);
}
END_TEST

/* A FIFO is refused at once: reading it would wait for a writer. */
START_TEST(refuses_a_fifo)
{
    char dir[] = "/tmp/cnn-conn-XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/fifo.json", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    conn_info ci;
    char err[256];
    ck_assert_int_eq(conn_load(path, &ci, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
    ck_assert_int_eq(conn_load("/no/such/file", &ci, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    unlink(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conn");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reads_every_field);
    tcase_add_test(tc, ipc_and_ipv6_endpoints);
    tcase_add_test(tc, explains_bad_files);
    tcase_add_test(tc, loads_a_file);
    tcase_add_test(tc, refuses_a_fifo);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
