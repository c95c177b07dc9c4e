# Helpers the CLI test scripts source: run a command and check its exit code (expect),
# check its output (has), count passes and failures, and print "N passed, N failed".
# Needs $AUGUR (the binary) and $AUGUR_SOURCE_ROOT (the source tree) from meson.
cd "$AUGUR_SOURCE_ROOT" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect CODE CMD... : runs CMD, keeps stdout/stderr in $out/$err, checks the exit code
expect() {
	local want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	out=$(cat "$tmp/out") err=$(cat "$tmp/err")
	if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: '$*' exited $got, expected $want"; echo "$err" | head -5
	fi
}
# has TEXT PATTERN LABEL: TEXT contains the fixed string PATTERN
has() {
	if printf '%s' "$1" | grep -qF -- "$2"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $3: no '$2' in:"; printf '%s\n' "$1" | head -8
	fi
}
lines() { printf '%s' "$1" | grep -c ''; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
