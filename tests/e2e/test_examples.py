"""The example notebooks run from top to bottom with nbclient, as a user
would run them, and their output survives nbconvert's HTML export."""
import glob
import os
import re
import tempfile
import unittest

import cnnenv  # noqa: F401  (sets up the kernelspec under test)
import nbformat
from nbclient import NotebookClient

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def run(name):
    nb = nbformat.read(os.path.join(EXAMPLES, name), as_version=4)
    with tempfile.TemporaryDirectory() as cwd:
        NotebookClient(nb, timeout=300, kernel_name="cnn",
                       resources={"metadata": {"path": cwd}}).execute()
    return nb


def text_of(nb):
    """Every text/plain and stream text the notebook produced."""
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") + o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


class ExampleNotebooks(unittest.TestCase):
    def test_every_example_runs_without_error(self):
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(EXAMPLES, "*.ipynb")))
        self.assertIn("moons.ipynb", names)
        for name in names:
            with self.subTest(notebook=name):
                nb = run(name)
                errors = [o for c in nb.cells for o in c.get("outputs", [])
                          if o["output_type"] == "error"]
                self.assertEqual(errors, [], name)

    def test_moons_learns_and_renders_in_html_export(self):
        nb = run("moons.ipynb")
        acc = float(re.search(r"^accuracy\s+([0-9.]+)", text_of(nb), re.M).group(1))
        self.assertGreaterEqual(acc, 0.9)
        from nbconvert import HTMLExporter
        html, _ = HTMLExporter().from_notebook_node(nb)
        # Charts travel as <img> data URIs inside text/html: nbconvert keeps them.
        self.assertGreaterEqual(html.count('src="data:image/svg+xml;base64,'), 3)


if __name__ == "__main__":
    unittest.main()
