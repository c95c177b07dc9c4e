#!/usr/bin/env bash
# bench-layer-features (the layer-cost rows as CSV, for model work): one row per timed
# layer, named, with the writer of its input and the bytes its pass touches, and features
# computed by hand for KWS (fc 400 -> 128 -> 128 -> 128 -> 12, relus, softmax).
set -u
. "$(dirname "$0")/cli-lib.sh"
tool=$1
cat >"$tmp/kws-times.yaml" <<YAML
layer_times:
  - {network: $AUGUR_SOURCE_ROOT/descriptors/kws.yaml, board: t, unit: cpu, forward: 0.004,
     layers: {fc1: 0.0019, relu1: 0.00005, fc2: 0.0007, relu2: 0.00004, fc3: 0.0007,
              relu3: 0.00004, fc4: 0.0002, prob: 0.0001}}
YAML
expect 0 "$tool" profiles/epyc-1t.yaml "$tmp/kws-times.yaml" t
printf '%s\n' "$out" >"$tmp/rows.csv"
python3 - "$tmp/rows.csv" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["layer"] for r in rows] == ["fc1", "relu1", "fc2", "relu2", "fc3", "relu3", "fc4",
                                      "prob"], rows
assert [r["type"] for r in rows] == ["fc", "relu"] * 3 + ["fc", "softmax"]
by = {r["layer"]: r for r in rows}
assert by["fc1"]["after"] == "input" and float(by["fc1"]["after_other_bytes"]) == 0
# fc1's weights and biases: (400 x 128 + 128) x 4 bytes; rows of 400 values, not 4 KiB
assert float(by["fc1"]["param_bytes"]) == (400 * 128 + 128) * 4, by["fc1"]
assert float(by["fc1"]["param_bytes_4k"]) == 0
assert float(by["fc1"]["time_ms"]) == 0.0019
# relu1 reads fc1's 128 outputs; fc1 touched its 400 inputs and its weights besides
assert by["relu1"]["after"] == "fc" and float(by["relu1"]["in_bytes"]) == 128 * 4
assert float(by["relu1"]["after_other_bytes"]) == 400 * 4 + (400 * 128 + 128) * 4
# the softmax over 12 classes reads 48 bytes; every row pays the per-layer constant once
assert float(by["prob"]["in_bytes"]) == 12 * 4
assert all(float(r["one"]) == 1 for r in rows)
# what a pass touches (the allocated view): the weights and biases, the input (400), the
# fc outputs (128 x 3, 12; the relus write in place) and the softmax's 12
weights = (400 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 12 + 12) * 4
blobs = (400 + 3 * 128 + 12 + 12) * 4
assert all(float(r["pass_bytes"]) == weights + blobs for r in rows), rows[0]["pass_bytes"]
PY
# a board the file has no rows for: nothing to write, and the header alone
expect 0 "$tool" profiles/epyc-1t.yaml "$tmp/kws-times.yaml" other
eq "no rows for another board" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
expect 1 "$tool" profiles/epyc-1t.yaml "$tmp/none.yaml" t
has "$err" "none.yaml" "a missing file named"
expect 2 "$tool"
finish
