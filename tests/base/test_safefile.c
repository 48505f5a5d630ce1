/* safefile: reads open regular files only and never wait; a replaced file
 * changes whole or not at all, only a regular file (or nothing) is
 * replaced, and no temporary file is ever left behind. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "safefile.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/cnn-safefile-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* dir/name, in one of four rotating buffers. */
static const char *at(const char *name)
{
    static char buf[4][160];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* The whole of dir/name (static buffer), or "(missing)". */
static const char *get(const char *name)
{
    static char buf[256];
    FILE *f = fopen(at(name), "r");
    if (!f)
        return "(missing)";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* The names in dir, sorted, space-separated (static buffer). */
static const char *listing(void)
{
    static char buf[512];
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    ck_assert_int_ge(n, 0);
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            if (buf[0])
                strcat(buf, " ");
            strcat(buf, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return buf;
}

START_TEST(opens_regular_files_only)
{
    make_dir();
    put("f", "text");
    int fd = safefile_open(at("f"), O_RDONLY, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    char buf[8] = {0};
    ck_assert_int_eq(read(fd, buf, sizeof buf), 4);
    ck_assert_str_eq(buf, "text");
    close(fd);
    /* A FIFO with no writer is refused at once, not waited on; so are a
     * directory and a device. */
    ck_assert_int_eq(mkfifo(at("fifo"), 0600), 0);
    const char *special[] = {at("fifo"), dir, "/dev/zero"};
    for (int i = 0; i < 3; i++) {
        errno = 0;
        ck_assert_int_eq(safefile_open(special[i], O_RDONLY, 0), -1);
        ck_assert_int_eq(errno, EINVAL);
    }
    errno = 0;
    ck_assert_int_eq(safefile_open(at("missing"), O_RDONLY, 0), -1);
    ck_assert_int_eq(errno, ENOENT);
    /* O_CREAT makes a missing file, with the given mode. */
    umask(022);
    fd = safefile_open(at("new"), O_RDWR | O_CREAT | O_APPEND, 0600);
    ck_assert_int_ge(fd, 0);
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    close(fd);
    remove_dir();
}
END_TEST

START_TEST(replaces_a_file_whole)
{
    make_dir();
    put("f", "old");
    umask(077);
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), 0644), 0);
    ck_assert_int_eq(safefile_write(&tx, "new text", 8), 0);
    /* Until the commit the target is as it was; the text is in a file of
     * its own beside it. */
    ck_assert_str_eq(get("f"), "old");
    char tmp[32];
    snprintf(tmp, sizeof tmp, "f.tmp.%ld.", (long)getpid());
    ck_assert_int_eq(strncmp(listing(), "f f.tmp.", 8), 0);
    ck_assert_ptr_nonnull(strstr(listing(), tmp));
    ck_assert_int_eq(safefile_commit(&tx, 0), 0);
    ck_assert_str_eq(get("f"), "new text");
    ck_assert_str_eq(listing(), "f");
    /* The mode asked for, whatever the umask. */
    struct stat st;
    ck_assert_int_eq(stat(at("f"), &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0644);
    /* A missing target is created. */
    ck_assert_int_eq(safefile_begin(&tx, at("g"), 0600), 0);
    ck_assert_int_eq(safefile_write(&tx, "g", 1), 0);
    ck_assert_int_eq(safefile_commit(&tx, 0), 0);
    ck_assert_str_eq(get("g"), "g");
    ck_assert_str_eq(listing(), "f g");
    remove_dir();
}
END_TEST

START_TEST(umask_mode_is_as_fopen_makes_it)
{
    make_dir();
    umask(027);
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), SAFEFILE_UMASK), 0);
    ck_assert_int_eq(safefile_commit(&tx, 0), 0);
    struct stat st;
    ck_assert_int_eq(stat(at("f"), &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640);
    ck_assert_str_eq(get("f"), "");
    remove_dir();
}
END_TEST

START_TEST(replaces_nothing_but_a_regular_file)
{
    make_dir();
    put("victim", "precious");
    ck_assert_int_eq(mkdir(at("sub"), 0700), 0);
    ck_assert_int_eq(mkfifo(at("fifo"), 0600), 0);
    ck_assert_int_eq(symlink(at("victim"), at("link")), 0);
    const char *paths[] = {at("sub"), at("fifo"), at("link"), "/dev/null"};
    for (int i = 0; i < 4; i++) {
        safefile_tx tx;
        errno = 0;
        ck_assert_int_eq(safefile_begin(&tx, paths[i], 0644), -1);
        ck_assert_int_eq(errno, EINVAL);
        ck_assert_int_eq(tx.fd, -1);
        mode_t m = (mode_t)tx.found;
        ck_assert(i == 0   ? S_ISDIR(m)
                  : i == 1 ? S_ISFIFO(m)
                  : i == 2 ? S_ISLNK(m)
                           : S_ISCHR(m));
        safefile_abort(&tx); /* harmless after a failed begin */
    }
    ck_assert_str_eq(get("victim"), "precious");
    ck_assert_str_eq(listing(), "fifo link sub victim");
    struct stat st;
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    remove_dir();
}
END_TEST

/* What is at the target is looked at again just before the rename. */
START_TEST(checks_the_target_again_before_the_rename)
{
    make_dir();
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), 0644), 0);
    ck_assert_int_eq(safefile_write(&tx, "x", 1), 0);
    ck_assert_int_eq(mkdir(at("f"), 0700), 0);
    errno = 0;
    ck_assert_int_eq(safefile_commit(&tx, 0), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(S_ISDIR((mode_t)tx.found));
    ck_assert_str_eq(listing(), "f");
    struct stat st;
    ck_assert_int_eq(lstat(at("f"), &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    remove_dir();
}
END_TEST

START_TEST(abort_leaves_the_target_as_it_was)
{
    make_dir();
    put("f", "old");
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), 0644), 0);
    ck_assert_int_eq(safefile_write(&tx, "new", 3), 0);
    safefile_abort(&tx);
    ck_assert_str_eq(get("f"), "old");
    ck_assert_str_eq(listing(), "f");
    safefile_abort(&tx); /* twice is harmless */
    ck_assert_str_eq(listing(), "f");
    remove_dir();
}
END_TEST

/* The history keeps the new file's descriptor to append to it. */
START_TEST(commit_may_keep_an_appending_descriptor)
{
    make_dir();
    put("f", "old");
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), 0600), 0);
    ck_assert_int_eq(safefile_write(&tx, "one\n", 4), 0);
    int fd = safefile_commit(&tx, 1);
    ck_assert_int_gt(fd, 0);
    ck_assert_int_ne(fcntl(fd, F_GETFL) & O_APPEND, 0);
    struct stat held, named;
    ck_assert_int_eq(fstat(fd, &held), 0);
    ck_assert_int_eq(stat(at("f"), &named), 0);
    ck_assert(held.st_ino == named.st_ino);
    ck_assert_int_eq(named.st_mode & 07777, 0600);
    /* another writer's line lands before ours, not under it */
    int other = open(at("f"), O_WRONLY | O_APPEND);
    ck_assert_int_eq(write(other, "two\n", 4), 4);
    close(other);
    ck_assert_int_eq(write(fd, "three\n", 6), 6);
    close(fd);
    ck_assert_str_eq(get("f"), "one\ntwo\nthree\n");
    ck_assert_str_eq(listing(), "f");
    remove_dir();
}
END_TEST

START_TEST(writes_through_a_stream)
{
    make_dir();
    put("f", "old");
    safefile_tx tx;
    ck_assert_int_eq(safefile_begin(&tx, at("f"), SAFEFILE_UMASK), 0);
    FILE *f = safefile_stream(&tx);
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%d,%s\n", 42, "text");
    ck_assert_int_eq(safefile_commit(&tx, 0), 0);
    ck_assert_str_eq(get("f"), "42,text\n");
    ck_assert_str_eq(listing(), "f");
    /* An error on the stream before the commit fails it: the target is
     * kept and nothing is left behind. */
    ck_assert_int_eq(safefile_begin(&tx, at("f"), SAFEFILE_UMASK), 0);
    f = safefile_stream(&tx);
    ck_assert_ptr_nonnull(f);
    fputs("lost", f);
    ck_assert_int_eq(fgetc(f), EOF); /* reading a "wb" stream: an error */
    ck_assert(ferror(f));
    ck_assert_int_eq(safefile_commit(&tx, 0), -1);
    ck_assert_str_eq(get("f"), "42,text\n");
    ck_assert_str_eq(listing(), "f");
    /* Aborting closes the stream too. */
    ck_assert_int_eq(safefile_begin(&tx, at("f"), SAFEFILE_UMASK), 0);
    ck_assert_ptr_nonnull(safefile_stream(&tx));
    safefile_abort(&tx);
    ck_assert_str_eq(listing(), "f");
    remove_dir();
}
END_TEST

/* A folder we may not write to: an error, the old file kept, nothing
 * left behind. (root may write anywhere: then only the last holds.) */
START_TEST(read_only_folder)
{
    make_dir();
    put("f", "old");
    ck_assert_int_eq(chmod(dir, 0500), 0);
    safefile_tx tx;
    errno = 0;
    int rc = safefile_begin(&tx, at("f"), 0644);
    int e = errno;
    if (rc == 0)
        safefile_abort(&tx);
    ck_assert_int_eq(chmod(dir, 0700), 0);
    if (geteuid() != 0) {
        ck_assert_int_eq(rc, -1);
        ck_assert_int_eq(e, EACCES);
    }
    ck_assert_str_eq(get("f"), "old");
    ck_assert_str_eq(listing(), "f");
    remove_dir();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("safefile");
    TCase *tc = tcase_create("safefile");
    tcase_add_test(tc, opens_regular_files_only);
    tcase_add_test(tc, replaces_a_file_whole);
    tcase_add_test(tc, umask_mode_is_as_fopen_makes_it);
    tcase_add_test(tc, replaces_nothing_but_a_regular_file);
    tcase_add_test(tc, checks_the_target_again_before_the_rename);
    tcase_add_test(tc, abort_leaves_the_target_as_it_was);
    tcase_add_test(tc, commit_may_keep_an_appending_descriptor);
    tcase_add_test(tc, writes_through_a_stream);
    tcase_add_test(tc, read_only_folder);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
