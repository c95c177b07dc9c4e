#!/usr/bin/env bash
# CLI tests of the ONNX reader: commands that take a NET read a hand-built .onnx model
# (tests/data/onnx, written by tests/onnx/onnxgen.py; recognised by content, whatever its
# name), "augur convert" writes YAML that gives the identical json report, and bad models
# fail with one located message and exit 1.
set -u
. "$(dirname "$0")/cli-lib.sh"
data=tests/data/onnx

# the committed models are what tests/onnx/onnxgen.py writes
if command -v python3 >/dev/null; then
	python3 tests/onnx/onnxgen.py "$tmp/gen"
	for f in "$tmp"/gen/*.onnx; do
		if cmp -s "$f" "$data/$(basename "$f")"; then pass=$((pass + 1)); else
			fail=$((fail + 1)); echo "FAIL: $data/$(basename "$f") differs from onnxgen.py's"
		fi
	done
fi

# 682 parameters and 243,792 MACs, worked out by hand in tests/test-onnx.c
expect 0 "$AUGUR" inspect "$data/tiny-cnn.onnx"
has "$out" "parameters 682" "inspect tiny-cnn"
cp "$data/tiny-cnn.onnx" "$tmp/model.bin"
expect 0 "$AUGUR" inspect --format json "$tmp/model.bin"
has "$out" '"macs": 243792' "content, not the name, decides"
expect 0 "$AUGUR" estimate "$data/tiny-shapes.onnx" --device epyc-1t
expect 0 "$AUGUR" whatif "$data/tiny-cnn.onnx" --device epyc-1t --set fc.outputs=20

# convert: YAML on stdout and atomically into a file; the same analysis either way
expect 0 "$AUGUR" convert "$data/tiny-shapes.onnx" -o "$tmp/net.yaml"
has "$(head -3 "$tmp/net.yaml")" "(ONNX model)" "convert header"
expect 0 "$AUGUR" inspect --format json "$data/tiny-shapes.onnx"
sed '/"source"/d; /"network"/d' "$tmp/out" >"$tmp/a.json"
expect 0 "$AUGUR" inspect --format json "$tmp/net.yaml"
sed '/"source"/d; /"network"/d' "$tmp/out" >"$tmp/b.json"
if cmp -s "$tmp/a.json" "$tmp/b.json"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: converted YAML reports differently"; diff "$tmp/a.json" "$tmp/b.json" | head
fi

# bad models: one line on stderr naming the file (and the node), exit 1
expect 1 "$AUGUR" inspect "$data/unknown-op.onnx"
has "$err" "$data/unknown-op.onnx: error: node 1 'frob_1' (op Frobnicate): unsupported op" "unknown op"
[ "$(lines "$err")" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: more than one line"; }
expect 1 "$AUGUR" convert "$data/truncated.onnx" -o "$tmp/t.yaml"
has "$err" "truncated" "truncated"
[ ! -e "$tmp/t.yaml" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: convert wrote a file"; }
expect 1 "$AUGUR" estimate "$data/dynamic.onnx" --device epyc-1t
has "$err" "dynamic size" "dynamic input"
has "$err" "give one with --input C,H,W" "dynamic input names --input"
# --input gives it: 4 filters of 3x3x3 over 3x16x16 -> 4x14x14, 108 parameters
expect 0 "$AUGUR" inspect "$data/dynamic.onnx" --input 3,16,16 --format csv
has "$out" "0,conv,conv,input,3,16,16,4,14,14,108," "dynamic input with --input"
finish
