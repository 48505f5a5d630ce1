"""The kernel on an OpenBLAS that picks slow kernels: when the library
reports a core far below what the CPU runs (simulated by corename_shim, an
LD_PRELOADed openblas_get_corename that says "Prescott" until
OPENBLAS_CORETYPE is set), the kernel re-executes itself once with
OPENBLAS_CORETYPE set to the CPU's level, says so in its banner, and
trains; a value the user set is never overridden."""
import os
import unittest

import cnnenv  # noqa: F401  (must come before any Jupyter import)
from jupyter_client.manager import start_new_kernel

SHIM = os.environ.get("CNN_CORENAME_SHIM")


def cpu_has_avx512():
    with open("/proc/cpuinfo") as f:
        return "avx512f" in f.read().split()


def environ_of(pid):
    with open(f"/proc/{pid}/environ", "rb") as f:
        pairs = f.read().split(b"\0")
    return dict(p.decode().split("=", 1) for p in pairs if b"=" in p)


@unittest.skipUnless(SHIM, "CNN_CORENAME_SHIM names the shim library")
class MisdetectedCore(unittest.TestCase):
    def start(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if k not in ("OPENBLAS_CORETYPE", "CNN_OPENBLAS_TUNED")}
        env.update(LD_PRELOAD=SHIM,
                   ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=0",
                   **extra)
        km, kc = start_new_kernel(kernel_name="cnn", env=env)
        self.addCleanup(km.shutdown_kernel, now=True)
        self.addCleanup(kc.stop_channels)
        banner = kc.kernel_info(reply=True)["content"]["banner"]
        return km, kc, banner

    def train(self, kc):
        out = []
        reply = kc.execute_interactive(
            "data = blobs(k=3, d=64, n=600, seed=1)\n"
            "net = linear(256) -> relu -> linear(3) -> softmax\n"
            "fit net on data, epochs=3, verbose=false\n"
            "print(\"done\")",
            output_hook=lambda m: out.append(m["content"].get("text", "")),
            timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("done\n", "".join(out))

    def test_reexecutes_with_the_cpus_core_once(self):
        want = "SkylakeX" if cpu_has_avx512() else "Haswell"
        km, kc, banner = self.start()
        pid = km.provisioner.process.pid
        env = environ_of(pid)
        # the same process (exec keeps the pid), now with the core set and
        # the mark that prevents a second re-exec
        self.assertEqual(env.get("OPENBLAS_CORETYPE"), want)
        self.assertEqual(env.get("CNN_OPENBLAS_TUNED"), want)
        self.assertIn(f"(OPENBLAS_CORETYPE={want} set by cnn)", banner)
        self.assertNotIn("Prescott", banner)
        self.train(kc)

    def test_a_core_the_user_set_is_kept(self):
        km, kc, banner = self.start(OPENBLAS_CORETYPE="Prescott")
        env = environ_of(km.provisioner.process.pid)
        self.assertEqual(env.get("OPENBLAS_CORETYPE"), "Prescott")
        self.assertNotIn("CNN_OPENBLAS_TUNED", env)
        self.assertNotIn("set by cnn", banner)
        self.train(kc)


if __name__ == "__main__":
    unittest.main()
