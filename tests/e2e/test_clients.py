"""Real frontends drive the kernel: nbclient runs a notebook, jupyter
console and jupyter run print results, jupyter kernelspec lists it."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import cnnenv
import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

TIMEOUT = 120
JUPYTER = [sys.executable, "-m"]


class ClientTests(unittest.TestCase):
    def test_kernelspec_is_listed(self):
        out = subprocess.run(JUPYTER + ["jupyter_client.kernelspecapp", "list"],
                             capture_output=True, text=True, check=True).stdout
        self.assertRegex(out, r"\bcnn\s+" + cnnenv.SPEC_DIR)

    def test_notebook_runs_with_nbclient(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "cnn", "display_name": "cnn",
                                     "language": "cnn"}
        nb.cells = [nbformat.v4.new_code_cell(c) for c in [
            'print("hello")',
            "x = 1 + 2\nx",
            "data = moons(n=200, noise=0.2, seed=7)\nplot data",
            "net = linear(8) -> relu -> linear(1) -> sigmoid\n"
            "fit net on data, epochs=5",
            "fit net on data, epochs=3, boundary=true\n"
            "fit net on data, epochs=100000000, seconds=0.5",
        ]]
        NotebookClient(nb, timeout=TIMEOUT, kernel_name="cnn").execute()
        out = [c.outputs for c in nb.cells]
        self.assertEqual(out[0][0]["text"], "hello\n")
        self.assertEqual(out[1][0]["output_type"], "execute_result")
        self.assertEqual(out[1][0]["data"]["text/plain"], "3")
        self.assertEqual(out[1][0]["execution_count"], 2)
        self.assertIn("text/html", out[2][0]["data"])
        self.assertTrue(out[3], "training printed nothing")
        # the saved notebook keeps one loss chart for the fit: the final one
        charts = [o for o in out[3] if "image/svg+xml" in o.get("data", {})]
        self.assertEqual(len(charts), 1)
        self.assertIn("epoch 5/5", charts[0]["data"]["text/plain"])
        self.assertNotIn("(live)", charts[0]["data"]["text/plain"])
        # two fits in a cell, one with a boundary, one stopped by its time
        # budget: one final loss chart each, one final boundary
        charts = [o["data"]["text/plain"].split("\n")[0] for o in out[4]
                  if "image/svg+xml" in o.get("data", {})]
        self.assertEqual(len(charts), 3, charts)
        self.assertEqual(charts[0], "training on data: epoch 3/3")
        self.assertEqual(charts[1], "decision boundary on data: epoch 3/3")
        self.assertRegex(charts[2], r"^training on data: epoch \d+/100000000$")
        self.assertIn("stopped by the time budget (seconds=0.5)",
                      "".join(o.get("text", "") for o in out[4]))
        self.assertNotIn("error", [o["output_type"] for c in out for o in c])

    def test_unknown_comm_is_closed_quietly(self):
        # Notebook opens a jupyter.widget.version comm on every notebook:
        # the kernel closes it without a line on the server's terminal.
        with tempfile.TemporaryFile("w+") as err:
            km, kc = start_new_kernel(kernel_name="cnn", stderr=err)
            try:
                kc.shell_channel.send(kc.session.msg("comm_open", {
                    "comm_id": "w-1", "target_name": "jupyter.widget.version",
                    "data": {}}))
                close = None
                while close is None:
                    msg = kc.get_iopub_msg(timeout=TIMEOUT)
                    if msg["msg_type"] == "comm_close":
                        close = msg
                self.assertEqual(close["content"]["comm_id"], "w-1")
                kc.execute_interactive("1", timeout=TIMEOUT)
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            err.seek(0)
            self.assertNotIn("comm", err.read())

    def test_jupyter_console_prints_results(self):
        try:
            proc = subprocess.run(
                JUPYTER + ["jupyter_console", "--kernel", "cnn",
                           "--simple-prompt"],
                input='print("hi from console")\n6 * 7\n',
                capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as e:
            self.fail(f"jupyter console hung; it printed:\n{e.stdout}\n"
                      f"stderr:\n{e.stderr}")
        self.assertIn("hi from console", proc.stdout)
        self.assertRegex(proc.stdout, r"Out\[2\]: 42")

    def test_jupyter_console_session_trains_a_net(self):
        # A short lesson typed into the console, one statement a line: the
        # text forms of fit (progress lines, summary line), evaluate
        # (metrics, confusion matrix), predict and summary.
        session = "\n".join([
            "data = moons(n=400, noise=0.1, seed=1)",
            "train, test = split(data, 0.75, stratify=true, seed=1)",
            "net = linear(16) -> relu -> linear(16) -> relu -> linear(1) -> sigmoid",
            "fit net on train, epochs=100, optimizer=adam(lr=0.01), validate=test",
            "evaluate net on test",
            "predict net [[0.5, -0.2], [-1.0, 0.5]]",
            "summary net",
            "fit net on train, epochs=5, boundary=true, verbose=false",
        ]) + "\n"
        try:
            proc = subprocess.run(
                JUPYTER + ["jupyter_console", "--kernel", "cnn",
                           "--simple-prompt"],
                input=session, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as e:
            self.fail(f"jupyter console hung; it printed:\n{e.stdout}\n"
                      f"stderr:\n{e.stderr}")
        out = proc.stdout
        self.assertNotRegex(out, r"\w+Error:")
        num = r"[0-9]+\.[0-9]{4}"
        progress = re.findall(rf"^epoch (\d+)/100  loss {num}  acc {num}  "
                              rf"val_loss {num}  val_acc {num}$", out, re.M)
        self.assertEqual(progress[0], "1")
        self.assertEqual(progress[-1], "100")
        self.assertGreaterEqual(len(progress), 10)
        summary = re.search(rf"^trained 100 epochs in [0-9.]+ \w+: loss ({num})  "
                            rf"acc ({num})  val_loss {num}  val_acc ({num})$",
                            out, re.M)
        self.assertIsNotNone(summary, out)
        # The console ignores update_display_data: it shows the live
        # chart's first frame, which says it is live, and then the final
        # chart with its sparklines, before the summary line.
        self.assertIn("training on train: epoch 0/100 (live)", out)
        final = out.index("training on train: epoch 100/100\n")
        self.assertRegex(out[final:], r"^training on train: epoch 100/100\n"
                         rf"loss +{num} [\u2581-\u2588]+ {num}\n")
        self.assertLess(final, summary.start())
        # the final boundary map too, after its live first frame
        self.assertIn("decision boundary on train: epoch 0/5 (live)", out)
        self.assertRegex(out, r"decision boundary on train: epoch 5/5\n"
                         r"(?:.*\n)*?\d+ of 300 points lie in the region "
                         r"of their class\n")
        self.assertLess(float(summary.group(1)), 0.1)
        self.assertGreaterEqual(float(summary.group(3)), 0.95)
        self.assertRegex(out, r"(?m)\btest: 100 samples$")
        metrics = dict(re.findall(rf"^(accuracy|precision|recall|F1|log loss) +({num})$",
                                  out, re.M))
        self.assertEqual(sorted(metrics),
                         ["F1", "accuracy", "log loss", "precision", "recall"])
        self.assertEqual(metrics["accuracy"], summary.group(3))
        self.assertRegex(out, r"confusion matrix \(rows: true class, columns: predicted\)")
        # The lower moon is class 1, the upper one class 0.
        self.assertRegex(out, rf"(?m)^ +1  \[0\.5, -0\.2\] +1  {num}  {num}$")
        self.assertRegex(out, rf"(?m)^ +2  \[-1, 0\.5\] +0  {num}  {num}$")
        self.assertRegex(out, r"Total params: 337\.")

    def test_jupyter_run_prints_results(self):
        with tempfile.NamedTemporaryFile("w", suffix=".cnn", delete=False) as f:
            f.write('print("hi from run")\nx = 6 * 7\nprint(x)\n')
        try:
            proc = subprocess.run(
                JUPYTER + ["jupyter_client.runapp", "--kernel", "cnn", f.name],
                capture_output=True, text=True, timeout=TIMEOUT)
        finally:
            os.unlink(f.name)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, "hi from run\n42\n")


if __name__ == "__main__":
    unittest.main()
