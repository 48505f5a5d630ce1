"""Test environment for the end-to-end tests.

Importing this module, before any Jupyter import, points Jupyter at a
temporary data directory holding a kernelspec "cnn" written by the
build-tree kernel under test (`$CNN_KERNEL install --user`), and gives the
kernel a temporary XDG_DATA_HOME for its history. Tests never touch the
user's installed kernels or history, and work for any build (ASan too).
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

KERNEL = os.environ.get("CNN_KERNEL")
if not KERNEL or not os.access(KERNEL, os.X_OK):
    sys.exit("CNN_KERNEL must name the cnn-kernel executable under test")
KERNEL = os.path.realpath(KERNEL)

ROOT = tempfile.mkdtemp(prefix="cnn-e2e-")
atexit.register(shutil.rmtree, ROOT, True)
DATA = os.path.join(ROOT, "jupyter")
os.environ["JUPYTER_DATA_DIR"] = DATA
os.environ["JUPYTER_PATH"] = DATA
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(ROOT, "runtime")
os.environ["JUPYTER_CONFIG_DIR"] = os.path.join(ROOT, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(ROOT, "xdg")
os.environ["IPYTHONDIR"] = os.path.join(ROOT, "ipython")

subprocess.run([KERNEL, "install", "--user"], check=True,
               stdout=subprocess.DEVNULL)
SPEC_DIR = os.path.join(DATA, "kernels", "cnn")


def history_dir():
    """Where the kernel keeps its history in this environment."""
    return os.path.join(os.environ["XDG_DATA_HOME"], "cnn")


def rss_kb(pid):
    """Resident set size of a process in kB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")
