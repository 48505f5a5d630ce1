"""The PyTorch side of bench/run: the same workloads as nn_bench.c.

    torch_bench.py THREADS REPS a|b|c|r|t-ACT|m-ACT ...

Adam (lr 1e-3), synthetic normal features and random labels, relu between
layers (for t and m: ACT, one of relu, tanh, sigmoid, gelu - GELU in its
default erf form - or gelu_tanh, its tanh approximation), the final
sigmoid/softmax fused into BCEWithLogitsLoss / CrossEntropyLoss (r:
regression, y = sin(x1) + x2/2, MSELoss, no output activation), a fresh
random permutation each epoch, mini-batches gathered by index - the usual
torch training loop. Prints the same
"name samples/s GFLOP/s seconds" lines as nn_bench: the best of REPS timed
trainings after one untimed warm-up, each on fresh parameters and a fresh
optimizer (nn_bench -r REPS does the same count); FLOPs counted the same way.
"""
import sys
import time

import torch
from torch import nn

WORKLOADS = {
    "a": ([2, 16, 16, 1], 1000, 32, 50),
    "b": ([784, 256, 128, 10], 60000, 128, 1),
    "c": ([1024, 1024, 1024, 10], 16384, 256, 1),
    "t": ([2, 32, 32, 1], 1000, 32, 50),
    "m": ([64, 256, 128, 10], 20000, 128, 2),
    "r": ([2, 32, 32, 1], 1000, 32, 50),
}

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
               "gelu": nn.GELU,
               "gelu_tanh": lambda: nn.GELU(approximate="tanh")}


def flops_per_sample(widths):
    return sum((4 if i == 0 else 6) * a * b
               for i, (a, b) in enumerate(zip(widths, widths[1:])))


def run(name, reps):
    base, _, act = name.partition("-")
    widths, n, batch, epochs = WORKLOADS[base]
    hidden = ACTIVATIONS[act or "relu"]
    k = widths[-1]
    x = torch.randn(n, widths[0])
    y = torch.randint(0, max(k, 2), (n,))
    yf = y.float()
    if base == "r":
        yf = torch.sin(x[:, 0]) + 0.5 * x[:, 1]
    mods = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        mods.append(nn.Linear(a, b))
        if i + 2 < len(widths):
            mods.append(hidden())
    loss_fn = nn.MSELoss() if base == "r" else \
        nn.BCEWithLogitsLoss() if k == 1 else nn.CrossEntropyLoss()
    best = 1e30
    for rep in range(-1, reps):  # -1: the warm-up
        net = nn.Sequential(*mods)
        for m in net:
            if isinstance(m, nn.Linear):
                m.reset_parameters()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        t0 = time.perf_counter()
        for _ in range(epochs):
            perm = torch.randperm(n)
            for s in range(0, n, batch):
                idx = perm[s:s + batch]
                xb = x[idx]
                opt.zero_grad()
                out = net(xb)
                loss = loss_fn(out.squeeze(1), yf[idx]) if k == 1 \
                    else loss_fn(out, y[idx])
                loss.backward()
                opt.step()
        t = time.perf_counter() - t0
        if rep >= 0:
            best = min(best, t)
    samples = n * epochs
    print("%s %.1f %.2f %.4f" % (name, samples / best,
                                 samples * flops_per_sample(widths) / best * 1e-9,
                                 best), flush=True)


def main():
    torch.set_num_threads(int(sys.argv[1]))
    torch.manual_seed(1)
    for name in sys.argv[3:]:
        run(name, int(sys.argv[2]))


if __name__ == "__main__":
    main()
