"""term: a program in a real terminal, for tests and pictures.

A Terminal is a tmux server of its own (a private socket, no user config)
running one command in a pane of a given size; text is typed into it and
its screen read back, as plain text or with its colours (ANSI escapes).
Needs the tmux package."""
import subprocess
import time
import uuid

LIMIT = 120  # seconds to wait for a screen to show what is expected


class Terminal:
    """A tmux server of its own running one command in a 120x50 pane."""

    def __init__(self, command, width=120, height=50):
        self.tmux = ["tmux", "-L", "cnn-test-" + uuid.uuid4().hex[:8],
                     "-f", "/dev/null"]
        subprocess.run(self.tmux + ["start-server", ";", "set-option", "-g",
                                    "history-limit", "10000", ";",
                                    "new-session", "-d", "-x", str(width),
                                    "-y", str(height), command], check=True)

    def screen(self, colours=False):
        """Everything the pane has shown, scrollback included, without the
        empty lines below the cursor (so its length only grows); with
        colours, as ANSI escapes."""
        return subprocess.run(self.tmux + ["capture-pane", "-p", "-J", "-S",
                                           "-"] + (["-e"] if colours else []),
                              capture_output=True, text=True).stdout.rstrip()

    def wait_for(self, text, after=0):
        """Waits until `text` appears past offset `after` of the screen;
        returns the screen. Fails with the screen when it does not."""
        end = time.monotonic() + LIMIT
        while time.monotonic() < end:
            s = self.screen()
            if text in s[after:]:
                return s
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n"
                             + self.screen())

    def type(self, line):
        subprocess.run(self.tmux + ["send-keys", "-l", line], check=True)
        subprocess.run(self.tmux + ["send-keys", "Enter"], check=True)

    def key(self, name):
        subprocess.run(self.tmux + ["send-keys", name], check=True)

    def close(self):
        subprocess.run(self.tmux + ["kill-server"], stderr=subprocess.DEVNULL)
