#!/usr/bin/env python3
"""ONNX models written with nothing but the protobuf wire format (no onnx or torch
package), for the ONNX reader's tests, its fuzz seeds and bench/onnx-large.

    tests/onnx/onnxgen.py DIR          writes the test models into DIR
    tests/onnx/onnxgen.py --vgg16 FILE  a VGG-16-shaped model with its 553 MB of (zero)
                                        weights, written as a stream

Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto,
AttributeProto, ValueInfoProto). Expected values for each model are worked out by hand in
tests/test-onnx.c, not taken from augur."""
import os
import struct
import sys


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(num, wt):
    return varint(num << 3 | wt)


def f_int(num, v):
    return key(num, 0) + varint(v)


def f_len(num, payload):
    return key(num, 2) + varint(len(payload)) + payload


def f_str(num, s):
    return f_len(num, s.encode())


def f_float(num, x):
    return key(num, 5) + struct.pack("<f", x)


FLOAT, INT64 = 1, 7


def tensor(name, dims, dtype=FLOAT, values=None, raw_zeros=True):
    """A TensorProto; float weights get zero raw_data of the right size."""
    b = b"".join(f_int(1, d) for d in dims) + f_int(2, dtype) + f_str(8, name)
    n = 1
    for d in dims:
        n *= d
    if values is not None:
        if dtype == INT64:
            b += f_len(9, struct.pack("<%dq" % len(values), *values))
        else:
            b += f_len(9, struct.pack("<%df" % len(values), *values))
    elif raw_zeros:
        b += f_len(9, bytes(4 * n))
    return b


def attr(name, v):
    """An AttributeProto from a Python value: int, float, str, list of ints, or bytes
    (an already encoded TensorProto)."""
    b = f_str(1, name)
    if isinstance(v, bool) or isinstance(v, int):
        return b + f_int(3, v) + f_int(20, 2)
    if isinstance(v, float):
        return b + f_float(2, v) + f_int(20, 1)
    if isinstance(v, str):
        return b + f_len(4, v.encode()) + f_int(20, 3)
    if isinstance(v, bytes):
        return b + f_len(5, v) + f_int(20, 4)
    if all(isinstance(x, int) for x in v):
        return b + b"".join(f_int(8, x) for x in v) + f_int(20, 7)
    return b + b"".join(f_float(7, x) for x in v) + f_int(20, 6)


def node(op, inputs, outputs, name=None, **attrs):
    b = b"".join(f_str(1, i) for i in inputs) + b"".join(f_str(2, o) for o in outputs)
    if name is not None:
        b += f_str(3, name)
    b += f_str(4, op)
    b += b"".join(f_len(5, attr(k, v)) for k, v in attrs.items())
    return b


def value_info(name, dims, elem=FLOAT):
    shape = b""
    for d in dims:
        shape += f_len(1, f_int(1, d) if isinstance(d, int) else f_str(2, d))
    ttype = f_int(1, elem) + f_len(2, shape)
    return f_str(1, name) + f_len(2, f_len(1, ttype))


def graph(nodes, inits, inputs, outputs, name="g"):
    b = b"".join(f_len(1, n) for n in nodes) + f_str(2, name)
    b += b"".join(f_len(5, t) for t in inits)
    b += b"".join(f_len(11, v) for v in inputs)
    b += b"".join(f_len(12, v) for v in outputs)
    return b


def model(g, opset=13):
    return (f_int(1, 7) + f_str(2, "onnxgen") + f_len(7, g) +
            f_len(8, f_str(1, "") + f_int(2, opset)))


# ---- the test models ----

def tiny_cnn():
    """3x32x32 -> conv 8 (3x3, pad 1, bias) -> relu -> maxpool 2/2 -> conv 8 (group 2,
    3x3, stride 2, pad 1) -> batchnorm -> add (with the pool) ... see test-onnx.c."""
    inits = [
        tensor("w1", [8, 3, 3, 3]), tensor("b1", [8]),
        tensor("w2", [8, 4, 3, 3]),
        tensor("g", [8]), tensor("beta", [8]), tensor("mean", [8]), tensor("var", [8]),
        # stored outside the file (data_location EXTERNAL, external_data location): only
        # its shape is needed
        tensor("w3", [8, 8, 1, 1], raw_zeros=False) + f_int(14, 1) +
        f_len(13, f_str(1, "location") + f_str(2, "tiny-cnn.weights")),
        tensor("fcw", [10, 8]), tensor("fcb", [10]),
    ]
    nodes = [
        node("Conv", ["x", "w1", "b1"], ["c1"], "conv1", pads=[1, 1, 1, 1]),
        node("Relu", ["c1"], ["r1"], "relu1"),
        node("MaxPool", ["r1"], ["p1"], "pool1", kernel_shape=[2, 2], strides=[2, 2]),
        node("Conv", ["p1", "w2"], ["c2"], "conv2", group=2, strides=[2, 2],
             pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        node("BatchNormalization", ["c2", "g", "beta", "mean", "var"], ["bn"], "bn2"),
        node("Conv", ["bn", "w3"], ["c3"], "conv3"),
        node("Add", ["bn", "c3"], ["sum"], "sum"),
        node("GlobalAveragePool", ["sum"], ["gap"], "gap"),
        node("Flatten", ["gap"], ["flat"], "flat"),
        node("Gemm", ["flat", "fcw", "fcb"], ["logits"], "fc", transB=1),
        node("Softmax", ["logits"], ["prob"], "prob", axis=1),
    ]
    g = graph(nodes, inits, [value_info("x", [1, 3, 32, 32])],
              [value_info("prob", [1, 10])])
    return model(g)


def tiny_shapes():
    """Shape arithmetic, shared initializers, Clip, asymmetric and automatic padding,
    MatMul + Add, ReduceMean, Concat: see test-onnx.c for the hand-worked figures."""
    inits = [
        tensor("w1", [16, 3, 3, 3]), tensor("zero16", [16]),
        tensor("w2", [16, 16, 2, 2]),
        tensor("w3", [16, 16, 3, 3]),
        tensor("lo", [], values=[0.0]), tensor("hi", [], values=[6.0]),
        tensor("mw", [32, 5]), tensor("mb", [5]),
        tensor("minus1", [1], INT64, values=[-1]),
    ]
    nodes = [
        node("Identity", ["zero16"], ["b1"], "share1"),
        node("Identity", ["zero16"], ["b3"], "share3"),
        # 3x15x15 -> pads top/left 0, bottom/right 2 -> like pad 1: 16x15x15
        node("Conv", ["x", "w1", "b1"], ["c1"], "conv1", pads=[0, 0, 2, 2]),
        node("Clip", ["c1", "lo", "hi"], ["r1"], "relu6"),
        # 2x2 stride 1 SAME_UPPER: total pad 1 per axis, split unevenly -> refused, so
        # VALID here: 16x14x14
        node("Conv", ["r1", "w2"], ["c2"], "conv2", auto_pad="VALID"),
        # 3x3 stride 2 SAME_UPPER on 14: out 7, total pad (7-1)*2+3-14 = 1 -> odd; use
        # stride 1: out 14, total 2 -> pad 1
        node("Conv", ["c2", "w3", "b3"], ["c3"], "conv3", auto_pad="SAME_UPPER"),
        node("LeakyRelu", ["c3"], ["l3"], "leaky", alpha=0.1),
        node("Concat", ["c2", "l3"], ["cat"], "cat", axis=1),
        node("ReduceMean", ["cat"], ["mean"], "mean", axes=[2, 3], keepdims=1),
        node("Shape", ["mean"], ["shape"], "shape"),
        node("Constant", [], ["zero"], "zero", value=tensor("zv", [], INT64, values=[0])),
        node("Gather", ["shape", "zero"], ["n"], "n", axis=0),
        node("Unsqueeze", ["n"], ["n1"], "n1", axes=[0]),
        node("Concat", ["n1", "minus1"], ["target"], "target", axis=0),
        node("Reshape", ["mean", "target"], ["flat"], "flat"),
        node("MatMul", ["flat", "mw"], ["mm"], "mm"),
        node("Add", ["mm", "mb"], ["out"], "bias"),
        node("Dropout", ["out"], ["drop"], "drop"),
    ]
    g = graph(nodes, inits, [value_info("x", ["batch", 3, 15, 15])],
              [value_info("drop", ["batch", 5])])
    return model(g, opset=11)


def ceil_pads():
    """MaxPool 3x3/2 on 13x13 padded at the end only, as exporters wrote ceil_mode before
    opset 10: (13 + 1 - 3) / 2 + 1 = 6 = ceil((13 - 3) / 2) + 1."""
    nodes = [node("MaxPool", ["x"], ["y"], "pool", kernel_shape=[3, 3], strides=[2, 2],
                  pads=[0, 0, 1, 1])]
    return model(graph(nodes, [], [value_info("x", [1, 4, 13, 13])], []), opset=9)


def new_types():
    """The layer types beyond the paper's, on a 8x6x6 input (figures in test-onnx.c):
    ConvTranspose, PRelu, HardSigmoid, Elu, Resize, Split, a channel shuffle
    (Reshape-Transpose-Reshape), Transpose of H and W, Slice, Concat, Reshape."""
    inits = [
        tensor("wt", [8, 4, 3, 3]), tensor("bt", [8]), tensor("slope", [8, 1, 1]),
        tensor("scales", [4], values=[1.0, 1.0, 2.0, 2.0]),
        tensor("parts", [2], INT64, values=[2, 6]),
        tensor("view", [5], INT64, values=[1, 2, 3, 22, 22]),
        tensor("back", [4], INT64, values=[1, -1, 22, 22]),
        tensor("s0", [1], INT64, values=[0]), tensor("s1", [1], INT64, values=[1]),
        tensor("ax1", [1], INT64, values=[1]),
        tensor("flat", [4], INT64, values=[1, 7, 11, 44]),
    ]
    nodes = [
        node("ConvTranspose", ["x", "wt", "bt"], ["d"], "deconv", group=2, strides=[2, 2],
             pads=[1, 1, 1, 1]),
        node("PRelu", ["d", "slope"], ["p"], "prelu"),
        node("HardSigmoid", ["p"], ["hs"], "hsig", alpha=1.0 / 6, beta=0.5),
        node("Elu", ["hs"], ["e"], "elu"),
        node("Resize", ["e", "", "scales"], ["u"], "up", mode="nearest"),
        node("Split", ["u", "parts"], ["a", "b"], "split", axis=1),
        node("Reshape", ["b", "view"], ["b5"], "view"),
        node("Transpose", ["b5"], ["t5"], "swap", perm=[0, 2, 1, 3, 4]),
        node("Reshape", ["t5", "back"], ["sh"], "shuffle"),
        node("Transpose", ["sh"], ["pm"], "hw", perm=[0, 1, 3, 2]),
        node("Slice", ["a", "s0", "s1", "ax1"], ["a1"], "first"),
        node("Concat", ["a1", "pm"], ["cat"], "cat", axis=1),
        node("Reshape", ["cat", "flat"], ["r"], "reshape"),
    ]
    return model(graph(nodes, inits, [value_info("x", [1, 8, 6, 6])], []), opset=13)


def bad_models():
    """name -> bytes, for the bad-input table of test-onnx.c."""
    good = tiny_cnn()
    x = [value_info("x", [1, 3, 8, 8])]
    w = [tensor("w", [4, 3, 3, 3])]
    conv = node("Conv", ["x", "w"], ["y"], "conv")
    out = {
        "truncated.onnx": good[: len(good) // 2],
        "not-a-model.onnx": b"\x00\x01\x02 this is not an ONNX model \xff\xfe",
        "unknown-op.onnx": model(graph([conv, node("Frobnicate", ["y"], ["z"], "frob_1")], w,
                                       x, [])),
        "missing-init.onnx": model(graph([node("Conv", ["x", "w_missing"], ["y"], "conv")],
                                         w, x, [])),
        "dynamic.onnx": model(graph([conv], w, [value_info("x", [1, 3, "height", "width"])],
                                    [])),
        "hardswish.onnx": model(graph([conv, node("HardSwish", ["y"], ["z"], "hs")], w, x,
                                      [])),
        "broadcast-mul.onnx": model(graph(
            [conv, node("GlobalAveragePool", ["y"], ["s"], "se_pool"),
             node("Mul", ["y", "s"], ["z"], "se_scale")], w, x, [])),
        "odd-pads.onnx": model(graph([node("Conv", ["x", "w"], ["y"], "conv",
                                           pads=[0, 0, 1, 1])], w, x, [])),
        # stride 1: (8 + 1 - 3) + 1 = 7, but ceil_mode would give 6
        "odd-pool-pads.onnx": model(graph([node("MaxPool", ["x"], ["y"], "pool",
                                                kernel_shape=[3, 3], pads=[0, 0, 1, 1])],
                                          [], x, [])),
        "no-input.onnx": model(graph([conv], w, [], [])),
    }
    return out


def write_all(d):
    os.makedirs(d, exist_ok=True)
    files = {"tiny-cnn.onnx": tiny_cnn(), "tiny-shapes.onnx": tiny_shapes(),
             "ceil-pads.onnx": ceil_pads(), "new-types.onnx": new_types()}
    files.update(bad_models())
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


# ---- VGG-16, streamed ----

class Zeros:
    def __init__(self, n):
        self.n = n


def vgg16(path):
    """torchvision's VGG-16 (features, avgpool to 7x7, classifier) at 224x224, its
    weights as zero raw_data, written without holding them in memory."""
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
           512, 512, 512, "M"]
    nodes, inits = [], []   # inits: (header bytes, zero byte count)
    prev, c, i = "x", 3, 0
    for v in cfg:
        i += 1
        if v == "M":
            nodes.append(node("MaxPool", [prev], ["p%d" % i], "pool%d" % i,
                              kernel_shape=[2, 2], strides=[2, 2]))
            prev = "p%d" % i
            continue
        inits.append(("w%d" % i, [v, c, 3, 3]))
        inits.append(("b%d" % i, [v]))
        nodes.append(node("Conv", [prev, "w%d" % i, "b%d" % i], ["c%d" % i], "conv%d" % i,
                          pads=[1, 1, 1, 1], kernel_shape=[3, 3]))
        nodes.append(node("Relu", ["c%d" % i], ["r%d" % i], "relu%d" % i))
        prev, c = "r%d" % i, v
    nodes.append(node("Flatten", [prev], ["flat"], "flat"))
    prev, k = "flat", 512 * 7 * 7
    for j, n in enumerate([4096, 4096, 1000]):
        inits.append(("fw%d" % j, [n, k]))
        inits.append(("fb%d" % j, [n]))
        nodes.append(node("Gemm", [prev, "fw%d" % j, "fb%d" % j], ["f%d" % j], "fc%d" % j,
                          transB=1))
        prev, k = "f%d" % j, n
        if j < 2:
            nodes.append(node("Relu", [prev], ["fr%d" % j], "fcrelu%d" % j))
            prev = "fr%d" % j
    pieces = [b"".join(f_len(1, n) for n in nodes), f_str(2, "vgg16")]
    for name, dims in inits:
        n = 4
        for d in dims:
            n *= d
        head = b"".join(f_int(1, d) for d in dims) + f_int(2, FLOAT) + f_str(8, name)
        body_len = len(head) + len(key(9, 2)) + len(varint(n)) + n
        pieces.append(key(5, 2) + varint(body_len) + head + key(9, 2) + varint(n))
        pieces.append(Zeros(n))
    pieces.append(f_len(11, value_info("x", [1, 3, 224, 224])))
    glen = sum(p.n if isinstance(p, Zeros) else len(p) for p in pieces)
    with open(path, "wb") as f:
        f.write(f_int(1, 7) + f_str(2, "onnxgen") + key(7, 2) + varint(glen))
        chunk = bytes(1 << 20)
        for p in pieces:
            if isinstance(p, Zeros):
                left = p.n
                while left:
                    f.write(chunk[: min(left, len(chunk))])
                    left -= min(left, len(chunk))
            else:
                f.write(p)
        f.write(f_len(8, f_str(1, "") + f_int(2, 13)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--vgg16":
        vgg16(sys.argv[2])
    elif len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        write_all(sys.argv[1])
    else:
        sys.exit(__doc__)
