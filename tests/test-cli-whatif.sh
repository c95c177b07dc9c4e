#!/usr/bin/env bash
# CLI tests of estimate, whatif and check on shipped descriptors and profiles: known deltas
# (halving VGG16's fc6), batch scaling, a sweep row equal to the estimate of an edited
# descriptor, budget exit codes, and one clear error for each bad --set.
set -u
. "$(dirname "$0")/cli-lib.sh"
py() { # assertion in python over JSON files; counts as one check
	if /usr/bin/env python3 -c "$1" "${@:2}"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: python check: $1"
	fi
}

# estimate: the README's main command
expect 0 "$AUGUR" estimate descriptors/vgg19.yaml --device tx1
has "$out" "vgg19 on tx1" "estimate header"
has "$out" "cpu: fits in 4096 MiB" "cpu verdict"
has "$out" "gpu: fits in 4096 MiB" "gpu verdict"
expect 0 "$AUGUR" estimate descriptors/vgg19.yaml --device tx1 --format json
printf '%s' "$out" >"$tmp/e.json"
# VGG16 on TX1 measured 2.8 s (CPU) and 0.18 s (GPU); VGG19 has ~27% more conv work
py 'import json,sys; d=json.load(open(sys.argv[1])); t={u["unit"]:u["time"]["total_ms"] for u in d["units"]}; assert 2000<t["cpu"]<4500 and 120<t["gpu"]<400, t' "$tmp/e.json"
py 'import json,sys; d=json.load(open(sys.argv[1])); u=d["units"][0]; assert abs(sum(l["time_ms"] for l in u["layers"])-u["time"]["total_ms"])<1e-6*u["time"]["total_ms"]' "$tmp/e.json"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device tk1 --layers --unit gpu
has "$out" "per layer" "--layers table"
expect 1 "$AUGUR" estimate descriptors/alexnet.yaml --device nosuchboard
has "$err" "nosuchboard" "unknown device named"
has "$err" "tx1" "unknown device lists the available ones"
expect 2 "$AUGUR" estimate descriptors/alexnet.yaml
has "$err" "needs --device" "estimate without --device"
expect 2 "$AUGUR" estimate descriptors/alexnet.yaml --device tx1 --unit tpu
printf 'input: [3, 8, 8]\nlayers:\n  - {name: c, type: conv, filters: 4, kernel: 9}\n' >"$tmp/bad.yaml"
expect 1 "$AUGUR" estimate "$tmp/bad.yaml" --device tx1
has "$err" "bad.yaml:3:47: error: kernel 9x9 of conv layer 'c' is larger" "descriptor error in estimate"

# whatif: halving VGG16's fc6 removes exactly 2048*25088 + 2048 (fc6) + 2048*4096 (fc7's k)
expect 0 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc6.outputs=2048
has "$out" "138357544" "params before"
has "$out" "$((138357544 - 2048 * 25088 - 2048 - 2048 * 4096))" "params after halving fc6"
has "$out" "fc6" "fc6 moved most"
# a sweep row equals the estimate of the edited descriptor
expect 0 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --sweep fc6.outputs=4096,1024 --format json
printf '%s' "$out" >"$tmp/sweep.json"
sed 's/{name: fc6, type: fc, outputs: 4096}/{name: fc6, type: fc, outputs: 1024}/' descriptors/vgg16.yaml >"$tmp/vgg16-fc6.yaml"
expect 0 "$AUGUR" estimate "$tmp/vgg16-fc6.yaml" --device tx1 --format json
printf '%s' "$out" >"$tmp/edited.json"
py 'import json,sys; s=json.load(open(sys.argv[1]))["rows"][1]; e=json.load(open(sys.argv[2])); assert s["fc6.outputs"]=="1024"; assert [u["time_ms"] for u in s["units"]]==[round(u["time"]["total_ms"],9) or u["time"]["total_ms"] for u in e["units"]] or all(abs(a["time_ms"]-b["time"]["total_ms"])<=1e-5*b["time"]["total_ms"] for a,b in zip(s["units"],e["units"])); assert all(a["memory_bytes"]==b["memory"]["total_bytes"] for a,b in zip(s["units"],e["units"]))' "$tmp/sweep.json" "$tmp/edited.json"
# two sweeps: the cross product; batch doubles the data memory
expect 0 "$AUGUR" whatif descriptors/alexnet.yaml --device tk1 --sweep batch=1,2 --sweep input=227,259 --format csv
[ "$(printf '%s\n' "$out" | wc -l)" -eq 5 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: cross product rows"; }
expect 0 "$AUGUR" inspect descriptors/alexnet.yaml --format json --batch 2
printf '%s' "$out" >"$tmp/b2.json"
expect 0 "$AUGUR" inspect descriptors/alexnet.yaml --format json
printf '%s' "$out" >"$tmp/b1.json"
py 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); assert b["memory"]["allocated"]["data_bytes"]==2*a["memory"]["allocated"]["data_bytes"]' "$tmp/b1.json" "$tmp/b2.json"
# invalid --set: one clear error each, exit 1
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc9.outputs=10
has "$err" "--set fc9.outputs=10: error: unknown layer 'fc9'" "unknown layer"
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc6.output=10
has "$err" "did you mean 'outputs'" "unknown key"
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc6.outputs=ten
has "$err" "expected an integer for 'outputs', got 'ten'" "bad value"
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set conv1_1.kernel=300
has "$err" "--set conv1_1.kernel=300: error: kernel 300x300 of conv layer 'conv1_1'" "invalid variant"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: not one line: $err"; }

# check: budget exit codes and margins
expect 0 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --unit gpu --budget time=100ms --budget memory=1GiB
has "$out" "ok   gpu time" "time budget holds"
expect 1 "$AUGUR" check descriptors/vgg16.yaml --device tx1 --budget time=100ms
has "$out" "FAIL cpu time" "time budget fails"
expect 1 "$AUGUR" check descriptors/vgg16.yaml --device tk1 --unit gpu --budget memory=1GB
has "$out" "over by" "memory margin"
expect 0 "$AUGUR" check descriptors/vgg16.yaml --device tk1 --unit cpu --budget memory=1GiB --budget time=8s
# small times keep their significant digits (the KWS net runs in about 0.02 ms here)
expect 1 "$AUGUR" check descriptors/kws.yaml --device epyc-1t --budget time=0.01ms
ok_line=$(printf '%s\n' "$out" | grep '^FAIL cpu time')
case "$ok_line" in
*" time 0.0 ms"* | *"by 0.0 ms"*) fail=$((fail + 1)); echo "FAIL: a small time reads as 0.0: $ok_line" ;;
*" time 0.0"[1-9]*" ms, budget 0.01ms: over by 0.0"[0-9]*) pass=$((pass + 1)) ;;
*) fail=$((fail + 1)); echo "FAIL: check of a small time: $ok_line" ;;
esac
# A heap-view profile (epyc-1t: PyTorch on glibc, the allocator's 96 bytes of slack): a
# 7x7 conv's column buffer, 3x7x7 x 191x191 floats (21450828 bytes, under the 32 MiB mmap
# threshold), is the hole another process may not reuse; estimate says how high the peak
# may settle, check warns when that breaks a budget the estimate keeps.
cp profiles/epyc-1t.yaml "$tmp/heap.yaml"
printf 'name: stem\ninput: [3, 191, 191]\nlayers:\n  - {name: c1, type: conv, filters: 8, kernel: 7, pad: 3}\n  - {name: bn1, type: batchnorm}\n' >"$tmp/stem.yaml"
expect 0 "$AUGUR" estimate "$tmp/stem.yaml" --device "$tmp/heap.yaml" --format json
eq "hole: one column buffer" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["memory"]["hole_bytes"])')" $((3 * 7 * 7 * 191 * 191 * 4))
eq "high: total plus the hole" "$(printf '%s' "$out" | python3 -c 'import json,sys; m=json.load(sys.stdin)["units"][0]["memory"]; print(m["high_bytes"] - m["total_bytes"])')" $((3 * 7 * 7 * 191 * 191 * 4))
total=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["memory"]["total_bytes"])')
expect 0 "$AUGUR" estimate "$tmp/stem.yaml" --device "$tmp/heap.yaml"
has "$out" "cpu: a process's peak may settle up to 20.5 MiB higher" "estimate: the high end said"
expect 0 "$AUGUR" check "$tmp/stem.yaml" --device "$tmp/heap.yaml" --budget memory=$((total + 1048576))B
has "$out" "over the budget" "check: the high end breaks a kept budget"
expect 0 "$AUGUR" check "$tmp/stem.yaml" --device "$tmp/heap.yaml" --budget memory=$((total + 30 * 1048576))B
ok "check: no note when both ends hold" not grep -q "over the budget" <<<"$out"
# whatif and compare show the high end beside memory needed (20.5 MiB above it here)
expect 0 "$AUGUR" whatif "$tmp/stem.yaml" --device "$tmp/heap.yaml" --set c1.filters=16
has "$out" "cpu memory, high end (MiB)" "whatif: the high end's row"
expect 0 "$AUGUR" compare "$tmp/stem.yaml" "$tmp/stem.yaml" --device "$tmp/heap.yaml" --format json
eq "compare: memory_high_bytes" "$(printf '%s' "$out" | python3 -c 'import json,sys; u=json.load(sys.stdin)["networks"][0]["units"][0]; print(u["memory_high_bytes"] - u["memory_bytes"])')" $((3 * 7 * 7 * 191 * 191 * 4))
# plan says it under its recommendation and in its units' JSON
expect 0 "$AUGUR" plan "$tmp/stem.yaml" --device "$tmp/heap.yaml"
has "$out" "cpu: a process's peak may settle up to 20.5 MiB higher" "plan: the high end said"
expect 0 "$AUGUR" plan "$tmp/stem.yaml" --device "$tmp/heap.yaml" --format json
eq "plan: memory_high_bytes" "$(printf '%s' "$out" | python3 -c 'import json,sys; u=json.load(sys.stdin)["units"][0]; print(u["memory_high_bytes"] - u["memory_bytes"])')" $((3 * 7 * 7 * 191 * 191 * 4))
expect 0 "$AUGUR" plan "$tmp/stem.yaml" --device tx1
ok "plan: no high end where every blob is held" not grep -q "may settle" <<<"$out"
# Caffe's allocated view (tx1: every blob held) has no such hole
expect 0 "$AUGUR" estimate "$tmp/stem.yaml" --device tx1 --format json
eq "allocated view: no hole" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["memory"]["hole_bytes"])')" 0
expect 0 "$AUGUR" estimate descriptors/kws.yaml --device epyc-1t
has "$out" "forward time (ms)                    0.0" "kws forward time"
not_zero=$(printf '%s\n' "$out" | awk '/forward time \(ms\)/ { print ($NF + 0 > 0) }')
eq_ok=$([ "$not_zero" = 1 ] && echo yes)
has "$eq_ok" "yes" "kws forward time is not printed as zero"
# budgets on the network itself: AlexNet's published 60,965,224 parameters hold a budget
# of exactly that and fail one of a single parameter fewer
expect 0 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget params=60965224
has "$out" "ok   params 61.0M, budget 60965224: under by 0" "params budget at the published count"
expect 1 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget params=60965223
has "$out" "FAIL params 61.0M, budget 60965223: over by 1" "params budget one below"
macs=$("$AUGUR" inspect descriptors/alexnet.yaml --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["macs"])')
expect 0 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget "macs=$macs"
expect 1 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget "macs=$((macs - 1))"
# throughput is a minimum, per unit: the TX1 GPU runs AlexNet at about 26/s, its CPU at 1.5/s
expect 1 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget throughput=10/s
has "$out" "FAIL cpu throughput" "cpu under the throughput"
has "$out" "ok   gpu throughput" "gpu over the throughput"
expect 0 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --unit gpu --budget throughput=10/s
expect 2 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget throughput=10
# check in JSON and CSV: the same verdicts, values from estimate's own JSON
expect 1 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget time=100ms --budget memory=500MiB --budget params=100M --format json
printf '%s' "$out" >"$tmp/check.json"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device tx1 --format json
printf '%s' "$out" >"$tmp/est.json"
py 'import json,sys
c=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]))
assert c["device"]["name"]=="tx1" and c["device"]["profile"]==e["device"]["profile"], c["device"]
assert c["all_hold"] is False
b={(x["budget"], x["unit"]): x for x in c["budgets"]}
assert b[("params", None)]["value"]==60965224 and b[("params", None)]["holds"]
for u in e["units"]:
    t=b[("time", u["unit"])]; m=b[("memory", u["unit"])]
    assert abs(t["value"]-u["time"]["total_ms"])<=1e-5*u["time"]["total_ms"], (t, u["time"])
    assert t["holds"]==(u["time"]["total_ms"]<=100), t
    assert m["value"]==u["memory"]["total_bytes"] and m["holds"]==(m["value"]<=500*2**20), m
assert [x["unit"] for x in c["coverage"]]==["cpu","gpu"] and c["coverage"][1]["uncosted_types"]==["softmax","lrn"], c["coverage"]' "$tmp/check.json" "$tmp/est.json"
expect 1 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget time=100ms --budget params=100M --format csv
eq_csv=$(printf '%s\n' "$out" | head -1)
has "$eq_csv" "budget,limit,unit,value,limit_value,holds,margin" "check csv header"
has "$out" "params,100M,,60965224,100000000,true,39034776" "check csv params row"
eq_rows=$(lines "$out")
has "$eq_rows" "4" "check csv: a header and three rows"
expect 2 "$AUGUR" check descriptors/alexnet.yaml --device tx1 --budget time=1s --format xml
# a sweep with an invalid variant: every variant gets its row, the invalid one with its
# reason; the others still run, the error is also on stderr, and the exit status is 1
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --sweep conv1_1.kernel=3,300,5
eq_rows=$(printf '%s\n' "$out" | grep -c '^[35] ')
has "$eq_rows" "2" "valid variants keep their rows"
has "$out" "300            invalid: kernel 300x300 of conv layer 'conv1_1'" "invalid variant row"
has "$err" "--sweep conv1_1.kernel=3,300,5 (value 300): error: kernel 300x300" "invalid variant on stderr"
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --sweep conv1_1.kernel=3,300 --format csv
py 'import csv,sys
rows=list(csv.reader(sys.stdin))
assert rows[0][-1]=="error" and all(len(r)==len(rows[0]) for r in rows), rows
assert rows[1][-1]=="" and rows[1][1]=="138357544", rows[1]
assert rows[2][0]=="300" and rows[2][1]=="" and "kernel 300x300" in rows[2][-1], rows[2]' <<<"$out"
expect 1 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --sweep conv1_1.kernel=3,300 --format json
py 'import json,sys
r=json.load(sys.stdin)["rows"]
assert r[0]["error"] is None and r[0]["params"]==138357544, r[0]
assert r[1]["params"] is None and r[1]["units"]==[] and "kernel 300x300" in r[1]["error"], r[1]' <<<"$out"

# whatif --set and compare honour --format: the same figures as estimate and inspect
expect 0 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc6.outputs=2048 --format json
printf '%s' "$out" >"$tmp/w.json"
expect 0 "$AUGUR" estimate descriptors/vgg16.yaml --device tx1 --format json
printf '%s' "$out" >"$tmp/e16.json"
py 'import json,sys
w=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]))
assert w["set"]==["fc6.outputs=2048"] and w["device"]["name"]=="tx1"
assert w["before"]["params"]==138357544, w["before"]["params"]
# fc6 of 25088 inputs: 2048 fewer outputs, and fc7 2048 x 4096 fewer weights
assert w["before"]["params"]-w["after"]["params"]==2048*25088+2048+2048*4096, w["after"]["params"]
for b, u in zip(w["before"]["units"], e["units"]):
    assert b["unit"]==u["unit"] and abs(b["time_ms"]-u["time"]["total_ms"])<=1e-5*u["time"]["total_ms"]
    assert b["memory_bytes"]==u["memory"]["total_bytes"]
assert w["moved_most"][0]["layer"]=="fc6", w["moved_most"]' "$tmp/w.json" "$tmp/e16.json"
expect 0 "$AUGUR" whatif descriptors/vgg16.yaml --device tx1 --set fc6.outputs=2048 --format csv
# 138,357,544 - (2048 x 25088 + 2048) fc6 - 2048 x 4096 fc7 = 78,586,664
has "$(printf '%s\n' "$out" | sed -n 1p)" "quantity,before,after" "whatif csv header"
has "$(printf '%s\n' "$out" | sed -n 2p)" "params,138357544,78586664" "whatif csv params"
expect 0 "$AUGUR" compare descriptors/resnet18.yaml descriptors/resnet50.yaml --device tx1 --format json
py 'import json,sys
d=json.load(sys.stdin)
assert [n["params"] for n in d["networks"]]==[11689512, 25557096], d["networks"]
for n in d["networks"]:
    assert sum(t["params"] for t in n["by_type"])==n["params"]' <<<"$out"
expect 0 "$AUGUR" compare descriptors/resnet18.yaml descriptors/resnet50.yaml --device tx1 --format csv
has "$out" "resnet50,total," "compare csv total row"
# trouble is 2, as grep and diff have it: a broken candidate is not a slow one
expect 2 "$AUGUR" check no-such-net.yaml --device tx1 --budget time=100ms
has "$err" "no-such-net.yaml: error: " "check: missing descriptor"
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device no-such-board --budget time=100ms
has "$err" "unknown profile 'no-such-board'" "check: unknown device"
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device h200 --unit cpu --budget time=100ms
has "$err" "has no cpu unit" "check: absent unit"
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device tx1 --budget time=100ms --set fc9.outputs=1
has "$err" "unknown layer 'fc9'" "check: bad --set"
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device tx1 --budget time=100
has "$err" "expected a number with a unit" "budget without unit"
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device tx1 --budget speed=1ms
expect 2 "$AUGUR" check descriptors/vgg16.yaml --device tx1 --budget time=1GiB
has "$err" "not a time unit" "wrong unit kind"

# --set reaches the keys of the newer layer types too (an upsample's scale, a slice's
# range, a reshape's shape): the edited network's MACs are those of the file edited by hand
dec=bench/nets/fit/probe_decoder_01.yaml
sed 's/{name: up1, type: upsample, op: nearest, scale: 2}/{name: up1, type: upsample, op: nearest, scale: 4}/' "$dec" >"$tmp/dec4.yaml"
ok "the hand edit changed the file" sh -c "! cmp -s '$dec' '$tmp/dec4.yaml'"
want=$("$AUGUR" inspect "$tmp/dec4.yaml" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["macs"])')
expect 0 "$AUGUR" whatif "$dec" --device tx1 --set up1.scale=4
eq "whatif --set up1.scale=4: the MACs of the edited file" \
	"$(printf '%s\n' "$out" | awk '$1 == "MACs" { print $3 }')" "$want"
expect 1 "$AUGUR" whatif bench/nets/fit/probe_shuffle_01.yaml --device tx1 --set split1.range=[0,12]
has "$err" "range [24, 48] of slice layer 'split4' is not within its input's 36 channels" "a slice's range edited, checked downstream"

# compare: side by side; VGG19M drops VGG's fc layers (the paper's reason for it)
expect 0 "$AUGUR" compare descriptors/vgg16.yaml descriptors/vgg19m.yaml --device tx1
has "$(printf '%s' "$out" | tr -s ' ')" "fc parameters 123642856 0 0.00x" "fc params compared"
has "$(printf '%s' "$out" | tr -s ' ')" "conv layers 13 17 1.31x" "conv layers compared"
expect 2 "$AUGUR" compare descriptors/vgg16.yaml --device tx1

finish
