# Helpers the CLI test scripts source: run a command and check its exit code (expect),
# check its output (has), count passes and failures, and print "N passed, N failed".
# Needs $AUGUR (the binary) and $AUGUR_SOURCE_ROOT (the source tree) from meson.
# With AUGUR_VALGRIND=1 every run of augur goes through valgrind (memcheck, full leak
# check, tests/valgrind.supp): any error or leak makes augur exit 97, which no expected
# exit code matches, so the check fails and shows valgrind's report (tests/run-all
# --valgrind, or its valgrind pass).
cd "$AUGUR_SOURCE_ROOT" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the binary itself, for runs whose timing is the test (a calibration, a run killed midway)
AUGUR_BIN=$AUGUR
if [ -n "${AUGUR_VALGRIND:-}" ]; then
	command -v valgrind >/dev/null || { echo "AUGUR_VALGRIND set but no valgrind"; exit 1; }
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --suppressions="%s/tests/valgrind.supp" "%s" "$@"\n' \
		"$AUGUR_SOURCE_ROOT" "$AUGUR" >"$tmp/augur-valgrind"
	chmod +x "$tmp/augur-valgrind"
	AUGUR=$tmp/augur-valgrind
fi

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
