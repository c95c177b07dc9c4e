#!/usr/bin/env bash
# CLI tests of Caffe prototxt support: "augur inspect x.prototxt" (format told by content,
# whatever the file is called), "augur convert" to stdout and atomically to a file, the
# converted YAML giving the same json report, and located errors with exit codes.
# Needs AUGUR (the binary) and AUGUR_SOURCE_ROOT, as tests/meson.build sets them.
set -u
: "${AUGUR:?set AUGUR to the augur binary}" "${AUGUR_SOURCE_ROOT:?set AUGUR_SOURCE_ROOT}"
# cli-lib.sh: $tmp (removed on exit) and the valgrind wrapper; this script keeps its own
# run/has helpers below
. "$(dirname "$0")/cli-lib.sh"
data="$AUGUR_SOURCE_ROOT/tests/data"
passed=0 failed=0

ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# run NAME EXPECTED_RC CMD...: runs CMD, output in $tmp/out and $tmp/err
run() {
	local name=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else fail "$name: exit $rc, expected $want ($(head -c 300 "$tmp/err"))"; fi
}
has() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then ok; else fail "$1: $(basename "$2") lacks '$3'"; fi
}

# inspect reads all three prototxts; the published parameter counts appear
for pair in alexnet:60,965,224 googlenet:6,998,552 resnet50:25,557,096; do
	net=${pair%%:*} params=${pair#*:}
	run "inspect $net" 0 "$AUGUR" inspect "$data/$net.prototxt"
	has "inspect $net" "$tmp/out" "parameters $params"
	[ -s "$tmp/err" ] && fail "inspect $net wrote to stderr" || ok
done

# DenseNet in the public Caffe ports' style (BatchNorm + Scale, Concat per layer, the fork
# field ceil_mode), written by our own generator: torchvision's published counts
if command -v python3 >/dev/null; then
	for pair in 121:7,978,856 169:14,149,480; do
		depth=${pair%%:*} params=${pair#*:}
		python3 "$data/gen-densenet.py" "$depth" >"$tmp/densenet$depth.prototxt"
		run "densenet$depth" 0 "$AUGUR" inspect "$tmp/densenet$depth.prototxt"
		has "densenet$depth" "$tmp/out" "parameters $params (learned)"
	done
fi

# content decides, not the name: a prototxt called .yaml is still a prototxt
cp "$data/alexnet.prototxt" "$tmp/alexnet-in-disguise.yaml"
run "sniff" 0 "$AUGUR" inspect --format json "$tmp/alexnet-in-disguise.yaml"
has "sniff" "$tmp/out" '"params": 60965224'

# convert to stdout: header naming the source, one flow line per layer
run "convert stdout" 0 "$AUGUR" convert "$data/googlenet.prototxt"
has "convert stdout" "$tmp/out" "# Converted by augur"
has "convert stdout" "$tmp/out" "from googlenet.prototxt (Caffe prototxt)."
has "convert stdout" "$tmp/out" "  - {name: inception_3a/output, type: concat, inputs: [inception_3a/relu_1x1, inception_3a/relu_3x3, inception_3a/relu_5x5, inception_3a/relu_pool_proj]}"
cp "$tmp/out" "$tmp/stdout.yaml"

# convert -o: same bytes, and the YAML reports exactly what the prototxt does
for net in alexnet googlenet resnet50; do
	run "convert -o $net" 0 "$AUGUR" convert "$data/$net.prototxt" -o "$tmp/$net.yaml"
	[ -s "$tmp/out" ] && fail "convert -o $net wrote to stdout" || ok
	run "inspect proto $net" 0 "$AUGUR" inspect --format json "$data/$net.prototxt"
	grep -v '"source"' "$tmp/out" >"$tmp/proto.json"
	run "inspect yaml $net" 0 "$AUGUR" inspect --format json "$tmp/$net.yaml"
	grep -v '"source"' "$tmp/out" >"$tmp/yaml.json"
	if cmp -s "$tmp/proto.json" "$tmp/yaml.json"; then ok; else
		fail "json of $net.prototxt and its conversion differ"
		diff "$tmp/proto.json" "$tmp/yaml.json" | head -5 >&2
	fi
	run "csv $net" 0 "$AUGUR" inspect --format csv "$data/$net.prototxt"
	cp "$tmp/out" "$tmp/proto.csv"
	run "csv yaml $net" 0 "$AUGUR" inspect --format csv "$tmp/$net.yaml"
	cmp -s "$tmp/out" "$tmp/proto.csv" && ok || fail "csv of $net.prototxt and its conversion differ"
done
cmp -s "$tmp/stdout.yaml" "$tmp/googlenet.yaml" && ok || fail "convert stdout and -o differ"

# converting the conversion changes nothing but the header
run "convert yaml" 0 "$AUGUR" convert "$tmp/resnet50.yaml" -o "$tmp/again.yaml"
if diff <(grep -v '^#' "$tmp/resnet50.yaml") <(grep -v '^#' "$tmp/again.yaml") >/dev/null; then ok; else fail "YAML -> YAML is not stable"; fi

# errors: located, on stderr, exit 1; nothing written
printf 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\nlayer {\n  name: "d"\n  type: "SpatialConvolution"\n  bottom: "data"\n  top: "d"\n}\n' >"$tmp/bad.prototxt"
run "bad type" 1 "$AUGUR" inspect "$tmp/bad.prototxt"
has "bad type" "$tmp/err" "$tmp/bad.prototxt:8:9: error: unsupported layer type 'SpatialConvolution' of layer 'd'"
grep -q "did you mean" "$tmp/err" && fail "SpatialConvolution is not a typo of Convolution" || ok
echo 'old' >"$tmp/keep.yaml"
run "bad convert" 1 "$AUGUR" convert "$tmp/bad.prototxt" -o "$tmp/keep.yaml"
has "bad convert" "$tmp/keep.yaml" "old"
printf 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\nlayer { name: "c" type: "Convolution" bottom: "data" top: "c"\n  convolution_param { num_output: 4 kernel_size: 11 } }\n' >"$tmp/shape.prototxt"
run "shape error" 1 "$AUGUR" convert "$tmp/shape.prototxt"
has "shape error" "$tmp/err" "shape.prototxt:7:50: error: kernel 11x11 of conv layer 'c'"
printf 'layer {\n  name: "x"\n' >"$tmp/open.prototxt"
run "unclosed" 1 "$AUGUR" inspect "$tmp/open.prototxt"
has "unclosed" "$tmp/err" "open.prototxt:1:7: error: 'layer' opened here is never closed"

# --input replaces a placeholder 1x1 input (OpenPose ships one): 3x3/2 over 9x9 is 4x4
printf 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 1\ninput_dim: 1\nlayer { name: "c" type: "Convolution" bottom: "data" top: "c"\n  convolution_param { num_output: 8 kernel_size: 3 stride: 2 } }\n' >"$tmp/placeholder.prototxt"
run "placeholder" 1 "$AUGUR" inspect "$tmp/placeholder.prototxt"
for cmd in inspect convert; do
	run "--input $cmd" 0 "$AUGUR" $cmd "$tmp/placeholder.prototxt" --input 3,9,9
done
has "--input convert" "$tmp/out" "input: [3, 9, 9]"
run "--input= inspect" 0 "$AUGUR" inspect --format csv --input=3,9,9 "$tmp/placeholder.prototxt"
has "--input= inspect" "$tmp/out" "0,c,conv,input,3,9,9,8,4,4,224"
run "--input bad" 2 "$AUGUR" inspect "$tmp/placeholder.prototxt" --input 3,9
has "--input bad" "$tmp/err" "augur inspect: error: --input expects C,H,W"
run "--input no value" 2 "$AUGUR" inspect "$tmp/placeholder.prototxt" --input
run "--input not here" 2 "$AUGUR" profile list --input 3,9,9

# a second network input (Faster R-CNN's im_info) is accepted and reported
printf 'input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\ninput: "im_info" input_shape { dim: 1 dim: 3 }\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n' >"$tmp/two.prototxt"
run "two inputs" 0 "$AUGUR" inspect "$tmp/two.prototxt"
has "two inputs" "$tmp/out" "other inputs (not modelled): im_info"

# usage
run "convert no args" 2 "$AUGUR" convert
has "convert no args" "$tmp/err" "augur convert: error: expects a descriptor"
run "convert bad option" 2 "$AUGUR" convert --ouput x "$data/alexnet.prototxt"
has "convert bad option" "$tmp/err" "did you mean '--output'"
run "convert help" 0 "$AUGUR" convert --help
has "convert help" "$tmp/out" "usage: augur convert NET [-o FILE]"
run "convert unwritable" 1 "$AUGUR" convert "$data/alexnet.prototxt" -o "$tmp/no/such/dir/x.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
