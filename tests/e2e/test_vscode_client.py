"""A VS Code-like client drives the kernel over raw ZeroMQ: node/
vscode_client.js, on the `zeromq` npm package as vscode-jupyter uses it,
spawns the kernel from kernel.json with a connection file, shakes hands
with kernel_info on control and shell, and runs a fit with live updates,
an interrupt (as kernel.json's interrupt_mode says) and a restart.

The package comes from node/package-lock.json: `.ci/deps test` runs
`npm ci` there; this test runs it too when node/node_modules is missing
(which needs the npm registry). Its native binary ships inside the
package, so no install script runs (--ignore-scripts)."""
import os
import shutil
import subprocess
import unittest

import cnnenv

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_DIR = os.path.join(HERE, "node")


def npm_ci():
    """Installs node/node_modules from the lock file, once."""
    if os.path.isdir(os.path.join(NODE_DIR, "node_modules", "zeromq")):
        return
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit",
                    "--no-fund"], cwd=NODE_DIR, check=True)


@unittest.skipUnless(shutil.which("node") and shutil.which("npm"),
                     "needs nodejs and npm (.ci/deps test)")
class VSCodeLikeClient(unittest.TestCase):
    def test_live_fit_interrupt_and_restart(self):
        npm_ci()
        p = subprocess.run(["node", os.path.join(NODE_DIR, "vscode_client.js"),
                            cnnenv.SPEC_DIR], capture_output=True, text=True,
                           timeout=600)
        print(p.stdout, end="")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("live fit: ", p.stdout)
        self.assertIn("interrupt (message): KeyboardInterrupt", p.stdout)
        self.assertIn("restart: a fresh kernel", p.stdout)


if __name__ == "__main__":
    unittest.main()
