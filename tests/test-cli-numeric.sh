#!/usr/bin/env bash
# Numeric safety: a profile with NaN or infinite time-model numbers is refused at load with
# its location; a network with huge but valid shapes, estimated with the largest
# coefficients a profile may hold, prints only finite numbers (table, JSON, CSV; estimate,
# inspect, whatif, check, compare); sizes that pass 64 bits are a clear error.
set -u
. "$(dirname "$0")/cli-lib.sh"
# finite TEXT LABEL: no nan or inf (any case) as a word in TEXT
finite() {
	if printf '%s' "$1" | grep -Eqi '(^|[^a-z])(nan|inf|infinity)([^a-z]|$)'; then
		fail=$((fail + 1)); echo "FAIL: $2: a non-finite number in:"
		printf '%s\n' "$1" | grep -Ei '(^|[^a-z])(nan|inf|infinity)([^a-z]|$)' | head -3
	else pass=$((pass + 1)); fi
}
# strict_json TEXT LABEL: valid JSON without NaN or Infinity
strict_json() {
	if printf '%s' "$1" | python3 -c 'import json, sys
def bad(c): raise ValueError("non-finite " + c)
json.load(sys.stdin, parse_constant=bad)'; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $2: not strict JSON"; fi
}

# NaN and infinities in a profile: refused at load, located
nan_profile() { # LINE_PATTERN REPLACEMENT NAME: tk1.yaml with one number replaced
	sed "$1" profiles/tk1.yaml >"$tmp/$2.yaml"
}
nan_profile '48s/\[[-+.0-9e]*,/[.nan,/' nan
expect 1 "$AUGUR" estimate descriptors/alexnet.yaml --device "$tmp/nan.yaml"
has "$err" "nan.yaml:48:12: error: expected a number for 'coefficient', got '.nan'" "NaN coefficient"
nan_profile '48s/, 0\]$/, .inf]/' inf
expect 1 "$AUGUR" estimate descriptors/alexnet.yaml --device "$tmp/inf.yaml"
has "$err" "inf.yaml:48:60: error: expected a number for 'coefficient', got '.inf'" "infinite coefficient"
nan_profile '48s/\[[-+.0-9e]*,/[1e999,/' big
expect 1 "$AUGUR" profile show "$tmp/big.yaml"
has "$err" "big.yaml:48:12: error: 'coefficient' must be between -1e+09 and 1e+09, got 1e999" "overflowing coefficient"
nan_profile '43s/0.001/-.inf/' floor
expect 2 "$AUGUR" check descriptors/alexnet.yaml --device "$tmp/floor.yaml" --budget time=1s
has "$err" "floor.yaml:43:15: error: expected a number for 'min_ms', got '-.inf'" "infinite floor"

# huge but valid shapes: a 3 x 10^6 x 10^6 input, 16M filters, 100,000 outputs, on a
# profile holding the largest coefficients and floor the loader accepts
cat >"$tmp/huge.yaml" <<'YAML'
input: [3, 1000000, 1000000]
layers:
  - {name: c1, type: conv, filters: 64, kernel: 3, stride: 4}
  - {name: r1, type: relu}
  - {name: p1, type: pool, kernel: 2, stride: 2}
  - {name: c2, type: conv, filters: 16777216, kernel: 1, stride: 65536}
  - {name: g, type: pool, global: true}
  - {name: fc, type: fc, outputs: 100000}
  - {name: fc2, type: fc, outputs: 1}
YAML
sed -E 's/^(        - \[).*\]$/\11e9, 1e9, 1e9]/; s/min_ms: .*/min_ms: 1e9/' profiles/tx1.yaml >"$tmp/slow.yaml"
for dev in tx1 "$tmp/slow.yaml"; do
	d=$(basename "$dev" .yaml)
	expect 0 "$AUGUR" estimate "$tmp/huge.yaml" --device "$dev" --layers
	finite "$out" "estimate table on $d"
	has "$out" "does NOT fit" "huge network does not fit on $d"
	expect 0 "$AUGUR" estimate "$tmp/huge.yaml" --device "$dev" --format json
	finite "$out" "estimate json on $d"
	strict_json "$out" "estimate json on $d"
	expect 0 "$AUGUR" estimate "$tmp/huge.yaml" --device "$dev" --format csv
	finite "$out" "estimate csv on $d"
	expect 0 "$AUGUR" whatif "$tmp/huge.yaml" --device "$dev" --sweep fc.outputs=1,100000 --format json
	finite "$out" "whatif sweep on $d"
	strict_json "$out" "whatif sweep json on $d"
	expect 0 "$AUGUR" whatif "$tmp/huge.yaml" --device "$dev" --set c1.filters=16
	finite "$out" "whatif table on $d"
	expect 1 "$AUGUR" check "$tmp/huge.yaml" --device "$dev" --budget time=1s --budget memory=1GiB
	finite "$out" "check on $d"
	has "$out" "FAIL cpu time" "check fails the time budget on $d"
	expect 0 "$AUGUR" compare descriptors/alexnet.yaml "$tmp/huge.yaml" --device "$dev"
	finite "$out" "compare on $d"
done
grep -q '1e9, 1e9, 1e9' "$tmp/slow.yaml" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: slow profile not made"; }
expect 0 "$AUGUR" inspect "$tmp/huge.yaml" --format json
finite "$out" "inspect json"
strict_json "$out" "inspect json"
has "$out" '"params": 1678812320833' "huge parameters counted exactly"

# past 64 bits: one located error, exit 1
cat >"$tmp/macs.yaml" <<'YAML'
input: [1, 1, 1]
batch: 1048576
layers:
  - {name: c1, type: conv, filters: 1024, kernel: 65535, pad: 32767}
  - {name: c2, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}
  - {name: c3, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}
  - {name: c4, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}
  - {name: c5, type: conv, filters: 1024, kernel: 65535, pad: 32767, inputs: input}
YAML
expect 1 "$AUGUR" estimate "$tmp/macs.yaml" --device tx1 --format json
has "$err" "macs.yaml:8:5: error: network is too large: its total parameters, MACs or bytes pass 64 bits at layer 'c5'" "MAC total overflow"
[ -z "$out" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: output despite the error"; }
expect 1 "$AUGUR" inspect "$tmp/huge.yaml" --batch 1048576
has "$err" "huge.yaml:1:8: error: input is too large (the limit is 16 TiB a blob)" "batch overflow"

finish
