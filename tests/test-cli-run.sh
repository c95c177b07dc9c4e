#!/usr/bin/env bash
# augur run: table, JSON and CSV on small networks, the memory it holds against inspect's
# allocated view, the layer-times file read back by augur fit, --dump's files, usage errors.
# Times are never compared with values: only that they are there and positive.
set -u
. "$(dirname "$0")/cli-lib.sh"
quick=(--reps 2 --warmup 0)

expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}"
has "$out" "network kws (descriptors/kws.yaml): batch 1, 2 passes after 0 warm-up" "table head"
has "$out" "OpenBLAS 0." "BLAS named"
has "$out" "1 thread" "one thread by default"
has "$out" "ms median" "forward median"
has "$out" "MiB held" "memory held"
expect 0 "$AUGUR" run tests/data/tiny.yaml "${quick[@]}" --layers
for l in conv1 bn1 scale1 relu1 pool1 conv2 add cat fc prob; do has "$out" "$l " "layer $l listed"; done
has "$out" "batchnorm " "per type"

# JSON: valid, the held bytes equal inspect's allocated view, positive times
expect 0 "$AUGUR" run tests/data/every-layer.yaml descriptors/kws.yaml "${quick[@]}" --format json
printf '%s' "$out" >"$tmp/run.json"
for net in tests/data/every-layer.yaml descriptors/kws.yaml; do
	"$AUGUR" inspect "$net" --format json >"$tmp/inspect-$(basename "$net").json"
done
python3 - "$tmp" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
d = sys.argv[1]
run = json.load(open(f"{d}/run.json"))
assert run["runtime"] == "augur" and run["threads"] == 1 and run["reps"] == 2, run
assert [r["network"] for r in run["runs"]] == ["every-layer", "kws"]
for r, name in zip(run["runs"], ["every-layer.yaml", "kws.yaml"]):
    ins = json.load(open(f"{d}/inspect-{name}.json"))
    m = r["memory"]
    assert m["held_bytes"] == ins["memory"]["allocated"]["total_bytes"] == m["allocated_view_bytes"], (m, ins["memory"])
    assert m["params_bytes"] + m["stats_bytes"] + m["data_bytes"] + m["workspace_bytes"] == m["held_bytes"]
    assert m["extra_bytes"] == 0
    assert r["forward_ms"]["median"] > 0 and r["forward_ms"]["p10"] <= r["forward_ms"]["p90"]
    assert 0 <= r["gemm_ms"] and 0 <= r["gemm_share"] <= 1.0
    assert [l["name"] for l in r["layers"]] == [l["name"] for l in ins["layers"]]
    assert all(l["ms"]["median"] >= 0 for l in r["layers"])
    assert r["batch"] == ins["batch"]
PY

expect 0 "$AUGUR" run tests/data/tiny.yaml "${quick[@]}" --format csv
has "$out" "network,batch,forward_ms,p10_ms,p90_ms,spread,gemm_ms,held_bytes,peak_rss_bytes" "csv head"
has "$out" "tiny,1," "csv row"
expect 0 "$AUGUR" run tests/data/tiny.yaml "${quick[@]}" --format csv --layers
has "$out" "network,layer,type,median_ms,p10_ms,p90_ms" "csv layers head"
has "$out" "tiny,conv2,conv," "csv layer row"
[ "$(lines "$out")" -eq 11 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: csv layer rows"; }
expect 0 "$AUGUR" run tests/data/tiny.yaml "${quick[@]}" --batch 3 --format csv
has "$out" "tiny,3," "--batch"

# a layer-times file: one row per network, read back by augur fit
expect 0 "$AUGUR" run tests/data/tiny.yaml descriptors/kws.yaml "${quick[@]}" \
	--layer-times-out "$tmp/lt.yaml" --board here
has "$err" "[2/2] kws: forward" "progress per network"
python3 - "$tmp/lt.yaml" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); cat "$tmp/lt.yaml"; }
import re, sys
text = open(sys.argv[1]).read()
for key in ("# command: augur run ", "# date: ", "# machine: ", "# blas: ",
            'source: "augur run: augur ', "layer_times:\n"):
    assert key in text, key
body, _, memory = text.partition("memory_mb:\n")
rows = re.findall(r"^  - \{(.*)\}$", body, re.M)
assert len(rows) == 2, rows
# peak RSS per network, when the kernel lets augur reset its mark
mem = re.findall(r'^  - \{network: "(/\S*)", board: "here", cpu: ([0-9.]+)\}$', memory, re.M)
assert not memory or [m[0].split("/")[-1] for m in mem] == ["tiny.yaml", "kws.yaml"], memory
assert re.match(r'network: "/\S*tests/data/tiny\.yaml", board: "here", unit: cpu, batch: 1, '
                r"forward: [0-9.]+, forward_spread: [0-9.]+, ", rows[0]), rows[0]
names = re.findall(r'"([^"]+)": [0-9.]+', re.search(r"layers: \{(.*?)\}", rows[0]).group(1))
assert names == ["conv1", "bn1", "scale1", "relu1", "pool1", "conv2", "add", "cat", "fc",
                 "prob"], names
PY
# a timed calibration: the binary itself, also in the valgrind pass (cli-lib.sh)
"$AUGUR_BIN" calibrate --device here --grid tiny --framework blas --threads 1 --out "$tmp/here.yaml" --progress none >/dev/null 2>&1
expect 0 "$AUGUR" fit "$tmp/here.yaml" --layer-times "$tmp/lt.yaml" --out "$tmp/fitted.yaml"
has "$(cat "$tmp/fitted.yaml")" "augur run: augur " "fitted from augur run's times"

# --dump: the input, parameters and every output as raw float32, sizes from inspect
expect 0 "$AUGUR" run tests/data/tiny.yaml "${quick[@]}" --dump "$tmp/dump"
sizes() { stat -c %s "$tmp/dump/$1" 2>/dev/null || echo missing; }
[ "$(sizes input.f32)" = $((3 * 32 * 32 * 4)) ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: input.f32 $(sizes input.f32)"; }
[ "$(sizes 0.weight.f32)" = $((8 * 3 * 3 * 3 * 4)) ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: conv1 weights"; }
[ "$(sizes 0.bias.f32)" = 32 ] && [ "$(sizes 1.mean.f32)" = 32 ] && [ "$(sizes 2.gamma.f32)" = 32 ] &&
	[ "$(sizes 9.out.f32)" = 40 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: dump sizes"; ls -l "$tmp/dump"; }

# a Caffe prototxt: the memory held is its allocated view
expect 0 "$AUGUR" run tests/data/googlenet.prototxt --batch 1 --reps 1 --warmup 0 --format json
held_proto=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["memory"]["held_bytes"])')
expect 0 "$AUGUR" inspect tests/data/googlenet.prototxt --batch 1 --format json
held_view=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["memory"]["allocated"]["total_bytes"])')
[ "$held_proto" = "$held_view" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: prototxt held $held_proto, view $held_view"; }

# --retries: accepted, the file records it
expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --retries 2 --layer-times-out "$tmp/lt2.yaml"
has "$(cat "$tmp/lt2.yaml")" "is measured again, up to 2 times" "retries recorded"
expect 2 "$AUGUR" run descriptors/kws.yaml --retries x
has "$err" "--retries expects an integer" "bad retries"

# errors
expect 2 "$AUGUR" run
has "$err" "expects a descriptor" "no NET"
expect 2 "$AUGUR" run descriptors/kws.yaml --reps 0
has "$err" "--reps expects an integer from 1 to" "reps 0"
expect 2 "$AUGUR" run descriptors/kws.yaml --reeps 3
has "$err" "did you mean '--reps'" "did you mean"
expect 2 "$AUGUR" run descriptors/kws.yaml tests/data/tiny.yaml --dump "$tmp/d2"
has "$err" "--dump takes one network" "dump with two networks"
expect 2 "$AUGUR" run descriptors/kws.yaml --format xml
expect 1 "$AUGUR" run "$tmp/none.yaml"
has "$err" "none.yaml" "missing descriptor named"
printf 'input: [3, 8, 8]\nlayers:\n  - {name: c, type: conv, filters: 4, kernel: 9}\n' >"$tmp/bad.yaml"
expect 1 "$AUGUR" run "$tmp/bad.yaml"
has "$err" "bad.yaml:3:" "shape error located"
expect 1 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --layer-times-out "$tmp/no/such/dir/lt.yaml"
has "$err" "lt.yaml" "unwritable layer-times file named"
# ---- --device: the prediction beside the measurement ----
# the JSON's prediction is estimate's for the same network, profile and unit, and its
# error is computed from the run's own median
expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --device epyc-1t --format json
printf '%s' "$out" >"$tmp/run-dev.json"
"$AUGUR" estimate descriptors/kws.yaml --device epyc-1t --unit cpu --layers --format json >"$tmp/est-dev.json"
python3 - "$tmp" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
d = sys.argv[1]
run = json.load(open(f"{d}/run-dev.json"))["runs"][0]
est = json.load(open(f"{d}/est-dev.json"))["units"][0]
pred = run["predicted"]
assert pred["device"] == "epyc-1t" and pred["profile"].endswith("profiles/epyc-1t.yaml"), pred
assert abs(pred["forward_ms"] / est["time"]["total_ms"] - 1) < 1e-5, (pred, est["time"])
median = run["forward_ms"]["median"]
err = pred["forward_ms"] / median - 1  # both printed to 6 digits
assert abs(pred["error"] - err) < 1e-4 * max(1, abs(err)), pred
assert pred["memory_bytes"] == est["memory"]["total_bytes"], (pred, est["memory"])
# per layer: estimate's time of the same layer, and its error against the layer's median
by_name = {l["name"]: l for l in est["layers"]}
for l in run["layers"]:
    want = by_name[l["name"]]["time_ms"]
    assert abs(l["predicted_ms"] / want - 1) < 1e-5, (l, want)
    err = l["predicted_ms"] / l["ms"]["median"] - 1  # both printed to 6 digits
    assert abs(l["error"] - err) < 1e-4 * max(1, abs(err)), l
PY
# CSV, one row per network: the three prediction columns, only with --device
expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --device epyc-1t --format csv
eq "csv --device: header" "$(printf '%s\n' "$out" | head -1)" \
	"network,batch,forward_ms,p10_ms,p90_ms,spread,gemm_ms,held_bytes,peak_rss_bytes,predicted_ms,error,predicted_memory_bytes"
expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --format csv
eq "csv without --device: no prediction" "$(printf '%s\n' "$out" | head -1)" \
	"network,batch,forward_ms,p10_ms,p90_ms,spread,gemm_ms,held_bytes,peak_rss_bytes"
# the table: the prediction, and whose times they are (epyc-1t's are PyTorch's)
expect 0 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --device epyc-1t --layers
has "$out" "predicted " "table: the predicted line"
has "$out" "by epyc-1t (" "table: the profile named"
has "$out" "note: epyc-1t's times are for pytorch" "table: another framework's times"
has "$out" " predicted   error" "table: per-layer prediction columns"
# a profile that cannot be used: said before anything is measured
expect 1 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --device nosuch
has "$err" "unknown profile 'nosuch'" "--device: unknown profile"
eq "--device: nothing measured" "$out" ""
expect 1 "$AUGUR" run descriptors/kws.yaml "${quick[@]}" --device h200
has "$err" "profile 'h200' has no cpu unit" "--device: a profile without a cpu"

expect 0 "$AUGUR" help run
has "$out" "--layer-times-out" "help lists options"
finish
