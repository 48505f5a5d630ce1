/* corename_shim: makes the kernel see the OpenBLAS that Debian 12 ships
 * on recent Xeons, which it misdetects: openblas_get_corename() reports
 * the slow "Prescott" core unless OPENBLAS_CORETYPE is set, and OpenBLAS's
 * own answer once it is. test_openblas.py LD_PRELOADs it into the kernel
 * to run, on any CPU with AVX-512, the re-exec that fixes the core. */
#include <dlfcn.h>
#include <stdlib.h>

char *openblas_get_corename(void);

char *openblas_get_corename(void)
{
    if (!getenv("OPENBLAS_CORETYPE"))
        return "Prescott";
    char *(*real)(void) =
        (char *(*)(void))dlsym(RTLD_NEXT, "openblas_get_corename");
    return real ? real() : "unknown";
}
