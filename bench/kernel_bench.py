"""Protocol benchmark: cnn-kernel side by side with ipykernel.

    /usr/bin/python3 bench/kernel_bench.py --kernel build/kernel/cnn-kernel

Measures, for each kernel, with the same raw ZeroMQ client:
  launch-to-ready  from starting the process to receiving kernel_info_reply
                   (median of --launches starts);
  empty cell       from sending execute_request with code "" to receiving
                   status idle for it on iopub (median of --cells runs,
                   after a warm-up);
  idle RSS         VmRSS of the kernel process after those cells.
and prints them with the ratio cnn / ipykernel and cnn's targets.
Not a test: timings depend on the machine.
"""
import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import zmq

DELIM = b"<IDS|MSG>"
CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class Client:
    """Signs, sends and receives Jupyter messages on raw sockets."""

    def __init__(self, info):
        self.key = info["key"].encode()
        self.session = uuid.uuid4().hex
        self.count = 0
        self.ctx = zmq.Context()
        ep = lambda ch: f"tcp://127.0.0.1:{info[ch + '_port']}"
        self.shell = self.ctx.socket(zmq.DEALER)
        self.iopub = self.ctx.socket(zmq.SUB)
        for s in (self.shell, self.iopub):
            s.linger = 0
            s.setsockopt(zmq.RECONNECT_IVL, 1)  # find the kernel as it binds
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.shell.connect(ep("shell"))
        self.iopub.connect(ep("iopub"))

    def send(self, msg_type, content):
        self.count += 1
        header = {"msg_id": f"{self.session}_{self.count}", "msg_type": msg_type,
                  "session": self.session, "username": "bench",
                  "date": "2024-01-01T00:00:00.000000Z", "version": "5.3"}
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        self.shell.send_multipart([DELIM, mac.hexdigest().encode()] + parts)
        return header["msg_id"]

    @staticmethod
    def parse(frames):
        i = frames.index(DELIM)
        return json.loads(frames[i + 2]), json.loads(frames[i + 3])

    def recv_reply(self, msg_id, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.shell.poll(int(max(1, (deadline - time.monotonic()) * 1000))):
                header, parent = self.parse(self.shell.recv_multipart())
                if parent.get("msg_id") == msg_id:
                    return header
        raise TimeoutError(f"no reply to {msg_id}")

    def wait_idle(self, msg_id, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.iopub.poll(int(max(1, (deadline - time.monotonic()) * 1000))):
                frames = self.iopub.recv_multipart()
                header, parent = self.parse(frames)
                if header["msg_type"] == "status" and \
                        parent.get("msg_id") == msg_id:
                    i = frames.index(DELIM)
                    if json.loads(frames[i + 5])["execution_state"] == "idle":
                        return
        raise TimeoutError(f"no idle for {msg_id}")

    def drain_shell(self):
        while self.shell.poll(0):
            self.shell.recv_multipart()

    def close(self):
        self.ctx.destroy(linger=0)


class Kernel:
    def __init__(self, argv, env):
        self.dir = tempfile.mkdtemp(prefix="kbench-")
        ports = free_ports(5)
        self.info = {f"{ch}_port": p for ch, p in zip(CHANNELS, ports)}
        self.info.update(ip="127.0.0.1", transport="tcp", key=uuid.uuid4().hex,
                         signature_scheme="hmac-sha256", kernel_name="bench")
        self.file = os.path.join(self.dir, "kernel.json")
        with open(self.file, "w") as f:
            json.dump(self.info, f)
        self.argv = [a.replace("{connection_file}", self.file) for a in argv]
        self.env = env

    def start(self):
        """Starts the kernel; returns seconds until kernel_info_reply."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, env=self.env,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.client = Client(self.info)
        msg_id = self.client.send("kernel_info_request", {})
        self.client.recv_reply(msg_id, timeout=60)
        return time.perf_counter() - t0

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def empty_cell(self):
        t0 = time.perf_counter()
        msg_id = self.client.send("execute_request", {
            "code": "", "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True})
        self.client.wait_idle(msg_id)
        dt = time.perf_counter() - t0
        self.client.drain_shell()
        return dt

    def stop(self):
        try:
            self.client.send("shutdown_request", {"restart": False})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.client.close()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)


def measure(name, argv, env, launches, cells):
    ready = []
    for _ in range(launches):
        k = Kernel(argv, env)
        ready.append(k.start())
        k.stop()
    k = Kernel(argv, env)
    k.start()
    time.sleep(0.3)  # let iopub subscriptions settle
    for _ in range(20):
        k.empty_cell()
    trips = [k.empty_cell() for _ in range(cells)]
    time.sleep(0.2)
    rss = k.rss_mb()
    k.stop()
    r = {"ready_ms": statistics.median(ready) * 1000,
         "cell_ms": statistics.median(trips) * 1000, "rss_mb": rss}
    print(f"  {name}: ready {r['ready_ms']:.1f} ms, empty cell "
          f"{r['cell_ms']:.3f} ms, idle RSS {r['rss_mb']:.1f} MB",
          file=sys.stderr)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True, help="the cnn-kernel executable")
    ap.add_argument("--launches", type=int, default=5)
    ap.add_argument("--cells", type=int, default=500)
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="the Python that runs ipykernel")
    args = ap.parse_args()

    env = dict(os.environ)
    hist = tempfile.mkdtemp(prefix="kbench-xdg-")
    env["XDG_DATA_HOME"] = hist  # keep the benchmark out of the user's history
    env["IPYTHONDIR"] = hist
    cnn = measure("cnn", [os.path.realpath(args.kernel), "-f", "{connection_file}"],
                  env, args.launches, args.cells)
    ipk = measure("ipykernel", [args.python, "-m", "ipykernel_launcher", "-f",
                                "{connection_file}"],
                  env, args.launches, args.cells)
    subprocess.run(["rm", "-rf", hist], check=False)

    rows = [("launch-to-ready (ms)", "ready_ms", "{:.1f}", "<= 50"),
            ("empty cell round trip, median (ms)", "cell_ms", "{:.3f}", "<= 0.5"),
            ("idle RSS (MB)", "rss_mb", "{:.1f}", "<= 10")]
    print(f"| {'metric':36} | {'cnn':>8} | {'ipykernel':>9} | {'ratio':>6} | target |")
    print(f"|{'-' * 38}|{'-' * 10}|{'-' * 11}|{'-' * 8}|--------|")
    for label, key, fmt, target in rows:
        a, b = cnn[key], ipk[key]
        print(f"| {label:36} | {fmt.format(a):>8} | {fmt.format(b):>9} | "
              f"{a / b:6.3f} | {target:6} |")


if __name__ == "__main__":
    main()
