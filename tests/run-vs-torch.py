#!/usr/bin/python3
"""augur run's outputs against PyTorch (tests/test-run-torch.sh).

  tests/run-vs-torch.py AUGUR NET DIR

Runs `augur run NET --dump DIR` (one pass writing the input, every layer's parameters and
output as raw float32), rebuilds each layer in PyTorch with those parameters and checks:
  - per layer: PyTorch's op on augur's own inputs against augur's output;
  - end to end: PyTorch's forward pass from the input alone against augur's last output.
Error: max |augur - torch| / max |torch| over the blob (relative to the blob's scale).
Prints one line per failing layer and a summary; exit 0 when every bound holds, 1 otherwise.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import torch

F = torch.nn.functional
LRN_ALPHA, LRN_BETA, LRN_K = 1e-4, 0.75, 1.0  # calibrate/runtime.h
BN_EPS = 1e-5
LAYER_BOUND = 1e-4  # one layer on augur's own input: summation order only
NET_BOUND = 1e-3    # the whole pass, errors compounding over the layers


def load(dirname, name, shape):
    a = np.fromfile(os.path.join(dirname, name), dtype=np.float32)
    return torch.from_numpy(a.copy()).reshape(shape)


def pool(x, a):
    k, s, p, ceil = tuple(a["kernel"]), tuple(a["stride"]), tuple(a["pad"]), a["ceil"]
    is_max = a["op"] == "max"
    if a["global"]:
        return F.adaptive_max_pool2d(x, 1) if is_max else F.adaptive_avg_pool2d(x, 1)
    if p[0] * 2 > k[0] or p[1] * 2 > k[1]:
        # PyTorch takes padding up to half the kernel, Caffe up to kernel - 1: pad by hand
        x = F.pad(x, (p[1], p[1], p[0], p[0]), value=-math.inf if is_max else 0.0)
        p = (0, 0)
    if is_max:
        return F.max_pool2d(x, k, s, p, 1, ceil)
    return F.avg_pool2d(x, k, s, p, ceil, True)


def op(layer, xs, params):
    t, a = layer["type"], layer["attrs"]
    x = xs[0]
    if t == "conv":
        return F.conv2d(x, params["weight"], params.get("bias"), tuple(a["stride"]),
                        tuple(a["pad"]), tuple(a["dilation"]), a["groups"])
    if t == "fc":
        return F.linear(x.flatten(1), params["weight"], params.get("bias"))
    if t == "pool":
        return pool(x, a)
    if t == "relu":
        y = F.leaky_relu(x, a["negative_slope"]) if a["negative_slope"] else F.relu(x)
        return y.clamp(max=a["max"]) if a["max"] is not None else y
    if t == "sigmoid":
        return torch.sigmoid(x)
    if t == "tanh":
        return torch.tanh(x)
    if t == "softmax":
        return F.softmax(x, dim=1)
    if t in ("dropout", "flatten"):
        return x.flatten(1) if t == "flatten" else x
    if t == "lrn":
        if x.dim() == 2:
            return F.local_response_norm(x.unsqueeze(2), a["size"], LRN_ALPHA, LRN_BETA,
                                         LRN_K).squeeze(2)
        return F.local_response_norm(x, a["size"], LRN_ALPHA, LRN_BETA, LRN_K)
    if t == "batchnorm":
        return F.batch_norm(x, params["mean"], params["var"], None, None, False, 0.0, BN_EPS)
    if t == "scale":
        shape = (1, -1) + (1,) * (x.dim() - 2)
        y = x * params["gamma"].reshape(shape)
        return y + params["beta"].reshape(shape) if "beta" in params else y
    if t == "eltwise":
        y = xs[0]
        for z in xs[1:]:
            y = y + z if a["op"] == "sum" else y * z if a["op"] == "prod" else torch.maximum(y, z)
        return y
    if t == "concat":
        return torch.cat(xs, 1)
    raise SystemExit(f"run-vs-torch: layer type '{t}' not handled")


PARAM_SHAPES = {
    "conv": lambda l, a: {"weight": [a["filters"], l["input_shape"][0] // a["groups"]] + a["kernel"],
                          "bias": [a["filters"]]},
    "fc": lambda l, a: {"weight": [a["outputs"], int(np.prod(l["input_shape"]))],
                        "bias": [a["outputs"]]},
    "batchnorm": lambda l, a: {"mean": [l["input_shape"][0]], "var": [l["input_shape"][0]]},
    "scale": lambda l, a: {"gamma": [l["input_shape"][0]], "beta": [l["input_shape"][0]]},
}


def rel_err(got, want):
    scale = want.abs().max().item()
    return (got - want).abs().max().item() / (scale if scale > 0 else 1.0)


def main():
    augur, net, dump = sys.argv[1:4]
    torch.set_num_threads(1)
    spec = json.loads(subprocess.run([augur, "inspect", net, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)
    subprocess.run([augur, "run", net, "--dump", dump, "--reps", "1", "--warmup", "0"],
                   check=True, capture_output=True, text=True)
    batch = spec["batch"]
    mine = {"input": load(dump, "input.f32", [batch] + spec["input"]["shape"])}
    theirs = {"input": mine["input"].clone()}
    worst, failed = 0.0, 0
    with torch.no_grad():
        for i, l in enumerate(spec["layers"]):
            params = {}
            for name, shape in PARAM_SHAPES.get(l["type"], lambda l, a: {})(l, l["attrs"]).items():
                path = os.path.join(dump, f"{i}.{name}.f32")
                if os.path.exists(path):
                    params[name] = load(dump, f"{i}.{name}.f32", shape)
            out = load(dump, f"{i}.out.f32", [batch] + l["output_shape"])
            ref = op(l, [mine[n] for n in l["inputs"]], params)
            err = rel_err(out, ref)
            worst = max(worst, err)
            if not err <= LAYER_BOUND:
                failed += 1
                print(f"{net}: layer {l['name']} ({l['type']}): relative error {err:.3g} "
                      f"against PyTorch on the same input (bound {LAYER_BOUND})")
            mine[l["name"]] = out
            theirs[l["name"]] = op(l, [theirs[n] for n in l["inputs"]], params)
    last = spec["layers"][-1]["name"]
    end = rel_err(mine[last], theirs[last])
    if not end <= NET_BOUND:
        failed += 1
        print(f"{net}: output of the whole pass: relative error {end:.3g} against PyTorch "
              f"(bound {NET_BOUND})")
    print(f"{net}: {len(spec['layers'])} layers, worst layer error {worst:.2g}, "
          f"whole pass {end:.2g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
