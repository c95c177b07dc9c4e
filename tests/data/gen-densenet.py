#!/usr/bin/env python3
"""Writes a DenseNet deploy prototxt in the style of the public Caffe ports (BatchNorm +
Scale + ReLU before each conv, Concat per layer, the fork field `ceil_mode` in the first
pooling), from the architecture of Huang et al. (growth 32, bottleneck 4 x growth,
transitions halving the channels). Our own generator: the tests assert torchvision's
published counts on its output (densenet121 7,978,856; densenet169 14,149,480).

    tests/data/gen-densenet.py 121|169|201 > net.prototxt
"""
import sys

BLOCKS = {"121": [6, 12, 24, 16], "169": [6, 12, 32, 32], "201": [6, 12, 48, 32]}


def main():
    depth = sys.argv[1] if len(sys.argv) > 1 else "121"
    out = ['name: "densenet%s"\ninput: "data"\ninput_shape { dim: 1 dim: 3 dim: 224 dim: 224 }\n' % depth]

    def layer(text):
        out.append("layer { %s }\n" % text)

    def bn_relu(name, bottom):
        layer('name: "%s/bn" type: "BatchNorm" bottom: "%s" top: "%s/bn"' % (name, bottom, name))
        layer('name: "%s/scale" type: "Scale" bottom: "%s/bn" top: "%s/bn" scale_param { bias_term: true }'
              % (name, name, name))
        layer('name: "%s/relu" type: "ReLU" bottom: "%s/bn" top: "%s/bn"' % (name, name, name))
        return name + "/bn"

    def conv(name, bottom, n, k, pad=0, stride=1):
        layer('name: "%s" type: "Convolution" bottom: "%s" top: "%s" convolution_param { '
              'num_output: %d bias_term: false kernel_size: %d pad: %d stride: %d }'
              % (name, bottom, name, n, k, pad, stride))
        return name

    x = bn_relu("conv1", conv("conv1", "data", 64, 7, 3, 2))
    layer('name: "pool1" type: "Pooling" bottom: "%s" top: "pool1" pooling_param { pool: MAX '
          'kernel_size: 3 stride: 2 pad: 1 ceil_mode: false }' % x)
    x, ch = "pool1", 64
    for b, n in enumerate(BLOCKS[depth]):
        for i in range(n):
            p = "conv%d_%d" % (b + 2, i + 1)
            y = conv(p + "/x1", bn_relu(p + "/x1", x), 128, 1)
            y = conv(p + "/x2", bn_relu(p + "/x2", y), 32, 3, 1)
            layer('name: "%s/cat" type: "Concat" bottom: "%s" bottom: "%s" top: "%s/cat"' % (p, x, y, p))
            x, ch = p + "/cat", ch + 32
        t = "trans%d" % (b + 2)
        x = bn_relu(t, x)
        if b < 3:
            ch //= 2
            x = conv(t, x, ch, 1)
            layer('name: "%s/pool" type: "Pooling" bottom: "%s" top: "%s/pool" pooling_param { '
                  'pool: AVE kernel_size: 2 stride: 2 }' % (t, x, t))
            x = t + "/pool"
    layer('name: "pool5" type: "Pooling" bottom: "%s" top: "pool5" pooling_param { pool: AVE '
          'global_pooling: true }' % x)
    layer('name: "fc6" type: "InnerProduct" bottom: "pool5" top: "fc6" '
          'inner_product_param { num_output: 1000 }')
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
