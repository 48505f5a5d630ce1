"""PyTorch's side of bench/run-conv: the conv workload of issue #16.

    conv_torch.py [N [REPS [THREADS]]]

The same net, optimizer, batch and epoch as conv_bench.c, on N synthetic
1x28x28 images; prints "conv samples/s seconds threads" for the best of
REPS timed epochs after one untimed warm-up, each on a fresh model."""
import sys
import time

import torch
from torch import nn


def net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))


def epoch(x, y):
    model = net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x))
    start = time.perf_counter()
    for i in range(0, len(x), 64):
        idx = order[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    y = torch.randint(0, 10, (n,))
    x = torch.randn(n, 1, 28, 28) * 0.5
    for i in range(n):
        x[i, 0, 3 * y[i]:3 * y[i] + 3, :] += 1.0
    epoch(x, y)
    best = min(epoch(x, y) for _ in range(reps))
    print("conv %.0f %.3f %d" % (n / best, best, threads))


if __name__ == "__main__":
    main()
