#!/usr/bin/env bash
# Nothing lost: every file augur writes (convert -o, fit, calibrate's profile) goes through
# one atomic writer. A full disk (ulimit -f with SIGXFSZ ignored: writes fail with EFBIG,
# as on a full disk) or a place that cannot hold the file gives one error naming the file,
# exit 1, the original byte-identical and no temporary file left; a full standard output
# is an error too. CI runs as root, so "unwritable" is a path under a regular file or /proc,
# not a chmod.
set -u
. "$(dirname "$0")/cli-lib.sh"
# full KB CMD...: CMD with files limited to KB kilobytes, as on a nearly full disk
full() { local kb=$1; shift; bash -c 'ulimit -f "$0"; trap "" XFSZ; exec "$@"' "$kb" "$@"; }
# no_temp DIR LABEL: nothing named *.tmp.* left in DIR
no_temp() {
	if ls -A "$1" | grep -q '\.tmp\.'; then
		fail=$((fail + 1)); echo "FAIL: $2: temporary file left: $(ls -A "$1" | grep '\.tmp\.')"
	else pass=$((pass + 1)); fi
}
# same A B LABEL: files byte-identical
same() { cmp -s "$1" "$2" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $3: $1 changed"; }; }

d=$tmp/w
mkdir "$d"
# convert -o over an existing descriptor, disk full after 4 KB (the output is 12 KB)
cp descriptors/alexnet.yaml "$d/net.yaml"
cp "$d/net.yaml" "$tmp/orig.yaml"
expect 1 full 4 "$AUGUR" convert descriptors/googlenet.yaml -o "$d/net.yaml"
has "$err" "$d/net.yaml: error: cannot write: File too large" "full disk names the file"
[ "$(lines "$err")" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: not one line: $err"; }
same "$d/net.yaml" "$tmp/orig.yaml" "convert on a full disk"
no_temp "$d" "convert on a full disk"
# the same with room enough: replaced
expect 0 "$AUGUR" convert descriptors/googlenet.yaml -o "$d/net.yaml"
has "$(head -2 "$d/net.yaml")" "name: googlenet" "convert replaces the file"
no_temp "$d" "convert"

# a profile refitted in place (augur fit writes it back) on a full disk; its mode is kept
cp profiles/tk1.yaml "$d/board.yaml"
chmod 600 "$d/board.yaml"
cp "$d/board.yaml" "$tmp/board.orig"
expect 1 full 4 "$AUGUR" fit "$d/board.yaml"
has "$err" "$d/board.yaml: error: cannot write: File too large" "fit on a full disk"
same "$d/board.yaml" "$tmp/board.orig" "fit on a full disk"
no_temp "$d" "fit on a full disk"
expect 0 "$AUGUR" fit "$d/board.yaml"
has "$out" "wrote $d/board.yaml" "fit writes the profile"
[ "$(stat -c %a "$d/board.yaml")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: fit changed the profile's mode to $(stat -c %a "$d/board.yaml")"; }
expect 0 "$AUGUR" profile show "$d/board.yaml"
no_temp "$d" "fit"

# places that cannot hold the file: under a regular file, in /proc, a directory
touch "$d/plain"
expect 1 "$AUGUR" convert descriptors/alexnet.yaml -o "$d/plain/net.yaml"
has "$err" "$d/plain/net.yaml: error: cannot create '$d/plain/net.yaml.tmp." "unwritable directory names the file"
has "$err" "Not a directory" "unwritable directory: why"
expect 1 "$AUGUR" fit "$d/board.yaml" --out /proc/augur-test-profile.yaml
has "$err" "/proc/augur-test-profile.yaml: error: cannot create" "fit --out into /proc"
mkdir "$d/dir"
expect 1 "$AUGUR" convert descriptors/alexnet.yaml -o "$d/dir"
has "$err" "$d/dir: error: is a directory, not a file" "output is a directory"
[ -z "$(ls -A "$d/dir")" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: directory written into"; }
no_temp "$d" "unwritable places"

# a symbolic link is kept (the file it names is replaced); a FIFO is written through, not
# replaced (renaming over a device as root had turned /dev/full into a regular file)
echo old >"$d/real.yaml"
ln -s real.yaml "$d/link.yaml"
expect 0 "$AUGUR" convert descriptors/kws.yaml -o "$d/link.yaml"
[ -L "$d/link.yaml" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: symbolic link replaced"; }
has "$(cat "$d/real.yaml")" "name: kws" "file behind the link written"
mkfifo "$d/fifo"
timeout 10 cat "$d/fifo" >"$tmp/from-fifo" &
reader=$!
expect 0 timeout 10 "$AUGUR" convert descriptors/kws.yaml -o "$d/fifo"
wait "$reader"
[ -p "$d/fifo" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: FIFO replaced by a file"; }
has "$(cat "$tmp/from-fifo")" "name: kws" "written through the FIFO"
no_temp "$d" "link and FIFO"

# a full standard output is a failure, not a truncated success
to_full() { "$@" >/dev/full; }
expect 1 to_full "$AUGUR" inspect descriptors/googlenet.yaml --format json
has "$err" "augur: error: cannot write to standard output: No space left on device" "stdout full"
expect 1 to_full "$AUGUR" estimate descriptors/alexnet.yaml --device tx1
has "$err" "augur: error: cannot write to standard output" "estimate to a full stdout"
[ -c /dev/full ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: /dev/full is no longer a device"; }

finish
