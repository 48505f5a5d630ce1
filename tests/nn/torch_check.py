"""PyTorch cross-check of the engine (meson suite 'torch').

Runs the C helper (torch_helper DIR), then for each case rebuilds the same
network in torch from the helper's initial safetensors file, trains it on
the same mini-batches with the same optimizer, and checks that:
  - the loss of each of the first 10 steps matches (tolerance 1e-4),
  - the weights after them match (1e-4),
  - the helper's final safetensors file loaded into torch predicts what the
    engine predicted (1e-5).
The safetensors package is not needed: the file is read with struct+json.
Exit status 77 (skipped) when torch is missing.
"""
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

try:
    import torch
    from torch import nn
except ImportError:
    print("torch is not installed: skipping")
    sys.exit(77)


def load_safetensors(path):
    """(metadata, {name: tensor}) from a safetensors file of F32 tensors."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", t
        begin, end = t["data_offsets"]
        values = struct.unpack("<%df" % ((end - begin) // 4), data[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(t["shape"])
    return meta, tensors


def build(meta):
    """nn.Sequential from the metadata "input" and "layers"."""
    width = int(meta["input"])
    mods = []
    for item in meta["layers"].split(","):
        name, _, arg = item.strip().partition("(")
        arg = float(arg.rstrip(")")) if arg else None
        if name == "linear":
            mods.append(nn.Linear(width, int(arg)))
            width = int(arg)
        else:
            mods.append({
                "relu": lambda: nn.ReLU(),
                "leaky_relu": lambda: nn.LeakyReLU(arg),
                "sigmoid": lambda: nn.Sigmoid(),
                "tanh": lambda: nn.Tanh(),
                "softmax": lambda: nn.Softmax(dim=1),
                "gelu": lambda: nn.GELU(),
                "identity": lambda: nn.Identity(),
                "dropout": lambda: nn.Dropout(arg),
            }[name]())
    return nn.Sequential(*mods)


def load_model(path):
    meta, tensors = load_safetensors(path)
    net = build(meta)
    net.load_state_dict(tensors)
    return net


def read_config(path):
    cfg = {}
    with open(path) as f:
        for line in f:
            key, value = line.split()
            cfg[key] = value
    return cfg


def loss_fn(net, cfg, k):
    """A function (x, y) -> loss, fusing a final sigmoid/softmax as the
    engine does (BCEWithLogitsLoss / CrossEntropyLoss)."""
    last = net[-1]
    regression = {"mse": nn.MSELoss(), "mae": nn.L1Loss(),
                  "huber": nn.HuberLoss(delta=1.0)}
    if int(cfg.get("targets", "0")) > 0:
        f = regression[cfg["loss"]]
        return lambda x, y: f(net(x), y)
    if cfg["loss"] == "bce":
        body = net[:-1] if isinstance(last, nn.Sigmoid) else net
        bce = nn.BCEWithLogitsLoss()
        return lambda x, y: bce(body(x).squeeze(1), y.float())
    if cfg["loss"] == "cross_entropy":
        body = net[:-1] if isinstance(last, nn.Softmax) else net
        ce = nn.CrossEntropyLoss()
        return lambda x, y: ce(body(x), y)
    mse = nn.MSELoss()
    if k == 1:
        return lambda x, y: mse(net(x).squeeze(1), y.float())
    return lambda x, y: mse(net(x), nn.functional.one_hot(y, k).float())


def optimizer(params, cfg):
    f = lambda key: float(cfg[key])
    kind = cfg["optim"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=f("lr"), momentum=f("momentum"),
                               nesterov=cfg["nesterov"] == "1",
                               weight_decay=f("weight_decay"))
    if kind in ("adam", "adamw"):
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return cls(params, lr=f("lr"), betas=(f("beta1"), f("beta2")),
                   eps=f("eps"), weight_decay=f("weight_decay"))
    return torch.optim.RMSprop(params, lr=f("lr"), alpha=f("alpha"),
                               eps=f("eps"), momentum=f("momentum"),
                               weight_decay=f("weight_decay"))


def scheduler(opt, cfg):
    kind = int(cfg["schedule"])
    if kind == 1:
        return torch.optim.lr_scheduler.StepLR(
            opt, step_size=int(cfg["step_size"]), gamma=float(cfg["gamma"]))
    if kind == 2:
        return torch.optim.lr_scheduler.CosineAnnealingLR(
            opt, T_max=int(cfg["epochs"]))
    return None


def check_case(case_dir):
    cfg = read_config(os.path.join(case_dir, "config.txt"))
    rows = [line.split() for line in open(os.path.join(case_dir, "data.txt"))]
    t = int(cfg.get("targets", "0"))
    if t > 0:
        x = torch.tensor([[float(v) for v in r[:-t]] for r in rows])
        y = torch.tensor([[float(v) for v in r[-t:]] for r in rows])
    else:
        x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
        y = torch.tensor([int(r[-1]) for r in rows])
    want = [float(v) for v in open(os.path.join(case_dir, "losses.txt"))]
    net = load_model(os.path.join(case_dir, "init.safetensors"))
    k = net(x[:1]).shape[1]
    loss_of = loss_fn(net, cfg, k)
    opt = optimizer(net.parameters(), cfg)
    sched = scheduler(opt, cfg)
    batch, steps = int(cfg["batch"]), int(cfg["steps"])
    per_epoch = math.ceil(len(x) / batch)
    got = []
    for step in range(steps):
        i = step % per_epoch
        xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
        opt.zero_grad()
        loss = loss_of(xb, yb)
        loss.backward()
        opt.step()
        got.append(loss.item())
        if i == per_epoch - 1 and sched:
            sched.step()
    worst = max(abs(a - b) for a, b in zip(got, want))
    ok = len(got) == len(want) and worst <= 1e-4
    final = load_model(os.path.join(case_dir, "final.safetensors"))
    if t > 0:
        meta, _ = load_safetensors(os.path.join(case_dir, "final.safetensors"))
        ok = ok and meta.get("task") == "regression" \
            and float(meta["target_std"]) == 0.25
    wdiff = max((a - b).abs().max().item()
                for a, b in zip(net.state_dict().values(),
                                final.state_dict().values()))
    ok = ok and wdiff <= 1e-4
    with torch.no_grad():
        pred = final(x).reshape(-1)
    c_pred = torch.tensor([float(v) for v in open(os.path.join(case_dir, "pred.txt"))])
    pdiff = (pred - c_pred).abs().max().item()
    ok = ok and pdiff <= 1e-5
    print("%-16s %s  loss diff %.2e  weight diff %.2e  prediction diff %.2e"
          % (os.path.basename(case_dir), "ok  " if ok else "FAIL", worst,
             wdiff, pdiff))
    if not ok:
        print("  engine losses:", want)
        print("  torch losses: ", got)
    return ok


def main():
    helper = sys.argv[1]
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([helper, tmp], check=True, capture_output=True,
                             text=True).stdout.split()
        results = [check_case(os.path.join(tmp, name)) for name in out]
    print("torch %s: %d of %d cases agree" % (torch.__version__, sum(results),
                                             len(results)))
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
