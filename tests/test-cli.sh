#!/usr/bin/env bash
# CLI tests: run the built augur on shipped descriptors and bad input, checking stdout,
# stderr and exit codes. $AUGUR is the binary, $AUGUR_SOURCE_ROOT the source tree.
set -u
. "$(dirname "$0")/cli-lib.sh"

expect 0 "$AUGUR" --version
has "$out" "augur 0." "--version"
expect 0 "$AUGUR" help
has "$out" "inspect" "help lists inspect"
expect 0 "$AUGUR" inspect --help
has "$out" "usage: augur inspect NET" "inspect --help"
expect 2 "$AUGUR" inspct
has "$err" "unknown command 'inspct' (did you mean 'inspect'?)" "unknown command"
expect 2 "$AUGUR"
expect 2 "$AUGUR" inspect --fromat json descriptors/alexnet.yaml
has "$err" "unknown option '--fromat' (did you mean '--format'?)" "unknown option"
expect 2 "$AUGUR" inspect --format xml descriptors/alexnet.yaml
has "$err" "unknown format 'xml'" "bad format"
expect 2 "$AUGUR" inspect --batch 0 descriptors/alexnet.yaml
has "$err" "--batch expects an integer" "bad batch"
expect 2 "$AUGUR" inspect
expect 2 "$AUGUR" inspect descriptors/alexnet.yaml --format

# inspect: the table, within 100 columns
expect 0 "$AUGUR" inspect descriptors/alexnet.yaml
has "$out" "parameters 60,965,224" "alexnet params"
has "$out" "96x363x3025" "alexnet conv1 GEMM"
has "$out" "128x1200x729*2" "alexnet conv2 GEMM, two groups"
width=$(printf '%s\n' "$out" | awk 'length > 100' | wc -l)
[ "$width" -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: table wider than 100 columns"; }
[ -z "$err" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: stderr not empty: $err"; }

# json is valid and complete; batch doubles the data
expect 0 "$AUGUR" inspect --format json descriptors/alexnet.yaml
printf '%s' "$out" >"$tmp/a1.json"
expect 0 "$AUGUR" inspect --format json --batch 2 descriptors/alexnet.yaml
printf '%s' "$out" >"$tmp/a2.json"
if command -v python3 >/dev/null; then
	python3 - "$tmp/a1.json" "$tmp/a2.json" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["totals"]["params"] == 60965224, a["totals"]
assert len(a["layers"]) == 23
c1 = a["layers"][0]
assert c1["gemm"] == {"n": 96, "k": 363, "m": 3025, "count": 1}, c1["gemm"]
assert b["batch"] == 2 and b["totals"]["macs"] == 2 * a["totals"]["macs"]
assert b["memory"]["paper"]["data_bytes"] == 2 * a["memory"]["paper"]["data_bytes"]
assert b["memory"]["paper"]["weights_bytes"] == a["memory"]["paper"]["weights_bytes"]
# attrs: what each layer needs to be rebuilt elsewhere (bench/validate)
L = {l["name"]: l for l in a["layers"]}
assert L["conv2"]["attrs"] == {"filters": 256, "kernel": [5, 5], "stride": [1, 1], "pad": [2, 2],
                               "dilation": [1, 1], "groups": 2, "bias": True}, L["conv2"]["attrs"]
assert L["pool1"]["attrs"] == {"op": "max", "kernel": [3, 3], "stride": [2, 2], "pad": [0, 0],
                               "global": False, "ceil": False}, L["pool1"]["attrs"]
assert L["relu1"]["attrs"] == {"negative_slope": 0, "max": None}, L["relu1"]["attrs"]
assert L["norm1"]["attrs"] == {"size": 5}, L["norm1"]["attrs"]
assert L["fc6"]["attrs"] == {"outputs": 4096, "bias": True}, L["fc6"]["attrs"]
assert L["drop6"]["attrs"] == {} and L["prob"]["attrs"] == {}
PY
fi
for net in mobilenetv2 yolo resnet50; do
	expect 0 "$AUGUR" inspect --format json descriptors/$net.yaml
	printf '%s' "$out" >"$tmp/$net.json"
done
if command -v python3 >/dev/null; then
	python3 - "$tmp" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
L = {}
for net in ("mobilenetv2", "yolo", "resnet50"):
    L.update({net + ":" + l["name"]: l["attrs"] for l in json.load(open(f"{sys.argv[1]}/{net}.json"))["layers"]})
assert L["mobilenetv2:features.0_relu6"] == {"negative_slope": 0, "max": 6}
assert L["mobilenetv2:features.1.dw"]["groups"] == 32 and L["mobilenetv2:features.1.dw"]["bias"] is False
assert L["mobilenetv2:features.0_scale"] == {"bias": True}
assert L["yolo:leaky1"] == {"negative_slope": 0.1, "max": None}, L["yolo:leaky1"]
assert L["resnet50:pool1"]["ceil"] is True
assert L["resnet50:res2a"] == {"op": "sum"}
assert L["resnet50:pool5"]["kernel"] == [7, 7] and L["resnet50:pool5"]["global"] is False
# a global pool reports the window it uses: the whole 7x7 input, stride 1, no padding
assert L["mobilenetv2:avgpool"] == {"op": "avg", "kernel": [7, 7], "stride": [1, 1],
                                    "pad": [0, 0], "global": True, "ceil": False}, L["mobilenetv2:avgpool"]
PY
fi
expect 0 "$AUGUR" inspect --format csv descriptors/alexnet.yaml
has "$out" "index,name,type,inputs" "csv header"
[ "$(lines "$out")" -eq 24 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: csv rows"; }

# page faults that may not happen: conv1's columns (9 x 1024 x 1024 floats, 36 MiB) lie
# between glibc's 32 MiB mmap threshold and twice it, where its heap's free top may hold
# them; conv2's (72 x 1024 x 1024, 288 MiB) are mapped afresh on every pass. The flagged
# time is conv's fitted fault rate (epyc-1t's fresh_bytes, ms per byte) times 36 MiB.
printf 'name: faulty\ninput: [1, 1024, 1024]\nlayers:\n  - {name: conv1, type: conv, filters: 8, kernel: 3, pad: 1}\n  - {name: conv2, type: conv, filters: 8, kernel: 3, pad: 1}\n' >"$tmp/faulty.yaml"
expect 0 "$AUGUR" estimate "$tmp/faulty.yaml" --device epyc-1t --layers
has "$out" "cpu: " "faults note"
has "$out" "ms of the time is page faults that may not happen: 1 layer's buffers" "faults note"
printf '%s\n' "$out" | grep -q '^  conv1 .*~' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: conv1 not marked '~'"; }
printf '%s\n' "$out" | grep '^  conv2 ' | grep -qv '~' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: conv2 marked '~'"; }
expect 0 "$AUGUR" estimate "$tmp/faulty.yaml" --device epyc-1t --format json
if command -v python3 >/dev/null; then
	printf '%s' "$out" >"$tmp/faulty.json"
	python3 - "$tmp/faulty.json" profiles/epyc-1t.yaml <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: faults_unsure_ms"; }
import json, re, sys
t = json.load(open(sys.argv[1]))["units"][0]
text = open(sys.argv[2]).read()
# conv's cost model: its terms and coefficients, as the profile stores them
conv = text[text.index("conv:", text.index("layer_costs")):]
terms = re.search(r"terms: \[([^\]]*)\]", conv).group(1).split(", ")
coef = [float(x) for x in re.search(r"coef: \[([^\]]*)\]", conv).group(1).split(", ")]
rate = coef[terms.index("fresh_bytes")]
want = rate * 9 * 1024 * 1024 * 4
layers = {l["name"]: l for l in t["layers"]}
# the JSON's six significant digits
assert abs(layers["conv1"]["faults_unsure_ms"] - want) <= 1e-5 * want, (layers["conv1"], want)
assert layers["conv2"]["faults_unsure_ms"] == 0, layers["conv2"]
assert layers["conv2"]["fresh_bytes"] == 72 * 1024 * 1024 * 4, layers["conv2"]
assert t["time"]["layers_faults_unsure"] == 1, t["time"]
assert abs(t["time"]["faults_unsure_ms"] - want) <= 1e-5 * want, t["time"]
PY
fi
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device epyc-1t
printf '%s' "$out" | grep -q "may not happen" && { fail=$((fail + 1)); echo "FAIL: alexnet flagged"; } || pass=$((pass + 1))
# a runtime that holds its buffers from pass to pass faults them once: the same profile
# said to be augur's runtime flags nothing
sed '/^framework:/,/^[a-z]/s/^  name: "pytorch"/  name: "augur"/' profiles/epyc-1t.yaml >"$tmp/held.yaml"
grep -q '^  name: "augur"' "$tmp/held.yaml" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: framework not renamed"; }
expect 0 "$AUGUR" estimate "$tmp/faulty.yaml" --device "$tmp/held.yaml"
printf '%s' "$out" | grep -q "may not happen" && { fail=$((fail + 1)); echo "FAIL: augur's runtime flagged"; } || pass=$((pass + 1))

# a profile augur calibrate made keeps the calibration's verdict on its costs, and every
# estimate with it says it (a refit, which that verdict no longer describes, drops it)
sed '/^    layer_costs:/{n;a\      checked: {networks: 8, within_10: 6, median_error: 0.016, layer_median_error: 0.104, crossval_networks: 148, crossval_within_10: 119, crossval_median_error: 0.044}
}' profiles/epyc-1t.yaml >"$tmp/checked.yaml"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device "$tmp/checked.yaml"
has "$(printf '%s' "$out" | tr -s ' \n' '  ')" "cpu: accuracy of these costs: 6 of 8 networks it was not fitted on within 10% when calibrated (median error 1.6%, per layer 10.4%); its 148 fit networks cross-validated: 119 within 10%" "accuracy line"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device "$tmp/checked.yaml" --format json
has "$out" '"checked": {"networks": 8, "within_10": 6, "median_error": 0.016, "layer_median_error": 0.104, "crossval_networks": 148, "crossval_within_10": 119, "crossval_median_error": 0.044}' "accuracy JSON"
expect 0 "$AUGUR" profile show "$tmp/checked.yaml"
has "$(printf '%s' "$out" | tr -s ' \n' '  ')" "checked 6 of 8 networks it was not fitted on" "profile show accuracy"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device epyc-1t
printf '%s' "$out" | grep -q "accuracy of these costs" && { fail=$((fail + 1)); echo "FAIL: accuracy without a verdict"; } || pass=$((pass + 1))
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device epyc-1t --format json
has "$out" '"checked": null' "no verdict in JSON"
expect 0 "$AUGUR" fit "$tmp/checked.yaml" --layer-times profiles/sources/pytorch-epyc-1t.yaml --out "$tmp/refit.yaml"
grep -q "checked:" "$tmp/refit.yaml" && { fail=$((fail + 1)); echo "FAIL: refit kept the verdict"; } || pass=$((pass + 1))

# the pass scale (docs/model.md, "A pass's scale"): VGG-16's pass (941 MB allocated) is past
# the top of epyc-1t's fit networks, so its factor is the one at the top, from the
# profile's own coefficients; estimate, its JSON, profile show and fit say it
expect 0 "$AUGUR" estimate descriptors/vgg16.yaml --device epyc-1t --format json
if command -v python3 >/dev/null; then
	printf '%s' "$out" >"$tmp/vgg16.json"
	python3 - "$tmp/vgg16.json" profiles/epyc-1t.yaml <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: pass_scale"; }
import json, math, re, sys
t = json.load(open(sys.argv[1]))["units"][0]["time"]
text = open(sys.argv[2]).read()
ps = text[text.index("pass_scale:"):]
v = {k: float(re.search(k + r": ([-0-9.e+]+)", ps).group(1))
     for k in ("knee_bytes", "top_bytes", "intercept", "slope")}
assert 941331424 > v["top_bytes"] > v["knee_bytes"], v
want = math.exp(v["intercept"] + v["slope"] * math.log(v["top_bytes"] / v["knee_bytes"]))
assert 1.0 < want < 1.1, want
assert abs(t["pass_scale"] - want) <= 1e-5 * want, (t["pass_scale"], want)
PY
fi
expect 0 "$AUGUR" estimate descriptors/vgg16.yaml --device epyc-1t
has "$(printf '%s' "$out" | tr -s ' \n' '  ')" "cpu: layer times x 1.027 for a pass of 898 MiB (the pass scale fitted on 200 networks' forward times)" "pass scale line"
expect 0 "$AUGUR" profile show epyc-1t
has "$(printf '%s' "$out" | tr -s ' \n' '  ')" "pass scale x 0.995 for a pass of up to 30 MiB, x 1.027 from 792 MiB (fitted on 200 networks' forward times)" "profile show pass scale"
has "$(cat "$tmp/refit.yaml")" "pass_scale:" "refit writes the pass scale"
# a profile without one (fitted before it): a factor of 1, nothing said
sed '/^      pass_scale:/,/^        slope:/d' profiles/epyc-1t.yaml >"$tmp/noscale.yaml"
expect 0 "$AUGUR" estimate descriptors/vgg16.yaml --device "$tmp/noscale.yaml" --format json
has "$out" '"pass_scale": 1,' "no pass scale in JSON"
expect 0 "$AUGUR" estimate descriptors/vgg16.yaml --device "$tmp/noscale.yaml"
printf '%s' "$out" | grep -q "layer times x" && { fail=$((fail + 1)); echo "FAIL: pass scale without one"; } || pass=$((pass + 1))

# bad input: one located line on stderr, exit 1, nothing on stdout
printf 'input: [3, 32, 32]\nlayers:\n  - {name: c1, type: conv3, filters: 8}\n' >"$tmp/bad.yaml"
expect 1 "$AUGUR" inspect "$tmp/bad.yaml"
has "$err" "bad.yaml:3:22: error: unknown layer type 'conv3' (did you mean 'conv'?" "located error"
[ "$(lines "$err")" -eq 1 ] && [ -z "$out" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: error not one line: $err"; }
expect 1 "$AUGUR" inspect "$tmp/missing.yaml"
has "$err" "missing.yaml: error: cannot open" "missing file"
expect 1 "$AUGUR" inspect "$tmp"
has "$err" "is a directory" "directory"
head -c 20000000 /dev/zero | tr '\0' 'a' >"$tmp/huge.yaml"
expect 1 "$AUGUR" inspect "$tmp/huge.yaml"
has "$err" "file is too large" "huge file"

# start-up: augur itself never loads OpenBLAS, libgfortran or GSL; augur-lab, which it
# execs for calibrate, fit and run, does (docs/architecture.md)
if command -v readelf >/dev/null; then
	needed=$(readelf -d "$AUGUR_BIN" | grep NEEDED)
	for lib in openblas gfortran gsl; do
		if printf '%s' "$needed" | grep -q "$lib"; then
			fail=$((fail + 1)); echo "FAIL: augur needs lib$lib: $needed"
		else pass=$((pass + 1)); fi
	done
	has "$(readelf -d "$(dirname "$AUGUR_BIN")/augur-lab" | grep NEEDED)" openblas "augur-lab links OpenBLAS"
fi
expect 0 "$AUGUR" help calibrate
has "$out" "--grid G" "augur help calibrate: the options come from augur-lab"
expect 0 "$AUGUR" fit --help
has "$out" "--breaks-n LIST" "augur fit --help: from augur-lab"
expect 2 "$AUGUR" run
has "$err" "augur run: error: expects a descriptor" "augur run's usage error, from augur-lab"

# every table and line of prose fits 80 columns (issue #27), on every shipped descriptor;
# characters, not bytes, are counted (an ellipsis or a µ is one)
width_over() { # COLUMNS, command...: how many lines of stdout are wider than COLUMNS
	local cols=$1; shift
	COLUMNS=$cols "$@" 2>&1 | python3 -c 'import sys
w = int(sys.argv[1]); print(sum(len(l.rstrip("\n")) > w for l in sys.stdin))' "$cols"
}
if command -v python3 >/dev/null; then
	for d in descriptors/*.yaml; do
		n=$(basename "$d" .yaml)
		for cmd in "inspect $d" "estimate $d --device tx1 --layers" \
			"estimate $d --device epyc-1t --layers" "plan $d --device tk1 --layers" \
			"check $d --device tx1 --budget time=1ms --budget memory=1MiB" \
			"whatif $d --device tx1 --set batch=4"; do
			# shellcheck disable=SC2086
			eq "80 columns: ${cmd%% *} $n" "$(width_over 80 "$AUGUR" $cmd)" "0"
		done
	done
	for p in profiles/*.yaml; do
		eq "80 columns: profile show $p" "$(width_over 80 "$AUGUR" profile show "$p")" "0"
	done
	eq "80 columns: a two-way sweep" "$(width_over 80 "$AUGUR" whatif descriptors/alexnet.yaml \
		--device tx1 --sweep fc6.outputs=1024,2048 --sweep conv1.filters=64,96)" "0"
	eq "80 columns: compare" "$(width_over 80 "$AUGUR" compare descriptors/alexnet.yaml \
		descriptors/vgg16.yaml --device tx1)" "0"
	eq "80 columns: plan's remedies" "$(width_over 80 "$AUGUR" plan descriptors/vgg19.yaml \
		--device tk1 --batch 16)" "0"
fi

finish
