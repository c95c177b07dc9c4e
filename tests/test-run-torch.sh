#!/usr/bin/env bash
# augur run against PyTorch with the same weights and input (tests/run-vs-torch.py): every
# layer on augur's own inputs, and the whole pass, on a network of every layer type, a
# small random one and small shipped ones. Skipped (77) when Debian's python3 cannot import
# torch (.ci/install-deps installs python3-torch).
set -u
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
	echo "skip: /usr/bin/python3 cannot import torch and numpy (apt-get install python3-torch)"
	exit 77
fi
. "$(dirname "$0")/cli-lib.sh"
for net in tests/data/every-layer.yaml tests/data/tiny.yaml bench/nets/fit/rand100_002.yaml \
	descriptors/kws.yaml descriptors/nin.yaml descriptors/squeezenet.yaml; do
	rm -rf "$tmp/dump"
	expect 0 /usr/bin/python3 tests/run-vs-torch.py "$AUGUR" "$net" "$tmp/dump"
	has "$out" "$net: " "$net compared"
	[ -n "$out" ] && printf '%s\n' "$out" | tail -1
done
finish
