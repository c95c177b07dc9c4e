#!/usr/bin/env bash
# augur calibrate --framework pytorch: the missing-torch message (always), then the tiny
# grid end to end through the pytorch adapter (bench/validate measure): the profile's
# framework, the heap memory view and its fitted overhead, checked against values
# computed here from the adapter's own file and augur inspect; one progress count driven by
# the script's progress lines; a SIGTERM midway and --resume. The second part is skipped
# (77) when Debian's python3 cannot import torch (.ci/install-deps --dev installs it).
set -u
. "$(dirname "$0")/cli-lib.sh"
ok() {
	local label=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $label"; fi
}

# ---- without python3 or torch: one message naming what to install, before the sweep ----
printf '#!/bin/sh\nexit 1\n' >"$tmp/python3"
chmod +x "$tmp/python3"
echo "keep me" >"$tmp/old.yaml"
AUGUR_PYTHON=$tmp/python3 expect 1 "$AUGUR" calibrate --device nt --framework pytorch --grid tiny --out "$tmp/old.yaml"
has "$err" "augur calibrate: error: --framework pytorch needs PyTorch, and $tmp/python3 cannot import torch and numpy: install python3-torch and python3-numpy" "no torch: what to install"
eq "no torch: one line" "$(lines "$err")" 1
eq "no torch: the GEMM sweep did not start" "$out" ""
eq "no torch: the profile is untouched" "$(cat "$tmp/old.yaml")" "keep me"
AUGUR_PYTHON=$tmp/no-such-python3 expect 1 "$AUGUR" calibrate --device nt --framework pytorch --grid tiny --out "$tmp/nt.yaml"
has "$err" "needs python3 with PyTorch, and $tmp/no-such-python3 cannot be run: install python3, python3-torch" "no python3"
ok "no python3: nothing written" [ ! -e "$tmp/nt.yaml" ]
# an installed augur finds the script as PREFIX/share/augur/adapters/validate
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/augur/nets"
cp "$AUGUR_BIN" "$(dirname "$AUGUR_BIN")/augur-lab" "$tmp/prefix/bin/"
cp -r profiles descriptors "$tmp/prefix/share/augur/"
cp -r bench/nets/fit "$tmp/prefix/share/augur/nets/"
AUGUR_PYTHON=$tmp/python3 expect 1 sh -c "cd /tmp && exec '$tmp/prefix/bin/augur' calibrate --device nt --framework pytorch --grid tiny --out '$tmp/nt.yaml'"
has "$err" "cannot find the measuring script of --framework pytorch under $(cd "$tmp/prefix/share/augur" && pwd -P)" "installed: no script"
mkdir "$tmp/prefix/share/augur/adapters"
cp bench/validate "$tmp/prefix/share/augur/adapters/validate"
AUGUR_PYTHON=$tmp/python3 expect 1 sh -c "cd /tmp && exec '$tmp/prefix/bin/augur' calibrate --device nt --framework pytorch --grid tiny --out '$tmp/nt.yaml'"
has "$err" "$tmp/python3 cannot import torch" "installed: the script found, torch asked for"
# usage
expect 2 "$AUGUR" calibrate --device x --framework augur --mkldnn on
has "$err" "--mkldnn is a setting of --framework pytorch" "mkldnn needs pytorch"
expect 2 "$AUGUR" calibrate --device x --framework pytorch --mkldnn maybe
expect 2 "$AUGUR" calibrate --device x --unit gpu --framework pytorch
has "$err" "PyTorch's campaign runs on the cpu" "pytorch on the gpu"

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
	echo "skip: /usr/bin/python3 cannot import torch (apt-get install python3-torch)"
	finish && exit 77
	exit 1
fi

# ---- the tiny grid end to end ----
P=$tmp/tt.yaml T=$tmp/tt-times.yaml
expect 0 "$AUGUR_BIN" calibrate --device tt --framework pytorch --grid tiny --threads 1 --progress lines --out "$P" --layer-times-out "$T"
nfit=$(ls bench/nets/fit/*.yaml | awk 'NR % 16 == 1' | head -6 | wc -l)
# one progress count over the campaign, driven by the script's progress lines: every fit
# network of the tiny plan in order, then the check, then the fit networks measured again
# for the drift (six at most: all of the tiny plan's), numbered 1..total of the whole
fits=$(ls bench/nets/fit/*.yaml | awk 'NR % 16 == 1' | head -6 | xargs -n1 basename)
want=$(printf '%s\nkws.yaml\n%s\n' "$fits" "$fits")
total=$((nfit + 1 + (nfit < 6 ? nfit : 6)))
want=$(printf '%s\n' "$want" | awk -v t="$total" '{printf "%d/%d %s\n", NR, t, $0}')
got=$(printf '%s\n' "$err" | sed -n 's/^augur calibrate: \[ *\([0-9]*\/[0-9]*\)\] \([^ ]*\.yaml\)  elapsed [0-9]*s  ETA [0-9]*s$/\1 \2/p')
eq "campaign progress: every network in order" "$got" "$want"
# the script's own lines are gone when augur drives it
ok "no script progress lines" [ -z "$(printf '%s\n' "$err" | grep -e '^bench/validate:' -e '^\[[0-9]*/[0-9]*\] ')" ]
has "$out" "layer costs: $nfit fit networks measured in pytorch " "the tiny plan's networks, in PyTorch"
# the script names its networks relative to its file: the drift still finds their first
# measurement
has "$out" "drift: $((nfit < 6 ? nfit : 6)) fit networks measured again after the checks ran" "the drift, in PyTorch"
has "$out" "mkldnn off, 1 thread in " "settings named"
has "$out" "memory: the heap view (each blob freed after its last reader into a heap that keeps its high-water mark) plus a fitted overhead of " "memory view"
has "$out" "  kws  " "checked on a network it did not fit"
has "$out" "networks it did not fit on predicted within 10%" "time verdict"
has "$out" "memory verdict: " "memory verdict"
has "$out" "wrote $P" "profile written"
# the profile's framework section names PyTorch, its version, mkldnn, threads and view
fw=$(sed -n '/^framework:/,/^memory:/p' "$P")
has "$fw" '  name: "pytorch"' "framework pytorch"
has "$fw" '  version: "1.' "torch version"
has "$fw" "  mkldnn: false" "mkldnn off"
has "$fw" "  threads: 1" "threads"
has "$fw" "  memory_view: heap" "the heap view"
has "$fw" "  lrn_temporaries: 4" "LRN's temporaries"
has "$fw" "  conv_groups: one_at_a_time" "grouped convs one group at a time"
has "$fw" "  cache_terms: true" "fitted with the cache features"
expect 0 "$AUGUR" profile show "$P"
has "$out" "blobs      freed after their last reader into a heap that keeps its high-water" "show names the view"
has "$out" "mark (the heap memory view)" "show names the view (its end)"
has "$out" "groups     a grouped conv runs one group at a time" "show names the grouped convs' way"
# every fit network has a peak-memory row
eq "memory rows" "$(sed -n '/^memory_mb:/,$p' "$T" | grep -c '^  - {network: ')" "$nfit"
# the fitted overhead, computed here from the file and inspect's layers (MiB = 2^20
# bytes): the median of measured minus the heap view of each network with convolutions (blobs freed after
# their last reader; buffers above the script's 32 MiB threshold mapped, the rest from a
# heap that keeps its high-water mark; a grouped conv one group at a time, LRN with four
# temporaries)
want=$(python3 - "$T" "$AUGUR" <<'PY'
import json, os, re, statistics, subprocess, sys
path, augur = sys.argv[1], sys.argv[2]
text = open(path).read().split("memory_mb:\n", 1)[1]
IN_PLACE = {"relu", "sigmoid", "tanh", "dropout", "batchnorm", "scale", "hardswish",
            "hardsigmoid", "swish", "prelu", "elu"}
THRESHOLD, LRN_TEMPS = 32 << 20, 4
def heap_view(d):
    layers = d["layers"]
    last = {}
    for i, l in enumerate(layers):
        for x in l["inputs"]:
            last[x] = i
    owner, end, size = {"input": "input"}, {"input": last.get("input", 0)}, {"input": d["input"]["bytes"]}
    born = {"input": 0}
    for i, l in enumerate(layers):
        src = l["inputs"][0] if l["inputs"] else None
        alias = l["type"] in ("flatten", "reshape") or (
            l["type"] in IN_PLACE and last.get(src) == i)
        o = owner[src] if alias else l["name"]
        owner[l["name"]] = o
        if not alias:
            size[o], born[o], end[o] = l["output_bytes"], i, i
        end[o] = max(end[o], last.get(l["name"], i))
    heap = mapped = 0
    for i, l in enumerate(layers):
        live = {"h": 0, "m": 0}
        for o in size:
            if born[o] <= i <= end[o]:
                live["m" if size[o] > THRESHOLD else "h"] += size[o]
        pieces = []
        if l["type"] == "conv" and l["attrs"]["groups"] > 1:
            g = l["attrs"]["groups"]
            pieces.append(l["workspace_paper_bytes"] if l["workspace_bytes"] else 0)
            pieces += [l["output_bytes"] // g] * g
        else:
            pieces.append(l["workspace_bytes"])
        if l["type"] == "lrn":
            pieces += [l["output_bytes"]] * LRN_TEMPS
        for b in pieces:
            live["m" if b > THRESHOLD else "h"] += b
        heap, mapped = max(heap, live["h"]), max(mapped, live["m"])
    return d["memory"]["minimal"]["weights_bytes"] + mapped + heap
over, over_without = [], []
for net, mib in re.findall(r"network: (\S+), board: tt, cpu: ([0-9.]+)\}", text):
    net = os.path.join(os.path.dirname(path), net)
    d = json.loads(subprocess.run([augur, "inspect", net, "--format", "json"],
                                  capture_output=True, text=True, check=True).stdout)
    conv = any(l["type"] in ("conv", "deconv") for l in d["layers"])
    (over if conv else over_without).append(float(mib) * 1048576 - heap_view(d))
# networks without convolutions get their own median when both kinds have three rows
if len(over) < 3 or len(over_without) < 3:
    over += over_without
print(max(0, int(statistics.median(over))))
PY
)
got=$(sed -n 's/^ *framework_overhead_bytes: \([0-9]*\)$/\1/p' "$P" | head -1)
ok "overhead fitted against the heap view ($got vs $want)" python3 -c "import sys; sys.exit(abs($got - $want) > 4096)"
# estimate uses the view the framework names and says which
expect 0 "$AUGUR" estimate descriptors/squeezenet.yaml --device "$P"
has "$out" "times for: pytorch " "estimate names PyTorch"
has "$out" "network, heap view" "estimate names the view"
expect 0 "$AUGUR" estimate descriptors/squeezenet.yaml --device "$P" --format json
eq "estimate: heap view plus the overhead" "$(printf '%s' "$out" | python3 -c '
import json, sys
e = json.load(sys.stdin)["units"][0]["memory"]
print(e["view"], e["total_bytes"] == e["model_bytes"] + e["overhead_bytes"] + e["weights_copy_bytes"])')" "heap True"
# the kept measurements refit to the same profile costs
expect 0 "$AUGUR" fit "$P" --layer-times "$T" --out "$tmp/refit.yaml"
eq "refit: same overhead" "$(sed -n 's/^ *framework_overhead_bytes: \([0-9]*\)$/\1/p' "$tmp/refit.yaml" | head -1)" "$got"

# ---- stopped midway by a SIGTERM to augur alone, then --resume ----
# augur passes it on to the script (SIGINT) while it reads the script's progress lines;
# the script keeps the rows it finished, and --resume measures only the others, its
# progress counting on from them
S=$tmp/stop.yaml
# up to 120 s on a very busy machine
stop_when "stop: the campaign reached its third network" 120 "^augur calibrate: \\[ *3/$total\\] " TERM \
	"$AUGUR_BIN" calibrate --device st --framework pytorch --grid tiny --threads 1 --progress lines --out "$S"
eq "stop: exit status" "$rc" "1"
n=$(printf '%s\n' "$err" | sed -n "s/^augur calibrate: error: interrupted after \([0-9]*\) of $nfit fit networks; they are kept in .*/\1/p")
ok "stop: interrupted after some networks ('$n')" sh -c '[ -n "$1" ] && [ "$1" -ge 2 ] && [ "$1" -lt "$2" ]' _ "$n" "$nfit"
ok "stop: no profile written" [ ! -e "$S" ]
eq "stop: the rows kept" "$(grep -c '^  - {network: .*, forward: ' "$S.partial/fit.yaml")" "$n"
ok "stop: no traceback" [ -z "$(printf '%s\n' "$err" | grep -e Traceback -e Error)" ]
expect 0 "$AUGUR_BIN" calibrate --device st --framework pytorch --grid tiny --threads 1 --progress lines --out "$S" --resume
has "$out" "resumed: $n of $nfit fit networks measured before" "resume: the kept rows"
first=$(printf '%s\n' "$err" | sed -n "s/^augur calibrate: \\[ *\\([0-9]*\\)\\/$total\\] [^ ]*\\.yaml  elapsed.*/\\1/p" | head -1)
eq "resume: progress counts on from them" "$first" "$((n + 1))"
has "$out" "layer costs: $nfit fit networks measured in pytorch " "resume: all fit networks"
ok "resume: profile written" [ -s "$S" ]
finish
