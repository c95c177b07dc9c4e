#!/usr/bin/env python3
"""Writes augur's designed fit networks (the probes) beside the random ones in bench/nets/fit.

  bench/gen-probes.py --out DIR [--augur PATH] [--no-verify]

The random fit networks (bench/gen-random.py) are small and use 14 layer types: a layer-cost
model fitted to them alone never saw what the real architectures do (measured in augur's
runtime on a Xeon guest, 2026-12-04): fc layers of 40-400 MiB of weights (AlexNet's and
VGG's, predicted 25-70% low), depthwise convolutions over 112x112 maps in a pass that has
evicted the caches (MobileNetV2's, 3x their time alone), large column buffers of VGG-class
convs, and 17 layer types no random network has (hard-swish, SE blocks, upsampling,
transposed convolutions, channel shuffles, ...), which no profile could cost. Each probe
covers one of these on purpose, at several sizes, in networks of realistic size so their
passes outgrow the caches as real ones do. Deterministic: the same files every run.
Standard library only; every file is checked with `augur inspect`."""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Net:
    """A network being written: layer lines and the current blob's name and shape."""

    def __init__(self, name, what, shape):
        self.name, self.what = name, what
        self.input = list(shape)
        self.lines = []
        self.cur = "input"
        self.shape = {"input": tuple(shape)}
        self.n = {}

    def fresh(self, prefix):
        self.n[prefix] = self.n.get(prefix, 0) + 1
        return f"{prefix}{self.n[prefix]}"

    def add(self, prefix, ltype, out_shape, inputs=None, **keys):
        name = self.fresh(prefix)
        text = f"{{name: {name}, type: {ltype}"
        for k, v in keys.items():
            if isinstance(v, bool):
                v = "true" if v else "false"
            elif isinstance(v, (list, tuple)):
                v = "[" + ", ".join(str(x) for x in v) + "]"
            text += f", {k}: {v}"
        src = inputs if inputs is not None else self.cur
        if isinstance(src, list):
            text += f", inputs: [{', '.join(src)}]"
        elif src != self.cur:
            text += f", inputs: {src}"
        self.lines.append(text + "}")
        self.shape[name] = tuple(out_shape)
        self.cur = name
        return name

    def chw(self, name=None):
        return self.shape[name or self.cur]

    def conv(self, filters, k, stride=1, pad=None, groups=1, dilation=1, bias=True,
             prefix="conv", inputs=None):
        c, h, w = self.chw(inputs)
        pad = (dilation * (k - 1)) // 2 if pad is None else pad
        ext = dilation * (k - 1) + 1
        oh, ow = (h + 2 * pad - ext) // stride + 1, (w + 2 * pad - ext) // stride + 1
        keys = {"filters": filters, "kernel": k}
        if stride != 1:
            keys["stride"] = stride
        if pad:
            keys["pad"] = pad
        if groups != 1:
            keys["groups"] = groups
        if dilation != 1:
            keys["dilation"] = dilation
        if not bias:
            keys["bias"] = False
        return self.add(prefix, "conv", (filters, oh, ow), inputs=inputs, **keys)

    def bn(self):
        self.add("bn", "batchnorm", self.chw())
        return self.add("scale", "scale", self.chw())

    def act(self, ltype="relu", **keys):
        return self.add(ltype, ltype, self.chw(), **keys)

    def pool(self, op="max", k=2, stride=2, glob=False):
        c, h, w = self.chw()
        if glob:
            return self.add("gpool", "pool", (c, 1, 1), op=op, **{"global": True})
        return self.add("pool", "pool", (c, (h - k) // stride + 1, (w - k) // stride + 1),
                        op=op, kernel=k, stride=stride)

    def fc(self, outputs, prefix="fc"):
        return self.add(prefix, "fc", (outputs,), outputs=outputs)

    def head(self, classes=10):
        if len(self.chw()) == 3 and self.chw()[1:] != (1, 1):
            self.pool("avg", glob=True)
        self.fc(classes)
        self.add("prob", "softmax", (classes,))

    def text(self):
        dims = ", ".join(str(d) for d in self.input)
        body = "\n".join("  - " + line for line in self.lines)
        return (f"# Designed fit network of bench/gen-probes.py: {self.what}\n"
                f"name: {self.name}\ninput: [{dims}]\nlayers:\n{body}\n")


def fc_probes():
    """fc layers at batch 1 stream their weights: 4-400 MiB, rows of whole 4 KiB and not,
    alone (the pass is the weights) and after a conv stem (a pass that evicts the caches
    and the fc call path before the first fc)."""
    nets = []
    shapes = [(1024, 1000), (2048, 2048), (4096, 1000), (4096, 4096), (9216, 1000),
              (9216, 4096), (1500, 1000), (3000, 3000), (6000, 4096), (12544, 1000),
              (25088, 4096), (25088, 512)]
    for i, (k, n) in enumerate(shapes):
        net = Net(f"probe_fc_{i:02d}", f"a {k} x {n} fc layer "
                  f"({k * n * 4 / 2**20:.0f} MiB of weights) on a vector", (k,))
        net.fc(n)
        net.act()
        net.fc(10)
        net.add("prob", "softmax", (10,))
        nets.append(net)
    for i, (side, c, hidden) in enumerate([(112, 64, 4096), (160, 32, 2048), (96, 96, 4096),
                                           (224, 16, 1024)]):
        net = Net(f"probe_fcstem_{i:02d}", f"a conv stem, then fc {hidden} x 2 "
                  "(the first fc after a pass that evicted the caches)", (3, side, side))
        net.conv(c, 3, 2)
        net.act()
        net.pool()
        net.conv(c, 3)
        net.act()
        net.pool()
        net.fc(hidden)
        net.act()
        net.add("drop", "dropout", (hidden,))
        net.fc(hidden)
        net.act()
        net.fc(1000)
        net.add("prob", "softmax", (1000,))
        nets.append(net)
    return nets


def conv_probes():
    """VGG-class convs with column buffers of 10-100 MiB, strided and dilated windows, and
    MobileNet-style depthwise blocks over 112 to 7 pixel maps in passes over 64 MiB."""
    nets = []
    for i, (side, widths) in enumerate([(224, (64, 128)), (160, (32, 64, 128)),
                                        (192, (48, 96)), (128, (64, 128, 256))]):
        net = Net(f"probe_vgg_{i:02d}", "VGG-style 3x3 conv stages", (3, side, side))
        for wd in widths:
            net.conv(wd, 3)
            net.act()
            net.conv(wd, 3)
            net.act()
            net.pool()
        net.head()
        nets.append(net)
    for i, (side, k, stride, dil) in enumerate([(224, 7, 2, 1), (160, 5, 2, 1), (96, 3, 1, 2),
                                                (128, 3, 1, 4)]):
        net = Net(f"probe_window_{i:02d}", "strided and dilated conv windows",
                  (3, side, side))
        net.conv(32, k, stride, dilation=dil)
        net.act()
        net.conv(64, 3, 1, dilation=dil)
        net.act()
        net.conv(64, 3, 2)
        net.act()
        net.head()
        nets.append(net)
    for i, (side, expand, widths) in enumerate([(224, 1, (32, 64, 128, 256, 512)),
                                                (224, 6, (16, 24, 32, 64)),
                                                (160, 6, (24, 48, 96, 160)),
                                                (192, 4, (32, 64, 128, 256))]):
        net = Net(f"probe_dw_{i:02d}", "depthwise-separable blocks (MobileNet style)",
                  (3, side, side))
        net.conv(widths[0], 3, 2, bias=False)
        net.bn()
        net.act("relu", max=6)
        for j, wd in enumerate(widths):
            c = net.chw()[0]
            if expand > 1:
                net.conv(c * expand, 1, bias=False, prefix="expand")
                net.bn()
                net.act("relu", max=6)
            c = net.chw()[0]
            net.conv(c, 3, 2 if j else 1, groups=c, bias=False, prefix="dw")
            net.bn()
            net.act("relu", max=6)
            net.conv(wd, 1, bias=False, prefix="pw")
            net.bn()
        net.head(1000)
        nets.append(net)
    return nets


def stem(net, c=32, stride=2):
    net.conv(c, 3, stride)
    net.act()


def type_probes():
    """Every layer type the random networks lack, each at several sizes in one network."""
    nets = []
    for i, side in enumerate((320, 160)):
        # activations and the SE block (MobileNetV3, EfficientNet)
        net = Net(f"probe_act_{i:02d}", "hard-swish, hard-sigmoid, swish, ELU, PReLU and "
                  "squeeze-and-excitation blocks", (3, side, side))
        stem(net, 16)
        for wd, ltype in ((24, "hardswish"), (32, "swish"), (48, "elu"), (64, "prelu"),
                          (96, "hardswish")):
            net.conv(wd, 3, 2 if wd != 24 else 1)
            net.act(ltype)
            x = net.cur
            c = wd
            net.add("squeeze", "reduce", (c, 1, 1))
            net.conv(max(8, c // 4), 1, prefix="se_fc")
            net.act()
            net.conv(c, 1, prefix="se_fc")
            net.act("hardsigmoid" if wd % 2 == 0 and wd != 32 else "sigmoid")
            gate = net.cur
            net.add("excite", "eltwise", net.chw(x), inputs=[x, gate], op="prod")
        net.head()
        nets.append(net)
    for i, side in enumerate((320, 160)):
        # ShuffleNet v2 units: slices, shuffles, concat
        net = Net(f"probe_shuffle_{i:02d}", "channel split, shuffle and concat (ShuffleNet)",
                  (3, side, side))
        stem(net, 48)
        net.pool()
        for wd in (48, 96, 96, 192):
            c, h, w = net.chw()
            x = net.cur
            half = c // 2
            a = net.add("split", "slice", (half, h, w), inputs=x, range=[0, half])
            net.add("split", "slice", (c - half, h, w), inputs=x, range=[half, c])
            net.conv(c - half, 1, bias=False)
            net.bn()
            net.act()
            net.conv(c - half, 3, groups=c - half, bias=False, prefix="dw")
            net.bn()
            net.conv(c - half, 1, bias=False)
            net.act()
            b = net.cur
            net.add("cat", "concat", (c, h, w), inputs=[a, b])
            net.add("shuffle", "shuffle", (c, h, w), groups=2)
            if wd != c:
                net.conv(wd, 3, 2)
                net.act()
        net.head()
        nets.append(net)
    for i, side in enumerate((256, 128)):
        # decoders: transposed convs, upsampling, padding and cropping (FCN, U-Net, SegNet)
        net = Net(f"probe_decoder_{i:02d}", "transposed convs, nearest and bilinear "
                  "upsampling, pad and crop (segmentation decoders)", (3, side, side))
        stem(net, 32)
        net.conv(64, 3, 2)
        net.act()
        skip = net.cur
        net.conv(128, 3, 2)
        net.act()
        c, h, w = net.chw()
        net.add("deconv", "deconv", (64, 2 * h, 2 * w), filters=64, kernel=4, stride=2,
                pad=1)
        net.act()
        net.add("fuse", "eltwise", net.chw(skip), inputs=[net.cur, skip], op="sum")
        c, h, w = net.chw()
        net.add("up", "upsample", (c, 2 * h, 2 * w), op="nearest", scale=2)
        net.conv(32, 3)
        net.act()
        c, h, w = net.chw()
        net.add("up", "upsample", (c, 2 * h, 2 * w), op="bilinear", scale=2)
        c, h, w = net.chw()
        net.add("pad", "pad", (c, h + 4, w + 4), pad=2)
        big = net.cur
        net.add("crop", "crop", (c, side, side), inputs=[big, "input"])
        net.conv(16, 3, groups=1)
        net.act()
        c, h, w = net.chw()
        net.add("deconv", "deconv", (8, 2 * h, 2 * w), filters=8, kernel=2, stride=2)
        net.head()
        nets.append(net)
    for i, side in enumerate((320, 160)):
        # layout changes and SSD's L2 normalisation
        net = Net(f"probe_layout_{i:02d}", "permute, reshape, flatten and normalize "
                  "(detection heads)", (3, side, side))
        stem(net, 32)
        net.conv(64, 3, 2)
        net.act()
        net.add("norm", "normalize", net.chw())
        c, h, w = net.chw()
        net.add("perm", "permute", (h, w, c), order=[1, 2, 0])
        net.add("reshape", "reshape", (c, h, w), shape=[c, h, w])
        net.conv(128, 3, 2)
        net.act()
        net.add("norm", "normalize", net.chw(), shared=True)
        c, h, w = net.chw()
        net.add("perm", "permute", (h, w, c), order=[1, 2, 0])
        net.add("flat", "flatten", (c * h * w,))
        net.add("reshape", "reshape", (c, h, w), shape=[c, h, w])
        net.head()
        nets.append(net)
    return nets


def tiny_probes():
    """Networks of a few microseconds (keyword spotting, small MLPs and convs on 8-16 pixel
    maps): where a layer's fixed cost is all of its time. Without them the per-layer
    constants were fitted only from layers of 10 us and up, and KWS (4 us in augur's
    runtime) was predicted at 4x its time."""
    nets = []
    for i, (n_in, widths) in enumerate([(400, (128, 128, 128)), (40, (64, 64)),
                                        (1000, (256, 128)), (250, (32, 32, 32, 32))]):
        net = Net(f"probe_tiny_mlp_{i:02d}", "a small fully connected network "
                  "(keyword spotting)", (n_in,))
        for wd in widths:
            net.fc(wd)
            net.act()
        net.fc(12)
        net.add("prob", "softmax", (12,))
        nets.append(net)
    for i, (c, side, wd) in enumerate([(1, 16, 8), (3, 8, 16), (3, 12, 8), (1, 10, 4)]):
        net = Net(f"probe_tiny_conv_{i:02d}", "a conv network on a map of a few pixels",
                  (c, side, side))
        net.conv(wd, 3)
        net.bn()
        net.act()
        x = net.cur
        net.conv(wd, 1, prefix="branch")
        net.act("sigmoid")
        a = net.cur
        net.conv(wd, 3, inputs=x, prefix="branch")
        net.act("tanh")
        b = net.cur
        net.add("sum", "eltwise", net.chw(), inputs=[a, b], op="sum")
        c2, h, w = net.chw()
        net.add("cat", "concat", (2 * c2, h, w), inputs=[net.cur, x])
        net.pool("max", 2, 2)
        net.add("flat", "flatten", (net.chw()[0] * net.chw()[1] * net.chw()[2],))
        net.fc(10)
        net.add("drop", "dropout", (10,))
        net.add("prob", "softmax", (10,))
        nets.append(net)
    return nets


def plane_probes():
    """Many channels on small maps, as the last stages of real networks have them (ResNet-50's
    2048 x 7 x 7, GoogLeNet's 832 x 7 x 7 inception pools): a runtime that loops plane by
    plane pays per plane there, which large maps hide. Without these, GoogLeNet's 3x3
    pools were predicted at a quarter of their time."""
    nets = []
    for i, (c, side) in enumerate([(512, 14), (832, 7), (1024, 7), (2048, 7)]):
        net = Net(f"probe_planes_{i:02d}", f"pools, batchnorm and scale over {c} planes "
                  f"of {side} x {side}", (c, side, side))
        c0, h, w = net.chw()
        net.add("pool", "pool", (c0, h, w), op="max", kernel=3, stride=1, pad=1)
        net.add("pool", "pool", (c0, h, w), op="avg", kernel=3, stride=1, pad=1)
        net.bn()
        net.act()
        net.conv(c // 4, 1, bias=False)
        net.bn()
        net.act()
        net.conv(c, 1, bias=False)
        net.bn()
        net.add("pool", "pool", (c, (h + 1) // 2, (w + 1) // 2), op="max", kernel=3,
                stride=2, pad=1)
        net.pool("avg", glob=True)
        net.fc(10)
        net.add("prob", "softmax", (10,))
        nets.append(net)
    return nets


def verify(augur, path):
    r = subprocess.run([augur, "inspect", path], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"gen-probes: augur refuses {path}:\n{r.stderr}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, metavar="DIR")
    ap.add_argument("--augur", metavar="PATH", help="augur binary that checks each file "
                    "(default: build-release/augur, build/augur)")
    ap.add_argument("--no-verify", action="store_true", dest="no_verify")
    args = ap.parse_args()
    augur = args.augur
    if not augur and not args.no_verify:
        for cand in ("build-release/augur", "build/augur", "build-dev/augur"):
            if os.access(os.path.join(ROOT, cand), os.X_OK):
                augur = os.path.join(ROOT, cand)
                break
        else:
            sys.exit("gen-probes: no augur binary found; give --augur or --no-verify")
    os.makedirs(args.out, exist_ok=True)
    nets = fc_probes() + conv_probes() + type_probes() + tiny_probes() + plane_probes()
    for net in nets:
        path = os.path.join(args.out, net.name + ".yaml")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(net.text())
        os.replace(tmp, path)
        if not args.no_verify:
            verify(augur, path)
    print(f"wrote {len(nets)} networks to {args.out}")


if __name__ == "__main__":
    main()
