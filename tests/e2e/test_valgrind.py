"""The kernel under valgrind for a short session with training: no leak,
no invalid access, and a clean exit on shutdown_request."""
import json
import os
import shutil
import time
import unittest

import cnnenv
from jupyter_client.manager import KernelManager

TIMEOUT = 300


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
@unittest.skipIf(os.environ.get("CNN_SANITIZE", "none") not in ("", "none"),
                 "valgrind cannot run a sanitizer build")
class ValgrindTests(unittest.TestCase):
    def test_session_without_leaks(self):
        log = os.path.join(cnnenv.ROOT, "valgrind.log")
        spec_dir = os.path.join(cnnenv.DATA, "kernels", "cnn-valgrind")
        os.makedirs(spec_dir, exist_ok=True)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump({
                "argv": ["valgrind", "--leak-check=full", "--error-exitcode=99",
                         "--show-leak-kinds=definite,indirect",
                         "--errors-for-leak-kinds=definite,indirect",
                         f"--log-file={log}", cnnenv.KERNEL,
                         "-f", "{connection_file}"],
                "display_name": "cnn (valgrind)", "language": "cnn",
                "interrupt_mode": "message",
                # no OpenBLAS re-exec: valgrind would not follow it
                "env": {"CNN_OPENBLAS_TUNED": ""},
            }, f)
        km = KernelManager(kernel_name="cnn-valgrind")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
            cells = [
                'print("hello")', "undefined_name", "x = [1, 2, 3]\nx",
                "data = moons(n=200, noise=0.2, seed=7)\nplot data",
                "net = linear(8) -> relu -> linear(1) -> sigmoid\n"
                "fit net on data, epochs=3",
                "predict net [[0.5, -0.2]]", "help fit", "clear()",
            ]
            for code in cells:
                reply = kc.execute_interactive(code, timeout=TIMEOUT,
                                               output_hook=lambda m: None)
                self.assertIn(reply["content"]["status"], ("ok", "error"))
            # interrupt a long fit
            msg_id = kc.execute("fit net on data, epochs=100000")
            time.sleep(3)
            km.interrupt_kernel()
            while True:
                reply = kc.get_shell_msg(timeout=TIMEOUT)
                if reply["parent_header"]["msg_id"] == msg_id:
                    break
            self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
            kc.complete("pri")
            kc.inspect("print")
            kc.history(hist_access_type="tail", n=5)
            for _ in range(3):
                kc.get_shell_msg(timeout=TIMEOUT)
            proc = km.provisioner.process
            km.request_shutdown()
            rc = proc.wait(timeout=TIMEOUT)
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)
        with open(log) as f:
            report = f.read()
        print("\n" + "\n".join(l for l in report.splitlines()
                               if "lost:" in l or "ERROR SUMMARY" in l))
        self.assertEqual(rc, 0, "valgrind found errors:\n" + report)
        self.assertIn("ERROR SUMMARY: 0 errors", report)
        self.assertRegex(report, r"definitely lost: 0 bytes|no leaks are possible")


if __name__ == "__main__":
    unittest.main()
