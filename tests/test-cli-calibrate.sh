#!/usr/bin/env bash
# CLI tests of calibrate, fit and profile through the binary: a tiny calibration (--grid
# tiny, about a second) writes a profile that profile show prints and estimate uses, with
# the figures checked against the file; fit refits it without measuring; profile list;
# error cases; calibrations stopped midway by SIGINT, SIGTERM and SIGKILL leave an
# existing profile byte-identical; a drift measurement that fails or is stopped, after the
# checks, keeps the finished profile. $AUGUR is the binary, $AUGUR_SOURCE_ROOT the source tree.
set -u
. "$(dirname "$0")/cli-lib.sh"

# yval KEY FILE: the value of the first "KEY: value" line of a profile, quotes removed
yval() { sed -n "s/^ *$1: *\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$2" | head -1; }

# ---- a tiny calibration, non-interactive: only the final summary ----
P=$tmp/tiny-test.yaml
expect 0 "$AUGUR_BIN" calibrate --device tiny-test --grid tiny --framework blas --threads 1 --out "$P"
has "$out" "calibrated cpu of 'tiny-test': " "calibrate summary"
has "$out" "fit: train median error " "calibrate fit line"
eq "last line names the file" "$(printf '%s\n' "$out" | tail -1)" "wrote $P"
has "$out" "verdict: a tiny test grid; its model is valid for small GEMMs only" "calibrate verdict"
eq "next step before it" "$(printf '%s\n' "$out" | tail -2 | head -1)" "next: augur estimate NET --device $P"
eq "stderr of a clean non-tty run" "$err" ""
case "$out$err" in
*$'\r'* | *$'\033'*) fail=$((fail + 1)); echo "FAIL: progress bar codes in non-tty output" ;;
*) pass=$((pass + 1)) ;;
esac
ok "no progress lines without a tty" [ -z "$(printf '%s\n' "$out" | grep '^\[ *[0-9]*/')" ]
ok "profile written at --out" [ -s "$P" ]
eq "nothing else written beside it" "$(ls -A "$tmp" | tr '\n' ' ')" "err out tiny-test.yaml "
ok "nothing written to profiles/" [ ! -e profiles/tiny-test.yaml ]

# what the file records: threads asked for, how it was made, this machine
eq "threads recorded" "$(yval threads "$P")" "1"
eq "source" "$(yval source "$P")" "calibrated with augur calibrate --grid tiny --threads 1"
has "$(yval description "$P")" "1 BLAS thread, tiny calibration" "description"
model=$(yval cpu_model "$P")
if grep -q '^vendor_id' /proc/cpuinfo 2>/dev/null; then
	name=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -1)
	has "$model" "$name (family " "cpu_model is /proc/cpuinfo's model name and family"
fi
eq "cores" "$(yval cpu_cores "$P")" "$(getconf _NPROCESSORS_ONLN)"
[ -n "${OPENBLAS_CORETYPE:-}" ] && want=$OPENBLAS_CORETYPE || want=null
eq "openblas_coretype" "$(yval openblas_coretype "$P")" "$want"

# profile show prints the file's values
expect 0 "$AUGUR" profile show "$P"
has "$out" "profile tiny-test" "show header"
has "$out" "  file       $P" "show header: the file"
has "$out" "cpu        $model, $(yval cpu_cores "$P") cores" "show machine"
has "$out" "threads    1" "show threads"
has "$out" "costs      GEMM time of conv and fc only (the paper's method)" "show: a GEMM-only unit"
has "$out" "library    $(yval library "$P")" "show library"
range=$(sed -n 's/^ *range: {n: \[\([0-9]*\), \([0-9]*\)\], k: \[\([0-9]*\), \([0-9]*\)\], m: \[\([0-9]*\), \([0-9]*\)\]}$/n \1..\2, k \3..\4, m \5..\6/p' "$P")
ok "range in the file" [ -n "$range" ]
has "$out" "valid for  $range" "show range of validity"
floor=$(awk -v v="$(yval min_ms "$P")" 'BEGIN { printf "%.4g", v }')
has "$out" "; floor $floor ms" "show floor"
quality() { # the fit line as FMT prints it, from the file's quality block
	awk -v fmt="$1" -v tr="$(yval train_median_rel_err "$2")" \
		-v hm="$(yval heldout_median_rel_err "$2")" -v hx="$(yval heldout_max_rel_err "$2")" \
		-v nt="$(yval n_train "$2")" -v nh="$(yval n_heldout "$2")" -v nd="$(yval n_dropped "$2")" \
		'BEGIN { if (fmt == "show") printf "train median error %.2f%% over %d samples (%d dropped); held-out median %.2f%%, max %.2f%% over %d", 100 * tr, nt, nd, 100 * hm, 100 * hx, nh
		         else printf "train median error %.2f%% over %d samples (%d dropped), held-out median %.2f%% max %.2f%% over %d", 100 * tr, nt, nd, 100 * hm, 100 * hx, nh }'
}
has "$out" "fit        $(quality show "$P")" "show fit quality"
eq "held-out shapes of the tiny plan" "$(yval n_heldout "$P")" "2"
nsamples=$(grep -c '^ *- {n: ' "$P")
has "$out" "samples    $nsamples stored (0 aggregate rows)" "show samples"

# format 2: the caches and page size as this kernel lists them, and the framework of a
# GEMM-only calibration, the BLAS library itself; profile show and estimate name it
eq "profile format" "$(yval augur_profile "$P")" "2"
eq "page size" "$(yval page_bytes "$P")" "$(getconf PAGESIZE)"
llc=0 llc_level=0
for d in /sys/devices/system/cpu/cpu0/cache/index*; do
	[ -r "$d/size" ] || continue
	case $(cat "$d/type") in Data | Unified) ;; *) continue ;; esac
	lv=$(cat "$d/level") s=$(cat "$d/size")
	case $s in *K) s=$((${s%K} * 1024)) ;; *M) s=$((${s%M} * 1048576)) ;; esac
	[ "$lv" -gt "$llc_level" ] && llc_level=$lv llc=$s
done
[ "$llc_level" -ge 2 ] && eq "last-level cache from sysfs" "$(yval llc_bytes "$P")" "$llc"
eq "framework of a GEMM calibration" \
	"$(sed -n '/^framework:/,/^memory:/s/^  name: "\(.*\)"$/\1/p' "$P")" "blas"
has "$out" "times for  blas ($(yval library "$P")), 1 thread" "show names the framework"
has "$out" "page" "show prints the caches"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device "$P"
has "$out" "times for: blas (" "estimate names the framework"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device "$P" --format json
has "$out" '"framework": {"name": "blas", "version": null, "library": ' "estimate json framework"
# the shipped profiles state theirs: epyc-1t's layer costs are PyTorch's on the EPYC's
# caches; tx1's are Caffe's with no caches stated (the reference board's thresholds)
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device epyc-1t
has "$out" "times for: pytorch 1.13.1 (OpenBLAS 0.3.21), mkldnn off, 1 thread" "epyc-1t framework"
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device epyc-1t --format json
has "$out" '"framework": {"name": "pytorch", "version": "1.13.1", "library": "OpenBLAS 0.3.21", "mkldnn": false, "threads": 1, ' "epyc-1t framework json"
# profile show writes the same framework object as estimate
est_fw=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["device"]["framework"], sort_keys=True))')
expect 0 "$AUGUR" profile show epyc-1t --format json
show_fw=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["framework"], sort_keys=True))')
eq "estimate's and profile show's framework objects" "$show_fw" "$est_fw"
has "$show_fw" '"affine_in_place": false, "alloc_slack_bytes": 96, "cache_terms": false, "conv_block": 8, "conv_cache_share": 0, "conv_groups": "one_at_a_time", "conv_im2col": true, "direct_conv_1x1_min_batch": 0, "direct_conv_min_input_values": 0, "library": "OpenBLAS 0.3.21", "lrn_temporaries": 4, "memory_view": "heap", "mkldnn": false' "the framework object's facts"
expect 0 "$AUGUR" profile show epyc-1t
has "$out" "caches     L1d 32.0 KiB, L2 1.00 MiB, last level 32.0 MiB; pages 4.00 KiB" "epyc-1t caches"
has "$out" "buffers    mapped afresh above 32.0 MiB; max pooling writes 8-byte indices" "epyc-1t buffers"
has "$out" "pass       cached under 4.00 MiB, evicted over 64.0 MiB" "epyc-1t pass ramp"
expect 0 "$AUGUR" profile show tx1
has "$out" "times for  caffe" "tx1 framework"
has "$out" "unstated   last-level cache, fresh-buffer threshold, pool index bytes: the reference EPYC board's" "tx1 thresholds"

# profile show --format json: the file's values, as a script reads them
expect 0 "$AUGUR" profile show "$P" --format json
eq "show json" "$(printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin); u = d["units"][0]
print(d["device"]["name"], u["unit"], u["samples"], u["model"], u["quality"]["heldout"], u["threads"])')" \
	"tiny-test cpu $nsamples gemm-only $(yval n_heldout "$P") $(yval threads "$P")"
expect 0 "$AUGUR" profile show epyc-1t --format json
eq "show json: facts and layer costs" "$(printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin); u = d["units"][0]
print(d["machine"]["llc_bytes"], d["framework"]["name"], u["model"], len(u["layer_costs"]) > 0)')" \
	"$(yval llc_bytes profiles/epyc-1t.yaml) pytorch layer-costs True"
expect 2 "$AUGUR" profile show epyc-1t --format csv
has "$err" "profile show has no rows for csv" "show: no csv"

# profile show by name, through $AUGUR_PROFILE_PATH
mkdir "$tmp/pp"
cp "$P" "$tmp/pp/tiny-test.yaml"
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" profile show tiny-test
has "$out" "  file       $tmp/pp/tiny-test.yaml" "show by name"

# ---- fit: refits from the stored samples, without measuring ----
expect 0 "$AUGUR" fit "$P" --out "$tmp/refit.yaml"
bn=$(sed -n 's/^ *breaks_n: \[\(.*\)\]$/\1/p' "$P" | tr -cd ',0-9' | awk -F, '{ print $0 == "" ? 0 : NF }')
bm=$(sed -n 's/^ *breaks_m: \[\(.*\)\]$/\1/p' "$P" | tr -cd ',0-9' | awk -F, '{ print $0 == "" ? 0 : NF }')
has "$out" "cpu: $(((bn + 1) * (bm + 1))) regions, $(quality fit "$P")" "fit prints the file's model and quality"
has "$out" "wrote $tmp/refit.yaml" "fit --out"
# the same samples and options give the same model: the file comes back, every number
# to rounding (a refit is exact only with the same CPU and OpenBLAS kernels)
ok "refit of an unchanged model is the same model" same_numbers "$P" "$tmp/refit.yaml"
expect 0 "$AUGUR" profile show "$tmp/refit.yaml"
# the shipped full calibration too (221 samples)
cp profiles/epyc-2core.yaml "$tmp/epyc.yaml"
expect 0 "$AUGUR" fit "$tmp/epyc.yaml"
has "$out" "cpu: 3 regions, $(quality fit profiles/epyc-2core.yaml)" "fit of the shipped profile"
ok "shipped profile refits to itself" same_numbers profiles/epyc-2core.yaml "$tmp/epyc.yaml"
# and the comparison catches a real change: one coefficient moved by 3e-9 of itself
c=$(sed -n '/regions:/{n;s/^ *- \[\([^,]*\),.*/\1/p}' "$tmp/epyc.yaml")
awk -v c="$c" '!done && index($0, c) { sub(c, sprintf("%.17g", c * (1 + 3e-9))); done = 1 } 1' \
	"$tmp/epyc.yaml" >"$tmp/epyc-moved.yaml"
ok "a moved coefficient is a different model" not same_numbers "$tmp/epyc.yaml" "$tmp/epyc-moved.yaml"
# a profile keeps its terms unless --terms says; with km_256 the EPYC's own samples (56x56
# and 112x112 maps, rows of whole 256 bytes) price its held-out GEMMs better
heldout_median() { printf '%s\n' "$1" | sed -n 's/.*held-out median \([0-9.]*\)%.*/\1/p'; }
without=$(heldout_median "$out")
expect 0 "$AUGUR" fit "$tmp/epyc.yaml" --terms nkm,nk,km,nm,one,nk_4k,km_4k,km_256 \
	--out "$tmp/epyc256.yaml"
has "$(grep 'terms:' "$tmp/epyc256.yaml")" "terms: [nkm, nk, km, nm, one, nk_4k, km_4k, km_256]" \
	"fit --terms adds km_256"
with=$(heldout_median "$out")
ok "km_256 lowers the EPYC's held-out GEMM error ($without% -> $with%)" \
	awk -v a="$with" -v b="$without" 'BEGIN { exit !(a + 0 < b - 1) }'
# other options give another model, and a loadable profile
expect 0 "$AUGUR" fit "$P" --terms nkm,one --breaks-n none --breaks-m none --out "$tmp/two.yaml"
has "$out" "cpu: 1 regions, " "fit with fixed terms"
has "$(grep 'terms:' "$tmp/two.yaml")" "terms: [nkm, one]" "fit --terms written"
ok "samples unchanged by fit" cmp -s <(sed -n '/samples:/,$p' "$P") <(sed -n '/samples:/,$p' "$tmp/two.yaml")
expect 0 "$AUGUR" profile show "$tmp/two.yaml"

# ---- estimate uses the calibrated profile: one GEMM, predicted by hand ----
printf 'name: one\ninput: [16, 10, 10]\nlayers:\n  - {name: c1, type: conv, filters: 128, kernel: 3, pad: 1}\n  - {name: c2, type: conv, filters: 8, kernel: 3, pad: 1}\n' >"$tmp/one.yaml"
expect 0 "$AUGUR" fit "$P" --breaks-n none --breaks-m none --out "$tmp/flat.yaml"
expect 0 "$AUGUR" estimate "$tmp/one.yaml" --device "$tmp/flat.yaml" --format csv
# c1 is the GEMM 128 x 144 x 100: t = c_nkm nkm + c_nk nk + c_km km + c_nm nm + c_one, at least
# min_ms (k is no multiple of 1024: no nk_4k)
want=$(sed -n '/regions:/{n;s/^ *- \[\(.*\)\]$/\1/p}' "$tmp/flat.yaml" | awk -F, -v f="$(yval min_ms "$tmp/flat.yaml")" \
	'{ t = $1 * 128 * 144 * 100 + $2 * 128 * 144 + $3 * 144 * 100 + $4 * 128 * 100 + $5; printf "%.6g", (t > f ? t : f) }')
eq "estimate predicts the model's time" "$(printf '%s\n' "$out" | awk -F, '$3 == "c1" { print $5 }')" "$want"
# c2, 8 x 1152 x 100 = 921,600 multiply-adds (c1 gives it 128 channels), takes OpenBLAS's
# direct path where the library has one (SkylakeX-class kernels, as on this machine): the
# direct region's coefficients predict it
if grep -q 'Cooperlake\|SkylakeX\|SapphireRapids' "$tmp/flat.yaml"; then
	has "$(grep 'direct:' "$tmp/flat.yaml")" "direct: {max_nkm: 1000000, fc_max_nm: 1200, fc_min_k: 32}" "direct path in the profile"
	want=$(sed -n 's/^ *direct_region: \[\(.*\)\]$/\1/p' "$tmp/flat.yaml" | awk -F, -v f="$(yval min_ms "$tmp/flat.yaml")" \
		'{ t = $1 * 8 * 1152 * 100 + $2 * 8 * 1152 + $3 * 1152 * 100 + $4 * 8 * 100 + $5; printf "%.6g", (t > f ? t : f) }')
	eq "estimate predicts a direct call from the direct region" "$(printf '%s\n' "$out" | awk -F, '$3 == "c2" { print $5 }')" "$want"
	expect 0 "$AUGUR" profile show "$tmp/flat.yaml"
	has "$out" "  direct     n*k*m <= 1000000 (fc: also n*m <= 1200, k >= 32): nkm " "profile show prints the direct path"
else
	ok "no direct path for this library" not grep -q 'direct:' "$tmp/flat.yaml"
fi
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device "$P"
has "$out" "alexnet on tiny-test: " "estimate names the profile"
has "$out" "profile: $P" "estimate profile line"
has "$(printf '%s\n' "$out" | sed -n 1p)" "alexnet on tiny-test: " "estimate header"
has "$err$out" "GEMMs lie outside the calibrated range" "tiny range flagged"
expect 0 env COLUMNS=40 "$AUGUR" estimate descriptors/alexnet.yaml --device tx1
eq "header cut to the terminal" "$(printf '%s\n' "$out" | sed -n 1p)" "alexnet on tx1: NVIDIA Jetson TX1: 4x A…"
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" estimate descriptors/alexnet.yaml --device tiny-test
has "$out" "alexnet on tiny-test: " "estimate by name"

# ---- profile list ----
cp "$P" "$tmp/pp/tk1.yaml" # shadows the shipped tk1
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" COLUMNS=80 "$AUGUR" profile list
# a header, then per directory its path and its profiles: 1 + 2 + 8 lines
eq "list: a header, two directories and eight profiles" "$(lines "$out")" "11"
eq "list order" "$(printf '%s\n' "$out" | awk 'NR > 1 && /^  / { print $1 }' | tr '\n' ' ')" \
	"tiny-test tk1 epyc-1t epyc-1t-mkldnn epyc-2core h200 tk1 tx1 "
eq "list: the extra directory first" "$(printf '%s\n' "$out" | sed -n 2p)" "$tmp/pp/"
has "$(printf '%s\n' "$out" | sed -n 3p)" "  tiny-test " "list: its profile under it"
has "$(printf '%s\n' "$out" | sed -n 3p)" "$(yval description "$P" | cut -c1-30)" "list description"
has "$(printf '%s\n' "$out" | grep '^  tk1 .*shadowed')" "cpu,gpu" "list units"
eq "only the shadowed one is marked" "$(printf '%s\n' "$out" | grep -c shadowed)" "1"
eq "every line within 80 columns" "$(printf '%s\n' "$out" | awk '{ gsub(/\xe2\x80\xa6/, "."); if (length($0) > 80) n++ } END { print n + 0 }')" "0"
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" profile list --format json
if command -v python3 >/dev/null; then
	printf '%s' "$out" >"$tmp/list.json"
	python3 - "$tmp/list.json" "$tmp" "$AUGUR_SOURCE_ROOT" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: list json"; }
import json, sys
d = json.load(open(sys.argv[1]))["profiles"]
assert [p["name"] for p in d] == ["tiny-test", "tk1", "epyc-1t", "epyc-1t-mkldnn", "epyc-2core",
                                  "h200", "tk1", "tx1"], d
assert [p["shadowed"] for p in d] == [False, False, False, False, False, False, True, False], d
assert d[0]["units"] == ["cpu"] and d[5]["units"] == ["gpu"] and d[7]["units"] == ["cpu", "gpu"], d
assert d[0]["path"] == sys.argv[2] + "/pp/tiny-test.yaml", d[0]
assert d[4]["path"] == sys.argv[3] + "/profiles/epyc-2core.yaml", d[4]
assert d[4]["description"] == "AMD EPYC, 2 cores, full calibration", d[4]
assert d[0]["models"] == {"cpu": "gemm-only"} and d[2]["models"] == {"cpu": "layer-costs"}, d
PY
fi
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" profile list --format csv
eq "csv header" "$(printf '%s\n' "$out" | head -1)" "name,units,description,path,shadowed,models"
has "$out" ",cpu:layer-costs gpu:layer-costs" "csv: the Jetson profiles' model kinds"
has "$out" ",false,gpu:gemm-only" "csv: h200 is GEMM only"
has "$out" 'tk1,"cpu,gpu",' "csv quotes a field with a comma"
expect 0 env AUGUR_PROFILE_PATH="$tmp/empty-and-missing" "$AUGUR" profile list
eq "list without the extra directory" "$(lines "$out")" "8"
printf 'augur_profile: 1\nname: [broken\n' >"$tmp/pp/broken.yaml"
expect 1 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" profile list
has "$err" "$tmp/pp/broken.yaml:" "list reports a broken profile"
eq "and lists the others" "$(lines "$out")" "11"
rm "$tmp/pp/broken.yaml"
# YAML files that are not profiles (no augur_profile key) are passed over in one line
printf 'name: x\ninput: [3, 8, 8]\nlayers:\n  - {type: relu}\n' >"$tmp/pp/a-net.yaml"
printf 'just: data\n' >"$tmp/pp/b-notes.yaml"
expect 0 env AUGUR_PROFILE_PATH="$tmp/pp" "$AUGUR" profile list
eq "non-profiles: one line" "$(lines "$err")" "1"
has "$err" "skipped 2 YAML files that are not profiles (no 'augur_profile:' line), e.g. $tmp/pp/a-net.yaml" "non-profiles named"
eq "and every profile listed" "$(lines "$out")" "11"
rm "$tmp/pp/a-net.yaml" "$tmp/pp/b-notes.yaml" "$tmp/pp/tk1.yaml"
expect 2 "$AUGUR" profile list --format xml
expect 2 "$AUGUR" profile list extra
expect 2 "$AUGUR" profile lsit
has "$err" "unknown action 'lsit' (did you mean 'list'?" "profile action did-you-mean"
expect 0 "$AUGUR" profile --help
has "$out" "augur profile list [--format table|json|csv]" "profile --help"
expect 0 "$AUGUR" help
has "$out" "show or list device profiles" "help lists profile list"

# ---- where profiles live ----
# calibrate without --out writes to the user's profile directory ($XDG_DATA_HOME, set to
# a temporary one by cli-lib.sh), where estimate --device NAME finds it
# (and, without --framework, the cpu's profile is augur's runtime's: the layer-cost
# campaign runs the fit networks in it: every sixteenth, six at most, for the tiny grid)
expect 0 "$AUGUR_BIN" calibrate --device mine --grid tiny --threads 1 --layer-times-out "$tmp/mine-times.yaml"
eq "default output" "$(printf '%s\n' "$out" | tail -1)" "wrote $XDG_DATA_HOME/augur/profiles/mine.yaml"
nfit=$(ls bench/nets/fit/*.yaml | awk 'NR % 16 == 1' | head -6 | wc -l)
has "$out" "layer costs: $nfit fit networks measured in augur's runtime" "campaign: the tiny plan's networks"
has "$out" "  kws  " "campaign: checked on a network it did not fit"
has "$out" "networks it did not fit on predicted within 10%" "campaign: its verdict"
# after the checks, fit networks measured again (six at most, spread over the fit set):
# how far the machine's speed moved since the fit
nagain=$(( nfit < 6 ? nfit : 6 ))
has "$out" "drift: $nagain fit networks measured again after the checks ran" "campaign: the drift"
agree=$(printf '%s' "$out" | tr '\n' ' ' | tr -s ' ' | grep -oE "first measurement, [0-9]+ of them within 10% of it" | grep -oE '[0-9]+ of' | cut -d' ' -f1)
if [ -n "$agree" ] && [ "$agree" -le "$nagain" ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: campaign: the drift's repeatability (0 to $nagain networks agreeing) in: $out"
fi
# the page-fault cost measured again once the fit networks ran: both readings printed,
# and the profile keeps the lower (the fit's floor for a fresh page's cost)
faults=$(printf '%s' "$out" | tr '\n' ' ' | tr -s ' ' | grep -oE "page faults: [0-9.e+-]+ ms per MiB before the campaign, [0-9.e+-]+ after")
if [ -n "$faults" ]; then
	ok "the profile keeps the lower fault reading" python3 - "$faults" \
		"$XDG_DATA_HOME/augur/profiles/mine.yaml" <<'PY'
import re, sys
before, after = (float(x) for x in re.findall(r"([0-9.e+-]+) (?:ms per MiB before|after)", sys.argv[1]))
kept = float(re.search(r"^  page_fault_ms_per_mib: (\S+)$", open(sys.argv[2]).read(), re.M).group(1))
sys.exit(0 if abs(kept / min(before, after) - 1) < 0.01 else 1)
PY
else
	fail=$((fail + 1)); echo "FAIL: campaign: the page-fault readings before and after in: $out"
fi
expect 0 "$AUGUR" profile show mine
has "$out" "times for  augur 0.1.0 (OpenBLAS" "the profile's times are augur's runtime's"
has "$out" "costs      GEMM model plus layer costs for" "layer costs fitted"
# augur's runtime holds every buffer: its pass is the core's, the LLC's, or evicted (a cliff)
has "$out" "pass       in the core's cache under " "augur's runtime: the pass's three homes"
has "$out" "(a cliff)" "augur's runtime: the cliff"
# its runtime allocates every buffer once: no allocator threshold to state, and show says
# which fact the reference board stands in for
has "$out" "unstated   fresh-buffer threshold: the reference EPYC board's" "augur's runtime: the unstated fact named"
expect 0 "$AUGUR" estimate descriptors/kws.yaml --device mine
has "$out" "times for: augur 0.1.0" "estimate names augur's runtime"
has "$out" "cpu: accuracy of these costs: " "estimate prints the calibration's verdict"
# the reference workload's time is a machine fact of the profile; augur run --device on
# the machine it was made on compares the machine's speed now with it
ok "the profile holds the reference workload's time" \
	grep -Eq '^  probe_ms: [0-9.]+(e-?[0-9]+)?$' "$XDG_DATA_HOME/augur/profiles/mine.yaml"
expect 0 "$AUGUR" run descriptors/kws.yaml --reps 2 --warmup 0 --device mine
has "$out" "machine   the reference workload ran " "run --device: the machine's speed against the calibration's"
has "$out" "predicted " "run --device: the prediction"
ok "run --device: the profile's times are augur's runtime's" not grep -q "note: mine's times are for" <<<"$out"
# the campaign's measurements, kept: augur fit refits the costs from them, the same fit
expect 0 "$AUGUR" fit "$XDG_DATA_HOME/augur/profiles/mine.yaml" --layer-times "$tmp/mine-times.yaml" --out "$tmp/mine-refit.yaml"
sed -n '/^ *layer_costs:/,$p' "$tmp/mine-refit.yaml" | grep -v '^ *source:' >"$tmp/costs-refit"
# (less the calibration's verdict on them, which a refit drops: it no longer describes them)
sed -n '/^ *layer_costs:/,$p' "$XDG_DATA_HOME/augur/profiles/mine.yaml" | grep -v '^ *source:' |
	sed '/# how well they predicted/,/crossval_median_error:/d' >"$tmp/costs-made"
ok "the profile has layer costs" [ "$(grep -c 'coef:' "$tmp/costs-made")" -gt 0 ]
ok "the profile keeps the calibration's verdict" grep -q '^      checked:$' "$XDG_DATA_HOME/augur/profiles/mine.yaml"
ok "a refit drops the verdict" not grep -q 'checked:' "$tmp/mine-refit.yaml"
ok "refit from the kept layer times: the same costs" same_numbers "$tmp/costs-made" "$tmp/costs-refit"
# ---- --resume: a campaign interrupted after two of its networks continues ----
# the interruption made by hand, as calibrate leaves it: PROFILE.partial/ holds the GEMM
# model (gemm.yaml), and the fit networks measured so far wait in the --layer-times-out
# file (here the first two rows of the measurements kept above; without the option, in
# PROFILE.partial/fit.yaml)
R=$tmp/res/r.yaml
mkdir -p "$R.partial"
sed 's/^name: .*/name: r/' "$XDG_DATA_HOME/augur/profiles/mine.yaml" >"$R.partial/gemm.yaml"
awk '/^layer_times:/ || /^memory_mb:/ { sec = $1; print; next }
     sec && /^  - / { if (++rows[sec] <= 2) print; next }
     { print }' "$tmp/mine-times.yaml" | sed 's/board: "mine"/board: "r"/' >"$tmp/r-times.yaml"
expect 0 "$AUGUR_BIN" calibrate --device r --grid tiny --threads 1 --out "$R" --resume \
	--progress lines --layer-times-out "$tmp/r-times.yaml"
has "$out" "resumed: the GEMM model and machine facts of $R.partial/gemm.yaml" "resume: the kept GEMM model"
has "$out" "resumed: 2 of $nfit fit networks measured before" "resume: the networks measured before"
has "$out" "layer costs: $nfit fit networks measured in augur's runtime" "resume: all of them fitted"
has "$err" "[  3/" "resume: measuring starts at the third network"
ok "resume: not measured again" sh -c "! printf '%s\n' \"\$1\" | grep -q '\\[  1/'" _ "$err"
eq "resume: the kept file holds every network" \
	"$(awk '/^layer_times:/ { on = 1; next } /^[a-z]/ { on = 0 } on && /^  - /' "$tmp/r-times.yaml" | wc -l | tr -d ' ')" "$nfit"
ok "resume: the work in progress is gone once the profile is written" [ ! -e "$R.partial" ]
ok "resume: the profile is written" [ -s "$R" ]
# nothing kept: from the start, and said so
expect 0 "$AUGUR_BIN" calibrate --device r --grid tiny --threads 1 --out "$R" --resume
has "$out" "note: no GEMM model kept in $R.partial: calibrating from the start" "resume with nothing kept"
# a kept model of another device is refused; a GEMM-only calibration has nothing to resume
mkdir -p "$R.partial"
cp "$XDG_DATA_HOME/augur/profiles/mine.yaml" "$R.partial/gemm.yaml"
expect 1 "$AUGUR_BIN" calibrate --device r --grid tiny --threads 1 --out "$R" --resume
has "$err" "$R.partial/gemm.yaml is a calibration of 'mine', not of 'r'" "resume: another device's model"
rm -r "$R.partial"
expect 2 "$AUGUR" calibrate --device r --framework blas --resume
has "$err" "--resume continues a layer-cost campaign; --framework blas has none" "resume: blas"
expect 2 "$AUGUR" calibrate --device x --framework blas --layer-times-out "$tmp/x.yaml"
expect 2 "$AUGUR" calibrate --device x --unit gpu --framework augur
has "$err" "augur's runtime runs on the cpu" "no augur framework on the gpu"
ok "nothing written to the current directory" [ ! -e profiles/mine.yaml ]
expect 0 "$AUGUR" estimate descriptors/alexnet.yaml --device mine
has "$out" "profile: $XDG_DATA_HOME/augur/profiles/mine.yaml" "estimate finds the user's profile"
expect 0 "$AUGUR" profile list
eq "the user's directory comes first" "$(printf '%s\n' "$out" | sed -n 2p)" "$XDG_DATA_HOME/augur/profiles/"
has "$(printf '%s\n' "$out" | sed -n 3p)" "  mine " "the user's profiles come before the shipped ones"
rm -r "$XDG_DATA_HOME"
# an installed (or moved) augur finds the profiles and descriptors installed beside it,
# PREFIX/share/augur, not the tree it was built in
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/augur"
cp "$AUGUR_BIN" "$tmp/prefix/bin/augur"
cp -r profiles descriptors "$tmp/prefix/share/augur/"
rm "$tmp/prefix/share/augur/profiles/tk1.yaml"
expect 0 sh -c "cd /tmp && exec '$tmp/prefix/bin/augur' profile list --format csv"
has "$out" "tx1,\"cpu,gpu\"," "installed: shipped profiles listed"
has "$out" "$(cd "$tmp/prefix/share/augur/profiles" && pwd -P)/tx1.yaml" "installed: from the prefix"
eq "installed: only the prefix's profiles" "$(printf '%s\n' "$out" | grep -c "$AUGUR_SOURCE_ROOT")" "0"
expect 1 sh -c "cd /tmp && exec '$tmp/prefix/bin/augur' estimate '$tmp/prefix/share/augur/descriptors/alexnet.yaml' --device tk1"
has "$err" "unknown profile 'tk1'" "installed: the source tree is not searched"
expect 0 sh -c "cd /tmp && exec '$tmp/prefix/bin/augur' estimate '$tmp/prefix/share/augur/descriptors/alexnet.yaml' --device tx1"

# ---- the drift is a diagnostic: a failure or a stop there keeps the finished profile ----
# A python3 for --framework pytorch that needs no torch: it measures with augur run
# (bench/validate measure's options, its file a layer-times file) and counts its calls:
# the fit networks, the checks, then the drift's six fit networks again. Call FAKE_AT fails
# with a message of its own (FAKE_DO=fail), or (FAKE_DO=stop) sends augur a SIGTERM and
# exits 130 once augur passes it on as SIGINT, as the real script does on Ctrl-C.
cat >"$tmp/fake-python3" <<'SH'
#!/bin/bash
[ "$1" = -c ] && exit 0 # the check that torch and numpy import
shift 2                 # bench/validate measure
nets=() args=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--augur) augur=$2; shift 2 ;;
	--board | --threads | --reps | --warmup | --retries) args+=("$1" "$2"); shift 2 ;;
	--*) shift 2 ;;
	*) nets+=("$1"); shift ;;
	esac
done
calls=$(($(cat "$FAKE_CALLS" 2>/dev/null || echo 0) + 1))
echo "$calls" >"$FAKE_CALLS"
if [ "$calls" -eq "$FAKE_AT" ] && [ "$FAKE_DO" = stop ]; then
	sleep 60 &
	trap 'kill $!; exit 130' INT
	kill -TERM "$PPID"
	wait $!
	exit 1 # never passed on
elif [ "$calls" -eq "$FAKE_AT" ]; then
	echo "fake-python3: no measurement this time" >&2
	exit 3
fi
exec "$augur" run "${nets[@]}" "${args[@]}" --layer-times-out "$out" >/dev/null
SH
chmod +x "$tmp/fake-python3"
# fake_calibrate AT DO PROFILE: the tiny grid through the fake adapter, call AT broken by DO
fake_calibrate() {
	rm -f "$tmp/fake-calls"
	expect "$1" env AUGUR_PYTHON="$tmp/fake-python3" FAKE_CALLS="$tmp/fake-calls" FAKE_AT="$2" \
		FAKE_DO="$3" "$AUGUR_BIN" calibrate --device "$(basename "$4" .yaml)" --framework pytorch \
		--grid tiny --threads 1 --out "$4"
	eq "$3 at call $2: the adapter's calls" "$(cat "$tmp/fake-calls")" "$2"
}
D=$tmp/drift/dr.yaml
mkdir -p "$tmp/drift"
# the drift's measurement fails: the adapter's error in place of the drift, the profile written
fake_calibrate 0 3 fail "$D"
has "$err" "fake-python3: no measurement this time" "drift failed: the adapter's own message"
has "$out" "drift: not measured ($(cd "$AUGUR_SOURCE_ROOT" && pwd -P)/bench/validate: error: measuring $nagain networks in PyTorch failed (exit 3); its messages are above); the profile is complete without it" "drift failed: said in its place"
ok "drift failed: no drift figure" not grep -q "fit networks measured again" <<<"$out"
has "$out" "networks it did not fit on predicted within 10%" "drift failed: the checks' verdict"
eq "drift failed: the profile written" "$(printf '%s\n' "$out" | tail -1)" "wrote $D"
ok "drift failed: no work in progress left" [ ! -e "$D.partial" ]
expect 0 "$AUGUR" profile show "$D"
has "$out" "costs      GEMM model plus layer costs for" "drift failed: the profile loads, with its layer costs"
# stopped (SIGTERM) while measuring the drift: the fit and the checks are done, the profile
# is complete: it is written, and the drift said not measured
fake_calibrate 0 3 stop "$D"
has "$out" "drift: not measured (interrupted after the checks); the profile is complete without it" "drift stopped: said in its place"
eq "drift stopped: the profile written" "$(printf '%s\n' "$out" | tail -1)" "wrote $D"
ok "drift stopped: no work in progress left" [ ! -e "$D.partial" ]
expect 0 "$AUGUR" profile show "$D"
# stopped while measuring the checks: as in the fit, the profile stays as it was and the
# fit networks are kept for --resume
cp "$D" "$tmp/drift/before.yaml"
fake_calibrate 1 2 stop "$D"
has "$err" "augur calibrate: error: interrupted after $nfit of $nfit fit networks; they are kept in $D.partial" "checks stopped: interrupted"
ok "checks stopped: the profile untouched" cmp -s "$D" "$tmp/drift/before.yaml"
ok "checks stopped: no drift line" not grep -q "^drift" <<<"$out"
rm -r "$D.partial"

# ---- errors ----
expect 2 "$AUGUR" calibrate --devcie x --grid tiny
has "$err" "unknown option '--devcie' (did you mean '--device'?)" "calibrate unknown option"
expect 2 "$AUGUR" calibrate --device x --grid tny
has "$err" "unknown grid 'tny' (expected full, quick or tiny)" "bad grid"
expect 2 "$AUGUR" calibrate --device x --quick --grid tiny
has "$err" "--quick and --grid tiny contradict each other" "quick and tiny"
expect 2 "$AUGUR" calibrate --device x --grid full --quick
has "$err" "--quick and --grid full contradict each other" "full and quick"
expect 2 "$AUGUR" calibrate --device x --progress sometimes
has "$err" "unknown progress mode 'sometimes'" "bad progress"
expect 2 "$AUGUR" calibrate --device x --trial-ms 0
expect 2 "$AUGUR" calibrate --device 'a/b' --grid tiny
has "$err" "device name 'a/b' must be" "bad device name"
expect 2 "$AUGUR" fit "$P" --termz nkm
has "$err" "unknown option '--termz' (did you mean '--terms'?)" "fit unknown option"
# a budget too small to fit anything: a message that says what to change, nothing written
expect 1 "$AUGUR_BIN" calibrate --device x --grid tiny --trial-ms 2000 --budget 1 --out "$tmp/small.yaml"
has "$err" "too few for the model's 8 terms: raise --budget" "budget too small"
ok "budget too small: no profile" [ ! -e "$tmp/small.yaml" ]
# unwritable output: refused before anything is measured (nothing on stdout: no shape ran)
expect 1 "$AUGUR" calibrate --device x --grid tiny --out "$tmp/no-such-dir/p.yaml"
has "$err" "$tmp/no-such-dir/p.yaml: error: cannot write the profile: directory '$tmp/no-such-dir': No such file or directory" "missing directory"
eq "nothing measured" "$out" ""
expect 1 "$AUGUR" calibrate --device x --grid tiny --out "$tmp/pp"
has "$err" "$tmp/pp: error: is a directory, not a profile file" "output is a directory"
if [ "$(id -u)" -ne 0 ]; then # root writes anywhere
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	expect 1 "$AUGUR" calibrate --device x --grid tiny --out "$tmp/ro/p.yaml"
	has "$err" "Permission denied" "read-only directory"
	chmod 755 "$tmp/ro"
fi
# unknown device
expect 1 "$AUGUR" profile show no-such-board
has "$err" "error: unknown profile 'no-such-board' (available: " "show unknown device"
for name in epyc-2core tk1 tx1; do has "$err" "$name" "unknown device: lists $name"; done
expect 1 "$AUGUR" profile show epyc-2cor
has "$err" "(did you mean 'epyc-2core'?" "show did-you-mean"
expect 1 "$AUGUR" fit no-such-board
has "$err" "unknown profile 'no-such-board'" "fit unknown device"
expect 1 "$AUGUR" estimate descriptors/alexnet.yaml --device no-such-board
has "$err" "unknown profile 'no-such-board'" "estimate unknown device"
# corrupt profile: located error, exit 1, the file untouched by fit
sed 's/^\( *n_train: \).*/\1many/' "$P" >"$tmp/corrupt.yaml"
line=$(grep -n 'n_train: many' "$tmp/corrupt.yaml" | cut -d: -f1)
col=$(($(grep 'n_train: many' "$tmp/corrupt.yaml" | awk '{ print index($0, "many") }')))
cp "$tmp/corrupt.yaml" "$tmp/corrupt.orig"
expect 1 "$AUGUR" fit "$tmp/corrupt.yaml"
has "$err" "$tmp/corrupt.yaml:$line:$col: error: " "fit of a corrupt profile"
eq "one line" "$(lines "$err")" "1"
ok "corrupt profile untouched" cmp -s "$tmp/corrupt.yaml" "$tmp/corrupt.orig"
expect 1 "$AUGUR" profile show "$tmp/corrupt.yaml"
has "$err" "$tmp/corrupt.yaml:$line:$col: error: " "show of a corrupt profile"
eq "nothing on stdout" "$out" ""
printf 'augur_profile: 1\nname: "x"\n' >"$tmp/short.yaml"
expect 1 "$AUGUR" profile show "$tmp/short.yaml"
has "$err" "$tmp/short.yaml:1:1: error: " "show of a truncated profile"
# a GPU calibration without a GPU: a clear error before anything is measured
if [ -e /dev/nvidia0 ] || [ -e /dev/dxg ]; then
	echo "skip: a GPU is present; --unit gpu without one not tested"
else
	expect 1 "$AUGUR" calibrate --device x --unit gpu --grid tiny --out "$tmp/gpu.yaml"
	has "$err" "calibrate: error: " "gpu error"
	has "$err" "CUDA" "gpu error names CUDA"
	eq "gpu: one line" "$(lines "$err")" "1"
	eq "gpu: nothing measured" "$out" ""
	ok "gpu: no profile written" [ ! -e "$tmp/gpu.yaml" ]
fi

# ---- stopped midway: the existing profile stays byte-identical ----
# A slow tiny run (50 ms trials, about 10 s) on a copy of the shipped profile; once the
# third shape starts (two are measured: a sign that does not depend on the machine's
# load), the signal. The writer only creates P.yaml.tmp.PID when it writes at the very
# end, so a run stopped while measuring leaves no temporary file at all.
for sig in INT TERM KILL; do
	dir=$tmp/kill-$sig
	mkdir "$dir"
	cp profiles/epyc-2core.yaml "$dir/P.yaml"
	# up to 60 s on a very busy machine
	stop_when "$sig: calibration reached its third shape" 60 '^augur calibrate: \[ *3/' "$sig" \
		"$AUGUR_BIN" calibrate --device epyc-2core --grid tiny --trial-ms 50 --threads 1 \
		--progress lines --out "$dir/P.yaml"
	ok "$sig: profile byte-identical" cmp -s profiles/epyc-2core.yaml "$dir/P.yaml"
	eq "$sig: nothing else in its directory" "$(ls -A "$dir")" "P.yaml"
	if [ "$sig" = KILL ]; then
		eq "$sig: exit status" "$rc" "137"
		continue
	fi
	eq "$sig: exit status" "$rc" "1"
	n=$(printf '%s\n' "$out" | sed -n 's/^interrupted after \([0-9]*\) of 18 shapes.*/\1/p')
	ok "$sig: interrupted after some shapes ('$n')" \
		sh -c '[ -n "$1" ] && [ "$1" -ge 2 ] && [ "$1" -lt 18 ]' _ "$n"
	has "$out" "measured so far:" "$sig: says what was measured"
	eq "$sig: one row per measured shape" "$(printf '%s\n' "$out" | grep -c '^[0-9]')" "$n"
	has "$err" "augur calibrate: error: interrupted; $dir/P.yaml left untouched" "$sig: message"
done

finish
