# Helpers the CLI test scripts source: run a command and check its exit code (expect),
# check its output (has), count passes and failures, and print "N passed, N failed".
# Needs $AUGUR (the binary) and $AUGUR_SOURCE_ROOT (the source tree) from meson.
# With AUGUR_VALGRIND=1 every run of augur (and of augur-lab, which it execs for
# calibrate, fit and run) goes through valgrind (memcheck, full leak
# check, tests/valgrind.supp): any error or leak makes augur exit 97, which no expected
# exit code matches, so the check fails and shows valgrind's report (tests/run-all
# --valgrind, or its valgrind pass).
cd "$AUGUR_SOURCE_ROOT" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the user's profile directory of these runs: never the real one
export XDG_DATA_HOME=$tmp/xdg
# tables and prose as wide as they come, so a check can find a phrase on one line; the
# 80-column layout is checked where it is the test (test-cli.sh, COLUMNS=80)
export COLUMNS=1000
# the binary itself, for runs whose timing is the test (a calibration, a run killed midway)
AUGUR_BIN=$AUGUR
if [ -n "${AUGUR_VALGRIND:-}" ]; then
	command -v valgrind >/dev/null || { echo "AUGUR_VALGRIND set but no valgrind"; exit 1; }
	printf '#!/bin/sh\nexec valgrind -q --trace-children=yes --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --suppressions="%s/tests/valgrind.supp" "%s" "$@"\n' \
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
	case $2 in # grep -F takes each line as a pattern of its own: any one would match
	*$'\n'*) fail=$((fail + 1)); echo "FAIL: $3: the pattern holds a newline (check line by line)"; return ;;
	esac
	if printf '%s' "$1" | grep -qF -- "$2"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $3: no '$2' in:"; printf '%s\n' "$1" | head -8
	fi
}
# a helper misspelt or missing is a failed check, not a line on stderr that passes unseen
# (bash runs this handler in a subshell: it leaves a line that finish counts)
command_not_found_handle() {
	echo "FAIL: no command '$1' (a helper this script does not define?)"
	echo "$1" >>"$tmp/commands-not-found"
	return 127
}
# ok LABEL CMD...: CMD succeeds
ok() {
	local label=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $label"; fi
}
# eq LABEL GOT WANT: GOT is exactly WANT
eq() {
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $1: got '$2', expected '$3'"
	fi
}
# not CMD...: succeeds when CMD fails, for helpers that run their arguments as a command
# ("ok LABEL ! CMD" would run '!' as a command and always fail)
not() { ! "$@"; }
lines() { printf '%s' "$1" | grep -c ''; }
finish() {
	[ -f "$tmp/commands-not-found" ] && fail=$((fail + $(grep -c '' "$tmp/commands-not-found")))
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
# stop_when LABEL SECONDS PATTERN SIGNAL CMD...: runs CMD in the background, waits until a
# line of its stderr matches the grep pattern PATTERN (polling every 0.1 s, for up to
# SECONDS, or until CMD ends), sends it SIGNAL and waits for it: its exit status in $rc,
# its stdout and stderr in $out and $err. One check, LABEL: PATTERN showed while CMD ran.
# For runs stopped midway: PATTERN is a sign of progress that does not depend on the
# machine's load (the third shape or network started); its output goes to fresh files, so
# the wait never sees an earlier run's lines.
stop_when() {
	local label=$1 seconds=$2 pattern=$3 sig=$4 pid started=0 _
	shift 4
	: >"$tmp/stopped.out"
	: >"$tmp/stopped.err"
	"$@" >"$tmp/stopped.out" 2>"$tmp/stopped.err" &
	pid=$!
	for _ in $(seq $((seconds * 10))); do
		if grep -q -- "$pattern" "$tmp/stopped.err"; then started=1; break; fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$started" -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $label"; fi
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null # 2>/dev/null: no "Killed" line from the shell
	rc=$?
	out=$(cat "$tmp/stopped.out") err=$(cat "$tmp/stopped.err")
}
# same_numbers FILE1 FILE2 [REL]: the two files are the same text with every number equal
# within REL relative (default 1e-9). A refit on another machine or OpenBLAS kernel set
# rounds differently in the last bits (GSL, OpenBLAS), so refitted profiles are compared
# this way, never with cmp. Prints the first difference on failure.
same_numbers() {
	awk -v rel="${3:-1e-9}" '
	function split_nums(s, nums,   n, t) { # s with each number replaced by "#"; nums[1..n]
		n = 0; t = ""
		while (match(s, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
			nums[++n] = substr(s, RSTART, RLENGTH)
			t = t substr(s, 1, RSTART - 1) "#"
			s = substr(s, RSTART + RLENGTH)
		}
		count = n
		return t s
	}
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { a[FNR] = $0; na = FNR; next }
	{
		nb = FNR
		if (FNR > na) { print "extra line " FNR ": " $0; bad = 1; exit }
		sa = split_nums(a[FNR], xa); ca = count
		sb = split_nums($0, xb)
		if (sa != sb || ca != count) { print "line " FNR " differs: " a[FNR] " | " $0; bad = 1; exit }
		for (i = 1; i <= ca; i++) {
			x = xa[i] + 0; y = xb[i] + 0; m = abs(x) > abs(y) ? abs(x) : abs(y)
			if (abs(x - y) > rel * m) {
				print "line " FNR ": " xa[i] " vs " xb[i]; bad = 1; exit
			}
		}
	}
	END { if (!bad && nb != na) { print "line count " na " vs " nb; bad = 1 } exit bad }
	' "$1" "$2"
}
