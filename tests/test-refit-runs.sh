#!/usr/bin/env bash
# bench/refit-runs: the layer-cost model as this build fits it, on every stored held-out run
# (bench/runs/): each run's held-out networks predicted within 10% at least as often as
# its run.yaml's expect_within (the figure the current model scored there when it landed,
# less one network for floating-point differences between builds and BLAS kernels; the
# GEMM model's predictions come from the stored profile, not from this machine's BLAS).
# A model change that loses networks on a machine it was not measured on fails here.
set -u
. "$(dirname "$0")/cli-lib.sh"
python3 -c 'import yaml' 2>/dev/null || { echo "python3 without yaml: skipped"; exit 77; }
# Under the sanitizers (several times slower; on a host of costly page faults over 300 s
# for the 53 runs) one run of each machine and framework: the floors are the release
# build's to hold, the sanitizers look for memory errors in the same fits and reports.
runs=()
declare -A seen=()
for d in bench/runs/*/; do
	name=$(basename "$d")
	kind=${name%%-*}-${name##*-}
	[ -n "${AUGUR_SANITIZED:-}" ] && [ -n "${seen[$kind]:-}" ] && continue
	seen[$kind]=1
	runs+=("$d")
done
expect 0 bench/refit-runs --augur "$AUGUR" "${runs[@]}"
for d in "${runs[@]}"; do
	name=$(basename "$d")
	has "$out" "$name: " "a line for $name"
done
# a run below its floor fails the command, and says which
mkdir -p "$tmp/runs"
cp -r bench/runs/xeon207-4369-augur "$tmp/runs/high"
sed -i 's/^expect_within: .*/expect_within: 53/' "$tmp/runs/high/run.yaml"
expect 1 bench/refit-runs --augur "$AUGUR" "$tmp/runs/high"
has "$out" "expected at least 53" "the floor shown"
has "$err" "1 run(s) below their expect_within" "the run below named"
# a run directory missing a file is refused before any fit
mkdir -p "$tmp/runs/empty"
expect 1 bench/refit-runs --augur "$AUGUR" "$tmp/runs/empty"
has "$err" "has no run.yaml" "missing file named"
finish
