"""Soak: one run of 10,000 executes, 100 interrupts in the middle of
training and 10 restarts through jupyter_client. No crash; after every
error and every interrupt the names defined before are still there and
usable (the net predicts and trains again); the resident memory of a
kernel stays within 5% after warm-up and its open file descriptors do not
grow, across the run and across restarts. Prints the figures.

The kernel keeps the last 10,000 cells of its history in memory (and
reloads them after a restart): memory that grows with the first 10,000
cells by design, and rewrites its history file when it passes 15,000
lines. The history is filled before the run, close to the rewrite, and the
warm-up covers the rewrite, so that what is measured is the kernel's steady
state."""
import json
import os
import time
import unittest

import cnnenv
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


if __name__ == "__main__":
    unittest.main()
