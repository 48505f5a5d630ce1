"""Notebook 6.4 for real: a Jupyter Notebook server, a notebook opened in
headless Chromium (driven over the DevTools protocol, through tornado's
websocket client), Run All, Save, then the saved file.

What the test holds:
- while fit trains, the live chart (an update carrying the chart only as
  an <img> in text/html) is drawn in the page: an image titled "(live)"
  that the browser decoded;
- when fit ends, the cell shows one loss chart and one boundary, final,
  and the saved notebook keeps exactly one loss chart per fit;
- a picture of the page has ink on it (render.ink).

Waits poll the page with a generous limit; nothing asserts a duration."""
import asyncio
import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import cnnenv  # noqa: F401  (the kernelspec, before any Jupyter import)
import nbformat
from tornado.websocket import websocket_connect

import render

LIMIT = 120
CELLS = [
    "data = moons(n=300, noise=0.15, seed=3)\n"
    "net = linear(16) -> relu -> linear(1) -> sigmoid",
    "fit net on data, epochs=100000000, seconds=4, boundary=true",
    "fit net on data, epochs=20\nfit net on data, epochs=10",
]

# The plots of a cell as the page shows them: for each <img> of a plot,
# whether the browser decoded it, and the title inside its SVG.
PLOTS_JS = """(i => [...Jupyter.notebook.get_cell(i).element[0]
    .querySelectorAll('.output_area img[src^="data:image/svg+xml;base64,"]')]
  .map(img => ({ok: img.complete && img.naturalWidth > 0,
                title: (atob(img.src.split(',')[1])
                        .match(/<text[^>]*font-weight="bold"[^>]*>([^<]*)</)
                        || [null, ''])[1]})))"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, proc=None):
    """The body at url, once it answers; None if proc (the server that
    should answer) exits first. Until the server listens, the port may
    answer with something other than HTTP (below): that is retried too."""
    end = time.monotonic() + LIMIT
    while True:
        if proc is not None and proc.poll() is not None:
            return None
        try:
            return urllib.request.urlopen(url, timeout=5).read()
        except (OSError, http.client.HTTPException):
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def devtools_port(profile):
    """The port Chromium's DevTools listen on, once it has written it."""
    active = os.path.join(profile, "DevToolsActivePort")
    end = time.monotonic() + LIMIT
    while True:
        try:
            with open(active) as f:
                words = f.read().split()
            if words:
                return int(words[0])
        except FileNotFoundError:
            pass
        assert time.monotonic() < end, "Chromium never listened"
        time.sleep(0.1)


class Page:
    """One Chromium tab, over the DevTools protocol."""

    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method, **params):
        self.next_id += 1
        my = self.next_id
        await self.ws.write_message(json.dumps({"id": my, "method": method,
                                                "params": params}))
        while True:
            msg = await self.ws.read_message()
            assert msg is not None, "Chromium closed the connection"
            m = json.loads(msg)
            if m.get("id") == my:
                assert "error" not in m, m
                return m["result"]

    async def js(self, expr):
        r = await self.call("Runtime.evaluate", expression=expr,
                            returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in r, r
        return r["result"].get("value")

    async def until(self, expr, what):
        end = time.monotonic() + LIMIT
        while True:
            v = await self.js(expr)
            if v:
                return v
            assert time.monotonic() < end, "the page never showed " + what
            await asyncio.sleep(0.1)


@unittest.skipUnless(shutil.which("chromium"), "needs chromium")
class NotebookInChromium(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cnn-nb-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "cnn", "display_name": "cnn",
                                     "language": "cnn"}
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        self.path = os.path.join(self.dir, "fit.ipynb")
        nbformat.write(nb, self.path)
        token = "cnn-test-token"
        port = self.start_server(token)
        self.url = (f"http://127.0.0.1:{port}/notebooks/fit.ipynb"
                    f"?token={token}")
        profile = os.path.join(self.dir, "chromium")
        self.chromium = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "--window-size=1200,2400", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop, self.chromium)
        self.devtools = devtools_port(profile)

    def start_server(self, token):
        """Starts a Notebook server on a free port; returns the port. The
        port is free when free_port() closes it, but another process may
        bind it before the server does (a kernel's ZeroMQ socket, from a
        test running beside this one, answered CI's request with its
        greeting): the server then exits, and the next port is tried."""
        for _ in range(5):
            port = free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "notebook", "--no-browser",
                 "--ip=127.0.0.1", f"--port={port}",
                 f"--NotebookApp.token={token}",
                 f"--NotebookApp.notebook_dir={self.dir}",
                 "--NotebookApp.port_retries=0", "--allow-root"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.addCleanup(self.stop, server)
            answer = wait_http(f"http://127.0.0.1:{port}/api?token={token}",
                               server)
            if answer is not None and server.poll() is None:
                return port
        self.fail("the Notebook server never started")

    @staticmethod
    def stop(proc):
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    async def drive(self):
        tabs = json.loads(wait_http(f"http://127.0.0.1:{self.devtools}/json"))
        tab = next(t for t in tabs if t["type"] == "page")
        ws = await websocket_connect(tab["webSocketDebuggerUrl"],
                                     max_message_size=64 << 20)
        p = Page(ws)
        try:
            await p.call("Page.enable")
            await p.call("Page.navigate", url=self.url)
            await p.until("window.Jupyter && Jupyter.notebook && "
                          "Jupyter.notebook.kernel && "
                          "Jupyter.notebook.kernel.is_connected()",
                          "a connected kernel")
            await p.js("Jupyter.notebook.execute_all_cells()")
            # while fit trains: the live chart, decoded by the browser
            live = await p.until(
                f"{PLOTS_JS}(1).filter(x => x.ok && "
                "/ \\(live\\)$/.test(x.title) && !/ 0\\//.test(x.title))",
                "a live chart past epoch 0")
            done = ("Jupyter.notebook.get_cells().every(c => "
                    "c.input_prompt_number !== '*' && "
                    "c.input_prompt_number !== undefined && "
                    "c.input_prompt_number !== null)")
            await p.until(done, "every cell run")
            # the reply (shell) may reach the page before the outputs and
            # the update that empties the live chart (iopub): wait for
            # each cell's two final charts, not forever
            await p.until(f"[1, 2].every(i => {PLOTS_JS}(i).length == 2 && "
                          f"{PLOTS_JS}(i).every("
                          "x => !/\\(live\\)/.test(x.title)))",
                          "the live charts replaced by the final ones")
            shown = [await p.js(f"{PLOTS_JS}({i})") for i in (1, 2)]
            await p.js("Jupyter.notebook.save_notebook()")
            await p.until("!Jupyter.notebook.dirty", "the notebook saved")
            shot = await p.call("Page.captureScreenshot", format="png")
        finally:
            ws.close()
        return live, shown, shot

    def test_live_chart_draws_and_one_chart_per_fit_is_saved(self):
        live, shown, shot = asyncio.run(self.drive())
        self.assertTrue(live)
        # the page: each fit cell shows its final charts only, all decoded
        for plots in shown:
            self.assertTrue(all(x["ok"] for x in plots), plots)
            self.assertFalse([x for x in plots if "(live)" in x["title"]])
        titles = [x["title"] for x in shown[0]]
        self.assertEqual(len(titles), 2, titles)
        self.assertRegex(titles[0], r"^training on data: epoch \d+/100000000$")
        self.assertRegex(titles[1], r"^decision boundary on data: epoch \d+/")
        self.assertEqual([x["title"] for x in shown[1]],
                         ["training on data: epoch 20/20",
                          "training on data: epoch 10/10"])
        # the saved file: one loss chart per fit
        nb = nbformat.read(self.path, as_version=4)
        for cell, fits in ((nb.cells[1], 1), (nb.cells[2], 2)):
            charts = [o for o in cell.outputs
                      if "image/svg+xml" in o.get("data", {})
                      and o["data"]["text/plain"].startswith("training on")]
            self.assertEqual(len(charts), fits, cell.source)
            for o in charts:
                self.assertNotIn("(live)", o["data"]["text/plain"])
        png = os.path.join(self.dir, "page.png")
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        self.assertFalse(render.is_blank(png))


if __name__ == "__main__":
    unittest.main()
