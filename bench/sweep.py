"""The sweep of issue #15, timed: 3 learning rates x 3 widths of the moons
lecture net (linear(w) -> relu -> linear(w) -> relu -> linear(1) ->
sigmoid, Adam, batch 32, 200 epochs on 800 samples, validated on 200 every
epoch), as one cell in a real cnn kernel, side by side with the same nine
fits in PyTorch in this process.

    /usr/bin/python3 bench/sweep.py [--kernel build/kernel/cnn-kernel]
                                    [--reps 5] [--torch-reps 1]

Two sets of widths: 4, 16, 64 (around the lecture net's 16, as
examples/08-sweeps runs it) and 8, 32, 128 (four times the work of the
widest). Prints, for each, the best wall time of each side (cnn:
execute_request to idle, charts and all; torch: the nine training loops,
one thread) and the ratio. Not a test: the machine's load moves these
figures by a third from one minute to the next; run it twice.
"""
import argparse
import json
import os
import tempfile
import time

WIDTH_SETS = [[4, 16, 64], [8, 32, 128]]

CELL = """seed(7)
data = moons(n=1000, noise=0.2)
train, test = split(data, 0.8)
rows = []
for lr in [0.001, 0.01, 0.1]:
    for n in %s:
        net = linear(n) -> relu -> linear(n) -> relu -> linear(1) -> sigmoid
        h = fit net on train, epochs=200, optimizer=adam(lr=lr), validate=test, verbose=false
        rows = rows + [[lr, n, h.val_acc[-1], round(h.seconds, 3)]]
table(rows, columns=["lr", "width", "val_acc", "seconds"])
"""


def start_kernel(kernel):
    from jupyter_client import KernelManager
    spec = tempfile.mkdtemp()
    os.makedirs(os.path.join(spec, "kernels", "cnnbench"))
    with open(os.path.join(spec, "kernels", "cnnbench", "kernel.json"), "w") as f:
        json.dump({"argv": [os.path.abspath(kernel), "-f", "{connection_file}"],
                   "display_name": "cnn", "language": "cnn",
                   "interrupt_mode": "message"}, f)
    os.environ["JUPYTER_PATH"] = spec
    km = KernelManager(kernel_name="cnnbench")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    return km, kc


def time_cnn(kc, widths, reps):
    """Best wall time of the sweep cell, and its table."""
    best, table = None, ""
    for _ in range(reps):
        t0 = time.perf_counter()
        outs = []
        reply = kc.execute_interactive(CELL % widths, timeout=600,
                                       output_hook=outs.append)
        t = time.perf_counter() - t0
        assert reply["content"]["status"] == "ok", reply["content"]
        best = t if best is None else min(best, t)
        for m in outs:
            if m["msg_type"] in ("execute_result", "display_data") \
                    and "val_acc" in m["content"]["data"]["text/plain"]:
                table = m["content"]["data"]["text/plain"]
    return best, table


def time_torch(widths, reps):
    import torch
    from sklearn.datasets import make_moons
    x, y = make_moons(n_samples=1000, noise=0.2, random_state=7)
    x = torch.tensor(x, dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    xt, yt, xv, yv = x[:800], y[:800], x[800:], y[800:]
    best = None
    for _ in range(reps):
        t0 = time.perf_counter()
        for lr in [0.001, 0.01, 0.1]:
            for n in widths:
                torch.manual_seed(0)
                net = torch.nn.Sequential(
                    torch.nn.Linear(2, n), torch.nn.ReLU(),
                    torch.nn.Linear(n, n), torch.nn.ReLU(),
                    torch.nn.Linear(n, 1))
                opt = torch.optim.Adam(net.parameters(), lr=lr)
                loss_fn = torch.nn.BCEWithLogitsLoss()
                for _ in range(200):
                    perm = torch.randperm(800)
                    for i in range(0, 800, 32):
                        idx = perm[i:i + 32]
                        opt.zero_grad()
                        loss = loss_fn(net(xt[idx]), yt[idx])
                        loss.backward()
                        opt.step()
                    with torch.no_grad():
                        loss_fn(net(xv), yv)
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kernel", default="build/kernel/cnn-kernel")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--torch-reps", type=int, default=1,
                   help="0 leaves PyTorch out")
    a = p.parse_args()
    km, kc = start_kernel(a.kernel)
    try:
        cnn = {}
        for widths in WIDTH_SETS:
            cnn[str(widths)], table = time_cnn(kc, widths, a.reps)
            print(table)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    torch_ok = a.torch_reps > 0
    if torch_ok:
        try:
            import torch
            torch.set_num_threads(1)
            version = torch.__version__
        except ImportError:
            torch_ok = False
            print("PyTorch not installed: no comparison")
    print("sweeps of 9 fits x 200 epochs (moons, 800 samples, batch 32, "
          "validated every epoch)")
    for widths in WIDTH_SETS:
        c = cnn[str(widths)]
        line = "widths %-13s cnn kernel %.2f s (one cell, charts included, " \
               "best of %d)" % (widths, c, a.reps)
        if torch_ok:
            t = time_torch(widths, a.torch_reps)
            line += "; PyTorch %s 1 thread %.2f s (best of %d): %.1fx" % (
                version, t, a.torch_reps, t / c)
        print(line)


if __name__ == "__main__":
    main()
