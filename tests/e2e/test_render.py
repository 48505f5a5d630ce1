"""Rich output as frontends get it: every plot's SVG parses and holds its
series, tables parse, the live plot is one display updated in place, and a
plot renders for real: a notebook run by nbclient, exported to HTML by
nbconvert, photographed by headless Chromium."""
import base64
import html.parser
import os
import re
import tempfile
import unittest
import xml.etree.ElementTree as ET

import cnnenv  # noqa: F401  (must come before any Jupyter import)
import nbformat
from jupyter_client.manager import start_new_kernel

import render

SVG = "{http://www.w3.org/2000/svg}"

# The notebook a student writes first (figures checked below).
CELLS = [
    "data = moons(n=600, noise=0.2, seed=3)\ntrain, test = split(data, 0.8)\n"
    "train",
    "net = linear(16) -> relu -> linear(16) -> relu -> linear(1) -> sigmoid\n"
    "fit net on train, epochs=80, optimizer=adam(lr=0.01), validate=test, "
    "boundary=true",
    "evaluate net on test",
    "predict net on test, limit=5",
    "summary net",
]

TRAIN_BLUE = (0x00, 0x72, 0xB2)    # plot_class_color(0): train, class 0
VAL_ORANGE = (0xE6, 0x9F, 0x00)    # plot_class_color(1): validation, class 1


def svg_of(output):
    """The parsed image/svg+xml of an output, after checking that its
    text/html shows the same picture as an <img> (what nbconvert uses)."""
    data = output["data"]
    assert "data:image/svg+xml;base64," in data["text/html"]
    assert data["text/plain"].strip()
    return ET.fromstring(data["image/svg+xml"])


IMG_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]*)"')


def img_svg(data):
    """The parsed SVG inside the <img> of a bundle's text/html: all an
    update carries (it sends the chart once, not as image/svg+xml too)."""
    return ET.fromstring(base64.b64decode(IMG_SRC.search(data["text/html"])
                                          .group(1)))


def texts(svg):
    return [t.text for t in svg.iter(SVG + "text")]


class TableParser(html.parser.HTMLParser):
    """Collects the cells of every <table>; fails on mismatched tags."""

    def __init__(self):
        super().__init__()
        self.tables, self.stack, self.cell = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img"):
            return
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("br", "img"):
            return
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def tables_of(html_text):
    p = TableParser()
    p.feed(html_text)
    p.close()
    assert not p.stack, p.stack
    return p.tables


def colour_box(png, rgb, tol=40):
    """Pixels within `tol` of colour rgb in the picture: their count and
    bounding box (left, top, right, bottom) or None."""
    from PIL import Image
    with Image.open(png) as im:
        img = im.convert("RGB")
    mask = Image.new("L", img.size)
    mask.putdata([255 if all(abs(a - b) <= tol for a, b in zip(p, rgb))
                  else 0 for p in img.getdata()])
    return mask.histogram()[255], mask.getbbox()


class NotebookRenders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        cls.nb = render.execute(nb)

    def outputs(self, i):
        return self.nb.cells[i].outputs

    def test_data_set_shows_balance_table_and_scatter(self):
        (out,) = self.outputs(0)
        self.assertEqual(out["output_type"], "execute_result")
        text = out["data"]["text/plain"]
        self.assertIn("train: 480 samples, 2 features, 2 classes", text)
        svg = svg_of(out)
        self.assertIn("train: 480 samples", texts(svg))
        # every sample is a dot, plus one per legend entry
        self.assertEqual(len(list(svg.iter(SVG + "circle"))), 480 + 2)
        (table,) = tables_of(out["data"]["text/html"])
        self.assertEqual(table[0], ["x1", "x2", "class"])

    def test_live_plots_end_in_their_final_state(self):
        # the live displays were emptied; the final plots follow them
        plots = [o for o in self.outputs(1) if o["output_type"] == "display_data"
                 and "image/svg+xml" in o["data"]]
        self.assertEqual(len(plots), 2, "loss curves and boundary")
        curves, boundary = (svg_of(p) for p in plots)
        self.assertIn("training on train: epoch 80/80", texts(curves))
        for label in ("train", "validation", "loss", "accuracy", "epoch"):
            self.assertIn(label, texts(curves))
        # four series (train/validation loss and accuracy), each a line of
        # 80 points
        lines = [p for p in curves.iter(SVG + "path")
                 if p.get("stroke-linejoin") == "round"]
        self.assertEqual(len(lines), 4)
        for p in lines:
            self.assertEqual(p.get("d").count(" ") + 1, 2 * 80)
        self.assertIn("decision boundary on train: epoch 80/80",
                      texts(boundary))
        # the console's text form: a sparkline per curve
        text = plots[0]["data"]["text/plain"]
        self.assertRegex(text, r"loss +\d\.\d{4} [\u2581-\u2588]{40} \d\.\d{4}")
        stdout = "".join(o.get("text", "") for o in self.outputs(1)
                         if o["output_type"] == "stream")
        self.assertIn("trained 80 epochs in ", stdout)

    def test_evaluate_shows_metrics_and_confusion_matrix(self):
        metrics, boundary = self.outputs(2)
        tables = tables_of(metrics["data"]["text/html"])
        self.assertEqual(len(tables), 3)
        acc = dict((r[0], r[1]) for r in tables[0][1:])["accuracy"]
        self.assertGreater(float(acc), 0.95)
        self.assertEqual(tables[1][0],
                         ["class", "precision", "recall", "F1", "support"])
        self.assertEqual(sum(int(r[4]) for r in tables[1][1:]), 120)
        # the confusion matrix (under two header rows): 2 x 2 counts that
        # add up to the test set
        counts = [int(c) for r in tables[2][2:] for c in r[1:]]
        self.assertEqual((len(counts), sum(counts)), (4, 120))
        svg = svg_of(boundary)
        self.assertIn("decision boundary on test", texts(svg))
        self.assertIn("of 120 points lie in the region of their class",
                      boundary["data"]["text/plain"])

    def test_predict_and_summary_are_tables(self):
        (pred,) = self.outputs(3)
        (table,) = tables_of(pred["data"]["text/html"])
        self.assertEqual(len(table), 1 + 5)
        (summary,) = self.outputs(4)
        (table,) = tables_of(summary["data"]["text/html"])
        self.assertEqual([r[3] for r in table[1:]],
                         ["48", "0", "272", "0", "17", "0"])

    def test_plots_render_in_nbconvert_html_and_chromium(self):
        with tempfile.TemporaryDirectory() as tmp:
            page = os.path.join(tmp, "nb.html")
            png = os.path.join(tmp, "nb.png")
            for cell, what in ((2, "live plots"), (3, "evaluate")):
                with open(page, "w") as f:
                    f.write(render.html_of(self.nb, [cell]))
                render.screenshot(page, png, 1000, 2000)
                self.assertFalse(render.is_blank(png), what)
                w, h = render.crop_to_content(png)
                # two plots of about 760 x 300 and 600 x 420 px (a metrics
                # block above the boundary)
                self.assertGreater(w, 700, what)
                self.assertGreater(h, 400, what)
                blue, box = colour_box(png, TRAIN_BLUE)
                orange, obox = colour_box(png, VAL_ORANGE)
                self.assertGreater(blue, 500, what)
                self.assertGreater(orange, 500, what)
                # the coloured marks spread over the plot, not a dot
                self.assertGreater(box[2] - box[0], 300, what)
                self.assertGreater(obox[3] - obox[1], 150, what)


class LiveUpdates(unittest.TestCase):
    """On the wire: one display_data with a display_id, then several
    update_display_data for the same id, the last one emptying it, then
    the final state as a display_data of its own."""

    def test_fit_updates_one_display_in_place(self):
        km, kc = start_new_kernel(kernel_name="cnn")
        try:
            msgs = []
            # enough epochs to run for more than a second
            reply = kc.execute_interactive(
                "data = spirals(n=3000, seed=1)\n"
                "net = linear(64) -> relu -> linear(64) -> relu -> linear(3) "
                "-> softmax\n"
                "fit net on data, epochs=600, batch=16, verbose=false",
                output_hook=msgs.append, timeout=120)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 2)
        ident = shown[0]["content"]["transient"]["display_id"]
        self.assertNotIn("display_id", shown[1]["content"].get("transient", {}))
        self.assertGreaterEqual(len(updates), 3)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == ident
                            for u in updates))
        # each update a later epoch; the last the finished fit
        self.assertEqual(updates[-1]["content"]["data"], {"text/plain": ""})
        # an update carries the chart once, in text/html's <img>, and the
        # bytes show it: far less than the SVG twice
        for u in updates[:-1]:
            self.assertNotIn("image/svg+xml", u["content"]["data"])
            self.assertLess(len(u["content"]["data"]["text/html"]),
                            1.5 * len(shown[1]["content"]["data"]
                                      ["image/svg+xml"]))
        titles = [img_svg(u["content"]["data"]).find(SVG + "text").text
                  for u in updates[:-1]]
        epochs = [int(t.split("epoch ")[1].split("/")[0]) for t in titles]
        self.assertEqual(epochs, sorted(epochs))
        self.assertTrue(all(t.endswith(" (live)") for t in titles))
        final = ET.fromstring(shown[1]["content"]["data"]["image/svg+xml"])
        self.assertEqual(final.find(SVG + "text").text,
                         "training on data: epoch 600/600")


if __name__ == "__main__":
    unittest.main()
