"""The lecture notebooks (examples/*.ipynb) run from top to bottom with
nbclient, as a student would run them, and teach what they say: every
evaluate reaches its accuracy (the engine's targets where the notebook
trains for one, a failure where the notebook shows one), every chart is
there, nbconvert's HTML export keeps them, and notebook 6's PyTorch lines,
run for real on the file the notebook saved, predict what cnn predicted.
The notebooks as stored must carry their outputs (examples/run makes
them)."""
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest

import cnnenv  # noqa: F401  (sets up the kernelspec under test)
import nbformat

import render

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                        "examples")

# For each notebook, its evaluate commands in order: (net, data, lowest and
# highest accepted accuracy, whether it draws a decision boundary). The
# lows are the engine's accuracy targets (XOR 100%, moons and circles 97%,
# 3-arm spirals 95%, iris 93%, breast cancer 95%, digits 95%); a high below
# 1 is a net the notebook shows failing.
EVALUATIONS = {
    "01-first-network.ipynb": [
        ("linear_net", "test", 0.0, 0.7, True),
        ("relu_net", "test", 1.0, 1.0, True)],
    "02-binary-classification.ipynb": [
        ("net", "test", 0.97, 1.0, True),
        ("cancer_net", "cancer_test", 0.95, 1.0, False)],
    "03-multiclass.ipynb": [
        ("iris_net", "iris_test", 0.93, 1.0, False),
        ("spirals_net", "spirals_test", 0.95, 1.0, True),
        ("digits_net", "digits_test", 0.95, 1.0, False)],
    "04-activations.ipynb": [
        ("relu_net", "test", 0.97, 1.0, True),
        ("sigmoid_net", "test", 0.0, 0.7, True),
        ("tanh_net", "test", 0.97, 1.0, True),
        ("sigmoid_net", "test", 0.97, 1.0, False)],
    "05-optimizers.ipynb": [
        ("sgd_net", "test", 0.0, 0.97, False),
        ("adam_net", "test", 0.97, 1.0, False)],
    "06-save-and-pytorch.ipynb": [
        ("net", "iris_test", 0.93, 1.0, False),
        ("same", "iris_test", 0.93, 1.0, False)],
    "10-backprop.ipynb": [
        ("deep_sigmoid", "test", 0.0, 0.7, True),
        ("deep_relu", "test", 0.97, 1.0, True)],
    "08-sweeps.ipynb": [
        ("medium", "test", 0.97, 1.0, False)],
    # Regression: R2 instead of accuracy, and evaluate's plots are the
    # predicted-vs-actual and residual plots. A line on a sine falls short;
    # a net reaches R2 0.95; on diabetes linear(1) reaches 0.45 (as
    # scikit-learn's LinearRegression) and a net is not worse (checked in
    # test_regression_net_not_worse).
    "07-regression.ipynb": [
        ("line_net", "test", 0.0, 0.7, True),
        ("curve_net", "test", 0.95, 1.0, True),
        ("linear_net", "test", 0.45, 1.0, True),
        ("small_net", "test", 0.45, 1.0, True)],
    # the short run (SHORT_RUNS): 3,000 images, one epoch; the gallery of
    # misclassified images follows the metrics as the boundary would
    "09-convolution.ipynb": [
        ("mlp", "test", 0.6, 1.0, True),
        ("net", "test", 0.6, 1.0, True)],
}

# Notebooks whose full run takes minutes: the source of their cell tagged
# "parameters" is replaced by this one before the suite runs them. Their
# stored outputs are of the full run, checked by StoredNotebooks.
SHORT_RUNS = {
    "09-convolution.ipynb": "n_train = 3000\nmlp_epochs = 1\nepochs = 1\nseed(1)",
}

# Cells that show more plots than their fit/plot/draw lines: draw on a
# conv net adds its filters, feature_maps a plot per conv2d layer.
EXTRA_PLOTS = {
    ("09-convolution.ipynb", "draw net"): 1,
    ("09-convolution.ipynb", "feature_maps(net, test, 0)"): 2,
}

PLOT_IMG = re.compile(r'<img[^>]+src="data:image/svg\+xml')


def is_plot(output):
    data = output.get("data", {})
    return "image/svg+xml" in data or bool(PLOT_IMG.search(data.get("text/html", "")))


def raises(cell):
    return "raises-exception" in cell.metadata.get("tags", [])


METRICS = re.compile(r"\A\w+: \d+ samples.*^accuracy +([0-9.]+)$", re.M | re.S)
# a regression table: the R2 of its first row (one target)
R2 = re.compile(r"\A\w+: \d+ samples.*^target +MSE +RMSE +MAE +R2\n[- ]+\n"
                r"\S+ +\S+ +\S+ +\S+ +(-?[0-9.]+)$", re.M | re.S)


def metrics_of(output):
    """The accuracy (R2 for regression) in evaluate's metrics table, or
    None for another output."""
    text = output.get("data", {}).get("text/plain", "")
    m = METRICS.search(text) or R2.search(text)
    return float(m.group(1)) if m else None


def evaluations(cell):
    """(net, data, accuracy, plots after it) for each evaluate command of a
    code cell, in order, from the commands in its source and its outputs: a
    metrics table, then the boundary as a plot of its own (for regression
    the predicted-vs-actual and residual plots)."""
    commands = re.findall(r"^(?:\w+ = )?evaluate\s+(\w+)\s+on\s+(\w+)", cell.source, re.M)
    shown = []  # [accuracy, plots] per metrics table
    for o in cell.outputs:
        acc = metrics_of(o)
        if acc is not None:
            shown.append([acc, 0])
        elif shown and is_plot(o):
            shown[-1][1] += 1
    if len(commands) != len(shown):
        raise AssertionError(f"{len(commands)} evaluate commands but "
                             f"{len(shown)} metrics tables in:\n{cell.source}")
    return [(net, data, acc, boundary)
            for (net, data), (acc, boundary) in zip(commands, shown)]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def predict_table(cell):
    """The probability columns of the predict table a cell shows: one list
    of floats per row."""
    text = next(o["data"]["text/plain"] for o in cell.outputs
                if o.get("data", {}).get("text/plain", "").startswith("row "))
    rows = [line for line in text.splitlines()[2:] if line.strip()]
    k = text.splitlines()[0].count("P(")
    return [[float(v) for v in line.split()[-k:]] for line in rows]


class ExampleNotebooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dirs, cls.nbs = {}, {}
        for name in EVALUATIONS:
            cls.dirs[name] = tempfile.TemporaryDirectory()
            nb = nbformat.read(os.path.join(EXAMPLES, name), as_version=4)
            for cell in nb.cells:
                if name in SHORT_RUNS and "parameters" in cell.metadata.get(
                        "tags", []):
                    cell.source = SHORT_RUNS[name]
            cls.nbs[name] = render.execute(nb, cwd=cls.dirs[name].name)

    @classmethod
    def tearDownClass(cls):
        for d in cls.dirs.values():
            d.cleanup()

    def test_the_lecture_notebooks_are_there(self):
        names = sorted(os.path.basename(p)
                       for p in glob.glob(os.path.join(EXAMPLES, "*.ipynb")))
        self.assertEqual(names, sorted(EVALUATIONS))

    def test_no_errors_but_the_one_shown_on_purpose(self):
        for name, nb in self.nbs.items():
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                with self.subTest(notebook=name, cell=cell.source):
                    errors = [o for o in cell.outputs if o["output_type"] == "error"]
                    if not raises(cell):
                        self.assertEqual(errors, [])
                        continue
                    # The too-high learning rate: the kernel says the loss
                    # became NaN (as an error, or as a message).
                    said = " ".join([o.get("evalue", "") for o in errors] +
                                    [o.get("text", "") for o in cell.outputs])
                    self.assertRegex(said, re.compile(r"\bnan\b", re.I))

    def test_a_learning_rate_too_high_gets_a_warning(self):
        (cell,) = [c for c in code_cells(self.nbs["05-optimizers.ipynb"])
                   if "momentum=0.9" in c.source and "hot_net" in c.source]
        warned = "".join(o["text"] for o in cell.outputs
                         if o["output_type"] == "stream" and o["name"] == "stderr")
        self.assertIn("learning rate", warned)

    def test_accuracies_reach_their_targets(self):
        for name, expected in EVALUATIONS.items():
            got = [e for c in code_cells(self.nbs[name]) for e in evaluations(c)]
            self.assertEqual([(n, d) for n, d, *_ in got],
                             [(n, d) for n, d, *_ in expected], name)
            for (net, data, acc, plot), (_, _, lo, hi, boundary) in zip(got, expected):
                with self.subTest(notebook=name, net=net, data=data):
                    self.assertGreaterEqual(acc, lo)
                    self.assertLessEqual(acc, hi)
                    self.assertEqual(bool(plot), boundary, "decision boundary")

    def test_regression_net_not_worse(self):
        got = {net: acc for c in code_cells(self.nbs["07-regression.ipynb"])
               for net, _, acc, _ in evaluations(c)}
        self.assertGreaterEqual(got["small_net"], got["linear_net"])
        self.assertGreater(got["curve_net"], got["line_net"])

    def test_every_chart_is_drawn(self):
        # fit draws the loss chart (and the boundary with boundary=true,
        # the gradient norms with gradients=true), plot and draw a picture
        # each, evaluate its boundary (counted in
        # test_accuracies_reach_their_targets).
        for name, nb in self.nbs.items():
            for cell in nb.cells:
                if cell.cell_type != "code" or raises(cell):
                    continue
                src = cell.source
                if re.search(r"^for\s", src, re.M):
                    continue    # a loop's fits: test_a_sweep_...
                charts = (EXTRA_PLOTS.get((name, src.strip()), 0) +
                          len(re.findall(r"^(?:fit|plot|draw)\s", src, re.M)) +
                          len(re.findall(r"^fit\s.*\bboundary=true", src, re.M)) +
                          len(re.findall(r"^fit\s.*\bgradients=true", src, re.M)))
                with self.subTest(notebook=name, cell=src):
                    plots = [o for o in cell.outputs if is_plot(o)]
                    boundaries = sum(b for *_, b in evaluations(cell))
                    self.assertEqual(len(plots), charts + boundaries)

    def test_one_loss_chart_per_fit(self):
        # the live chart is emptied when fit ends and the final one follows:
        # the saved notebook keeps exactly one loss chart per fit, final
        for name, nb in self.nbs.items():
            for cell in nb.cells:
                if cell.cell_type != "code" or raises(cell):
                    continue
                if re.search(r"^for\s", cell.source, re.M):
                    continue    # a loop's fits: test_a_sweep_...
                fits = len(re.findall(r"^(?:\w+\s*=\s*)?fit\s", cell.source,
                                      re.M))
                titles = [o["data"]["text/plain"].split("\n")[0]
                          for o in cell.outputs if is_plot(o)
                          and o["data"]["text/plain"].startswith("training on")]
                with self.subTest(notebook=name, cell=cell.source):
                    self.assertEqual(len(titles), fits)
                    self.assertFalse([t for t in titles if "(live)" in t])

    def test_the_vanishing_gradient_is_named(self):
        # notebook 10: fit warns about the deep sigmoid net's first layer,
        # not about the same net with relu
        warned = {}
        for cell in code_cells(self.nbs["10-backprop.ipynb"]):
            m = re.match(r"fit (\w+) .*gradients=true", cell.source.split("\n")[-1])
            if m:
                err = "".join(o.get("text", "") for o in cell.outputs
                              if o.get("name") == "stderr")
                warned[m.group(1)] = err
        self.assertEqual(sorted(warned), ["deep_relu", "deep_sigmoid"])
        self.assertRegex(warned["deep_sigmoid"],
                         r"warning: layer 1 gets \de-\d+ of layer 7's gradient: "
                         r"sigmoid saturates; try relu or a smaller init")
        self.assertNotIn("layer 1 gets", warned["deep_relu"])

    def test_a_sweep_shows_its_table_and_every_fit(self):
        nb = self.nbs["08-sweeps.ipynb"]
        (cell,) = [c for c in code_cells(nb) if c.source.startswith("rows")]
        self.assertEqual(len([o for o in cell.outputs if is_plot(o)]), 9)
        table = cell.outputs[-1]["data"]["text/plain"].splitlines()
        self.assertEqual(table[0].split(),
                         ["lr", "width", "val_acc", "val_loss", "seconds"])
        self.assertEqual(len(table), 2 + 9)
        best = max(float(line.split()[2]) for line in table[2:])
        self.assertGreaterEqual(best, 0.97)
        (compare,) = [c for c in code_cells(nb) if "plot [" in c.source]
        self.assertIn("training curves, last fit of each net",
                      compare.outputs[-1]["data"]["text/plain"])

    def test_saved_predictions_read_back_in_pandas(self):
        """save p to "pred.csv" writes what pandas reads: the inputs, a
        probability per class and the class, a row per test sample."""
        import pandas
        path = os.path.join(self.dirs["08-sweeps.ipynb"].name, "pred.csv")
        df = pandas.read_csv(path)
        self.assertEqual(list(df.columns), ["x1", "x2", "p0", "p1", "class"])
        self.assertEqual(len(df), 200)
        self.assertTrue(((df.p0 + df.p1 - 1).abs() < 1e-5).all())
        self.assertTrue(((df.p1 > 0.5).astype(int) == df["class"]).all())

    def test_html_export_keeps_the_charts(self):
        for name, nb in self.nbs.items():
            with self.subTest(notebook=name):
                plots = sum(is_plot(o) for c in nb.cells if c.cell_type == "code"
                            for o in c.outputs)
                html = render.html_of(nb)
                self.assertGreater(plots, 0)
                self.assertGreaterEqual(
                    len(re.findall(r'src="data:image/svg\+xml', html)), plots)

    def test_pytorch_lines_predict_what_cnn_predicts(self):
        name = "06-save-and-pytorch.ipynb"
        nb = self.nbs[name]
        code = [m for c in nb.cells if c.cell_type == "markdown"
                for m in re.findall(r"```python\n(.*?)```", c.source, re.S)]
        self.assertEqual(len(code), 1, "one Python block in notebook 6")
        proc = subprocess.run([sys.executable, "-c", code[0]],
                              cwd=self.dirs[name].name, capture_output=True,
                              text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        torch_p = [[float(v) for v in line.split()]
                   for line in proc.stdout.splitlines()]

        # The rows the Python lines feed to PyTorch are those of the cells
        # "predict net [...]" and "predict same [...]".
        rows = re.search(r"torch\.tensor\((\[\[.*?\]\])\)", code[0]).group(1)
        cells = {}
        for c in nb.cells:
            m = re.match(r"predict (\w+) (\[\[.*\]\])$", c.source.strip())
            if c.cell_type == "code" and m:
                self.assertEqual(m.group(2), rows)
                cells[m.group(1)] = predict_table(c)
        self.assertEqual(sorted(cells), ["net", "same"])
        # The loaded net predicts exactly what the saved one did.
        self.assertEqual(cells["same"], cells["net"])
        # cnn shows 4 decimals: PyTorch agrees to that rounding (5e-5)
        # plus 1e-5.
        self.assertEqual(len(torch_p), len(cells["net"]))
        for t_row, c_row in zip(torch_p, cells["net"]):
            self.assertEqual(len(t_row), len(c_row))
            for t, c in zip(t_row, c_row):
                self.assertLessEqual(abs(t - c), 5e-5 + 1e-5, (t_row, c_row))


    def test_pytorch_reads_the_conv_net(self):
        """Notebook 9's Python lines load its conv net into nn.Conv2d
        layers and measure on the test images what evaluate measured."""
        name = "09-convolution.ipynb"
        nb = self.nbs[name]
        code = [m for c in nb.cells if c.cell_type == "markdown"
                for m in re.findall(r"```python\n(.*?)```", c.source, re.S)]
        self.assertEqual(len(code), 1, "one Python block in notebook 9")
        proc = subprocess.run([sys.executable, "-c", code[0]],
                              cwd=self.dirs[name].name, capture_output=True,
                              text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        (acc,) = [a for c in code_cells(nb) for n, _, a, _ in evaluations(c)
                  if n == "net"]
        self.assertAlmostEqual(float(proc.stdout), acc, delta=1e-4)


class StoredNotebooks(unittest.TestCase):
    """The notebooks in the repository read well on GitHub: run, with their
    outputs, and no error but the one tagged on purpose."""

    def test_stored_with_outputs(self):
        for path in sorted(glob.glob(os.path.join(EXAMPLES, "*.ipynb"))):
            nb = nbformat.read(path, as_version=4)
            self.assertEqual(nb.metadata.get("kernelspec", {}).get("name"), "cnn")
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                with self.subTest(notebook=os.path.basename(path), cell=cell.source):
                    self.assertIsNotNone(cell.execution_count,
                                         "not run: run examples/run")
                    if not raises(cell):
                        self.assertNotIn("error", [o["output_type"] for o in cell.outputs])


    def test_the_stored_conv_run_is_the_full_one(self):
        """Notebook 9 as stored trained on all 60,000 images and reached
        the targets: the MLP 88%, the conv net 91.5%, on all 10,000."""
        nb = nbformat.read(os.path.join(EXAMPLES, "09-convolution.ipynb"),
                           as_version=4)
        (params,) = [c for c in code_cells(nb)
                     if "parameters" in c.metadata.get("tags", [])]
        self.assertIn("n_train = 60000", params.source)
        got = {n: a for c in code_cells(nb) for n, _, a, _ in evaluations(c)}
        self.assertGreaterEqual(got["mlp"], 0.88)
        self.assertGreaterEqual(got["net"], 0.915)
        tables = [o["data"]["text/plain"] for c in code_cells(nb)
                  for o in c.outputs if metrics_of(o) is not None]
        self.assertTrue(all(t.startswith("test: 10000 samples")
                            for t in tables), tables)


if __name__ == "__main__":
    unittest.main()
