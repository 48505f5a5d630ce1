/* install: `cnn-kernel install`, which registers the kernel with Jupyter.
 *
 * Writes a kernelspec directory (kernel.json and the two logos, which are
 * compiled into the program) where `python -m ipykernel install` would:
 *   (default)       /usr/local/share/jupyter/kernels/NAME
 *   --user          $JUPYTER_DATA_DIR/kernels/NAME, else
 *                   ${XDG_DATA_HOME:-~/.local/share}/jupyter/kernels/NAME
 *   --sys-prefix    PREFIX/share/jupyter/kernels/NAME, PREFIX being the
 *                   prefix cnn was configured with (our sys.prefix)
 *   --prefix DIR    DIR/share/jupyter/kernels/NAME
 * kernel.json runs this very executable: argv [realpath of /proc/self/exe,
 * "-f", "{connection_file}"], language "cnn", interrupt_mode "message". */
#ifndef INSTALL_H
#define INSTALL_H

#include <stddef.h>

typedef enum install_where {
    INSTALL_SYSTEM,
    INSTALL_USER,
    INSTALL_SYS_PREFIX,
    INSTALL_PREFIX
} install_where;

typedef struct install_opts {
    install_where where;
    const char *prefix;        /* for INSTALL_PREFIX and INSTALL_SYS_PREFIX */
    const char *name;          /* kernelspec directory name: [A-Za-z0-9._-]+ */
    const char *display_name;
} install_opts;

/* Parses the arguments after "install" (argv[0] is "install"). Returns 0
 * and fills *o (pointing into argv), or -1 with a message in err. */
int install_parse_args(int argc, char **argv, install_opts *o, char *err,
                       size_t errlen);

/* The kernelspec directory for o. Returns a malloc'd path, or NULL with a
 * message in err (no HOME for --user, a bad name, no memory). */
char *install_dir(const install_opts *o, char *err, size_t errlen);

/* Writes the kernelspec for executable `exe` into `dir`, creating it and
 * its parents. Returns 0, or -1 with a message in err naming the path
 * that could not be written. */
int install_write(const char *dir, const char *exe, const char *display_name,
                  char *err, size_t errlen);

/* `cnn-kernel install ...`: parses, writes, prints where. Returns the
 * process exit status (0, or 1 after printing the error, 2 on usage). */
int install_main(int argc, char **argv);

#endif
