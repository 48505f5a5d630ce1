"""jupyter console in a real terminal: tmux runs `jupyter console --kernel
cnn` in a pseudo-terminal, types cells as a student would, and reads the
screen back (capture-pane).

What the tests hold:
- after `fit ..., boundary=true` the final sparklines and the final
  boundary map are on the screen (the console ignores update_display_data:
  without the final displays it would show only epoch 0);
- `fit ..., epochs=100000000, seconds=2` ends by itself, with its summary
  and the time-budget line, and the console takes the next cell;
- Ctrl-C during a fit in `jupyter console --simple-prompt` interrupts the
  kernel (KeyboardInterrupt: fit interrupted ...), the documented
  workaround for console 6.4.4 on Python 3.11, whose full prompt loses its
  SIGINT handler to prompt_toolkit (jupyter/jupyter_console#295): there
  Ctrl-C prints "KeyboardInterrupt escaped interact()", gives a prompt back
  and leaves the kernel training; the next cell waits for the fit to end.

Waits poll the screen for text, with a generous limit; nothing asserts a
duration."""
import shutil
import sys
import unittest

import cnnenv  # noqa: F401  (sets JUPYTER_* before the console starts)
from term import Terminal


@unittest.skipUnless(shutil.which("tmux"), "needs tmux (.ci/deps test)")
class ConsoleInATerminal(unittest.TestCase):
    def start(self, *flags):
        cmd = " ".join([sys.executable, "-m", "jupyter_console", "--kernel",
                        "cnn", *flags])
        t = Terminal(cmd)
        self.addCleanup(t.close)
        t.wait_for("In [1]")
        return t

    def run_cell(self, t, n, code):
        """Types code at prompt n and waits for prompt n + 1; returns what
        the cell printed."""
        at = len(t.screen())
        t.type(code)
        s = t.wait_for(f"In [{n + 1}]", at)
        return s[at:s.index(f"In [{n + 1}]", at)]

    def test_fit_ends_with_its_final_charts_and_a_budget(self):
        t = self.start()
        self.run_cell(t, 1, "data = moons(n=200, noise=0.1, seed=1)")
        self.run_cell(t, 2, "net = linear(8) -> tanh -> linear(1) -> sigmoid")
        out = self.run_cell(t, 3, "fit net on data, epochs=30, boundary=true")
        # the first live frame says it is live, then the final charts
        self.assertIn("training on data: epoch 0/30 (live)", out)
        final = out.index("training on data: epoch 30/30\n")
        self.assertRegex(out[final:], r"\nloss +[0-9.]+ [▁▂▃▄▅▆▇█]+ [0-9.]+")
        self.assertRegex(out[final:], r"\naccuracy +[0-9.]+ [▁▂▃▄▅▆▇█]+ ")
        m = out.index("decision boundary on data: epoch 30/30\n")
        self.assertRegex(out[m:], r"\n\|[01]{48}\|\n")
        self.assertIn("points lie in the region of their class", out[m:])
        self.assertIn("trained 30 epochs in ", out)
        # a fit far too long stops by itself at its time budget
        out = self.run_cell(t, 4, "fit net on data, epochs=100000000, "
                            "seconds=2")
        self.assertIn("stopped by the time budget (seconds=2) after ", out)
        self.assertIn(" of 100000000 epochs", out)
        self.assertRegex(out, r"training on data: epoch \d+/100000000\n")
        self.assertNotIn("Error", out)
        self.assertIn("Out[5]: 2", self.run_cell(t, 5, "1 + 1"))

    def test_ctrl_c_interrupts_fit_with_the_simple_prompt(self):
        t = self.start("--simple-prompt")
        self.run_cell(t, 1, "data = moons(n=200, noise=0.1, seed=1)")
        self.run_cell(t, 2, "net = linear(8) -> tanh -> linear(1) -> sigmoid")
        at = len(t.screen())
        t.type("fit net on data, epochs=100000000")
        t.wait_for("epoch 1/100000000  loss", at)
        t.key("C-c")
        s = t.wait_for("In [4]", at)
        out = s[at:]
        self.assertIn("KeyboardInterrupt: fit interrupted in epoch ", out)
        self.assertNotIn("escaped interact", out)
        # the net kept its weights: it goes on at the next cell
        self.assertIn("trained 5 epochs",
                      self.run_cell(t, 4, "fit net on data, epochs=5"))


if __name__ == "__main__":
    unittest.main()
