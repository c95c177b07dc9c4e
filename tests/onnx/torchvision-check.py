#!/usr/bin/python3
"""Exports torchvision classification models to ONNX (random weights, eval mode, batch 1)
and compares augur's reading of each file with torch's own figures:

  parameters: sum(p.numel()), less what the exporter's BatchNorm folding removes (a
              BatchNorm whose input is a convolution's output becomes that convolution's
              bias: its 2C learned values become C, or 0 when the conv had a bias);
  conv+fc MACs: from forward hooks, out.numel() * in_channels/groups * kH * kW for each
              Conv2d and in_features * out_features for each Linear.

    tests/onnx/torchvision-check.py --augur build/augur [--opset N] [--keep DIR] MODEL...

Each model that reads is also converted to augur YAML, which must give the identical json
report. Prints one line per model: read and equal, read and different (a failure), or refused with
augur's message (expected for models that need layer types augur does not have yet:
name them with --refused). Exit 0 when every model not in --refused reads with equal
figures and every --refused model is refused."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch
import torchvision


def build(name):
    kw = {}
    if name == "googlenet":
        kw = {"aux_logits": False, "init_weights": False}
    elif name == "inception_v3":
        kw = {"aux_logits": False, "init_weights": False}
    return torchvision.models.get_model(name, weights=None, **kw).eval()


def torch_figures(model, x):
    """(parameters after BatchNorm folding, conv+fc MACs) from the module tree and hooks."""
    macs = 0
    conv_of = {}      # id(conv output) -> conv module
    keep = []         # outputs kept alive so their ids stay unique
    folded = []

    def conv_hook(mod, inp, out):
        nonlocal macs
        k = mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
        macs += out.numel() * k
        conv_of[id(out)] = mod
        keep.append(out)

    def linear_hook(mod, inp, out):
        nonlocal macs
        macs += out.numel() // mod.out_features * mod.in_features * mod.out_features

    def bn_hook(mod, inp, out):
        conv = conv_of.get(id(inp[0]))
        if conv is not None:
            folded.append((mod, conv))

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
        elif isinstance(m, torch.nn.BatchNorm2d):
            hooks.append(m.register_forward_hook(bn_hook))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    params = sum(p.numel() for p in model.parameters())
    for bn, conv in folded:
        params -= 2 * bn.num_features
        if conv.bias is None:
            params += bn.num_features
    return params, macs


def inspect(augur, path):
    r = subprocess.run([augur, "inspect", path, "--format", "json"], capture_output=True,
                       text=True)
    if r.returncode:
        return None, r.stderr.strip()
    d = json.loads(r.stdout)
    for k in ("source", "network"):
        d.pop(k)
    return d, None


def augur_figures(augur, path):
    """(parameters, conv+fc MACs), or an error; the model converted to YAML must give the
    identical json report."""
    d, err = inspect(augur, path)
    if err:
        return None, err
    yaml = path + ".yaml"
    r = subprocess.run([augur, "convert", path, "-o", yaml], capture_output=True, text=True)
    y, err = (None, r.stderr.strip()) if r.returncode else inspect(augur, yaml)
    if os.path.exists(yaml):
        os.unlink(yaml)
    if err or y != d:
        return None, "the converted YAML reports differently: %s" % (err or "")
    by = d["by_type"]
    macs = sum(by.get(t, {}).get("macs", 0) for t in ("conv", "fc"))
    return (d["totals"]["params"], macs), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--augur", required=True)
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--keep", help="keep the exported files in this directory")
    ap.add_argument("--refused", default="", help="models expected to be refused")
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    refused = set(x for x in a.refused.split(",") if x)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        d = a.keep or tmp
        for name in a.models:
            model = build(name)
            size = 299 if name == "inception_v3" else 224
            x = torch.randn(1, 3, size, size)
            want = torch_figures(model, x)
            path = os.path.join(d, name + ".onnx")
            try:
                torch.onnx.export(model, x, path, opset_version=a.opset)
            except Exception as e:  # the exporter's own limits (a 2 GB protobuf)
                print("%-20s not exported: %s" % (name, str(e).splitlines()[0][:200]))
                bad += 1
                continue
            got, err = augur_figures(a.augur, path)
            if not a.keep:
                os.unlink(path)
            if err:
                msg = err.split("error: ", 1)[-1]
                ok = name in refused and "converted YAML" not in err
                print("%-20s refused: %s" % (name, msg))
            else:
                ok = got == want and name not in refused
                print("%-20s %s params %d (torch %d) conv+fc MACs %d (torch %d)" %
                      (name, "equal" if got == want else "DIFFERENT", got[0], want[0],
                       got[1], want[1]))
            sys.stdout.flush()
            bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
