#!/usr/bin/env bash
# augur calibrate --framework pytorch: the missing-torch message (always), then the tiny
# grid end to end through the pytorch adapter (bench/validate measure): the profile's
# framework, the heap memory view and its fitted overhead, checked against values
# computed here from the adapter's own file and augur inspect; one progress count driven by
# the script's progress lines; a SIGTERM midway and --resume. The second part is skipped
# (77) when Debian's python3 cannot import torch (.ci/install-deps --dev installs it).
set -u
. "$(dirname "$0")/cli-lib.sh"

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
has "$out" "memory: the heap view (each blob freed after its last reader into a best-fit heap that keeps the pages it touched) plus a fitted overhead of " "memory view"
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
has "$fw" "  alloc_slack_bytes: 96" "the allocator's slack"
has "$fw" "  weights_staged: true" "weights staged"
has "$fw" "  affine_in_place: false" "batchnorm and scale out of place"
has "$fw" "  conv_groups: one_at_a_time" "grouped convs one group at a time"
has "$fw" "  cache_terms: true" "fitted with the cache features"
expect 0 "$AUGUR" profile show "$P"
has "$out" "blobs      freed after their last reader into a best-fit heap that keeps the" "show names the view"
has "$out" "pages it touched (the heap memory view)" "show names the view (its end)"
has "$out" "groups     a grouped conv runs one group at a time" "show names the grouped convs' way"
# every fit network has a peak-memory row
eq "memory rows" "$(sed -n '/^memory_mb:/,$p' "$T" | grep -c '^  - {network: ')" "$nfit"
# the fitted overhead, computed here from the file and inspect's layers (MiB = 2^20
# bytes): the median of measured minus the heap view of each network with convolutions,
# simulated here on its own (docs/descriptors.md, "Memory views"): glibc's malloc with
# the script's facts (buffers above 32 MiB mapped; the rest by best fit, a hole serving a
# buffer 96 bytes smaller; pages resident once touched), the weights staged and trimmed,
# batchnorm and scale out of place, a grouped conv one group at a time, LRN with four
# temporaries, max pooling's 8-byte indices; three passes, the most resident at once
want=$(python3 - "$T" "$AUGUR" <<'PY'
import json, os, re, statistics, subprocess, sys
path, augur = sys.argv[1], sys.argv[2]
text = open(path).read().split("memory_mb:\n", 1)[1]
IN_PLACE = {"relu", "sigmoid", "tanh", "dropout", "hardswish", "hardsigmoid", "swish",
            "prelu", "elu"}
THRESHOLD, LRN_TEMPS, SLACK, PAGE = 32 << 20, 4, 96, 4096
class Heap:
    def __init__(self):
        self.chunks, self.top, self.brk, self.mapped = [], 0, 0, 0
        self.pages = bytearray(1 << 16)
        self.peak = 0
    def resident(self):
        return self.pages.count(1) * PAGE + self.mapped
    def set_pages(self, a, b, v):
        if b > len(self.pages):
            self.pages.extend(bytes(b - len(self.pages)))
        if b > a:
            self.pages[a:b] = bytes([v]) * (b - a)
    def alloc(self, n):
        if n > THRESHOLD:
            m = -(-n // PAGE) * PAGE
            self.mapped += m
            self.peak = max(self.peak, self.resident())
            return ("m", m)
        nb = max(32, (n + 23) // 16 * 16)
        fits = [c for c in self.chunks if c[2] and c[1] >= nb + SLACK]
        if fits:
            c = min(fits, key=lambda c: (c[1], c[0]))
            at, a = self.chunks.index(c), c[0]
            if c[1] - nb >= 32:
                self.chunks.insert(at + 1, [a + nb, c[1] - nb, True])
                c[1] = nb
            c[2] = False
            nb = c[1]
        else:
            a = self.top
            self.chunks.append([a, nb, False])
            self.top = a + nb
            self.brk = max(self.brk, self.top)
        self.set_pages(a // PAGE, -(-(a + nb) // PAGE), 1)
        self.peak = max(self.peak, self.resident())
        return ("h", a)
    def free(self, blk):
        if blk[0] == "m":
            self.mapped -= blk[1]
            return
        i = next(k for k, c in enumerate(self.chunks) if c[0] == blk[1])
        self.chunks[i][2] = True
        if i + 1 < len(self.chunks) and self.chunks[i + 1][2]:
            self.chunks[i][1] += self.chunks.pop(i + 1)[1]
        if i > 0 and self.chunks[i - 1][2]:
            self.chunks[i - 1][1] += self.chunks.pop(i)[1]
            i -= 1
        if i == len(self.chunks) - 1:
            self.top = self.chunks.pop()[0]
            if self.brk - self.top > 2 * THRESHOLD:
                self.lower()
    def lower(self):
        self.brk = -(-self.top // PAGE) * PAGE
        self.set_pages(self.brk // PAGE, len(self.pages), 0)
    def trim(self):
        for a, n, free in self.chunks:
            if free:
                self.set_pages(-(-(a + 32) // PAGE), (a + n) // PAGE, 0)
        self.lower()
def heap_view(d):
    layers = d["layers"]
    last = {}
    for i, l in enumerate(layers):
        for x in l["inputs"]:
            last[x] = i
    h = Heap()
    for l in layers:
        for t in (l["params"] * 4, l["stats"] * 4):
            if t:
                stage = h.alloc(t)
                h.alloc(t)
                h.free(stage)
    h.alloc(d["input"]["bytes"])  # held by the caller throughout
    h.trim()
    h.peak = h.resident()
    owner, end = {"input": None}, {}
    for i, l in enumerate(layers):
        src = l["inputs"][0] if l["inputs"] else None
        alias = l["type"] in ("flatten", "reshape") or (
            l["type"] in IN_PLACE and last.get(src) == i)
        o = owner[src] if alias else l["name"]
        owner[l["name"]] = o
        if o is not None:
            end[o] = max(end.get(o, i), last.get(l["name"], i))
    readers = {l["name"]: l["readers"] for l in layers}
    for _ in range(3):
        blocks = {}
        for i, l in enumerate(layers):
            ob, ws, a = l["output_bytes"], l["workspace_bytes"], l["attrs"]
            if l["type"] == "conv" and a["groups"] > 1:
                g, cols = a["groups"], (l["workspace_paper_bytes"] if ws else 0)
                parts = []
                for _ in range(g):
                    c = h.alloc(cols) if cols else None
                    parts.append(h.alloc(ob // g))
                    if c:
                        h.free(c)
                blocks[l["name"]] = h.alloc(ob)
                for p in parts:
                    h.free(p)
            elif l["type"] == "lrn":
                temps = [h.alloc(ob) for _ in range(LRN_TEMPS)]
                blocks[l["name"]] = h.alloc(ob)
                for t in reversed(temps):
                    h.free(t)
            else:
                temps = [h.alloc(ws)] if ws else []
                if owner[l["name"]] == l["name"]:
                    blocks[l["name"]] = h.alloc(ob)
                if l["type"] == "pool" and a["op"] == "max":
                    temps.append(h.alloc(ob // 4 * 8))
                for t in reversed(temps):
                    h.free(t)
            for o in sorted((o for o in blocks if readers[o] and end[o] == i),
                            key=lambda o: [x["name"] for x in layers].index(o)):
                h.free(blocks.pop(o))
        for o in list(blocks):
            h.free(blocks.pop(o))
    return h.peak
over, over_without = [], []
for net, mib in re.findall(r"network: (\S+), board: tt, cpu: ([0-9.]+)\}", text):
    net = os.path.join(os.path.dirname(path), net)
    d = json.loads(subprocess.run([augur, "inspect", net, "--format", "json"],
                                  capture_output=True, text=True, check=True).stdout)
    conv = any(l["type"] in ("conv", "deconv") for l in d["layers"])
    measured = float(mib) * 1048576
    (over if conv else over_without).append((measured - heap_view(d), measured))
# networks without convolutions get their own overhead when both kinds have three rows:
# the median weighted by 1/peak (the smallest residual whose rows' weights reach half)
without, conv_only = 0, max(0, int(statistics.median(o for o, _ in over)))
if len(over) < 3 or len(over_without) < 3:
    over += over_without
else:
    rows = sorted(over_without)
    total, below = sum(1 / m for _, m in rows), 0
    for o, m in rows:
        below += 1 / m
        if below >= total / 2:
            without = max(1, int(o))
            break
print(max(0, int(statistics.median(o for o, _ in over))), without, conv_only)
PY
)
read -r want want_without want_conv_only <<<"$want"
got=$(sed -n 's/^ *framework_overhead_bytes: \([0-9]*\)$/\1/p' "$P" | head -1)
ok "overhead fitted against the heap view ($got vs $want)" python3 -c "import sys; sys.exit(abs($got - $want) > 4096)"
got_without=$(sed -n 's/^ *overhead_without_conv_bytes: \([0-9]*\)$/\1/p' "$P" | head -1)
ok "overhead without convolutions (${got_without:-none} vs $want_without)" python3 -c "import sys; sys.exit(abs(${got_without:-0} - $want_without) > 4096)"
# with three or more rows of networks without convolutions they get their own overhead, the
# median of their residuals weighted by 1/peak: here 9.1 MiB (the plain median: 9.9)
W=$tmp/tt-without.yaml
python3 - "$T" "$W" "$AUGUR" "$P" <<'PY'
import json, os, subprocess, sys
src, dst, augur, prof = sys.argv[1:5]
rows = []
for name, resid in (("probe_tiny_mlp_00", 9.0), ("probe_tiny_mlp_01", 9.1), ("probe_fc_00", 9.9),
                    ("probe_fc_04", 10.0), ("probe_fc_05", 10.1)):
    net = os.path.abspath(f"bench/nets/fit/{name}.yaml")
    e = json.loads(subprocess.run([augur, "estimate", net, "--device", prof, "--format", "json"],
                                  capture_output=True, text=True, check=True).stdout)
    model = e["units"][0]["memory"]["model_bytes"] / 1048576
    rows.append(f"  - {{network: {net}, board: tt, cpu: {model + resid:.6f}}}\n")
open(dst, "w").write(open(src).read() + "".join(rows))
PY
expect 0 "$AUGUR" fit "$P" --layer-times "$W" --out "$tmp/without.yaml"
got_without=$(sed -n 's/^ *overhead_without_conv_bytes: \([0-9]*\)$/\1/p' "$tmp/without.yaml" | head -1)
ok "overhead without convolutions weighted by 1/peak (${got_without:-none})" python3 -c "import sys; sys.exit(abs(${got_without:-0} - 9.1 * 1048576) > 4096)"
got_conv=$(sed -n 's/^ *framework_overhead_bytes: \([0-9]*\)$/\1/p' "$tmp/without.yaml" | head -1)
ok "the overhead with convolutions from their rows alone ($got_conv vs $want_conv_only)" python3 -c "import sys; sys.exit(abs($got_conv - $want_conv_only) > 4096)"
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
