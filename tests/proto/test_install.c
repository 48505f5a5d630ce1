/* install: where kernelspecs go and what kernel.json says. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "install.h"

static char *dir_for(char **argv, int argc)
{
    install_opts o;
    char err[512];
    ck_assert_int_eq(install_parse_args(argc, argv, &o, err, sizeof err), 0);
    char *d = install_dir(&o, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    return d;
}

START_TEST(directories_match_ipykernel)
{
    unsetenv("JUPYTER_DATA_DIR");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/ada", 1);
    char *a0[] = {"install"};
    char *d = dir_for(a0, 1);
    ck_assert_str_eq(d, "/usr/local/share/jupyter/kernels/cnn");
    free(d);
    char *a1[] = {"install", "--user", "--name", "cnn-2"};
    d = dir_for(a1, 4);
    ck_assert_str_eq(d, "/home/ada/.local/share/jupyter/kernels/cnn-2");
    free(d);
    setenv("XDG_DATA_HOME", "/xdg", 1);
    d = dir_for(a1, 4);
    ck_assert_str_eq(d, "/xdg/jupyter/kernels/cnn-2");
    free(d);
    setenv("JUPYTER_DATA_DIR", "/jd", 1);
    d = dir_for(a1, 4);
    ck_assert_str_eq(d, "/jd/kernels/cnn-2");
    free(d);
    char *a2[] = {"install", "--prefix", "/opt/env"};
    d = dir_for(a2, 3);
    ck_assert_str_eq(d, "/opt/env/share/jupyter/kernels/cnn");
    free(d);
    char *a3[] = {"install", "--sys-prefix"};
    d = dir_for(a3, 2);
    ck_assert_str_eq(d, CNN_PREFIX "/share/jupyter/kernels/cnn");
    free(d);
}
END_TEST

START_TEST(rejects_bad_arguments)
{
    install_opts o;
    char err[512];
    char *a1[] = {"install", "--user", "--prefix", "/x"};
    ck_assert_int_eq(install_parse_args(4, a1, &o, err, sizeof err), -1);
    char *a2[] = {"install", "--name"};
    ck_assert_int_eq(install_parse_args(2, a2, &o, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "--name"));
    char *a3[] = {"install", "--name", "../evil"};
    ck_assert_int_eq(install_parse_args(3, a3, &o, err, sizeof err), 0);
    ck_assert_ptr_null(install_dir(&o, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "../evil"));
}
END_TEST

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

START_TEST(writes_kernel_json_and_logos)
{
    char tmp[] = "/tmp/cnn-install-XXXXXX", dir[256], path[300], err[512];
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(dir, sizeof dir, "%s/share/jupyter/kernels/cnn", tmp);
    ck_assert_int_eq(install_write(dir, "/opt/cnn/bin/cnn-kernel", "CNN \"dev\"",
                                   err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/kernel.json", dir);
    json_t *spec = json_load_file(path, 0, NULL);
    ck_assert_ptr_nonnull(spec);
    json_t *want = json_pack(
        "{s:[s,s,s], s:s, s:s, s:s, s:{s:b}}", "argv", "/opt/cnn/bin/cnn-kernel",
        "-f", "{connection_file}", "display_name", "CNN \"dev\"", "language",
        "cnn", "interrupt_mode", "message", "metadata", "debugger", 0);
    ck_assert(json_equal(spec, want));
    json_decref(spec);
    json_decref(want);
    const char *logos[] = {"logo-32x32.png", "logo-64x64.png"};
    for (int i = 0; i < 2; i++) {
        char src[512];
        size_t a, b;
        snprintf(path, sizeof path, "%s/%s", dir, logos[i]);
        snprintf(src, sizeof src, "%s/kernelspec/%s", getenv("CNN_SOURCE_ROOT"),
                 logos[i]);
        unsigned char *x = slurp(path, &a), *y = slurp(src, &b);
        ck_assert_uint_eq(a, b);
        ck_assert_mem_eq(x, y, a);
        free(x);
        free(y);
    }
    /* a second install over the first is fine */
    ck_assert_int_eq(install_write(dir, "/x", "cnn", err, sizeof err), 0);
    ck_assert_int_eq(install_write("/proc/no/such", "/x", "cnn", err, sizeof err),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "/proc/no"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(files_are_0644_whatever_the_umask)
{
    char tmp[] = "/tmp/cnn-install-XXXXXX", path[300], err[512];
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    mode_t old = umask(0);
    ck_assert_int_eq(install_write(tmp, "/x", "cnn", err, sizeof err), 0);
    umask(old);
    const char *names[] = {"kernel.json", "logo-32x32.png", "logo-64x64.png"};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);
    }
    /* a FIFO in the place of kernel.json is refused, not opened (which
     * would block) nor replaced; no temporary file is left */
    snprintf(path, sizeof path, "%s/kernel.json", tmp);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(install_write(tmp, "/x", "cnn", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 3", tmp);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("install");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, directories_match_ipykernel);
    tcase_add_test(tc, rejects_bad_arguments);
    tcase_add_test(tc, writes_kernel_json_and_logos);
    tcase_add_test(tc, files_are_0644_whatever_the_umask);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
