#!/usr/bin/env python3
"""Writes a ResNet descriptor (the original Caffe layout: bias-free conv + batchnorm +
scale + relu, bottleneck blocks, projection shortcuts) of a chosen depth to stdout.
ResNet-152 has 3/8/36/3 blocks and about 500 layers: the size the parse benchmark needs.
Usage: gen-resnet.py [50|101|152] > net.yaml"""
import sys

BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
depth = int(sys.argv[1]) if len(sys.argv) > 1 else 152
out = [f"name: resnet{depth}", "input: [3, 224, 224]", "layers:"]


def conv(name, filters, kernel, stride=1, pad=0, inputs=None):
    src = f", inputs: {inputs}" if inputs else ""
    out.append(f"  - {{name: {name}, type: conv, filters: {filters}, kernel: {kernel}, "
               f"stride: {stride}, pad: {pad}, bias: false{src}}}")
    out.append(f"  - {{name: bn_{name}, type: batchnorm}}")
    out.append(f"  - {{name: scale_{name}, type: scale}}")


conv("conv1", 64, 7, 2, 3)
out.append("  - {name: conv1_relu, type: relu}")
out.append("  - {name: pool1, type: pool, op: max, kernel: 3, stride: 2, ceil: true}")
prev, width = "pool1", 64
for stage, count in enumerate(BLOCKS[depth]):
    for b in range(count):
        name = f"res{stage + 2}_{b}"
        stride = 2 if b == 0 and stage > 0 else 1
        if b == 0:
            conv(f"{name}_branch1", width * 4, 1, stride, 0, prev)
            short = f"scale_{name}_branch1"
        else:
            short = prev
        conv(f"{name}_branch2a", width, 1, stride, 0, prev)
        out.append(f"  - {{name: {name}_branch2a_relu, type: relu}}")
        conv(f"{name}_branch2b", width, 3, 1, 1)
        out.append(f"  - {{name: {name}_branch2b_relu, type: relu}}")
        conv(f"{name}_branch2c", width * 4, 1)
        out.append(f"  - {{name: {name}, type: eltwise, op: sum, "
                   f"inputs: [{short}, scale_{name}_branch2c]}}")
        out.append(f"  - {{name: {name}_relu, type: relu}}")
        prev = f"{name}_relu"
    width *= 2
out.append("  - {name: pool5, type: pool, op: avg, global: true}")
out.append("  - {name: fc1000, type: fc, outputs: 1000}")
out.append("  - {name: prob, type: softmax}")
print("\n".join(out))
