"""A JupyterHub class of simulated students, for tests and bench/classroom.

Hub(kernel) starts Debian's JupyterHub 3.0 on 127.0.0.1 (free ports) in a
temporary directory and its own process group:

  * authenticator: JupyterHub's DummyAuthenticator; spawner: its
    SimpleLocalProcessSpawner, which runs every user's single-user server
    (`jupyterhub-singleuser`, the classic notebook server) as the current
    user with HOME in the temporary directory. Neither needs system users.
  * the cnn kernelspec is installed as the Dockerfile installs it, by
    `cnn-kernel install`, but with `--prefix ROOT/sys` instead of the
    system's /usr/local: the test must not write outside its temporary
    directory. The single-user servers see it through JUPYTER_PATH.
  * students log in with the dummy authenticator (the login form, then a
    token from the REST API); a service token that may read users and
    stop servers watches their servers start and stops them.

A Student logs in (the login form, then an API token for its name and
password), starts a
server, starts a kernel through /user/NAME/api/kernels and runs cells over
the kernel's websocket, recording every message of each execute. stop()
shuts the hub down (it stops the servers, the proxy and, through the
servers, the kernels); leftovers() lists any process still carrying this
hub's marker in its environment, and kill() ends the process group.

Only Debian's Python 3 with tornado (a jupyterhub dependency).
"""
import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

AsyncHTTPClient.configure(None, max_clients=200)

NOTEBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "..", "examples", "02-binary-classification.ipynb")


def notebook_cells(path=NOTEBOOK):
    """The code cells of a notebook, as strings."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return ["".join(c["source"]) for c in nb["cells"]
            if c["cell_type"] == "code"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """
c = get_config()  # noqa
c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_port}'
c.ConfigurableHTTPProxy.pid_file = {root!r} + '/proxy.pid'
c.JupyterHub.pid_file = {root!r} + '/hub.pid'
c.JupyterHub.db_url = 'sqlite:///' + {root!r} + '/hub.sqlite'
c.JupyterHub.cookie_secret_file = {root!r} + '/cookie_secret'
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.authenticator_class = 'jupyterhub.auth.DummyAuthenticator'
c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'
c.SimpleLocalProcessSpawner.home_dir_template = {root!r} + '/home/{{username}}'
c.Spawner.cmd = ['jupyterhub-singleuser']
c.Spawner.args = {args!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {env!r}
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.services = [{{'name': 'classroom', 'api_token': {token!r}}}]
c.JupyterHub.load_roles = [{{
    'name': 'classroom',
    'scopes': ['admin:servers', 'read:users'],
    'services': ['classroom'],
}}]
"""


class Hub:
    """A running JupyterHub in a temporary directory (see the module).
    cull_idle: when not 0, each notebook server shuts down a kernel idle
    for that many seconds (MappingKernelManager.cull_idle_timeout, the
    kernel culler JupyterHub's idle culler relies on), checking every
    second; a busy kernel is never culled."""

    def __init__(self, kernel, log=None, cull_idle=0):
        self.root = tempfile.mkdtemp(prefix="cnn-classroom-")
        self.marker = "CNN_CLASSROOM=" + self.root
        self.token = secrets.token_hex(16)
        sys_prefix = os.path.join(self.root, "sys")
        subprocess.run([kernel, "install", "--prefix", sys_prefix], check=True,
                       stdout=subprocess.DEVNULL)
        env = {"JUPYTER_PATH": os.path.join(sys_prefix, "share", "jupyter"),
               "CNN_CLASSROOM": self.root,
               "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp"}
        for key in ("OPENBLAS_CORETYPE", "ASAN_OPTIONS", "UBSAN_OPTIONS"):
            if key in os.environ:
                env[key] = os.environ[key]
        self.env, self.cull_idle = env, cull_idle
        self.log_path = log or os.path.join(self.root, "hub.log")
        self.log = open(self.log_path, "w")
        self.launch()

    def launch(self):
        """Starts jupyterhub (and through it the proxy) on three ports that
        were free a moment ago; self.port and self.url name the public one.
        The log of this start begins at self.log_start."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = os.path.join(self.root, "jupyterhub_config.py")
        with open(config, "w") as f:
            f.write(CONFIG.format(port=self.port, hub_port=free_port(),
                                  proxy_port=free_port(), root=self.root,
                                  env=self.env, token=self.token,
                                  # a container's root user (CI)
                                  args=self.args(self.cull_idle)))
        # Debian's configurable-http-proxy finds its modules (commander...)
        # in /usr/share/nodejs, which Debian's node searches by itself; a
        # node from elsewhere (NodeSource's) needs NODE_PATH.
        node_path = ":".join(p for p in (os.environ.get("NODE_PATH"),
                                         "/usr/share/nodejs") if p)
        henv = dict(os.environ, CNN_CLASSROOM=self.root, NODE_PATH=node_path)
        self.log.flush()
        self.log_start = self.log.tell()
        self.proc = subprocess.Popen(
            ["jupyterhub", "-f", config], cwd=self.root, env=henv,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    @staticmethod
    def args(cull_idle):
        """The single-user servers' arguments."""
        args = ["--allow-root"] if os.getuid() == 0 else []  # CI's root
        if cull_idle:
            args += [f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
                     "--MappingKernelManager.cull_interval=1",
                     "--MappingKernelManager.cull_busy=False"]
        return args

    async def api(self, method, path, body=None, token=None,
                  ok=(200, 201, 202, 204), timeout=120):
        """Calls the hub's REST API; returns the decoded JSON (or None)."""
        req = HTTPRequest(self.url + "/hub/api" + path, method=method,
                          headers={"Authorization": "token " + (token or self.token)},
                          body=None if body is None and method == "GET"
                          else json.dumps(body or {}),
                          allow_nonstandard_methods=True,
                          request_timeout=timeout)
        resp = await AsyncHTTPClient().fetch(req, raise_error=False)
        if resp.code not in ok:
            raise RuntimeError(f"{method} {path}: {resp.code} {resp.body[:300]!r}")
        return json.loads(resp.body) if resp.body else None

    def log_tail(self, n=3000):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()[-n:]

    def port_taken(self):
        """Whether this start failed because one of its ports was taken:
        free_port() closes the port it finds, and another process (a
        kernel's ZeroMQ socket, a test running beside this one) may bind
        it first. The hub exits; the proxy only logs it."""
        with open(self.log_path, errors="replace") as f:
            f.seek(self.log_start)
            log = f.read()
        return "EADDRINUSE" in log or "Address already in use" in log

    async def wait_up(self, timeout=60, starts=3):
        """Waits for the hub's REST API to answer; starts the hub again on
        other ports when a port was taken, at most `starts` times in all.
        Raises RuntimeError, with the log, if it never answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.log.flush()
            if self.port_taken() and starts > 1:
                self.kill()
                self.launch()
                starts -= 1
                deadline = time.monotonic() + timeout
                continue
            if self.proc.poll() is not None:
                raise RuntimeError("jupyterhub exited:\n" + self.log_tail())
            try:
                await self.api("GET", "/", timeout=5)
                return
            except (OSError, RuntimeError, HTTPClientError):
                await asyncio.sleep(0.3)
        raise RuntimeError("jupyterhub did not answer:\n" + self.log_tail())

    def pids(self):
        """Pids of the processes (ours) whose environment has the marker."""
        out = []
        for d in os.listdir("/proc"):
            if not d.isdigit() or int(d) == os.getpid():
                continue
            try:
                with open(f"/proc/{d}/environ", "rb") as f:
                    if self.marker.encode() in f.read().split(b"\0"):
                        out.append(int(d))
            except OSError:
                pass
        return out

    def stop(self, timeout=30):
        """Stops the hub (SIGTERM: it stops servers and proxy) and waits
        for every process it started to end."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        deadline = time.monotonic() + timeout
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.pids()

    def kill(self):
        """Ends whatever is left: the hub's process group, and any marked
        process (single-user servers start their own sessions)."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()

    def cleanup(self):
        self.log.close()
        shutil.rmtree(self.root, True)


class Student:
    """One simulated student: a hub user, a server, a cnn kernel."""

    def __init__(self, hub, name):
        self.hub, self.name = hub, name
        self.session = uuid.uuid4().hex
        self.ws = None
        self.kernel_id = None

    async def login(self):
        """Logs in through the hub's login form (DummyAuthenticator: any
        password), which creates the user, then gets an API token from the
        REST API with the same name and password (the hub's authenticator
        checks them)."""
        resp = await AsyncHTTPClient().fetch(HTTPRequest(
            self.hub.url + "/hub/login", method="POST",
            body=f"username={self.name}&password=classroom",
            follow_redirects=False, request_timeout=120), raise_error=False)
        if resp.code != 302:
            raise RuntimeError(f"{self.name}: login: {resp.code} {resp.body[:300]!r}")
        auth = {"username": self.name, "password": "classroom"}
        req = HTTPRequest(self.hub.url + f"/hub/api/users/{self.name}/tokens",
                          method="POST", request_timeout=120,
                          body=json.dumps({"note": "classroom", "auth": auth}))
        resp = await AsyncHTTPClient().fetch(req, raise_error=False)
        if resp.code != 201:
            raise RuntimeError(f"{self.name}: token: {resp.code} {resp.body[:300]!r}")
        self.token = json.loads(resp.body)["token"]

    async def start_server(self, timeout=180):
        await self.hub.api("POST", f"/users/{self.name}/server", token=self.token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = await self.hub.api("GET", f"/users/{self.name}")
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                self.base = self.hub.url + server["url"].rstrip("/")
                return
            await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name}'s server did not start")

    async def server_api(self, method, path, body=None, ok=()):
        req = HTTPRequest(self.base + "/api" + path, method=method,
                          headers={"Authorization": "token " + self.token},
                          body=None if method in ("GET", "DELETE") else json.dumps(body or {}),
                          request_timeout=120)
        resp = await AsyncHTTPClient().fetch(req, raise_error=False)
        if resp.code >= 300 and resp.code not in ok:
            raise RuntimeError(f"{self.name} {method} {path}: {resp.code} {resp.body[:300]!r}")
        return json.loads(resp.body) if resp.body and resp.code < 300 else None

    async def start_kernel(self, name="cnn"):
        k = await self.server_api("POST", "/kernels", {"name": name})
        self.kernel_id = k["id"]
        ws_url = self.base.replace("http://", "ws://") + \
            f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.ws = await websocket_connect(HTTPRequest(
            ws_url, headers={"Authorization": "token " + self.token}),
            max_message_size=64 << 20)

    async def request(self, msg_type, content, timeout=300):
        """Sends a shell request; returns (reply content, [iopub messages
        for it], seconds from request to idle)."""
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "msg_type": msg_type,
                          "username": self.name, "session": self.session,
                          "version": "5.3",
                          "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
               "parent_header": {}, "metadata": {}, "channel": "shell",
               "content": content}
        t0 = time.monotonic()
        await self.ws.write_message(json.dumps(msg))
        reply, iopub, idle = None, [], False
        deadline = t0 + timeout
        while reply is None or not idle:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"{self.name}: no reply to a cell in {timeout} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise RuntimeError(f"{self.name}: websocket closed")
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if m["channel"] == "shell" and m["msg_type"].endswith("_reply"):
                reply = m["content"]
            elif m["channel"] == "iopub":
                iopub.append(m)
                if m["msg_type"] == "status" and \
                        m["content"]["execution_state"] == "idle":
                    idle = True
        return reply, iopub, time.monotonic() - t0

    async def execute(self, code, timeout=300):
        """Runs one cell: request("execute_request", ...)."""
        return await self.request("execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True}, timeout)

    def kernel_pid(self):
        """The pid of this student's kernel: the marked process whose
        command line names its connection file."""
        for pid in self.hub.pids():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if self.kernel_id.encode() in f.read():
                        return pid
            except OSError:
                pass
        return None

    async def shutdown(self):
        if self.ws is not None:
            self.ws.close()
        if self.kernel_id:
            await self.server_api("DELETE", f"/kernels/{self.kernel_id}",
                                  ok=(404,))  # culled
        await self.hub.api("DELETE", f"/users/{self.name}/server", ok=(202, 204))


def rss_kb(pid):
    """Resident set size of a process in kB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
