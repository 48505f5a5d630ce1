"""The kernel as jupyter_client (and raw ZeroMQ sockets) see it: security,
robustness, the control channel while cells run, interrupts, restarts,
shutdowns, stdin, history and memory."""
import hashlib
import hmac
import json
import os
import re
import signal
import time
import unittest
import uuid

import cnnenv
import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60
SETUP = ("data = moons(n=1000, noise=0.2, seed=7)\n"
         "net = linear(16) -> relu -> linear(1) -> sigmoid")
LONG_FIT = "fit net on data, epochs=100000"
DELIM = b"<IDS|MSG>"


def start_kernel():
    km = KernelManager(kernel_name="cnn")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def stop_kernel(km, kc):
    kc.stop_channels()
    if km.has_kernel:
        km.shutdown_kernel(now=True)


def iopub_until_idle(kc, parent_id, timeout=TIMEOUT):
    """The iopub messages of request parent_id, up to its idle status."""
    msgs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        msgs.append(msg)
        if msg["msg_type"] == "status" and \
                msg["content"]["execution_state"] == "idle":
            return msgs


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def run(kc, code, timeout=TIMEOUT, **kw):
    """Executes code; returns (reply content, iopub messages)."""
    msg_id = kc.execute(code, **kw)
    reply = shell_reply(kc, msg_id, timeout)
    return reply["content"], iopub_until_idle(kc, msg_id, timeout)


def stdout_of(msgs):
    return "".join(m["content"]["text"] for m in msgs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def control_request(kc, msg_type, content=None):
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    while True:
        reply = kc.get_control_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply, msg["header"]["msg_id"]


def wait_until_running(kc, msg_id):
    """Waits for the execute_input of msg_id, then a little more so that the
    cell is well inside its work."""
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["msg_type"] == "execute_input" and \
                msg["parent_header"].get("msg_id") == msg_id:
            time.sleep(0.5)
            return


class RawClient:
    """A DEALER on the shell port and a SUB on iopub, speaking frames."""

    def __init__(self, km):
        info = km.get_connection_info()
        self.key = info["key"]
        self.ctx = zmq.Context()
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        self.addr = info

    def sign(self, parts):
        h = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def frames(self, msg_type, content, header=None):
        header = header or {"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                            "session": "raw", "username": "t",
                            "date": "2024-01-01T00:00:00.000000Z",
                            "version": "5.3"}
        parts = [json.dumps(header).encode(), b"{}", b"{}",
                 json.dumps(content).encode()]
        return [DELIM, self.sign(parts)] + parts, header

    def recv(self, timeout):
        if self.shell.poll(int(timeout * 1000)):
            return self.shell.recv_multipart()
        return None

    def close(self):
        self.ctx.destroy(linger=0)


class FirstCellTests(unittest.TestCase):
    """A client that executes at once, before its iopub subscription has
    reached the kernel (as `jupyter run` and `jupyter console` may), still
    gets the cell's output; new subscribers are welcomed (XPUB)."""

    def test_execute_right_after_connecting_keeps_its_output(self):
        for _ in range(3):
            km = KernelManager(kernel_name="cnn")
            km.start_kernel()
            kc = km.client()
            try:
                kc.start_channels()
                msg_id = kc.execute('print("first")')
                msgs = iopub_until_idle(kc, msg_id)
                self.assertEqual(stdout_of(msgs), "first\n")
                self.assertEqual(msgs[0]["content"]["execution_state"], "busy")
            finally:
                stop_kernel(km, kc)

    def test_new_subscribers_get_iopub_welcome(self):
        km, kc = start_kernel()
        try:
            info = km.get_connection_info()
            ctx = zmq.Context()
            sub = ctx.socket(zmq.SUB)
            sub.linger = 0
            sub.setsockopt(zmq.SUBSCRIBE, b"")
            sub.connect(f"tcp://{info['ip']}:{info['iopub_port']}")
            self.assertTrue(sub.poll(TIMEOUT * 1000), "no welcome")
            frames = sub.recv_multipart()
            i = frames.index(DELIM)
            header = json.loads(frames[i + 2])
            self.assertEqual(header["msg_type"], "iopub_welcome")
            self.assertEqual(json.loads(frames[i + 5]), {"subscription": ""})
            ctx.destroy(linger=0)
        finally:
            stop_kernel(km, kc)


class ProtocolTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_kernel()

    def tearDown(self):
        stop_kernel(self.km, self.kc)

    def assert_alive(self):
        content, msgs = run(self.kc, 'print("alive")')
        self.assertEqual(content["status"], "ok")
        self.assertEqual(stdout_of(msgs), "alive\n")

    # ---- security and robustness --------------------------------------

    def test_forged_unsigned_and_replayed_messages_are_ignored(self):
        raw = RawClient(self.km)
        try:
            frames, _ = raw.frames("kernel_info_request", {})
            forged = list(frames)
            forged[1] = hmac.new(b"not the key", frames[2], hashlib.sha256) \
                .hexdigest().encode()
            raw.shell.send_multipart(forged)
            unsigned = list(frames)
            unsigned[1] = b""
            raw.shell.send_multipart(unsigned)
            self.assertIsNone(raw.recv(1.0), "a forged message was answered")
            raw.shell.send_multipart(frames)
            reply = raw.recv(TIMEOUT)
            self.assertIsNotNone(reply)
            raw.shell.send_multipart(frames)  # the same message again
            self.assertIsNone(raw.recv(1.0), "a replayed message was answered")
        finally:
            raw.close()
        self.assert_alive()

    def test_reply_frames_follow_the_wire_format(self):
        raw = RawClient(self.km)
        try:
            frames, header = raw.frames("kernel_info_request", {})
            raw.shell.send_multipart(frames)
            reply = raw.recv(TIMEOUT)
        finally:
            raw.close()
        self.assertEqual(reply[0], DELIM)
        self.assertEqual(reply[1], raw.sign(reply[2:6]))
        h = json.loads(reply[2])
        self.assertEqual(h["version"], "5.3")
        self.assertEqual(h["msg_type"], "kernel_info_reply")
        self.assertRegex(h["date"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertTrue(h["session"] and h["username"] and h["msg_id"])
        self.assertEqual(json.loads(reply[3]), header)
        content = json.loads(reply[5])
        self.assertEqual(content["protocol_version"], "5.3")
        for field in ("name", "version", "mimetype", "file_extension",
                      "pygments_lexer", "codemirror_mode"):
            self.assertIn(field, content["language_info"])
        self.assertIn("banner", content)
        self.assertIn("help_links", content)

    def test_garbage_frames_are_survived(self):
        raw = RawClient(self.km)
        signed = raw.frames("kernel_info_request", {})[0]
        bad_json = [DELIM, raw.sign([b"{not json", b"{}", b"{}", b"{}"]),
                    b"{not json", b"{}", b"{}", b"{}"]
        bad_types = raw.frames("x", {}, header={"msg_id": 5, "msg_type": []})[0]
        list_content = [DELIM, raw.sign([signed[2], b"{}", b"{}", b"[1, 2]"]),
                        signed[2], b"{}", b"{}", b"[1, 2]"]
        huge = b"x" * (8 << 20)
        garbage = [
            [b"garbage"], [b"a", b"b", b"c"], [DELIM], [DELIM, b"", b"{}"],
            signed[:4], bad_json, bad_types, list_content,
            [b"\xff\xfe", DELIM, b"sig", huge, b"{}", b"{}", b"{}"],
            [huge], [b"id"] * 100 + [DELIM],
        ]
        try:
            for frames in garbage:
                raw.shell.send_multipart(frames)
            self.assertIsNone(raw.recv(1.0), "garbage was answered")
            # Well signed, but wrong field types: an error reply, no crash.
            for msg_type, content in [
                    ("execute_request", {"code": 5}),
                    ("execute_request", {"code": "1", "silent": "yes"}),
                    ("complete_request", {"code": "pri", "cursor_pos": "x"}),
                    ("inspect_request", {}),
                    ("history_request", {"hist_access_type": "bogus"}),
                    ("is_complete_request", {"code": None})]:
                raw.shell.send_multipart(raw.frames(msg_type, content)[0])
                reply = raw.recv(TIMEOUT)
                self.assertIsNotNone(reply, msg_type)
                self.assertEqual(json.loads(reply[5])["status"], "error")
            # Unknown message types get no reply.
            raw.shell.send_multipart(raw.frames("frobnicate_request", {})[0])
            self.assertIsNone(raw.recv(0.5))
        finally:
            raw.close()
        # An 8 MB cell is read, run and answered.
        content, _ = run(self.kc, 'big = "' + "a" * (8 << 20) + '"\nprint("done")')
        self.assertEqual(content["status"], "ok")
        self.assertTrue(self.kc.is_alive())
        self.assert_alive()

    def test_invalid_text_gets_an_error_reply(self):
        """Content that jansson cannot read as text (invalid UTF-8, a lone
        surrogate escape) is answered with an error, not left unanswered."""
        raw = RawClient(self.km)
        try:
            for msg_type, content in [
                    ("execute_request", b'{"code": "print(\xff)"}'),
                    ("execute_request", b'{"code": "\\ud800"}'),
                    ("complete_request", b'{"code": "pr\xed\xa0\x80"}'),
                    ("kernel_info_request", b'{"x": "\\udc00"}')]:
                frames, _ = raw.frames(msg_type, {})
                parts = [frames[2], b"{}", b"{}", content]
                raw.shell.send_multipart([DELIM, raw.sign(parts)] + parts)
                reply = raw.recv(TIMEOUT)
                self.assertIsNotNone(reply, content)
                got = json.loads(reply[5])
                self.assertEqual(got["status"], "error", content)
                self.assertEqual(got["ename"], "BadRequest")
                self.assertEqual(json.loads(reply[2])["msg_type"],
                                 msg_type.replace("_request", "_reply"))
        finally:
            raw.close()
        self.assert_alive()

    # ---- iopub and shell ----------------------------------------------

    def test_busy_idle_around_kernel_info_on_shell_and_control(self):
        msg_id = self.kc.kernel_info()
        shell_reply(self.kc, msg_id)
        states = [m["content"]["execution_state"]
                  for m in iopub_until_idle(self.kc, msg_id)]
        self.assertEqual(states, ["busy", "idle"])
        reply, msg_id = control_request(self.kc, "kernel_info_request")
        self.assertEqual(reply["content"]["protocol_version"], "5.3")
        states = [m["content"]["execution_state"]
                  for m in iopub_until_idle(self.kc, msg_id)]
        self.assertEqual(states, ["busy", "idle"])

    def test_execute_counts_silent_and_user_expressions(self):
        content, msgs = run(self.kc, "x = 20 + 1\nx",
                            user_expressions={"double": "x * 2", "bad": "nope"})
        self.assertEqual(content["execution_count"], 1)
        self.assertEqual(content["user_expressions"]["double"]["data"]
                         ["text/plain"], "42")
        self.assertEqual(content["user_expressions"]["bad"]["status"], "error")
        types = [m["msg_type"] for m in msgs]
        self.assertEqual(types, ["status", "execute_input", "execute_result",
                                 "status"])
        self.assertEqual(msgs[2]["content"]["data"]["text/plain"], "21")
        self.assertEqual(msgs[2]["content"]["execution_count"], 1)
        content, msgs = run(self.kc, "x", silent=True)
        self.assertEqual(content["status"], "ok")
        self.assertEqual([m["msg_type"] for m in msgs], ["status", "status"])
        content, _ = run(self.kc, "x", store_history=False)
        self.assertEqual(content["execution_count"], 1)
        content, _ = run(self.kc, "x")
        self.assertEqual(content["execution_count"], 2)

    def test_errors_are_published_and_replied(self):
        content, msgs = run(self.kc, "undefined_name")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "NameError")
        self.assertEqual(content["evalue"], "unknown name 'undefined_name'")
        errors = [m for m in msgs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "NameError")
        self.assertIsInstance(errors[0]["content"]["traceback"], list)

    def test_training_updates_its_display(self):
        run(self.kc, SETUP)
        content, msgs = run(self.kc, "fit net on data, epochs=300")
        self.assertEqual(content["status"], "ok")
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
        self.assertTrue(shown and updates)
        display_id = shown[0]["content"]["transient"]["display_id"]
        for m in updates:
            self.assertEqual(m["content"]["transient"]["display_id"], display_id)
        for m in updates[:-1]:
            self.assertIn("text/html", m["content"]["data"])
        # at the end the live display is emptied and the final chart is a
        # display of its own, for clients that ignore updates
        self.assertEqual(updates[-1]["content"]["data"], {"text/plain": ""})
        self.assertEqual(len(shown), 2)
        self.assertIn("text/html", shown[-1]["content"]["data"])
        self.assertIn("epoch", stdout_of(msgs))

    def test_stop_on_error_aborts_queued_cells(self):
        run(self.kc, SETUP)
        # The failing cell trains a little first, so the next two requests
        # are surely queued when it fails.
        failing = self.kc.execute("fit net on data, epochs=300\nundefined_name")
        queued = [self.kc.execute('print("queued")') for _ in range(2)]
        self.assertEqual(shell_reply(self.kc, failing)["content"]["status"],
                         "error")
        for msg_id in queued:
            reply = shell_reply(self.kc, msg_id)
            self.assertEqual(reply["content"]["status"], "aborted")
        # The queue is aborted once; later cells run.
        content, msgs = run(self.kc, 'print("later")')
        self.assertEqual(content["status"], "ok")
        self.assertEqual(stdout_of(msgs), "later\n")
        # stop_on_error=False: the queue goes on.
        failing = self.kc.execute("fit net on data, epochs=300\nundefined_name",
                                  stop_on_error=False)
        after = self.kc.execute('print("after")')
        self.assertEqual(shell_reply(self.kc, failing)["content"]["status"],
                         "error")
        self.assertEqual(shell_reply(self.kc, after)["content"]["status"], "ok")

    def test_stdin_round_trip(self):
        msg_id = self.kc.execute('name = ask("Name? ")\nprint("hi", name)',
                                 allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["content"]["prompt"], "Name? ")
        self.assertFalse(req["content"]["password"])
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.kc.input("Ada")
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["status"], "ok")
        self.assertEqual(stdout_of(iopub_until_idle(self.kc, msg_id)),
                         "hi Ada\n")
        content, _ = run(self.kc, 'name = ask("Name? ")', allow_stdin=False)
        self.assertEqual(content["status"], "error")

    def test_interrupt_while_waiting_for_input(self):
        msg_id = self.kc.execute('name = ask("Name? ")', allow_stdin=True)
        self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assert_alive()

    def test_comms(self):
        msg_id = self.kc.comm_info()
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})
        msg = self.kc.session.msg("comm_open", {"comm_id": "c-1",
                                                "target_name": "jupyter.widget",
                                                "data": {}})
        self.kc.shell_channel.send(msg)
        msgs = iopub_until_idle(self.kc, msg["header"]["msg_id"])
        closes = [m for m in msgs if m["msg_type"] == "comm_close"]
        self.assertEqual(len(closes), 1)
        self.assertEqual(closes[0]["content"]["comm_id"], "c-1")

    # ---- control, heartbeat, interrupts --------------------------------

    def test_control_and_heartbeat_answer_while_a_cell_runs(self):
        run(self.kc, SETUP)
        msg_id = self.kc.execute(LONG_FIT)
        wait_until_running(self.kc, msg_id)
        info = self.km.get_connection_info()
        ctx = zmq.Context()
        hb = ctx.socket(zmq.REQ)
        hb.linger = 0
        hb.connect(f"tcp://{info['ip']}:{info['hb_port']}")
        hb.send(b"ping")
        self.assertTrue(hb.poll(5000), "no heartbeat while a cell runs")
        self.assertEqual(hb.recv(), b"ping")
        ctx.destroy(linger=0)
        reply, _ = control_request(self.kc, "kernel_info_request")
        self.assertEqual(reply["content"]["status"], "ok")
        reply, _ = control_request(self.kc, "usage_request")
        self.assertEqual(reply["content"]["pid"],
                         self.km.provisioner.process.pid)
        self.km.interrupt_kernel()
        self.assertEqual(shell_reply(self.kc, msg_id)["content"]["ename"],
                         "KeyboardInterrupt")

    def test_usage_request(self):
        reply, _ = control_request(self.kc, "usage_request")
        c = reply["content"]
        self.assertEqual(c["pid"], self.km.provisioner.process.pid)
        self.assertGreater(c["kernel_memory"], 0)
        self.assertGreaterEqual(c["cpu_count"], 1)
        self.assertIn("kernel_cpu", c)
        self.assertIn("hostname", c)
        vm = c["host_virtual_memory"]
        for field in ("total", "available", "percent", "used", "free"):
            self.assertIn(field, vm)
        self.assertGreater(vm["total"], c["kernel_memory"])

    def interrupt_training(self, interrupt):
        run(self.kc, SETUP)
        msg_id = self.kc.execute(LONG_FIT)
        wait_until_running(self.kc, msg_id)
        t0 = time.perf_counter()
        interrupt()
        reply = shell_reply(self.kc, msg_id)
        print(f"\n  interrupt -> execute_reply: "
              f"{(time.perf_counter() - t0) * 1000:.1f} ms")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        errors = [m for m in iopub_until_idle(self.kc, msg_id)
                  if m["msg_type"] == "error"]
        self.assertEqual(errors[0]["content"]["ename"], "KeyboardInterrupt")
        # The net keeps its weights and still predicts.
        content, msgs = run(self.kc, "predict net [[0.5, -0.2], [1.0, 0.3]]")
        self.assertEqual(content["status"], "ok")
        self.assertTrue(msgs)

    def test_interrupt_request_stops_training(self):
        self.interrupt_training(self.km.interrupt_kernel)

    def test_sigint_stops_training(self):
        pid = self.km.provisioner.process.pid
        self.interrupt_training(lambda: os.kill(pid, signal.SIGINT))

    # ---- lifecycle ------------------------------------------------------

    def test_restart_forgets_names(self):
        run(self.kc, "x = 1")
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        content, _ = run(self.kc, "x")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "NameError")
        self.assertEqual(content["execution_count"], 1)

    def test_history_survives_a_restart(self):
        marker = f"marker_{uuid.uuid4().hex[:8]} = 5"
        run(self.kc, marker)
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        run(self.kc, "1 + 1")
        msg_id = self.kc.history(hist_access_type="search", pattern="marker_*",
                                 output=False, raw=True)
        found = [h for h in shell_reply(self.kc, msg_id)["content"]["history"]
                 if h[2] == marker]
        self.assertEqual(len(found), 1)
        msg_id = self.kc.history(hist_access_type="tail", n=1, output=True,
                                 raw=True)
        last = shell_reply(self.kc, msg_id)["content"]["history"]
        self.assertEqual(last, [[found[0][0] + 1, 1, ["1 + 1", "2"]]])
        self.assertTrue(os.path.exists(os.path.join(cnnenv.history_dir(),
                                                    "history")))

    def test_shutdown_in_the_middle_of_training(self):
        run(self.kc, SETUP)
        msg_id = self.kc.execute(LONG_FIT)
        wait_until_running(self.kc, msg_id)
        proc = self.km.provisioner.process
        t0 = time.perf_counter()
        self.km.request_shutdown()
        rc = proc.wait(timeout=TIMEOUT)
        print(f"\n  shutdown_request -> exit: "
              f"{(time.perf_counter() - t0) * 1000:.1f} ms")
        self.assertEqual(rc, 0, "the kernel did not exit cleanly by itself")

    def test_sigterm_exits_cleanly(self):
        proc = self.km.provisioner.process
        proc.terminate()
        self.assertEqual(proc.wait(timeout=TIMEOUT), 0)

    def test_thousand_executes_keep_rss_flat(self):
        if os.environ.get("CNN_SANITIZE", "none") not in ("", "none"):
            self.skipTest("sanitizer quarantines make RSS meaningless")
        pid = self.km.provisioner.process.pid
        run(self.kc, SETUP)
        for i in range(1000):
            content, _ = run(self.kc, f"y = {i} * 2\ny")
            self.assertEqual(content["status"], "ok")
            if i == 99:
                rss100 = cnnenv.rss_kb(pid)
        rss1000 = cnnenv.rss_kb(pid)
        print(f"\n  RSS after 100 cells: {rss100} kB, after 1000: {rss1000} kB")
        self.assertLessEqual(rss1000, rss100 + 1024)


class HostileEnvironmentTests(unittest.TestCase):
    """What the kernel meets outside the protocol: a stderr reader that
    goes away, the ipc transport's socket files."""

    def test_lost_stderr_reader_is_survived(self):
        """The kernel logs to stderr, and anyone who reaches a port can make
        it log; when the reader of stderr is gone, it must not die of
        SIGPIPE (Popen restores SIGPIPE's default action)."""
        import subprocess
        import tempfile
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file
        with tempfile.TemporaryDirectory() as d:
            cf, info = write_connection_file(os.path.join(d, "k.json"))
            proc = subprocess.Popen([cnnenv.KERNEL, "-f", cf],
                                    stderr=subprocess.PIPE)
            kc = BlockingKernelClient(connection_file=cf)
            kc.load_connection_file()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=TIMEOUT)
                proc.stderr.close()  # the reader goes away
                ctx = zmq.Context()
                sock = ctx.socket(zmq.DEALER)
                sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
                for _ in range(50):  # unsigned: each one a log line
                    sock.send_multipart([DELIM, b"0" * 64] + [b"{}"] * 4)
                time.sleep(0.5)
                ctx.destroy(linger=0)
                content, msgs = run(kc, 'print("alive")')
                self.assertEqual(content["status"], "ok")
                self.assertEqual(stdout_of(msgs), "alive\n")
                self.assertIsNone(proc.poll())
            finally:
                kc.stop_channels()
                proc.terminate()
                proc.wait(timeout=TIMEOUT)

    def test_ipc_socket_files_are_removed(self):
        """With the ipc transport, the five socket files go with the kernel,
        after a shutdown_request and after SIGTERM alike."""
        import tempfile
        for how in ("shutdown_request", "SIGTERM"):
            with tempfile.TemporaryDirectory() as d:
                km = KernelManager(kernel_name="cnn", transport="ipc",
                                   ip=os.path.join(d, "k"))
                km.start_kernel()
                kc = km.client()
                kc.start_channels()
                try:
                    kc.wait_for_ready(timeout=TIMEOUT)
                    if how != "SIGTERM":
                        content, _ = run(kc, "1 + 1")
                        self.assertEqual(content["status"], "ok")
                    self.assertEqual(len([f for f in os.listdir(d)
                                          if f.startswith("k-")]), 5)
                    proc = km.provisioner.process
                    if how == "SIGTERM":
                        kc.stop_channels()  # no client left, as when
                        proc.terminate()    # a frontend closes
                    else:
                        kc.shutdown()
                    rc = proc.wait(timeout=TIMEOUT)
                    # before jupyter_client's cleanup, which removes them too
                    left = [f for f in os.listdir(d) if f.startswith("k-")]
                finally:
                    kc.stop_channels()
                    if km.has_kernel:
                        km.shutdown_kernel(now=True)
                self.assertEqual(left, [], how)
                self.assertEqual(rc, 0, how)

if __name__ == "__main__":
    unittest.main()
