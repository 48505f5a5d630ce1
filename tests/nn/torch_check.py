"""PyTorch cross-check of the engine (meson suite 'torch').

Runs the C helper (torch_helper DIR), then for each case rebuilds the same
network in torch from the helper's initial safetensors file, trains it on
the same mini-batches with the same optimizer, and checks that:
  - the loss of each of the first 10 steps matches (tolerance 1e-4),
  - the weights after them match (1e-4),
  - the helper's final safetensors file loaded into torch predicts what the
    engine predicted (1e-5);
and for each trace case (one step laid open by nn_trace_step) that every
layer's output, the loss, the gradient with respect to each layer's output
(retain_grad), each weight and bias (.grad) and the optimizer's update
match torch's to 1e-5.
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
        begin, end = t["data_offsets"]
        if t["dtype"] == "I64":  # a batchnorm's num_batches_tracked
            (v,) = struct.unpack("<q", data[begin:end])
            tensors[name] = torch.tensor(v, dtype=torch.int64)
            continue
        assert t["dtype"] == "F32", t
        values = struct.unpack("<%df" % ((end - begin) // 4), data[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(t["shape"])
    return meta, tensors


def split_layers(text):
    """"conv2d(4, 3, padding=same),relu" -> ["conv2d(4, 3, padding=same)",
    "relu"]: commas inside parentheses do not split."""
    items, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    return items + [cur.strip()]


def input_shape(meta):
    """(c, h, w) for images ("1x6x6"), (width,) for rows."""
    return tuple(int(v) for v in meta["input"].split("x"))


def conv2d(channels, arg):
    """nn.Conv2d from "filters, kernel[, stride=S][, padding=P|same]"."""
    parts = [p.strip() for p in arg.split(",")]
    kw = {"stride": 1, "padding": 0}
    for p in parts[2:]:
        key, _, value = p.partition("=")
        kw[key] = value if value == "same" else int(value)
    return nn.Conv2d(channels, int(parts[0]), int(parts[1]), **kw)


def build(meta):
    """nn.Sequential from the metadata "input" and "layers"."""
    shape = input_shape(meta)
    c = shape[0]
    hw = list(shape[1:])
    mods = []
    for item in split_layers(meta["layers"]):
        name, _, arg = item.strip().partition("(")
        arg = arg.rstrip(")")
        if name == "conv2d":
            conv = conv2d(c, arg)
            mods.append(conv)
            k, s = conv.kernel_size[0], conv.stride[0]
            p = (k - 1) // 2 if conv.padding == "same" else conv.padding[0]
            hw = [(v + 2 * p - k) // s + 1 for v in hw]
            c = conv.out_channels
        elif name in ("maxpool2d", "avgpool2d"):
            cls = nn.MaxPool2d if name == "maxpool2d" else nn.AvgPool2d
            mods.append(cls(int(arg)))
            hw = [v // int(arg) for v in hw]
        elif name == "flatten":
            mods.append(nn.Flatten())
            for v in hw:
                c *= v
            hw = []
        elif name == "batchnorm":
            mods.append(nn.BatchNorm2d(c) if hw else nn.BatchNorm1d(c))
        elif name == "linear":
            mods.append(nn.Linear(c, int(float(arg))))
            c = int(float(arg))
        elif name == "gelu":
            mods.append(nn.GELU(approximate="tanh" if arg == "tanh"
                                else "none"))
        else:
            arg = float(arg) if arg else None
            mods.append({
                "relu": lambda: nn.ReLU(),
                "leaky_relu": lambda: nn.LeakyReLU(arg),
                "sigmoid": lambda: nn.Sigmoid(),
                "tanh": lambda: nn.Tanh(),
                "softmax": lambda: nn.Softmax(dim=1),
                "identity": lambda: nn.Identity(),
                "dropout": lambda: nn.Dropout(arg),
            }[name]())
    return nn.Sequential(*mods)


def load_model(path):
    """(net, input shape) from a model file."""
    meta, tensors = load_safetensors(path)
    net = build(meta)
    net.load_state_dict(tensors)
    return net, input_shape(meta)


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
                  "huber": nn.HuberLoss(delta=float(cfg.get("delta", "1")))}
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
    net, shape = load_model(os.path.join(case_dir, "init.safetensors"))
    x = x.reshape((-1,) + shape)
    net.eval()  # one row through batchnorm: only in eval mode
    k = net(x[:1]).shape[1]
    net.train()
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
    final, _ = load_model(os.path.join(case_dir, "final.safetensors"))
    if t > 0:
        meta, _ = load_safetensors(os.path.join(case_dir, "final.safetensors"))
        ok = ok and meta.get("task") == "regression" \
            and float(meta["target_std"]) == 0.25
    # The bias of a layer right before a batchnorm has no effect (the
    # batchnorm takes the mean out): its gradient is rounding noise, which
    # Adam scales to full steps, differently in each. It and the running
    # mean it shifts are left out; the predictions, which use both, agree.
    noise = set()
    for i, mod in enumerate(net):
        if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d)):
            noise |= {"%d.bias" % (i - 1), "%d.running_mean" % i}
    wdiff = max((a - b).abs().max().item()
                for (name, a), b in zip(net.state_dict().items(),
                                        final.state_dict().values())
                if name not in noise)
    ok = ok and wdiff <= 1e-4
    final.eval()  # batchnorm: the running statistics, as predict uses
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


def read_trace(path):
    """{(name, layer): [values]} from the helper's trace.txt."""
    got = {}
    for line in open(path):
        name, layer, *values = line.split()
        got[(name, int(layer))] = [float(v) for v in values]
    return got


def check_trace(case_dir):
    cfg = read_config(os.path.join(case_dir, "config.txt"))
    rows = [line.split() for line in open(os.path.join(case_dir, "data.txt"))]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([int(r[-1]) for r in rows])
    want = read_trace(os.path.join(case_dir, "trace.txt"))
    net, _ = load_model(os.path.join(case_dir, "init.safetensors"))
    # the forward pass layer by layer, keeping each output's gradient
    outs, h = [], x
    for mod in net:
        h = mod(h)
        h.retain_grad()
        outs.append(h)
    k = outs[-1].shape[1]
    last = net[-1]
    fused = (cfg["loss"] == "bce" and isinstance(last, nn.Sigmoid)) or (
        cfg["loss"] == "cross_entropy" and isinstance(last, nn.Softmax))
    z = outs[-2] if fused else outs[-1]
    if cfg["loss"] == "bce":
        loss = nn.BCEWithLogitsLoss()(z.squeeze(1), y.float())
    elif cfg["loss"] == "cross_entropy":
        loss = nn.CrossEntropyLoss()(z, y)
    else:
        loss = nn.MSELoss()(z, nn.functional.one_hot(y, k).float()
                            if k > 1 else y.float().unsqueeze(1))
    loss.backward()
    before = [p.detach().clone() for p in net.parameters()]
    opt = optimizer(net.parameters(), cfg)
    opt.step()
    worst = abs(loss.item() - want[("loss", -1)][0])
    flat = lambda t: t.detach().reshape(-1).tolist()
    p = 0
    for i, mod in enumerate(net):
        pairs = [("out", flat(outs[i]))]
        if not (fused and i == len(net) - 1):
            pairs.append(("gout", flat(outs[i].grad)))
        elif ("gout", i) in want:
            worst = math.inf  # the engine traced a gradient torch has not
        if isinstance(mod, nn.Linear):
            new = list(net.parameters())
            pairs += [("gw", flat(mod.weight.grad)), ("gb", flat(mod.bias.grad)),
                      ("dw", flat(new[p] - before[p])),
                      ("db", flat(new[p + 1] - before[p + 1]))]
            p += 2
        for name, values in pairs:
            engine = want.get((name, i))
            if engine is None or len(engine) != len(values):
                worst = math.inf
                continue
            worst = max([worst] + [abs(a - b) for a, b in zip(engine, values)])
    ok = worst <= 1e-5
    print("%-18s %s  largest difference %.2e" % (
        os.path.basename(case_dir), "ok  " if ok else "FAIL", worst))
    return ok


def main():
    helper = sys.argv[1]
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([helper, tmp], check=True, capture_output=True,
                             text=True).stdout.split()
        results = [(check_trace if name.startswith("trace_") else check_case)(
            os.path.join(tmp, name)) for name in out]
    print("torch %s: %d of %d cases agree" % (torch.__version__, sum(results),
                                             len(results)))
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
