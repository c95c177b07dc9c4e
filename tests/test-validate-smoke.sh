#!/usr/bin/env bash
# bench/validate end to end on one tiny network: measure with few repetitions, check the
# layer-times file, report against a shipped profile. Skipped (77) when Debian's python3
# cannot import torch (.ci/install-deps --dev installs python3-torch).
set -u
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	echo "skip: /usr/bin/python3 cannot import torch (apt-get install python3-torch)"
	exit 77
fi
. "$(dirname "$0")/cli-lib.sh"

quick=(--reps 3 --warmup 1 --trials 2 --layer-ms 0.5 --augur "$AUGUR")
expect 0 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/m.yaml" "${quick[@]}"
has "$err" "[1/1] tiny: forward" "measure progress"
python3 - "$tmp/m.yaml" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); cat "$tmp/m.yaml"; }
import re, sys
text = open(sys.argv[1]).read()
for key in ("# command: ", "# machine: ", "# torch: PyTorch ", "# blas: OpenBLAS ",
            "# threads: OpenBLAS 1, ATen 1", "# mkldnn: off", "# OPENBLAS_CORETYPE: ",
            'source: "bench/validate measure: PyTorch ', "boards:\n  smoke:\n", "layer_times:\n",
            'framework:\n  name: "pytorch"\n', "  mkldnn: false\n  threads: 1\n",
            "  pool_index_bytes: 8\n"):
    assert key in text, key
text, _, memory = text.partition("memory_mb:\n")
# 64-bit glibc: the heap view; LRN's temporaries
assert '  memory_view: "heap"\n  lrn_temporaries: 4\n' in text, "memory view"
assert "  cache_terms: true\n" in text, "cache terms (mkldnn off)"
assert "  conv_im2col: true\n" in text, "im2col convolutions (mkldnn off)"
rows = re.findall(r"^  - \{(.*)\}$", text, re.M)
assert len(rows) == 1, rows
# the network's peak memory row: a positive figure, below a gigabyte for this tiny net
peak = re.fullmatch(r"  - \{network: \S*tests/data/tiny\.yaml, board: smoke, cpu: ([0-9.]+)\}\n",
                    memory)
assert peak and 0 < float(peak.group(1)) < 1024, memory
row = rows[0]
assert re.match(r"network: \S*tests/data/tiny\.yaml, board: smoke, unit: cpu, batch: 1, "
                r"forward: [0-9.]+, forward_spread: [0-9.]+, ", row), row
for t in ("conv", "pool", "fc", "relu", "softmax", "batchnorm", "scale", "eltwise", "concat",
          "total"):
    assert re.search(rf"\b{t}: [0-9.]+[,}}]", row), t
layers = re.search(r"layers: \{(.*?)\}", row).group(1)
names = [kv.split(":")[0] for kv in layers.split(", ")]
assert names == ["conv1", "bn1", "scale1", "relu1", "pool1", "conv2", "add", "cat", "fc",
                 "prob"], names
assert all(float(kv.split(": ")[1]) > 0 for kv in layers.split(", "))
# each layer's median page fault count in the timed passes: whole numbers, same layers
faults = re.search(r"faults: \{(.*?)\}", row).group(1)
assert [kv.split(":")[0] for kv in faults.split(", ")] == names, faults
assert all(re.fullmatch(r"\d+", kv.split(": ")[1]) for kv in faults.split(", ")), faults
PY

# --peak-samples 3: the peak is the median of the timed process's and two new interpreters'
expect 0 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/m3.yaml" \
	--peak-samples 3 "${quick[@]}"
python3 - "$tmp/m3.yaml" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); cat "$tmp/m3.yaml"; }
import re, statistics, sys
memory = open(sys.argv[1]).read().partition("memory_mb:\n")[2]
row = re.fullmatch(r"  - \{network: \S*tests/data/tiny\.yaml, board: smoke, cpu: ([0-9.]+), "
                   r"samples: \[([0-9., ]+)\]\}\n", memory)
assert row, memory
samples = [float(v) for v in row.group(2).split(", ")]
assert len(samples) == 3 and all(0 < v < 1024 for v in samples), samples
assert abs(float(row.group(1)) - statistics.median(samples)) < 1e-3, row.group(0)
PY
expect 0 bench/validate peak tests/data/tiny.yaml --passes 2 --augur "$AUGUR"
python3 -c 'import json, sys; v = json.loads(sys.argv[1])["peak_mib"]; assert 0 < v < 1024, v' \
	"$out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "peak: $out"; }
expect 2 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/m0.yaml" \
	--peak-samples 0 "${quick[@]}"
has "$err" "--peak-samples must be at least 1" "peak samples range"
[ ! -e "$tmp/m0.yaml" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "m0.yaml written"; }

# the file is read back by report: one held-out network, and the summary line
expect 0 bench/validate report --profile epyc-2core "$tmp/m.yaml" --augur "$AUGUR"
has "$out" "held-out networks within ±10%" "report summary"
has "$out" "of 1 held-out networks" "one held-out network"
has "$out" "per layer type" "report per type"
expect 0 bench/validate report --profile epyc-2core "$tmp/m.yaml" --augur "$AUGUR" --fit-set tiny
has "$out" "0 of 0 held-out networks" "fit set excludes tiny"
expect 0 bench/validate report --profile epyc-2core "$tmp/m.yaml" --augur "$AUGUR" --format csv
has "$out" "kind,name,fit,measured_ms" "csv header"
has "$out" "network,tiny,0," "csv network row"
csv_alone=$out
# --csv writes the same CSV beside the table, from one set of estimates
expect 0 bench/validate report --profile epyc-2core "$tmp/m.yaml" --augur "$AUGUR" --csv "$tmp/r.csv"
has "$out" "per layer type" "--csv: the table still printed"
ok "--csv: the file is --format csv's output" [ "$(cat "$tmp/r.csv")" = "$csv_alone" ]

# --resume keeps the row and measures nothing
expect 0 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/m.yaml" --resume "${quick[@]}"
has "$err" "already measured" "resume"
# --keep measures again and keeps the first command's record in the header
expect 0 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/m.yaml" --keep "${quick[@]}"
has "$(cat "$tmp/m.yaml")" "# earlier command: bench/validate measure tests/data/tiny.yaml --board smoke --out $tmp/m.yaml --reps" "keep: earlier command kept"
has "$(cat "$tmp/m.yaml")" "--keep" "keep: its own command"
# merge pools measurements of the same settings (days): both rows kept, each network path
# rebased on the pooled file's folder, both commands in the header
mkdir -p "$tmp/day2" "$tmp/pooled"
sed 's#network: #network: ../#' "$tmp/m.yaml" > "$tmp/day2/m.yaml"
expect 0 bench/validate merge "$tmp/m.yaml" "$tmp/day2/m.yaml" --out "$tmp/pooled/p.yaml"
has "$err" "(2 rows from 2 files)" "merge: rows"
python3 - "$tmp/pooled/p.yaml" "$tmp" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); cat "$tmp/pooled/p.yaml"; }
import os, re, sys
text = open(sys.argv[1]).read()
nets = re.findall(r"^  - \{network: ([^,]*),", text, re.M)
assert len(nets) == 2, nets
for n in nets:
    assert os.path.samefile(os.path.join(sys.argv[2], "pooled", n), "tests/data/tiny.yaml"), n
assert "# m.yaml: command: bench/validate measure tests/data/tiny.yaml" in text
assert 'source: "bench/validate merge of 2 measurements: bench/validate measure: ' in text
assert 'framework:\n  name: "pytorch"\n' in text
PY
expect 0 bench/validate report --profile epyc-2core "$tmp/pooled/p.yaml" --augur "$AUGUR"
has "$out" "of 2 held-out networks" "merge: report reads the pooled rows"
# a pooled file pools again with another day: its measurements keep their own settings
expect 0 bench/validate merge "$tmp/pooled/p.yaml" "$tmp/m.yaml" --out "$tmp/pooled/p3.yaml"
has "$err" "(3 rows from 2 files)" "merge: a pooled file pooled again"
has "$(cat "$tmp/pooled/p3.yaml")" 'source: "bench/validate merge of 3 measurements: bench/validate measure: ' "merge: three measurements"
sed 's#mkldnn off#mkldnn on#' "$tmp/m.yaml" > "$tmp/day2/on.yaml"
expect 1 bench/validate merge "$tmp/m.yaml" "$tmp/day2/on.yaml" --out "$tmp/pooled/x.yaml"
has "$err" "only measurements under the same settings can be pooled" "merge: settings differ"
[ ! -e "$tmp/pooled/x.yaml" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: merge wrote a file it refused"; }
expect 1 bench/validate merge "$tmp/m.yaml" --out "$tmp/pooled/x.yaml"
has "$err" "merge needs at least two layer-times files" "merge: one file"
expect 2 bench/validate measure tests/data/tiny.yaml --board smoke --out "$tmp/x.yaml" --retries -1
has "$err" "--retries must be at least 0" "negative retries"
# a short network is timed in more passes than --reps (at least MIN_TIMED_MS of them), and
# its spread is taken over --reps groups of them: a slow pass in five does not count
/usr/bin/python3 - <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import importlib.machinery, importlib.util, time
loader = importlib.machinery.SourceFileLoader("validate", "bench/validate")
spec = importlib.util.spec_from_loader("validate", loader)
v = importlib.util.module_from_spec(spec)
loader.exec_module(v)
# 20 passes, 20 groups: every pass its own group, the spread of the passes themselves
times = [1.0] * 10 + [2.0] * 10
q = sorted(times)
assert abs(v.spread_of(times, 20) - (v.quantile(q, 0.9) - v.quantile(q, 0.1)) / 1.5) < 1e-12
# 2,000 passes with every 5th one slow: their 20 groups' medians agree
times = [5.0 if i % 5 == 0 else 1.0 for i in range(2000)]
assert v.spread_of(times, 20) == 0.0, v.spread_of(times, 20)
assert v.spread_of(times, 2000) == 4.0
class Layer:  # one layer of about 50 us
    name, inputs, frees = "l", ["input"], []
    fn = staticmethod(lambda x: time.sleep(50e-6))
reps = v.reps_for([Layer()], None, 20, 1)
assert 20 < reps <= v.MAX_REPS and reps <= v.MIN_TIMED_MS / 0.05 + 1, reps
class Slow(Layer):  # 10 ms: 20 passes are already 200 ms
    fn = staticmethod(lambda x: time.sleep(10e-3))
assert v.reps_for([Slow()], None, 20, 1) == 20
PY

# errors: one line, exit 1 (missing descriptor) or 2 (usage)
expect 1 bench/validate measure "$tmp/none.yaml" --board smoke --out "$tmp/x.yaml" "${quick[@]}"
has "$err" "none.yaml: no such descriptor" "missing descriptor"
expect 2 bench/validate measure tests/data/tiny.yaml --out "$tmp/x.yaml"
finish
