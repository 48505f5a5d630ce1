"""Security: the kernel binds only the connection file's ip and ports,
never logs its key, compares signatures in constant time, creates files
only where a cell names them (and its history file), and runs no shell."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import cnnenv
import zmq
from jupyter_client.manager import KernelManager

TIMEOUT = 120
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CELLS = [
    "data = moons(n=200, noise=0.2, seed=7)",
    "net = linear(8) -> relu -> linear(1) -> sigmoid",
    "fit net on data, epochs=3",
    "plot data",
    "evaluate net on data",
    "nosuch",
    "help fit",
]


def run(kc, code):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def socket_inodes(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        m = re.fullmatch(r"socket:\[(\d+)\]", link)
        if m:
            inodes.add(m.group(1))
    return inodes


def inet_sockets(pid):
    """(protocol, local ip, local port, state) of the process's IP sockets,
    from /proc/net/{tcp,tcp6,udp,udp6}."""
    inodes = socket_inodes(pid)
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        with open(f"/proc/net/{proto}") as f:
            next(f)
            for line in f:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if inode not in inodes:
                    continue
                addr, port = local.split(":")
                if len(addr) == 8:  # IPv4, little-endian hex
                    ip = ".".join(str(int(addr[i:i + 2], 16))
                                  for i in (6, 4, 2, 0))
                else:
                    ip = addr
                found.append((proto, ip, int(port, 16), state))
    return found


def strace_works():
    if not shutil.which("strace"):
        return False
    try:
        return subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"],
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class SecurityTests(unittest.TestCase):
    def start(self, kernel_name="cnn", **kw):
        km = KernelManager(kernel_name=kernel_name)
        km.start_kernel(**kw)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=TIMEOUT)
        self.addCleanup(self.stop, km, kc)
        return km, kc

    @staticmethod
    def stop(km, kc):
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)

    def test_only_the_connection_ports_are_bound(self):
        km, kc = self.start()
        for code in CELLS:
            run(kc, code)
        info = km.get_connection_info()
        ports = {info[k] for k in ("shell_port", "iopub_port", "stdin_port",
                                   "control_port", "hb_port")}
        socks = inet_sockets(km.provisioner.process.pid)
        print(f"\n  kernel's IP sockets: {sorted(socks)}")
        listening = {(ip, port) for proto, ip, port, state in socks
                     if state == "0A"}  # TCP_LISTEN
        self.assertEqual(listening, {(info["ip"], p) for p in ports})
        for proto, ip, port, state in socks:
            self.assertEqual(proto, "tcp")
            self.assertEqual((ip, port in ports), (info["ip"], True))

    def test_key_is_never_logged(self):
        log = os.path.join(cnnenv.ROOT, "security-stderr.log")
        with open(log, "w") as out:
            km, kc = self.start(stdout=out, stderr=out)
            key = km.session.key.decode()
            self.assertGreaterEqual(len(key), 16)
            for code in CELLS:
                run(kc, code)
            # A message with a bad signature is dropped and logged.
            info = km.get_connection_info()
            ctx = zmq.Context()
            s = ctx.socket(zmq.DEALER)
            s.linger = 0
            s.connect(f"tcp://{info['ip']}:{info['shell_port']}")
            header = json.dumps({"msg_id": "x", "msg_type": "kernel_info_request",
                                 "session": "s", "username": "u", "date": "",
                                 "version": "5.3"}).encode()
            s.send_multipart([b"<IDS|MSG>", b"0" * 64, header, b"{}", b"{}",
                              b"{}"])
            time.sleep(0.5)
            ctx.destroy(linger=0)
            self.assertEqual(run(kc, "print(1)")["status"], "ok")
            proc = km.provisioner.process
            km.request_shutdown()
            proc.wait(timeout=TIMEOUT)
        with open(log) as f:
            text = f.read()
        print(f"\n  stderr of the session: {text.strip()!r}")
        self.assertIn("signature", text)  # the drop was logged...
        self.assertNotIn(key, text)       # ...without the key
        hist = os.path.join(cnnenv.history_dir(), "history")
        with open(hist) as f:
            self.assertNotIn(key, f.read())

    def test_signatures_are_compared_in_constant_time(self):
        with open(os.path.join(SRC, "kernel", "wire.c")) as f:
            src = f.read()
        self.assertRegex(src, r"CRYPTO_memcmp\(want, sig->data, 64\)")
        # No other comparison touches a signature.
        for m in re.finditer(r"\b(memcmp|strcmp|strncmp|bcmp)\s*\(([^;]*)", src):
            self.assertNotIn("sig", m.group(2), m.group(0))

    def test_no_shell_in_the_sources(self):
        pattern = re.compile(r"\b(system|popen|fork|vfork|posix_spawnp?|"
                             r"execl[pe]?|execvp?e?|execve)\s*\(")
        calls = []
        for sub in ("base", "kernel", "kernel/lang", "kernel/commands",
                    "kernel/render", "nn"):
            d = os.path.join(SRC, sub)
            for name in sorted(os.listdir(d)):
                if not name.endswith(".c"):
                    continue
                with open(os.path.join(d, name)) as f:
                    for n, line in enumerate(f, 1):
                        if pattern.search(line.split("//")[0]):
                            calls.append(f"{sub}/{name}:{n}: {line.strip()}")
        # main.c re-execs itself (OpenBLAS core type), nothing else.
        self.assertEqual(len(calls), 1, calls)
        self.assertIn('execv("/proc/self/exe", argv)', calls[0])

    @unittest.skipUnless(strace_works(), "strace is missing or cannot trace")
    def test_files_and_programs_under_strace(self):
        """Files are created only where a cell names them (and the history
        file); the only program run is the kernel itself."""
        work = tempfile.mkdtemp(dir=cnnenv.ROOT)
        log = os.path.join(cnnenv.ROOT, "strace.log")
        spec_dir = os.path.join(cnnenv.DATA, "kernels", "cnn-strace")
        os.makedirs(spec_dir, exist_ok=True)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump({
                "argv": ["strace", "-f", "-qq", "-o", log, "-e",
                         "trace=execve,execveat,fork,vfork,open,openat,creat,"
                         "mkdir,mkdirat,rename,renameat,renameat2,link,"
                         "linkat,symlink,symlinkat,unlink,unlinkat",
                         cnnenv.KERNEL, "-f", "{connection_file}"],
                "display_name": "cnn (strace)", "language": "cnn",
                "interrupt_mode": "message",
            }, f)
        km, kc = self.start("cnn-strace", cwd=work)
        for code in CELLS + ['save net to "named.safetensors"',
                             'm = load("named.safetensors")',
                             'x = csv("missing.csv")']:
            run(kc, code)
        proc = km.provisioner.process
        km.request_shutdown()
        proc.wait(timeout=TIMEOUT)
        self.assertTrue(os.path.exists(os.path.join(work, "named.safetensors")))
        with open(log) as f:
            trace = f.read().splitlines()
        hist = os.path.realpath(cnnenv.history_dir())
        allowed = {os.path.join(work, "named.safetensors"),
                   os.path.join(work, "named.safetensors.tmp")}
        allowed_tmp = os.path.join(work, "named.safetensors.tmp")
        writes, programs = [], []
        for line in trace:
            m = re.search(r'(\w+)\((?:AT_FDCWD, |-?\d+, )?"([^"]*)"(.*)', line)
            if not m:
                continue
            call, path, rest = m.groups()
            if call.startswith("exec"):
                programs.append(path)
                continue
            if call in ("open", "openat") and not re.search(
                    r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", rest):
                continue
            if re.search(r"= -1 \w+", rest):  # failed: nothing written
                continue
            full = os.path.normpath(os.path.join(work, path))
            if full in allowed or full.startswith(hist + os.sep):
                continue
            # save's temporary file: "<path>.tmp.<pid>.<unique>"
            if re.fullmatch(re.escape(allowed_tmp) + r"\.\d+\.\w+", full):
                continue
            if call.startswith("mkdir") and (hist + os.sep).startswith(
                    full + os.sep):  # the history's directory, made with -p
                continue
            if full.startswith("/dev/") or full.startswith("/proc/self/"):
                continue
            writes.append(line)
        print(f"\n  {len(trace)} traced calls; programs run: {sorted(set(programs))}")
        self.assertEqual(writes, [])
        self.assertTrue(set(programs) <= {cnnenv.KERNEL, "/proc/self/exe"},
                        programs)


if __name__ == "__main__":
    unittest.main()
