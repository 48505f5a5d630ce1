"""Soak: one run of 10,000 executes, 100 interrupts in the middle of
training and 10 restarts through jupyter_client. No crash; after every
error and every interrupt the names defined before are still there and
usable (the net predicts and trains again); the resident memory of a
kernel stays within 5% after warm-up and its open file descriptors do not
grow, across the run and across restarts. Prints the figures.

The kernel keeps the last 10,000 cells of its history in memory, 2 MB of
text at most (and reloads them after a restart): memory that grows with
the first cells by design, and rewrites its history file when it passes 15,000
lines. The history is filled before the run, close to the rewrite, and the
warm-up covers the rewrite, so that what is measured is the kernel's steady
state.

A second run meets hostile clients (HostileSoakTests): requests whose
content is not valid text, floods of executes while a cell fails under
stop_on_error, cells of a megabyte, and a stderr reader that goes away;
every request is answered and the resident memory comes back to within a
few MB of where it started."""
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
import time
import unittest
import uuid

import cnnenv
import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.manager import KernelManager

TIMEOUT = 120
EXECUTES = 10_000
INTERRUPTS = 100
RESTARTS = 10
SETUP = ("data = moons(n=200, noise=0.2, seed=7)\n"
         "net = linear(16) -> relu -> linear(1) -> sigmoid\n"
         "fit net on data, epochs=2, verbose=false")
HISTORY_LIMIT = 10_000  # kernel/server.c
SANITIZED = os.environ.get("CNN_SANITIZE", "none") not in ("", "none")


class Soak:
    def __init__(self, test):
        self.test = test
        self.executes = self.errors = self.interrupts = 0
        self.km = KernelManager(kernel_name="cnn")
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)

    @property
    def pid(self):
        return self.km.provisioner.process.pid

    def fds(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def reply(self, msg_id):
        while True:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def run(self, code):
        """Executes code and returns its reply content (iopub is drained
        up to idle so that queues do not grow)."""
        msg_id = self.kc.execute(code)
        self.executes += 1
        content = self.reply(msg_id)
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        if content["status"] != "ok":
            self.errors += 1
        return content

    def ok(self, code):
        content = self.run(code)
        self.test.assertEqual(content["status"], "ok",
                              f"{code!r}: {content.get('evalue')}")
        return content

    def names_usable(self):
        """What was defined before is there: the net predicts and trains."""
        self.ok("predict net [[0.5, -0.2], [1.0, 0.3]]")
        self.ok("fit net on data, epochs=1, verbose=false")

    def interrupt(self):
        msg_id = self.kc.execute("fit net on data, epochs=1e9")
        self.executes += 1
        while True:  # wait until the cell runs, then let it train a little
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["msg_type"] == "execute_input"
                    and msg["parent_header"].get("msg_id") == msg_id):
                break
        time.sleep(0.05)
        self.km.interrupt_kernel()
        content = self.reply(msg_id)
        self.test.assertEqual(content["ename"], "KeyboardInterrupt")
        self.test.assertIn("fit interrupted in epoch", content["evalue"])
        self.interrupts += 1
        self.errors += 1
        self.names_usable()

    def cells(self, n, interrupts):
        """n executes of assorted cells, `interrupts` of them interrupted
        fits, each error followed by a check that names are usable."""
        every = n // (interrupts + 1) if interrupts else n + 1
        start = self.executes
        i = 0
        while self.executes - start < n:
            i += 1
            if interrupts and i % every == 0:
                self.interrupt()
                interrupts -= 1
                continue
            kind = i % 10
            if kind == 3:
                content = self.run(f"nosuch_{i}")
                self.test.assertEqual(content["ename"], "NameError")
                self.names_usable()
            elif kind == 6:
                content = self.run("net = linear(4) ->")
                self.test.assertEqual(content["ename"], "SyntaxError")
                self.names_usable()
            elif kind == 8:
                content = self.run("fit net on data, optimizer=sgd(lr=-1)")
                self.test.assertEqual(content["ename"], "ValueError")
            elif kind == 9:
                self.ok("predict net [[0.1, 0.2]]")
            else:
                content = self.ok(f"y{i % 50} = {i} + 1\nprint(y{i % 50})")
        while interrupts:
            self.interrupt()
            interrupts -= 1

    def restart(self):
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        content = self.run("net")
        self.test.assertEqual(content["ename"], "NameError")
        self.ok(SETUP)

    def stop(self):
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=False)


def fill_history():
    """Writes 14,400 cells of an earlier session to the history, each
    larger than any cell of the soak."""
    os.makedirs(cnnenv.history_dir(), exist_ok=True)
    with open(os.path.join(cnnenv.history_dir(), "history"), "a") as f:
        for n in range(1, HISTORY_LIMIT * 3 // 2 - 600 + 1):
            f.write(json.dumps({"s": 1, "n": n,
                                "in": f"# {'x' * 200}\ny = {n}",
                                "out": "z" * 200}) + "\n")


class SoakTests(unittest.TestCase):
    def test_soak(self):
        t0 = time.time()
        fill_history()
        s = Soak(self)
        try:
            s.ok(SETUP)
            # The first kernel: warm up, then the bulk of the run with the
            # memory and descriptors watched.
            per_restart = EXECUTES // 2 // RESTARTS
            interrupts_per_restart = INTERRUPTS // 2 // RESTARTS
            s.cells(1000, 10)
            rss0, fds0 = cnnenv.rss_kb(s.pid), s.fds()
            s.cells(EXECUTES // 2 - s.executes, INTERRUPTS // 2 - s.interrupts)
            rss1, fds1 = cnnenv.rss_kb(s.pid), s.fds()
            # Ten restarts, each a new kernel that runs its share.
            fds_after = []
            for r in range(RESTARTS):
                s.restart()
                left = RESTARTS - r
                s.cells(min(per_restart, (EXECUTES - s.executes) // left),
                        (INTERRUPTS - s.interrupts) // left)
                fds_after.append(s.fds())
            if s.executes < EXECUTES:
                s.cells(EXECUTES - s.executes, 0)
            s.names_usable()
        finally:
            s.stop()
        growth = (rss1 - rss0) / rss0 * 100
        print(f"\n  soak: {s.executes} executes ({s.errors} errors), "
              f"{s.interrupts} interrupts, {RESTARTS} restarts in "
              f"{time.time() - t0:.0f} s"
              f"\n  first kernel: RSS {rss0} kB after warm-up, {rss1} kB "
              f"after {EXECUTES // 2} executes ({growth:+.1f}%); "
              f"fds {fds0} -> {fds1}"
              f"\n  fds of each kernel after a restart: {fds_after}")
        self.assertGreaterEqual(s.executes, EXECUTES)
        self.assertGreaterEqual(s.interrupts, INTERRUPTS)
        self.assertEqual(fds1, fds0)
        self.assertTrue(all(f == fds0 for f in fds_after), fds_after)
        if not SANITIZED:  # sanitizer quarantines make RSS meaningless
            self.assertLessEqual(abs(growth), 5.0)


class Hostile:
    """A kernel started as Jupyter would, with its stderr on a pipe, a
    jupyter_client client and a raw DEALER on shell that speaks frames."""

    def __init__(self, tmp):
        self.cf, info = write_connection_file(os.path.join(tmp, "k.json"))
        self.key = info["key"]
        if isinstance(self.key, str):
            self.key = self.key.encode()
        self.proc = subprocess.Popen([cnnenv.KERNEL, "-f", self.cf],
                                     stderr=subprocess.PIPE)
        self.kc = BlockingKernelClient(connection_file=self.cf)
        self.kc.load_connection_file()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.ctx = zmq.Context()
        self.raw = self.ctx.socket(zmq.DEALER)
        self.raw.linger = 0
        self.raw.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        self.sent = self.answered = 0

    def send(self, msg_type, content_bytes):
        header = json.dumps({"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                             "session": "hostile", "username": "h",
                             "date": "2024-01-01T00:00:00.000000Z",
                             "version": "5.3"}).encode()
        parts = [header, b"{}", b"{}", content_bytes]
        h = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        self.raw.send_multipart([b"<IDS|MSG>", h.hexdigest().encode()] + parts)
        self.sent += 1

    def collect(self, statuses):
        """Reads replies on the raw socket until every request sent has its
        own; counts their statuses into `statuses`."""
        while self.answered < self.sent:
            if not self.raw.poll(TIMEOUT * 1000):
                raise AssertionError(f"{self.sent - self.answered} of "
                                     f"{self.sent} requests unanswered")
            frames = self.raw.recv_multipart()
            status = json.loads(frames[frames.index(b"<IDS|MSG>") + 5])["status"]
            statuses[status] = statuses.get(status, 0) + 1
            self.answered += 1

    def execute(self, code):
        msg_id = self.kc.execute(code)
        while True:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def drain_iopub(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                return

    def stop(self):
        self.kc.stop_channels()
        self.ctx.destroy(linger=0)
        self.proc.terminate()
        return self.proc.wait(timeout=TIMEOUT)


class HostileSoakTests(unittest.TestCase):
    ROUNDS = 20
    FLOOD = 300
    BAD_TEXT = [b'{"code": "print(\xff)"}', b'{"code": "\\ud800"}',
                b'{"code": "\xed\xa0\x80"}', b'{"code": "\\udfff x"}']

    def test_hostile_clients(self):
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            k = Hostile(tmp)
            statuses = {}
            try:
                self.assertEqual(k.execute(SETUP)["status"], "ok")
                big = 'big = "' + "b" * (1 << 20) + '"'
                for i in range(3):  # warm up every path once
                    self.round(k, big, statuses)
                k.drain_iopub()
                rss0 = cnnenv.rss_kb(k.proc.pid)
                for r in range(self.ROUNDS):
                    if r == 1:
                        k.proc.stderr.close()  # the reader goes away
                    self.round(k, big, statuses)
                k.drain_iopub()
                time.sleep(0.5)
                rss1 = cnnenv.rss_kb(k.proc.pid)
                self.assertIsNone(k.proc.poll(), "the kernel died")
                self.assertEqual(k.execute('print("alive")')["status"], "ok")
            finally:
                rc = k.stop()
        print(f"\n  hostile soak: {k.sent} raw requests, all answered "
              f"({statuses}) in {time.time() - t0:.0f} s; RSS {rss0} kB after "
              f"warm-up, {rss1} kB after {self.ROUNDS} rounds")
        self.assertEqual(rc, 0)
        self.assertGreater(statuses.get("aborted", 0), 0)
        if not SANITIZED:
            self.assertLessEqual(rss1 - rss0, 5 * 1024)

    def round(self, k, big, statuses):
        """One round: bad text, a flood behind a failing cell, big cells."""
        for content in self.BAD_TEXT:
            k.send("execute_request", content)
        k.collect(statuses)
        k.send("execute_request", json.dumps(
            {"code": "fit net on data, epochs=100, verbose=false\nnosuch",
             "stop_on_error": True}).encode())
        for i in range(self.FLOOD):
            k.send("execute_request",
                   json.dumps({"code": f"y = {i}"}).encode())
        k.collect(statuses)
        for _ in range(3):
            self.assertEqual(k.execute(big)["status"], "ok")
        k.drain_iopub()


if __name__ == "__main__":
    unittest.main()
