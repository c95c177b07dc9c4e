#!/usr/bin/env bash
# Resource bounds (docs/limits.md): hostile or absurd inputs, generated here at test time,
# each fail with one located error line, exit 1 and bounded memory. Peak RSS comes from
# /usr/bin/time (checked in the plain build; ASan's shadow memory makes the sanitizer
# build's figures meaningless, so there only messages and exit codes are checked). No
# wall-clock time is asserted (machines and their load differ): a run that has not ended
# after HANG_S seconds is a hang, killed and failed; bench/limits reports the times.
# Prints "case: N KB, S ms" per case.
set -u
# valgrind on these inputs would take minutes and its RSS means nothing: never under it
unset AUGUR_VALGRIND
. "$(dirname "$0")/cli-lib.sh"

rss_ok=1
[ -x /usr/bin/time ] || { rss_ok=0; echo "note: /usr/bin/time missing, peak RSS not checked"; }
[ -n "${AUGUR_SANITIZED:-}" ] && rss_ok=0
HANG_S=60 # each case takes well under a second; a minute means it never ends

# limit LABEL MAX_KB PATTERN FILE [ARGS...]: augur inspect FILE fails with exit 1, one
# stderr line matching the extended regex PATTERN, nothing on stdout, within MAX_KB of
# peak RSS, and ends (HANG_S)
limit() {
	local label=$1 max_kb=$2 pattern=$3 file=$4
	shift 4
	local start end kb=0 rc
	start=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		timeout "$HANG_S" /usr/bin/time -f %M -o "$tmp/rss" "$AUGUR" inspect "$file" "$@" \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		kb=$(tail -1 "$tmp/rss")
	else
		timeout "$HANG_S" "$AUGUR" inspect "$file" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
	fi
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	local err
	err=$(cat "$tmp/err")
	printf '%-34s %7s KB %6s ms  %s\n' "$label:" "$kb" "$ms" "$err"
	if [ "$rc" -eq 124 ]; then
		fail=$((fail + 1)); echo "FAIL: $label: still running after $HANG_S s (a hang)"
	elif [ "$rc" -ne 1 ]; then
		fail=$((fail + 1)); echo "FAIL: $label: exit $rc, expected 1"
	elif [ "$(lines "$err")" -ne 1 ] || [ -s "$tmp/out" ]; then
		fail=$((fail + 1)); echo "FAIL: $label: expected one stderr line and no stdout"
	elif ! printf '%s' "$err" | grep -Eq -- "$pattern"; then
		fail=$((fail + 1)); echo "FAIL: $label: stderr does not match '$pattern'"
	elif [ "$rss_ok" -eq 1 ] && [ "$kb" -gt "$max_kb" ]; then
		fail=$((fail + 1)); echo "FAIL: $label: peak RSS $kb KB (limit $max_kb KB)"
	else
		pass=$((pass + 1))
	fi
}
t=$tmp # generated inputs; cli-lib.sh removes $tmp on exit

# file size: 100 MB of real descriptor lines, refused by its size before it is read, and
# the same through a pipe, where the read stops at the 16 MiB bound
{ printf 'input: [3, 8, 8]\nlayers:\n'; yes -- '- {type: relu}' | head -c 100000000; } >"$t/100mb.yaml"
limit "100 MB descriptor" 16384 "^$t/100mb.yaml:1:1: error: file is too large \(100000025 bytes; the limit is 16777216 bytes\)" "$t/100mb.yaml"
rm -f "$t/100mb.yaml"
limit "100 MB descriptor through a pipe" 49152 "^/dev/stdin:1:1: error: file is too large \(the limit is 16777216 bytes\)" /dev/stdin \
	< <(yes -- '- {type: relu}' | head -c 100000000)

# a million layers (15 MB, under the file bound): refused at the 100,001st
{ printf 'input: [3, 8, 8]\nlayers:\n'; yes -- '- {type: relu}' | head -n 1000000; } >"$t/1m.yaml"
limit "1,000,000 layers" 98304 "^$t/1m.yaml:100003:3: error: sequence has too many items \(the limit is 100000" "$t/1m.yaml"
rm -f "$t/1m.yaml"
# 100,001 layers in a prototxt: its layer limit
{ printf 'input: "d"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n'
  seq 1 100001 | sed 's/.*/layer { name: "r&" type: "ReLU" bottom: "d" top: "d" }/'; } >"$t/100k.prototxt"
limit "100,001 prototxt layers" 196608 "^$t/100k.prototxt:100003:1: error: too many layers \(the limit is 100000\)" "$t/100k.prototxt"
# the most nodes a YAML document may hold (2,000,000), reached without aliases
for i in $(seq 21); do printf 'x%d: [' "$i"; yes 1, | head -n 99999 | tr -d '\n'; echo '1]'; done >"$t/nodes.yaml"
limit "YAML with 2,000,001 nodes" 196608 "^$t/nodes.yaml:20:[0-9]+: error: document has too many nodes \(the limit is 2000000\)" "$t/nodes.yaml"
# the most fields a prototxt may hold (1,000,000)
yes -- 'a: 1' | head -n 1000001 >"$t/fields.prototxt"
limit "prototxt with 1,000,001 fields" 196608 "^$t/fields.prototxt:1000001:1: error: too many fields \(the limit is 1000000\)" "$t/fields.prototxt"

# nesting 10,000 deep: YAML flow and block style, prototxt messages
{ printf 'a: '; yes '[' | head -n 10000 | tr -d '\n'; yes ']' | head -n 10000 | tr -d '\n'; echo; } >"$t/deep.yaml"
limit "YAML nested 10,000 deep" 16384 "^$t/deep.yaml:1:[0-9]+: error: nesting is too deep \(the limit is 64 levels\)" "$t/deep.yaml"
{ yes -- '- ' | head -n 10000 | tr -d '\n'; echo 1; } >"$t/deep-block.yaml"
limit "YAML block nested 10,000 deep" 16384 "^$t/deep-block.yaml:1:[0-9]+: error: nesting is too deep" "$t/deep-block.yaml"
{ yes 'a {' | head -n 10000; yes '}' | head -n 10000; } >"$t/deep.prototxt"
limit "prototxt nested 10,000 deep" 16384 "^$t/deep.prototxt:65:3: error: nesting is too deep \(the limit is 64 levels\)" "$t/deep.prototxt"

# alias bomb (billion laughs: 10^9 nodes once expanded)
{ printf 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
  for i in 1 2 3 4 5 6 7 8; do p=$((i - 1)); printf 'a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n' $i $i $p $p $p $p $p $p $p $p $p $p; done; } >"$t/bomb.yaml"
limit "YAML alias bomb" 16384 "^$t/bomb.yaml:[0-9]+:[0-9]+: error: document expands to too many nodes through aliases" "$t/bomb.yaml"
# many anchors and aliases (a linear anchor search made such a 2 MB file take a minute)
{ for k in 1 2 3 4 5 6 7; do echo "x$k:"; seq 1 99999 | sed "s/.*/- \&a$k-& 1/"; done; echo 'y:'; yes -- '- *a1-1' | head -n 99999; } >"$t/anchors.yaml"
limit "700,000 anchors, 100,000 aliases" 196608 "^$t/anchors.yaml:1:1: error: unknown top-level key 'x1'" "$t/anchors.yaml"
# large mappings (a linear duplicate-key search made this take 12 s)
for m in $(seq 240); do seq 1 4096 | sed 's/.*/k&: 1/' | paste -sd, | sed 's/^/- {/; s/$/}/'; done >"$t/keys.yaml"
limit "240 mappings of 4,096 keys" 196608 "^$t/keys.yaml:1:1: error: expected a mapping with 'input' and 'layers', got a sequence" "$t/keys.yaml"

# prototxt strings: a "1 GB" file (sparse) opening a string, a 15 MB unterminated string,
# and a long run of joined strings
{ printf 'name: "'; } >"$t/1gb.prototxt"
truncate -s 1G "$t/1gb.prototxt"
limit "1 GB prototxt string" 16384 "^$t/1gb.prototxt:1:1: error: file is too large \(1073741824 bytes" "$t/1gb.prototxt"
rm -f "$t/1gb.prototxt"
{ printf 'name: "'; yes x | head -c 15000000 | tr -d '\n'; } >"$t/string.prototxt"
limit "15 MB unterminated prototxt string" 49152 "^$t/string.prototxt:1:7: error: string is too long \(the limit is 4096 bytes\)" "$t/string.prototxt"
{ printf 'name: '; yes '"xxxxxxxxxxxxxxxx"' | head -n 1000; } >"$t/joined.prototxt"
limit "joined prototxt strings" 16384 "^$t/joined.prototxt:1:7: error: string is too long \(the limit is 4096 bytes\)" "$t/joined.prototxt"

finish
