/* cnn-kernel: the program. Wires the cell language (kernel/lang) into the
 * Jupyter protocol (kernel/), the one place that includes both.
 *
 *   cnn-kernel -f CONNECTION_FILE    run the kernel (Jupyter starts it so)
 *   cnn-kernel install [...]         register the kernelspec (install.h)
 *   cnn-kernel --version | --help */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cnn_config.h"
#include "conn.h"
#include "history.h"
#include "install.h"
#include "server.h"
#include "lang.h"
#include "nn_cpu.h"
#include "registry.h"

/* Set to the core name when the kernel re-executed itself with
 * OPENBLAS_CORETYPE: guards against a second re-exec, and the banner says
 * so. Set empty, it only prevents the re-exec (the valgrind test does). */
#define REEXEC_MARK "CNN_OPENBLAS_TUNED"

static const char help[] =
    "cnn-kernel " CNN_VERSION ": a Jupyter kernel for small neural networks\n"
    "\n"
    "usage:\n"
    "  cnn-kernel -f CONNECTION_FILE   run the kernel (as Jupyter does)\n"
    "  cnn-kernel install [--user | --sys-prefix | --prefix DIR]\n"
    "                     [--name NAME] [--display-name NAME]\n"
    "                                  register the kernel with Jupyter\n"
    "  cnn-kernel --version            print the version\n"
    "  cnn-kernel --help               print this help\n"
    "\n"
    "History is kept in $XDG_DATA_HOME/cnn/history\n"
    "(default ~/.local/share/cnn/history).\n";

/* Debian's OpenBLAS may pick slow generic kernels on recent CPUs; the core
 * is chosen when the library loads, so the fix is to set
 * OPENBLAS_CORETYPE and start again, once. */
static void tune_openblas(char **argv)
{
    const char *core;
    if (getenv(REEXEC_MARK) || getenv("OPENBLAS_CORETYPE")
        || !(core = nn_cpu_better_coretype()))
        return;
    setenv("OPENBLAS_CORETYPE", core, 1);
    setenv(REEXEC_MARK, core, 1);
    execv("/proc/self/exe", argv);
    perror("cnn-kernel: re-executing with OPENBLAS_CORETYPE");
}

/* jupyter_client names its pid in JPY_PARENT_PID; like ipykernel, the
 * kernel then leaves when that process dies (SIGTERM: a clean shutdown)
 * instead of lingering as an orphan. */
static void follow_parent(void)
{
    const char *p = getenv("JPY_PARENT_PID");
    if (!p || atol(p) != (long)getppid())
        return;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (atol(p) != (long)getppid()) /* it died before prctl */
        raise(SIGTERM);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "install") == 0)
        return install_main(argc - 1, argv + 1);
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("cnn-kernel %s\n", CNN_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return 0;
        } else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            file = argv[++i];
        } else if (strncmp(argv[i], "--f=", 4) == 0) {
            file = argv[i] + 4;
        } else {
            /* Frontends may pass extra arguments (`jupyter run` passes its
             * file names); like ipykernel, start anyway. */
            fprintf(stderr, "cnn-kernel: ignoring argument '%s'\n", argv[i]);
        }
    }
    if (!file) {
        fprintf(stderr, "cnn-kernel: no connection file\n\n%s", help);
        return 2;
    }
    tune_openblas(argv);

    char err[1024];
    conn_info ci;
    if (conn_load(file, &ci, err, sizeof err) < 0) {
        fprintf(stderr, "cnn-kernel: %s\n", err);
        return 1;
    }
    interp *lang = lang_interp_new(&commands_library);
    if (!lang) {
        fprintf(stderr, "cnn-kernel: cannot create the interpreter (out of "
                "memory)\n");
        conn_free(&ci);
        return 1;
    }
    follow_parent();
    char *hist = history_default_path();
    int rc = server_run(&ci, lang, hist, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "cnn-kernel: %s\n", err);
    free(hist);
    lang->free(lang->self);
    conn_free(&ci);
    return rc < 0 ? 1 : 0;
}
