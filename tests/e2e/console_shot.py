#!/usr/bin/python3
"""console_shot: a `jupyter console --kernel cnn` session as a PNG.

Runs the console in a real terminal (term.py: tmux), types the cells
given, one per line, waits for each to finish, then renders the screen,
colours and all, as a terminal would (an HTML <pre> on a dark background,
photographed by headless Chromium through render.py) and crops it.

    tests/e2e/console_shot.py CELLS.txt PNG --kernel build/kernel/cnn-kernel
                              [--width 100]

CELLS.txt holds one cell per line. Run with Debian's Python; needs tmux,
chromium and python3-pil. The README's console picture is made with it
from docs/img/console.txt."""
import argparse
import html
import os
import re
import sys
import tempfile

# the 16 colours of a dark terminal theme (Tango's, as GNOME Terminal)
PALETTE = ["#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b",
           "#06989a", "#d3d7cf", "#555753", "#ef2929", "#8ae234", "#fce94f",
           "#729fcf", "#ad7fa8", "#34e2e2", "#eeeeec"]
FG, BG = "#d3d7cf", "#1e1e1e"
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _style(state):
    css = []
    if state.get("fg"):
        css.append("color:" + state["fg"])
    if state.get("bold"):
        css.append("font-weight:bold")
    return ";".join(css)


def _colour(codes, i):
    """The colour of an extended SGR (38;5;n or 38;2;r;g;b) at codes[i];
    returns it and how many codes it took."""
    if i + 1 < len(codes) and codes[i + 1] == 5 and i + 2 < len(codes):
        n = codes[i + 2]
        if n < 16:
            return PALETTE[n], 3
        if n < 232:
            n -= 16
            return "#%02x%02x%02x" % tuple((0, 95, 135, 175, 215, 255)[v]
                                           for v in (n // 36, n // 6 % 6,
                                                     n % 6)), 3
        g = 8 + 10 * (n - 232)
        return "#%02x%02x%02x" % (g, g, g), 3
    if i + 1 < len(codes) and codes[i + 1] == 2 and i + 4 < len(codes):
        return "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]), 5
    return None, 1


def ansi_to_html(text):
    """Text with ANSI colour escapes as HTML spans (foreground and bold)."""
    out, state, pos = [], {}, 0
    for m in SGR.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        pos = m.end()
        codes = [int(c) if c else 0 for c in m.group(1).split(";")]
        i = 0
        while i < len(codes):
            c, took = codes[i], 1
            if c == 0:
                state = {}
            elif c == 1:
                state["bold"] = True
            elif c == 22:
                state.pop("bold", None)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                state["fg"] = PALETTE[c - 30 if c < 90 else c - 82]
            elif c == 39:
                state.pop("fg", None)
            elif c == 38:
                state["fg"], took = _colour(codes, i)
            i += took
        out.append("</span><span style=\"%s\">" % _style(state))
    out.append(html.escape(text[pos:]))
    return "<span>" + "".join(out) + "</span>"


def page(screen, width):
    return ("<!DOCTYPE html><meta charset=\"utf-8\"><body style=\"margin:0;"
            "background:#fff\"><pre style=\"display:inline-block;margin:16px;"
            f"padding:12px 16px;background:{BG};color:{FG};border-radius:6px;"
            "font:14px/1.25 'DejaVu Sans Mono',monospace;"
            f"width:{width}ch\">{ansi_to_html(screen)}</pre></body>")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cells")
    ap.add_argument("png")
    ap.add_argument("--kernel", metavar="CNN_KERNEL", required=True)
    ap.add_argument("--width", type=int, default=100)
    args = ap.parse_args(argv)
    os.environ["CNN_KERNEL"] = args.kernel
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import cnnenv  # noqa: F401  (a temporary kernelspec for this kernel)
    import render
    from term import Terminal

    with open(args.cells) as f:
        cells = [line.rstrip("\n") for line in f if line.strip()]
    t = Terminal(f"{sys.executable} -m jupyter_console --kernel cnn",
                 width=args.width, height=50)
    try:
        t.wait_for("In [1]")
        for n, cell in enumerate(cells, 1):
            at = len(t.screen())
            t.type(cell)
            t.wait_for(f"In [{n + 1}]", at)
        screen = t.screen(colours=True)
    finally:
        t.close()
    # the last prompt, waiting, ends the picture
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "console.html")
        with open(path, "w") as f:
            f.write(page(screen, args.width))
        render.screenshot(path, args.png, width=args.width * 9 + 80,
                          height=3000)
    render.crop_to_content(args.png)


if __name__ == "__main__":
    main()
