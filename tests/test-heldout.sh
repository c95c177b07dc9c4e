#!/usr/bin/env bash
# bench/heldout end to end with augur's own runtime, small: the tiny grid, two held-out
# networks and two of the shipped descriptors (the quick grid and all twelve took 214-250
# s of CI's 30 minutes on a host of costly page faults, session 38). What is checked is
# the driver (every step runs, run.yaml and the report are written), not the figures:
# its `set -e` once stopped it after the measurements, before run.yaml and the report,
# for every augur-runtime run (a status the settings line took from a test). About 20
# seconds in a release build; skipped under the sanitizers, whose networks run for
# minutes and test nothing more here.
set -u
. "$(dirname "$0")/cli-lib.sh"
[ -z "${AUGUR_SANITIZED:-}" ] || { echo "sanitizer build: skipped"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "python3 without yaml: skipped"; exit 77; }
build=$(dirname "$AUGUR_BIN")
expect 0 bench/heldout --build "$build" --seed 4381 --count 2 --grid tiny --descriptors kws,squeezenet \
	--out "$tmp/h"
for f in heldout.yaml fit-times.yaml held-times.yaml run.yaml report.txt; do
	eq "wrote $f" "$([ -s "$tmp/h/$f" ] && echo yes)" yes
done
has "$(cat "$tmp/h/run.yaml")" "seed: 4381" "run.yaml: the seed"
has "$(cat "$tmp/h/run.yaml")" 'framework: "augur, 1 thread(s)"' "run.yaml: the settings"
has "$(cat "$tmp/h/report.txt")" "held-out networks within ±10%" "the report's verdict"
has "$(cat "$tmp/h/report.txt")" "repeatability:" "the drift networks measured again"
has "$(cat "$tmp/h/report.txt")" "between 0.9 x the estimate and 1.1 x its high end" "peaks against estimate's range"
# two held-out networks and the two shipped descriptors asked for, 13 fit networks beside
eq "both held-out networks measured" "$(grep -c '^rand4381_' "$tmp/h/held.csv")" 2
eq "the shipped descriptors named, and only they" \
	"$(cut -d, -f1 "$tmp/h/held.csv" | grep -xE 'alexnet|googlenet|kws|mobilenetv2|nin|resnet18|resnet50|squeezenet|vgg16|vgg19|vgg19m|yolo' | sort | tr '\n' ' ')" \
	"kws squeezenet "
expect 2 bench/heldout --build "$build" --descriptors kws,lenet --out "$tmp/bad"
eq "nothing written for a bad --descriptors" "$([ -e "$tmp/bad" ] || echo none)" none
has "$err" "bench/heldout: --descriptors: no descriptors/lenet.yaml" "an unknown descriptor named"
expect 2 bench/heldout --frobnicate
has "$err" "usage: bench/heldout" "a bad option: the usage"
finish
