#!/usr/bin/python3
"""render: a notebook as a reader sees it, as a PNG.

The project's rendering tool, used by examples/run, the end-to-end tests
and to make the README's picture. Run it with Debian's Python
(/usr/bin/python3): it needs Debian's nbclient, nbformat, nbconvert
(6.5.3), python3-pil and the chromium package.

    execute(nb, cwd=None, timeout=300)   run a notebook with the cnn kernel
    html_of(nb, cells=None) -> str       the notebook as nbconvert's HTML
    screenshot(html_path, png_path, width, height)
                                         headless Chromium's picture of a page
    crop_to_content(png_path, margin=16) trim the empty page around the content
    ink(png_path) -> float               how much of the picture is not page
    is_blank(png_path) -> bool           a picture with (almost) nothing on it

execute() starts the kernelspec named "cnn" that Jupyter finds: import
cnnenv first (with CNN_KERNEL set) to use a build tree's kernel, as the
command line's --kernel does. Every function raises on failure (a cell
error, Chromium failing, an unreadable file).

Command line (the README's picture is made with it):

    tests/e2e/render.py NOTEBOOK PNG [--kernel CNN_KERNEL] [--cells 3-6]
                        [--width 1000] [--height 6000]

renders NOTEBOOK (executed first with --kernel, else as saved) to PNG,
keeping only the cells given by --cells (1-based, as "3-6" or "2,5"), and
crops the picture to its content.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import nbformat

PAGE = (255, 255, 255)  # nbconvert's page background


def execute(nb, cwd=None, timeout=300):
    """Runs every cell of `nb` (a NotebookNode, changed in place, and
    returned) with the kernel "cnn", in directory `cwd` (default: a
    temporary one). A cell tagged "raises-exception" may end in an error;
    an error in any other cell raises nbclient's CellExecutionError."""
    from nbclient import NotebookClient
    if cwd is None:
        with tempfile.TemporaryDirectory() as tmp:
            return execute(nb, tmp, timeout)
    NotebookClient(nb, timeout=timeout, kernel_name="cnn",
                   resources={"metadata": {"path": cwd}}).execute()
    return nb


def select_cells(nb, cells):
    """A copy of `nb` keeping the cells at the 1-based positions in
    `cells` (an iterable of ints)."""
    keep = set(cells)
    out = nbformat.from_dict(nb)
    out.cells = [c for i, c in enumerate(nb.cells, 1) if i in keep]
    return out


def html_of(nb, cells=None):
    """The HTML page nbconvert's default (lab) template makes of `nb`, a
    NotebookNode or the path of a .ipynb file; with `cells` (1-based
    positions) only those cells."""
    from nbconvert import HTMLExporter
    if isinstance(nb, (str, os.PathLike)):
        nb = nbformat.read(nb, as_version=4)
    if cells is not None:
        nb = select_cells(nb, cells)
    html, _ = HTMLExporter().from_notebook_node(nb)
    return html


def screenshot(html_path, png_path, width=1000, height=6000):
    """Writes to `png_path` headless Chromium's picture of the page in file
    `html_path`, in a window of width x height CSS pixels (what does not
    fit is cut off: crop_to_content() then trims what is left empty).
    Raises RuntimeError with Chromium's output when it makes no file."""
    if os.path.exists(png_path):
        os.unlink(png_path)
    url = "file://" + os.path.abspath(html_path)
    proc = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--hide-scrollbars", "--force-device-scale-factor=1",
         "--screenshot=" + os.path.abspath(png_path),
         f"--window-size={width},{height}", url],
        capture_output=True, text=True, timeout=120)
    if not os.path.exists(png_path):
        raise RuntimeError(f"chromium made no screenshot of {html_path} "
                           f"(exit {proc.returncode}):\n{proc.stderr}")


def _content_box(img, page=PAGE, tolerance=8):
    """The bounding box (left, top, right, bottom) of the pixels of `img`
    (RGB) further than `tolerance` from the page colour, or None."""
    from PIL import Image, ImageChops
    diff = ImageChops.difference(img, Image.new("RGB", img.size, page))
    mask = diff.convert("L").point(lambda v: 255 if v > tolerance else 0)
    return mask.getbbox(), mask


def crop_to_content(png_path, margin=16):
    """Crops the picture in `png_path` (rewritten in place) to its content
    plus `margin` pixels of page on each side, and returns its new size
    (width, height). A blank picture is left as it is."""
    from PIL import Image
    with Image.open(png_path) as im:
        img = im.convert("RGB")
    box, _ = _content_box(img)
    if box is None:
        return img.size
    left, top, right, bottom = box
    box = (max(left - margin, 0), max(top - margin, 0),
           min(right + margin, img.width), min(bottom + margin, img.height))
    img.crop(box).save(png_path)
    return box[2] - box[0], box[3] - box[1]


def ink(png_path):
    """The fraction (0 to 1) of the pixels of the picture in `png_path`
    that differ visibly from the white page."""
    from PIL import Image
    with Image.open(png_path) as im:
        img = im.convert("RGB")
    _, mask = _content_box(img)
    return mask.histogram()[255] / (img.width * img.height)


def is_blank(png_path, min_ink=0.005):
    """True when less than `min_ink` of the picture in `png_path` is
    anything but page: an empty or failed render."""
    return ink(png_path) < min_ink


def parse_cells(spec):
    """[3, 4, 5] from "3-5", [2, 5] from "2,5" (1-based positions)."""
    cells = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        cells.extend(range(int(first), int(last or first) + 1))
    return cells


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Render a notebook to a PNG through nbconvert's HTML "
                    "and headless Chromium.")
    ap.add_argument("notebook")
    ap.add_argument("png")
    ap.add_argument("--kernel", metavar="CNN_KERNEL",
                    help="execute the notebook first with this cnn-kernel "
                         "executable (e.g. build/kernel/cnn-kernel)")
    ap.add_argument("--cells", type=parse_cells, metavar="SPEC",
                    help="only these cells, 1-based: 3-6 or 2,5")
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--height", type=int, default=6000,
                    help="window height; content below it is cut off")
    args = ap.parse_args(argv)

    nb = nbformat.read(args.notebook, as_version=4)
    if args.kernel:
        os.environ["CNN_KERNEL"] = args.kernel
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import cnnenv  # noqa: F401  (points Jupyter at that kernel)
        execute(nb, cwd=None)
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "notebook.html")
        with open(page, "w") as f:
            f.write(html_of(nb, args.cells))
        screenshot(page, args.png, args.width, args.height)
    if is_blank(args.png):
        sys.exit(f"render: {args.png} is blank")
    w, h = crop_to_content(args.png)
    print(f"{args.png}: {w}x{h}")


if __name__ == "__main__":
    main()
