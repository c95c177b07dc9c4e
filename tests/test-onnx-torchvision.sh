#!/usr/bin/env bash
# torchvision models exported to ONNX at test time (tests/onnx/torchvision-check.py): augur's
# parameters and conv+fc MACs equal torch's own; models that need layer types augur does not
# have yet are refused with a located message. Opsets 11, 13 and 17. Skipped (77) when
# Debian's python3 cannot import torch and torchvision (.ci/install-deps installs them).
set -u
if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
	echo "skip: /usr/bin/python3 cannot import torch and torchvision (apt-get install python3-torchvision)"
	exit 77
fi
cd "${AUGUR_SOURCE_ROOT:-.}" || exit 1
check=tests/onnx/torchvision-check.py
status=0
/usr/bin/python3 "$check" --augur "$AUGUR" resnet18 squeezenet1_1 mobilenet_v2 googlenet \
	densenet121 mobilenet_v3_small shufflenet_v2_x0_5 efficientnet_b0 regnet_y_400mf \
	2>/dev/null || status=1
for opset in 11 17; do
	/usr/bin/python3 "$check" --augur "$AUGUR" --opset $opset resnet18 mobilenet_v3_small \
		shufflenet_v2_x0_5 2>/dev/null || status=1
done
exit $status
