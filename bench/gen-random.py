#!/usr/bin/env python3
"""Writes seeded random CNN descriptors for augur's validation campaign (bench/README.md).

  bench/gen-random.py --seed S --count N --out DIR [--augur PATH] [--no-verify]

Each network is drawn from its own generator (seeded with S and its index), so the same seed
gives byte-identical files and network i does not depend on --count. A network is a stem
(conv, optional batchnorm + scale, activation, LRN, pool), a stack of blocks (plain, grouped,
dilated and depthwise-separable convs, inception-style concat blocks, residual eltwise blocks,
max/avg pools) and a head (global pool and 0-3 fc layers, a conv classifier and global pool,
or fc on the flattened map), then usually softmax: 4 to 40 layers, 8 to 512 channels, inputs
of 32 to 256 pixels. A rough cost model of PyTorch on one core keeps most networks between
about 1 and 200 ms, a few up to about 1 s. Every file is checked with `augur inspect`; a draw
it rejects is replaced by the next draw of the same network's generator.
Standard library only."""

import argparse
import math
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_LAYERS, MAX_LAYERS = 4, 40
MAX_C = 512
# the cost model's constants overestimate; measured / modelled was about 0.7 over 50 networks
# (bench/validate on the 2-core EPYC, 2026-11-21)
COST_SCALE = 0.7


def window_out(i, k, s, p, d=1, ceil=False):
    """Output size along one axis, augur's (and Caffe's) rule; None when the window does not
    fit the padded input."""
    ext = d * (k - 1) + 1
    if i + 2 * p < ext:
        return None
    if not ceil:
        return (i + 2 * p - ext) // s + 1
    o = -(-(i + 2 * p - k) // s) + 1
    if p and (o - 1) * s >= i + p:
        o -= 1
    return o


class Net:
    """A network being drawn: layers as (text, name) plus the shape of every blob and a rough
    cost in ms of PyTorch on one core (im2col + sgemm convs, per-group loops, sgemm fc)."""

    def __init__(self, rng, c, h, w):
        self.rng = rng
        self.lines = []
        self.shape = {"input": (c, h, w)}
        self.cur = "input"
        self.count = {}
        self.cost_ms = 0.0
        self.macs = 0

    def fresh(self, prefix):
        self.count[prefix] = self.count.get(prefix, 0) + 1
        return f"{prefix}{self.count[prefix]}"

    def add(self, name, ltype, out_shape, inputs=None, **keys):
        src = inputs if inputs is not None else self.cur
        text = f"{{name: {name}, type: {ltype}"
        for k, v in keys.items():
            if v is None:
                continue
            if isinstance(v, bool):
                v = "true" if v else "false"
            text += f", {k}: {v}"
        if src != self.cur or isinstance(src, list):
            text += f", inputs: [{', '.join(src)}]" if isinstance(src, list) else \
                    f", inputs: {src}"
        self.lines.append(text + "}")
        self.shape[name] = out_shape
        self.cur = name
        return name

    def elems(self, name):
        s = self.shape[name]
        n = 1
        for d in s:
            n *= d
        return n

    # --- layers -------------------------------------------------------------------------
    def conv(self, filters, k, stride=1, pad=None, groups=1, dilation=1, bias=True,
             inputs=None, prefix="conv"):
        src = inputs or self.cur
        c, h, w = self.shape[src]
        pad = (dilation * (k - 1)) // 2 if pad is None else pad
        oh = window_out(h, k, stride, pad, dilation)
        ow = window_out(w, k, stride, pad, dilation)
        if not oh or not ow or c % groups or filters % groups:
            return None
        macs = filters * oh * ow * (c // groups) * k * k
        self.macs += macs
        cols = (c * k * k * oh * ow) if (k > 1 or stride > 1 or pad > 0) else 0
        if groups == 1:
            self.cost_ms += macs / 20e6 + cols * 4 / 8e6 + 0.01
        else:  # PyTorch loops over the groups: a fixed cost per group, slower GEMMs
            self.cost_ms += groups * 0.003 + macs / (4e6 if groups == c else 12e6) + \
                cols * 4 / 8e6
        name = self.fresh(prefix)
        return self.add(name, "conv", (filters, oh, ow), inputs=inputs, filters=filters,
                        kernel=k, stride=stride if stride > 1 else None,
                        pad=pad if pad else None, groups=groups if groups > 1 else None,
                        dilation=dilation if dilation > 1 else None,
                        bias=None if bias else False)

    def pool(self, op, k, stride, pad=0, ceil=False, inputs=None, prefix="pool"):
        src = inputs or self.cur
        c, h, w = self.shape[src]
        if pad * 2 > k:  # PyTorch's limit (augur's is pad < kernel)
            return None
        oh, ow = window_out(h, k, stride, pad, 1, ceil), window_out(w, k, stride, pad, 1, ceil)
        if not oh or not ow:
            return None
        self.cost_ms += c * oh * ow * k * k * 2e-6 + 0.005
        return self.add(self.fresh(prefix), "pool", (c, oh, ow), inputs=inputs, op=op,
                        kernel=k, stride=stride, pad=pad if pad else None,
                        ceil=True if ceil else None)

    def global_pool(self, op):
        c, h, w = self.shape[self.cur]
        self.cost_ms += c * h * w * 2e-6 + 0.005
        return self.add(self.fresh("gpool"), "pool", (c, 1, 1), op=op, **{"global": True})

    def fc(self, outputs, prefix="fc"):
        n = self.elems(self.cur)
        if n * outputs * 4 > 512 << 20:  # VGG-16's fc6 is 392 MiB
            return None
        self.macs += n * outputs
        self.cost_ms += n * outputs / 1.5e6 + 0.005  # sgemm at batch 1 reads the weights slowly
        return self.add(self.fresh(prefix), "fc", (outputs,), outputs=outputs)

    def simple(self, ltype, prefix=None, per_elem=2e-7, **keys):
        self.cost_ms += self.elems(self.cur) * per_elem + 0.003
        return self.add(self.fresh(prefix or ltype), ltype, self.shape[self.cur], **keys)

    def act(self):
        r = self.rng.random()
        if r < 0.70:
            return self.simple("relu")
        if r < 0.82:
            return self.simple("relu", "leaky", negative_slope=0.1)
        if r < 0.94:
            return self.simple("relu", "clip", max=6)
        return self.simple("sigmoid" if r < 0.97 else "tanh", per_elem=2e-6)

    def bn_scale(self):
        self.simple("batchnorm", "bn", per_elem=1e-6)
        self.simple("scale", per_elem=1e-6)

    def lrn(self):
        return self.simple("lrn", "norm", per_elem=1e-5, size=self.rng.choice((3, 5)))


def pick_kernel(rng, h):
    ks = [k for k in (1, 3, 3, 3, 5, 7) if k <= h]
    return rng.choice(ks or [1])


def draw(rng):
    """One random network; None when a step did not fit (the caller draws again)."""
    c0 = 3 if rng.random() < 0.9 else 1
    h = rng.randint(32, 256)
    w = h if rng.random() < 0.8 else rng.randint(32, 256)
    net = Net(rng, c0, h, w)
    depth = rng.randint(MIN_LAYERS, MAX_LAYERS)
    width = rng.choice((8, 16, 24, 32, 48, 64, 96))

    # stem
    k = rng.choice((3, 5, 7)) if min(h, w) >= 7 else 3
    stride = 2 if rng.random() < 0.6 and min(h, w) >= 64 else 1
    if not net.conv(width, k, stride):
        return None
    if rng.random() < 0.4:
        net.bn_scale()
    net.act()
    if rng.random() < 0.12:
        net.lrn()
    if rng.random() < 0.6 and min(net.shape[net.cur][1:]) >= 8:
        if not net.pool("max" if rng.random() < 0.8 else "avg", rng.choice((2, 3)), 2,
                        ceil=rng.random() < 0.4):
            return None

    head_len = rng.randint(1, 6)
    blocks = ("plain", "plain", "grouped", "separable", "inception", "residual", "pool",
              "dilated")
    while len(net.lines) + head_len < depth:
        c, hh, ww = net.shape[net.cur]
        kind = rng.choice(blocks)
        down = rng.random() < 0.3 and min(hh, ww) >= 4
        new_w = min(MAX_C, width * 2) if down else width
        ok = True
        if kind == "plain":
            kk = pick_kernel(rng, min(hh, ww))
            pad = None if rng.random() < 0.85 else 0
            ok = net.conv(new_w, kk, 2 if down else 1, pad)
            if ok:
                if rng.random() < 0.5:
                    net.bn_scale()
                net.act()
        elif kind == "grouped":
            g = rng.choice([g for g in (2, 4, 8) if c % g == 0 and new_w % g == 0] or [1])
            ok = net.conv(new_w, 3, 2 if down else 1, groups=g)
            if ok:
                net.act()
        elif kind == "dilated":
            ok = min(hh, ww) >= 5 and net.conv(new_w, 3, 1, dilation=2)
            if ok:
                net.act()
        elif kind == "separable":
            kk = 3 if rng.random() < 0.8 else 5
            ok = net.conv(c, kk, 2 if down else 1, groups=c, bias=False, prefix="dw")
            if ok:
                net.bn_scale()
                net.act()
                ok = net.conv(new_w, 1, bias=False, prefix="pw")
                if ok:
                    net.bn_scale()
                    if rng.random() < 0.5:
                        net.act()
        elif kind == "inception":
            src = net.cur
            nb = rng.randint(2, 4)
            outs, total = [], 0
            blk = net.fresh("inc")
            for b in range(nb):
                bw = max(8, rng.choice((8, 16, 32, 48, 64, 96, 128)) * width // 64)
                if total + bw > MAX_C:
                    break
                style = b if b < 2 else rng.choice((1, 2, 3))
                if style == 0:
                    ok = net.conv(bw, 1, inputs=src, prefix=f"{blk}_1x1_")
                elif style in (1, 2):
                    ok = net.conv(max(8, bw // 2), 1, inputs=src, prefix=f"{blk}_red_")
                    ok = ok and net.act() and net.conv(bw, 3 if style == 1 else 5,
                                                       prefix=f"{blk}_{3 if style == 1 else 5}x{3 if style == 1 else 5}_")
                else:
                    ok = net.pool("max", 3, 1, 1, inputs=src, prefix=f"{blk}_pool_")
                    ok = ok and net.conv(bw, 1, prefix=f"{blk}_proj_")
                if not ok:
                    return None
                outs.append(net.act())
                total += bw
            if len(outs) < 2:
                return None
            net.add(f"{blk}_cat", "concat", (total, hh, ww), inputs=outs)
            net.cost_ms += total * hh * ww * 4 / 5e6 + 0.005
            width = total
            continue
        elif kind == "residual":
            src = net.cur
            stride = 2 if down else 1
            blk = net.fresh("res")
            bottleneck = rng.random() < 0.4
            if bottleneck:
                mid = max(8, new_w // 4)
                ok = net.conv(mid, 1, stride, bias=False, inputs=src, prefix=f"{blk}_a")
                ok = ok and (net.bn_scale() or True) and net.act() and \
                    net.conv(mid, 3, bias=False, prefix=f"{blk}_b")
                ok = ok and (net.bn_scale() or True) and net.act() and \
                    net.conv(new_w, 1, bias=False, prefix=f"{blk}_c")
            else:
                ok = net.conv(new_w, 3, stride, bias=False, inputs=src, prefix=f"{blk}_a")
                ok = ok and (net.bn_scale() or True) and net.act() and \
                    net.conv(new_w, 3, bias=False, prefix=f"{blk}_b")
            if not ok:
                return None
            net.bn_scale()
            main = net.cur
            if stride == 1 and c == new_w:
                short = src
            else:
                short = net.conv(new_w, 1, stride, bias=False, inputs=src, prefix=f"{blk}_proj")
                if not short:
                    return None
                net.bn_scale()
                short = net.cur
            if net.shape[short] != net.shape[main]:
                return None
            op = "sum" if rng.random() < 0.9 else rng.choice(("prod", "max"))
            net.add(f"{blk}_add", "eltwise", net.shape[main], inputs=[short, main], op=op)
            net.cost_ms += net.elems(main) * 3e-7 + 0.005
            net.act()
        else:  # pool
            if min(hh, ww) < 4:
                continue
            kk = rng.choice((2, 3))
            ok = net.pool("max" if rng.random() < 0.7 else "avg", kk, 2,
                          pad=1 if kk == 3 and rng.random() < 0.3 else 0,
                          ceil=rng.random() < 0.4)
            new_w = width
        if not ok:
            return None
        width = new_w

    # head
    c, hh, ww = net.shape[net.cur]
    style = rng.random()
    if style < 0.45:
        net.global_pool("avg" if rng.random() < 0.75 else "max")
        n_fc = rng.choice((0, 1, 1, 2, 2, 3))
    elif style < 0.6:
        net.conv(rng.choice((10, 100, 1000)), 1, prefix="classifier")
        net.global_pool("avg")
        n_fc = 0
    else:
        if c * hh * ww > 65536:
            net.global_pool("avg")
        elif rng.random() < 0.3:
            net.simple("flatten")
        n_fc = rng.choice((1, 2, 3))
    for i in range(n_fc):
        last = i == n_fc - 1
        # hidden widths up to AlexNet's and VGG's 4096: batch-1 fc layers whose weights
        # do not fit in the caches behave differently from small ones
        if not net.fc(rng.choice((10, 100, 1000)) if last else
                      rng.choice((64, 128, 256, 512, 1024, 2048, 4096))):
            return None
        if not last:
            net.simple("relu")
            if rng.random() < 0.5:
                net.simple("dropout", "drop", per_elem=0)
    if rng.random() < 0.8:
        net.simple("softmax", "prob", per_elem=5e-6)
    if not MIN_LAYERS <= len(net.lines) <= MAX_LAYERS:
        return None
    return net


def verify(augur, path):
    p = subprocess.run([augur, "inspect", path, "--format", "csv"], capture_output=True,
                       text=True)
    return p.returncode == 0, p.stderr.strip()


def find_augur(given):
    for c in ([given] if given else [os.environ.get("AUGUR"), os.path.join(ROOT, "build", "augur"),
                                      os.path.join(ROOT, "build-release", "augur")]):
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    sys.exit("gen-random.py: error: augur not found (build it, or pass --augur PATH or "
             "--no-verify)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True, metavar="DIR")
    ap.add_argument("--augur", metavar="PATH", help="augur binary used to check each file "
                    "(default: $AUGUR, build/augur, build-release/augur)")
    ap.add_argument("--no-verify", action="store_true", dest="no_verify",
                    help="do not run augur inspect on the files")
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be at least 1")
    augur = None if args.no_verify else find_augur(args.augur)
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.count):
        name = f"rand{args.seed}_{i:03d}"
        path = os.path.join(args.out, name + ".yaml")
        # a target time, log-uniform: most networks 2-250 ms on one core, one in seven
        # 250 ms to 1 s; drawn once per network, so hard targets are not traded for easy ones
        trng = random.Random(f"augur-gen-random:{args.seed}:{i}:target")
        lo_t, hi_t = (2.0, 250.0) if trng.random() < 6 / 7 else (250.0, 1000.0)
        target = math.exp(trng.uniform(math.log(lo_t), math.log(hi_t)))
        for attempt in range(20000):
            rng = random.Random(f"augur-gen-random:{args.seed}:{i}:{attempt}")
            net = draw(rng)
            # within a factor 1.6 of the target, widening slowly when draws keep missing
            tol = 1.6 * (1 + attempt / 1000)
            if net is None or not target / tol <= net.cost_ms * COST_SCALE <= target * tol:
                continue
            c, h, w = net.shape["input"]
            text = "\n".join([
                f"# Random network {i} of bench/gen-random.py --seed {args.seed} (draw {attempt}):",
                f"# {len(net.lines)} layers, {net.macs / 1e6:.1f}M MACs, about "
                f"{net.cost_ms * COST_SCALE:.0f} ms by the generator's rough cost model (PyTorch, one core).",
                f"name: {name}",
                f"input: [{c}, {h}, {w}]",
                "layers:",
            ] + [f"  - {line}" for line in net.lines]) + "\n"
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            if augur:
                ok, err = verify(augur, path)
                if not ok:
                    print(f"gen-random.py: {name} draw {attempt} rejected by augur: {err}",
                          file=sys.stderr)
                    continue
            break
        else:
            sys.exit(f"gen-random.py: error: no valid draw for {name}")
        print(path)


if __name__ == "__main__":
    main()
