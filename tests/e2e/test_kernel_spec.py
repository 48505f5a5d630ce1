"""jupyter_kernel_test's conformance suite, with every sample filled in cnn,
so that no test is skipped."""
import os
import stat
import subprocess
import tempfile
import unittest

import cnnenv  # (sets up the kernelspec first)
import jupyter_kernel_test


class CnnKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "cnn"
    language_name = "cnn"
    file_extension = ".cnn"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("careful")'

    completion_samples = [
        {"text": "pri", "matches": {"print"}},
    ]
    complete_code_samples = ["x = 1", 'print("hi")',
                             "net = linear(16) -> relu -> linear(1) -> sigmoid"]
    incomplete_code_samples = ["1 +", "linear(16) -> relu ->", "x = [1, 2,"]
    invalid_code_samples = ["x = )", "1 + * 2"]

    # help is display_data (text/markdown + text/plain), not a pager
    # payload: see code_display_data
    code_page_something = ""
    code_generate_error = "undefined_name"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "6 * 7", "result": "42"},
        {"code": 'x = "abc"\nx', "result": '"abc"', "mime": "text/plain"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": "data = moons(n=200, noise=0.2, seed=7)\nplot data",
         "mime": "text/html"},
        {"code": "help fit", "mime": "text/markdown"},
    ]
    code_inspect_sample = "print"
    code_clear_output = "clear()"


class InstallTests(unittest.TestCase):
    def test_kernelspec_is_0644_under_umask_0(self):
        """kernel.json is not world-writable whatever the umask: anyone who
        could edit it could make Jupyter run their program."""
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([cnnenv.KERNEL, "install", "--prefix", d],
                           check=True, stdout=subprocess.DEVNULL,
                           preexec_fn=lambda: os.umask(0))
            spec = os.path.join(d, "share", "jupyter", "kernels", "cnn")
            for name in ("kernel.json", "logo-32x32.png", "logo-64x64.png"):
                mode = stat.S_IMODE(os.stat(os.path.join(spec, name)).st_mode)
                self.assertEqual(oct(mode), oct(0o644), name)


if __name__ == "__main__":
    unittest.main()
