#!/usr/bin/env bash
# CLI tests of augur plan: per-unit totals equal estimate's, the split is the sum of per-layer
# minima, the fc-offload and split-fc figures recomputed by hand from estimate and inspect
# output, remedies exactly when the GPU does not fit (YOLO on a TK1, AlexNet on the
# 400 MiB test board tests/data/tiny-shared.yaml), a cpu-only profile, and one clear error
# for each bad input.
set -u
. "$(dirname "$0")/cli-lib.sh"
py() { # assertion in python over files; counts as one check
	if /usr/bin/env python3 -c "$1" "${@:2}"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: python check: $1"
	fi
}
tiny=tests/data/tiny-shared.yaml
# json NAME CMD...: runs CMD (expecting exit 0) and keeps its stdout in $tmp/NAME.json
json() {
	local name=$1; shift
	expect 0 "$@"
	printf '%s' "$out" >"$tmp/$name.json"
}

# per-unit totals and memory equal estimate --unit's, for several networks and boards
for case in "yolo tk1" "vgg16 tx1" "googlenet tk1" "alexnet $tiny" "resnet50 epyc-2core"; do
	set -- $case
	json plan "$AUGUR" plan "descriptors/$1.yaml" --device "$2" --format json
	for unit in cpu gpu; do
		"$AUGUR" estimate "descriptors/$1.yaml" --device "$2" --unit "$unit" --format json \
			>"$tmp/est-$unit.json" 2>/dev/null || echo '{"units": []}' >"$tmp/est-$unit.json"
	done
	py 'import json,sys
p=json.load(open(sys.argv[1]))
units={u["unit"]: u for u in p["units"]}
for f in sys.argv[2:]:
    for e in json.load(open(f))["units"]:
        u=units.pop(e["unit"])
        assert u["time_ms"]==e["time"]["total_ms"], (u, e["time"])
        assert u["memory_bytes"]==e["memory"]["total_bytes"] and u["fits"]==e["memory"]["fits"]
        opt=[o for o in p["plans"] if o["plan"]==e["unit"]][0]
        assert opt["time_ms"]==u["time_ms"] and opt["memory_bytes"]==u["memory_bytes"]
assert not units, units' "$tmp/plan.json" "$tmp/est-cpu.json" "$tmp/est-gpu.json"
done

# the split: each layer on the faster unit of those that cost it (never on a unit that
# does not: its 0 ms there is unknown, not free), a layer costed on neither staying on
# the unit before it; the split's time is the sum of the chosen layers' times
for case in "googlenet tx1" "resnet50 tx1" "alexnet tx1" "vgg16 tk1" "mobilenetv2 tx1"; do
	set -- $case
	json plan "$AUGUR" plan "descriptors/$1.yaml" --device "$2" --format json
	json est "$AUGUR" estimate "descriptors/$1.yaml" --device "$2" --layers --format json
	py 'import json,sys
p=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]))
split=[o for o in p["plans"] if o["plan"]=="split"][0]
assert split["available"], split
lay={u["unit"]: [(l["time_ms"], l["costed"]) for l in u["layers"]] for u in e["units"]}
total, prev = 0.0, None
for l, (c, cc), (g, gc) in zip(p["layers"], lay["cpu"], lay["gpu"]):
    if cc and not gc: want = "cpu"
    elif gc and not cc: want = "gpu"
    else: want = "cpu" if c < g else "gpu" if g < c else (prev or l["unit"])
    assert l["unit"] == want, (l, c, cc, g, gc)
    assert (l["cpu_ms"], l["gpu_ms"]) == (c, g)
    total += c if want == "cpu" else g
    prev = want
assert abs(total - split["time_ms"]) <= 1e-5 * split["time_ms"], (total, split)
assert p["split"]["cpu_layers"]+p["split"]["gpu_layers"]==len(p["layers"])' "$tmp/plan.json" "$tmp/est.json"
done
# MobileNetV2 on a TX1: batchnorm, scale and eltwise have no GPU cost, so they stay on the
# CPU (the old split put them on the GPU at 0 ms and promised 42.1 ms a frame)
expect 0 "$AUGUR" plan descriptors/mobilenetv2.yaml --device tx1
has "$out" "gpu: time is the sum of the layer costs the profile has; 115 layers are not costed" "plan names the gpu's uncosted layers"
has "$out" "the per-layer split puts a layer only on a unit that costs it" "plan says how the split treats them"
# MobileNetV2's 17 depthwise layers (one per bottleneck block, up to 6 x 160 = 960
# channels, one GEMM call each) make far more calls than any layer of the Jetson profiles'
# fitted rows (AlexNet's two groups): flagged as extrapolated in the headline, per unit
expect 0 "$AUGUR" estimate descriptors/mobilenetv2.yaml --device tx1
has "$(printf '%s\n' "$out" | sed -n 4,10p)" "gpu: EXTRAPOLATED: 17 layers make up to 960 GEMM calls, 480x the most a layer of the fitted data made (2)" "extrapolated calls in the headline"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device tx1
case "$out" in *EXTRAPOLATED*) fail=$((fail + 1)); echo "FAIL: alexnet's two groups flagged" ;; *) pass=$((pass + 1)) ;; esac
expect 0 "$AUGUR" check descriptors/mobilenetv2.yaml --device tx1 --budget time=10s --format json
py 'import json,sys
c={x["unit"]: x for x in json.load(sys.stdin)["coverage"]}
assert c["gpu"]["layers_outside_calls"]==17 and c["cpu"]["layers_outside_calls"]==17, c' <<<"$out"
expect 0 "$AUGUR" estimate descriptors/mobilenetv2.yaml --device epyc-1t
case "$out" in *EXTRAPOLATED*) fail=$((fail + 1)); echo "FAIL: single-GEMM calibration flagged" ;; *) pass=$((pass + 1)) ;; esac
# NiN on a TX1: its small GEMMs run faster on the CPU (the GPU model's per-call cost)
expect 0 "$AUGUR" plan descriptors/nin.yaml --device tx1
has "$out" "recommended: per-layer split" "split recommended for nin on tx1"
has "$out" "switches:" "split runs listed"

# remedies exactly when the GPU does not fit
for case in "yolo tk1" "yolo tx1" "vgg16 tk1" "alexnet tk1" "alexnet $tiny" "vgg16 $tiny"; do
	set -- $case
	json plan "$AUGUR" plan "descriptors/$1.yaml" --device "$2" --format json
	py 'import json,sys
p=json.load(open(sys.argv[1]))
gpu=[u for u in p["units"] if u["unit"]=="gpu"][0]
assert (p["remedies"] is None)==gpu["fits"], (sys.argv[2], gpu, p["remedies"])
avail={o["plan"]: o["available"] for o in p["plans"]}
assert avail["fc-offload"]==avail["split-fc"]==(not gpu["fits"]), avail' "$tmp/plan.json" "$case"
done
expect 0 "$AUGUR" plan descriptors/vgg16.yaml --device tk1
[ "$(printf '%s' "$out" | grep -c 'remedies\|fc offload\|split fc')" -eq 0 ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: remedies shown for a network that fits"; }

# YOLO on a TK1 (the seed's case): the GPU lacks 327 MiB; offloading fc25 and fc26 fits
expect 0 "$AUGUR" plan descriptors/yolo.yaml --device tk1
has "$out" "gpu: does NOT fit in 2048 MiB" "yolo does not fit the tk1 gpu"
has "$out" "recommended: fc offload (fc25 on, pipelined)" "yolo: offload recommended"
has "$out" "split fc (fc25 in 2 parts)" "yolo: split fc offered"

# fc offload recomputed by hand from estimate --layers and inspect (AlexNet, tiny board)
json plan "$AUGUR" plan descriptors/alexnet.yaml --device "$tiny" --format json
json est "$AUGUR" estimate descriptors/alexnet.yaml --device "$tiny" --layers --format json
json ins "$AUGUR" inspect descriptors/alexnet.yaml --format json
py 'import json,sys
p,e,i=(json.load(open(f)) for f in sys.argv[1:4])
u={x["unit"]: x for x in e["units"]}
names=[l["name"] for l in i["layers"]]
s=[l["type"] for l in i["layers"]].index("fc")
gpu_ms=sum(l["time_ms"] for l in u["gpu"]["layers"][:s])
cpu_ms=sum(l["time_ms"] for l in u["cpu"]["layers"][s:])
w=[4*(l["params"]+l["stats"]) for l in i["layers"]]
r=p["remedies"]["fc_offload"]; o=[x for x in p["plans"] if x["plan"]=="fc-offload"][0]
close=lambda a, b: abs(a-b)<=1e-5*b
assert r["first_cpu_layer"]=="fc6"==names[s]
assert close(r["gpu_ms"], gpu_ms) and close(r["cpu_ms"], cpu_ms), (r, gpu_ms, cpu_ms)
assert close(o["time_ms"], max(gpu_ms, cpu_ms)) and close(o["latency_ms"], gpu_ms+cpu_ms)
over=max(u["cpu"]["memory"]["overhead_bytes"], u["gpu"]["memory"]["overhead_bytes"])
model=u["cpu"]["memory"]["model_bytes"]
assert r["cpu_bytes"]==sum(w[s:]), (r["cpu_bytes"], sum(w[s:]))
assert o["memory_bytes"]==model+over+sum(w[:s]), (o["memory_bytes"], model+over+sum(w[:s]))
assert r["gpu_bytes"]+r["cpu_bytes"]==o["memory_bytes"]
assert o["fits"] and o["memory_bytes"]<=419430400<u["gpu"]["memory"]["total_bytes"]' \
	"$tmp/plan.json" "$tmp/est.json" "$tmp/ins.json"
# split fc by hand: the tiny gpu costs 1e-7 ms a multiply-add plus 0.5 ms a call, so P parts
# cost the layer's time plus (P - 1) * 0.5 ms; fc6 is 4096 x 9216, its weights held twice
py 'import json,sys
p,e,i=(json.load(open(f)) for f in sys.argv[1:4])
g=[x for x in e["units"] if x["unit"]=="gpu"][0]
r=p["remedies"]["split_fc"]; o=[x for x in p["plans"] if x["plan"]=="split-fc"][0]
fc6=[l for l in i["layers"] if l["name"]=="fc6"][0]
assert r["layer"]=="fc6" and r["parts"]==2 and r["gemm"]=={"n": 4096, "k": 9216, "m": 1}
assert abs(r["split_ms"]-(r["layer_ms"]+0.5))<1e-6 and abs(o["time_ms"]-(g["time"]["total_ms"]+0.5))<1e-4
W=4*fc6["params"]; part=4*(4096*4608+4096)
assert r["weights_bytes"]==W==151011328 and r["part_bytes"]==part
assert o["memory_bytes"]==g["memory"]["total_bytes"]-2*W+2*part, o
# one part fewer would be the whole layer: 2 is the fewest that fits
assert o["fits"] and g["memory"]["total_bytes"]>419430400' "$tmp/plan.json" "$tmp/est.json" "$tmp/ins.json"
json plan4 "$AUGUR" plan descriptors/alexnet.yaml --device "$tiny" --fc-parts 4 --format json
py 'import json,sys
p=json.load(open(sys.argv[1])); r=p["remedies"]["split_fc"]
assert r["parts"]==4 and abs(r["split_ms"]-(r["layer_ms"]+1.5))<1e-6, r
assert r["part_bytes"]==4*(4096*2304+4096), r' "$tmp/plan4.json"
# the recommendation: the fastest plan that fits, split fc only when nothing else does
py 'import json,sys
p=json.load(open(sys.argv[1]))
fit=[o for o in p["plans"] if o["available"] and o["fits"] and o["plan"]!="split-fc"]
assert p["recommended"]==min(fit, key=lambda o: o["time_ms"])["plan"]=="fc-offload", p["recommended"]' \
	"$tmp/plan.json"

# --set edits the network first: the seed's Medium YOLO (fc 25088 x 2048) fits the TK1 GPU
json plan "$AUGUR" plan descriptors/yolo.yaml --device tk1 --set conv24.filters=512 --set fc25.outputs=2048 --format json
py 'import json,sys
p=json.load(open(sys.argv[1]))
assert p["remedies"] is None and p["recommended"]=="gpu", p["recommended"]' "$tmp/plan.json"

# separate memories (the tiny board with shared_memory false): no split, and the output says why
sed 's/shared_memory: true/shared_memory: false/; s/weights_copied: true/weights_copied: false/' \
	"$tiny" >"$tmp/tiny-discrete.yaml"
expect 0 "$AUGUR" plan descriptors/alexnet.yaml --device "$tmp/tiny-discrete.yaml"
has "$out" "no split: CPU and GPU do not share memory" "why no split"
[ "$(printf '%s' "$out" | grep -c 'per-layer split')" -eq 0 ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: split offered on separate memories"; }
json plan "$AUGUR" plan descriptors/alexnet.yaml --device "$tmp/tiny-discrete.yaml" --format json
py 'import json,sys
p=json.load(open(sys.argv[1])); s=[o for o in p["plans"] if o["plan"]=="split"][0]
assert not s["available"] and "do not share memory" in s["reason"] and not p["split"]["offered"]' "$tmp/plan.json"

# a cpu-only profile: one clear single-unit answer
expect 0 "$AUGUR" plan descriptors/resnet50.yaml --device epyc-2core
has "$out" "the profile has only a cpu unit" "cpu-only stated"
has "$out" "recommended: cpu only" "cpu-only recommendation"
[ "$(printf '%s' "$out" | grep -c 'split\|remed\|offload')" -eq 0 ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: cpu-only plan mentions a split or remedies"; }
json plan "$AUGUR" plan descriptors/resnet50.yaml --device epyc-2core --format json
py 'import json,sys
p=json.load(open(sys.argv[1]))
assert p["single"]==p["recommended"]=="cpu" and p["remedies"] is None
assert not p["split"]["offered"] and all(l["unit"]=="cpu" and l["gpu_ms"] is None for l in p["layers"])' "$tmp/plan.json"

# csv: one row per layer
expect 0 "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --format csv
has "$out" "index,name,type,cpu_ms,gpu_ms,unit" "csv header"
[ "$(lines "$out")" -eq 24 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: csv rows"; }
has "$out" "0,conv1,conv," "csv first row"
expect 0 "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --layers
has "$out" "per layer" "--layers table"
expect 0 "$AUGUR" plan --help
has "$out" "usage: augur plan NET --device D" "plan --help"

# bad inputs: one clear line on stderr, nothing on stdout
one_error() { # CODE PATTERN CMD...
	local code=$1 pattern=$2; shift 2
	expect "$code" "$@"
	has "$err" "$pattern" "error of: $*"
	[ -z "$out" ] && [ "$(lines "$err")" -eq 1 ] && pass=$((pass + 1)) ||
		{ fail=$((fail + 1)); echo "FAIL: not one error line for: $*"; echo "$err"; }
}
one_error 2 "needs --device" "$AUGUR" plan descriptors/alexnet.yaml
one_error 2 "expects a descriptor" "$AUGUR" plan --device tx1
one_error 1 "nosuchboard" "$AUGUR" plan descriptors/alexnet.yaml --device nosuchboard
one_error 1 "nosuch.yaml" "$AUGUR" plan nosuch.yaml --device tx1
one_error 2 "--fc-parts expects an integer from 2 to" "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --fc-parts 1
one_error 1 "cannot split fc layer 'fc6' into 10000 parts (expected 2 to its 9216 inputs)" \
	"$AUGUR" plan descriptors/alexnet.yaml --device "$tiny" --fc-parts 10000
one_error 2 "unknown format 'xml'" "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --format xml
one_error 2 "--batch expects an integer" "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --batch 0
one_error 2 "unknown option '--unit'" "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --unit gpu
one_error 1 "unknown layer 'fc9'" "$AUGUR" plan descriptors/alexnet.yaml --device tx1 --set fc9.outputs=1
printf 'input: [3, 8, 8]\nlayers:\n  - {name: c, type: conv, filters: 4, kernel: 9}\n' >"$tmp/bad.yaml"
one_error 1 "bad.yaml:3:47: error: kernel 9x9 of conv layer 'c' is larger" "$AUGUR" plan "$tmp/bad.yaml" --device tx1

finish
