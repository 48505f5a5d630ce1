"""A class under JupyterHub: simulated students run notebook 02 on cnn.

A hub on 127.0.0.1 (classroom.py: DummyAuthenticator, a local-process
spawner that needs no system users, the cnn kernelspec installed under a
temporary prefix) serves CNN_CLASSROOM_STUDENTS students (default 3) at
once. Each logs in, starts a server and a cnn kernel, and runs every cell
of examples/02-binary-classification.ipynb over the kernel's websocket.
Every cell must succeed with the outputs a student would see (the data
plot, the live training chart, the metrics table), and be bracketed by
exactly one busy and one idle status (JupyterHub's idle culler relies on
them); afterwards each kernel is idle, and the notebook server's idle
culler (as a hub deployment configures it, here after CULL seconds)
shuts it down. The banner states the limits in force. Then everything is shut down and
no process of the hub, its proxy, the servers or the kernels is left.
"""
import asyncio
import os
import unittest

from classroom import Hub, Student, notebook_cells

KERNEL = os.environ.get("CNN_KERNEL")
STUDENTS = int(os.environ.get("CNN_CLASSROOM_STUDENTS", "3"))
CULL = 10  # seconds idle before a kernel is culled


def texts(iopub, types=("display_data", "update_display_data", "execute_result")):
    """text/plain of the outputs of the given types, in order."""
    return [m["content"]["data"].get("text/plain", "") for m in iopub
            if m["msg_type"] in types]


class Classroom(unittest.TestCase):
    def setUp(self):
        if not KERNEL or not os.access(KERNEL, os.X_OK):
            self.fail("CNN_KERNEL must name the cnn-kernel executable")
        self.hub = Hub(KERNEL, cull_idle=CULL)

    def tearDown(self):
        left = self.hub.stop()
        if left:
            self.hub.kill()
        with open(self.hub.log_path) as f:
            log = f.read()
        self.hub.cleanup()
        self.assertEqual(left, [], "processes left running after the hub "
                         "stopped; hub log:\n" + log[-3000:])

    def check_cell(self, who, i, code, reply, iopub):
        where = f"{who}, cell {i}: {code.splitlines()[0]}"
        self.assertEqual(reply["status"], "ok", f"{where}: {reply}")
        states = [m["content"]["execution_state"] for m in iopub
                  if m["msg_type"] == "status"]
        self.assertEqual(states, ["busy", "idle"], where)
        self.assertEqual(iopub[0]["msg_type"], "status", where)
        self.assertEqual(iopub[-1]["msg_type"], "status", where)
        self.assertIn("execute_input", [m["msg_type"] for m in iopub], where)
        shown = "\n".join(texts(iopub))
        if code.startswith("data = moons"):
            self.assertIn("data: 1000 samples", shown, where)
        if code.startswith("net = "):
            live = [m for m in iopub if m["msg_type"] == "update_display_data"]
            self.assertTrue(live, f"{where}: no live update of the chart")
            final = texts(iopub)
            self.assertTrue(any(t.startswith("training on train: epoch 200/200")
                                for t in final), where)
        if code.startswith("evaluate"):
            self.assertIn("accuracy", shown, where)

    async def student(self, name, cells, delay):
        await asyncio.sleep(delay)  # staggered, as a class arrives
        s = Student(self.hub, name)
        await s.login()
        await s.start_server()
        await s.start_kernel()
        try:
            info, _, _ = await s.request("kernel_info_request", {})
            self.assertEqual(info["implementation"], "cnn")
            self.assertRegex(info["banner"], r"limits: \d+ CPUs?, [\d.]+ GiB of memory")
            for i, code in enumerate(cells):
                reply, iopub, _ = await s.execute(code)
                self.check_cell(name, i, code, reply, iopub)
            kernel = await s.server_api("GET", f"/kernels/{s.kernel_id}")
            self.assertEqual(kernel["execution_state"], "idle", name)
            self.assertEqual(kernel["name"], "cnn")
            s.ws.close()  # the student closes the tab; the culler
            s.ws = None   # leaves connected kernels alone (cull_connected)
            await self.culled(s)
        finally:
            await s.shutdown()

    async def culled(self, s):
        """Waits until the idle culler has shut the kernel down."""
        for _ in range(600):
            k = await s.server_api("GET", f"/kernels/{s.kernel_id}", ok=(404,))
            if k is None:
                return
            await asyncio.sleep(0.2)
        self.fail(f"{s.name}: the idle culler never shut the idle kernel down")

    def test_students_run_notebook_02(self):
        cells = notebook_cells()
        self.assertGreaterEqual(len(cells), 3)

        async def run():
            await self.hub.wait_up()
            await asyncio.gather(*(self.student(f"student{i}", cells, 0.5 * i)
                                   for i in range(STUDENTS)))
        asyncio.run(run())


if __name__ == "__main__":
    unittest.main()
