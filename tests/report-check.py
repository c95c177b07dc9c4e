#!/usr/bin/env python3
"""Reads the numbers back out of augur's HTML pictures and checks them against the
tables: `report` against `estimate --format json` and `inspect --format json`, `profile
plot` against the profile's samples, `whatif --plot` against `whatif --format json`.
Standard library only. Prints one line per failed check; exits 1 when any failed.

  report-check.py report REPORT.html ESTIMATE.json INSPECT.json [REPORT ESTIMATE INSPECT...]
  report-check.py whatif PLOT.html WHATIF.json
  report-check.py profile PLOT.html SAMPLES   (SAMPLES: how many samples the profile has)
  report-check.py png FILE.png               (a screenshot that is not blank)
"""
import json
import struct
import sys
import zlib
from html.parser import HTMLParser

failures = []
where = ""


def fail(msg):
    failures.append(msg)
    print("report-check: " + where + msg)


def near(a, b, rel=2e-5, abs_tol=1e-9):
    # estimate's JSON prints 6 significant digits; the page 9
    return abs(a - b) <= max(abs_tol, rel * max(abs(a), abs(b)))


class Collect(HTMLParser):
    """Every element with a data- attribute, as (tag, {name: value}), in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []

    def handle_starttag(self, tag, attrs):
        d = {k: v for k, v in attrs if k.startswith("data-")}
        if d:
            d["class"] = dict(attrs).get("class", "")
            self.items.append((tag, d))

    handle_startendtag = handle_starttag


def collect(path):
    p = Collect()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p.items


def check_report(html, est_path, insp_path):
    global where
    where = html + ": "
    items = collect(html)
    est = json.load(open(est_path))
    insp = json.load(open(insp_path))
    units = {u["unit"]: u for u in est["units"]}
    # totals per unit
    seen_totals = set()
    for tag, d in items:
        if "data-total-ms" in d and "data-layer" not in d:
            u = units[d["data-unit"]]
            seen_totals.add(d["data-unit"])
            for key, ref in (("data-total-ms", u["time"]["total_ms"]),
                             ("data-gemm-ms", u["time"]["gemm_ms"]),
                             ("data-memory-ms", u["time"]["memory_ms"]),
                             ("data-other-ms", u["time"]["other_ms"]),
                             ("data-memory-bytes", u["memory"]["total_bytes"]),
                             ("data-memory-high-bytes", u["memory"]["high_bytes"])):
                if not near(float(d[key]), ref):
                    fail("%s: %s %s, estimate says %s" % (d["data-unit"], key, d[key], ref))
            if (d["data-fits"] == "true") != u["memory"]["fits"]:
                fail("%s: fits %s, estimate says %s" % (d["data-unit"], d["data-fits"],
                                                         u["memory"]["fits"]))
        if "data-layers-uncosted" in d:
            u = units[d["data-unit"]]
            if int(d["data-layers-uncosted"]) != u["time"]["layers_uncosted"]:
                fail("%s: %s layers not costed, estimate says %s" % (
                    d["data-unit"], d["data-layers-uncosted"], u["time"]["layers_uncosted"]))
            if int(d["data-gemms-outside-range"]) != u["time"]["gemms_outside_range"]:
                fail("%s: %s GEMMs outside, estimate says %s" % (
                    d["data-unit"], d["data-gemms-outside-range"],
                    u["time"]["gemms_outside_range"]))
    if seen_totals != set(units):
        fail("totals for units %s, estimate has %s" % (sorted(seen_totals), sorted(units)))
    # per-layer bars, in execution order per unit
    bars = {}
    for tag, d in items:
        if d.get("class") == "bar" and "data-layer" in d and "data-time-ms" in d:
            bars.setdefault(d["data-unit"], []).append(d)
    for name, u in units.items():
        got = bars.get(name, [])
        if len(got) != len(u["layers"]):
            fail("%s: %d layer bars, estimate has %d layers" % (name, len(got), len(u["layers"])))
            continue
        for d, le in zip(got, u["layers"]):
            if d["data-layer"] != le["name"]:
                fail("%s: bar for '%s' where estimate has '%s'" % (name, d["data-layer"],
                                                                   le["name"]))
            for key, ref in (("data-time-ms", le["time_ms"]), ("data-gemm-ms", le["gemm_ms"]),
                             ("data-memory-ms", le["memory_ms"]),
                             ("data-other-ms", le["other_ms"]),
                             ("data-faults-unsure-ms", le["faults_unsure_ms"])):
                if not near(float(d.get(key, "0")), ref):
                    fail("%s %s: %s %s, estimate says %s" % (name, le["name"], key,
                                                             d.get(key), ref))
            for key, ref in (("data-costed", le["costed"]),
                             ("data-outside-range", le["outside_range"])):
                if (d[key] == "true") != ref:
                    fail("%s %s: %s %s, estimate says %s" % (name, le["name"], key, d[key], ref))
    # time by layer type
    for tag, d in items:
        if "data-type" in d:
            ref = units[d["data-unit"]]["time"]["by_type_ms"][d["data-type"]]
            if not near(float(d["data-time-ms"]), ref):
                fail("%s %s: %s ms by type, estimate says %s" % (d["data-unit"], d["data-type"],
                                                                d["data-time-ms"], ref))
    # memory timeline: live bytes per layer (inspect's minimal view), exact
    live = [d for _, d in items if "data-live-bytes" in d]
    layers = insp["layers"]
    if len(live) != len(layers):
        fail("%d timeline points, inspect has %d layers" % (len(live), len(layers)))
    for d, l in zip(live, layers):
        if d["data-layer"] != l["name"] or int(d["data-live-bytes"]) != l["live_bytes"]:
            fail("timeline %s %s bytes, inspect says %s %s" % (
                d["data-layer"], d["data-live-bytes"], l["name"], l["live_bytes"]))
    peak = [d for _, d in items if "data-peak-layer-index" in d]
    ref_peak = insp["memory"]["minimal"]["peak_layer"]
    if not peak or layers[int(peak[0]["data-peak-layer-index"])]["name"] != ref_peak:
        fail("peak layer is not inspect's %s" % ref_peak)
    mem = insp["memory"]
    views = {d["data-view"]: int(d["data-total-bytes"]) for _, d in items if "data-view" in d}
    ref_views = {
        "paper": mem["paper"]["weights_bytes"] + mem["paper"]["data_bytes"] +
        mem["paper"]["workspace_bytes"],
        "allocated": mem["allocated"]["total_bytes"],
        "minimal": mem["minimal"]["total_bytes"],
    }
    if views != ref_views:
        fail("memory views %s, inspect says %s" % (views, ref_views))
    # GEMM shapes: every conv and fc GEMM once per unit, with inspect's shape and
    # estimate's in-range verdict
    for name, u in units.items():
        pts = [d for tag, d in items if "data-n" in d and d.get("data-unit") == name]
        ref = [(l, le) for l, le in zip(layers, u["layers"]) if l["gemm"]]
        byname = {d["data-layer"]: d for d in pts}
        if len(pts) != len(ref):
            fail("%s: %d GEMM points, inspect has %d GEMMs" % (name, len(pts), len(ref)))
        for l, le in ref:
            d = byname.get(l["name"])
            if not d:
                fail("%s: no GEMM point for %s" % (name, l["name"]))
                continue
            g = l["gemm"]
            if (int(d["data-n"]), int(d["data-k"]), int(d["data-m"])) != (g["n"], g["k"], g["m"]):
                fail("%s %s: GEMM %s x %s x %s, inspect says %s" % (
                    name, l["name"], d["data-n"], d["data-k"], d["data-m"], g))
            if (d["data-outside-range"] == "true") != le["outside_range"]:
                fail("%s %s: outside range %s, estimate says %s" % (
                    name, l["name"], d["data-outside-range"], le["outside_range"]))


def check_whatif(html, whatif_path):
    items = collect(html)
    ref = json.load(open(whatif_path))
    pts = [d for _, d in items if "data-row" in d]
    rows = ref["rows"]
    units = [u["unit"] for u in rows[0]["units"]]
    # one time and one memory value per row and unit
    for kind, key in (("time", "time_ms"), ("memory", "memory_bytes")):
        for ui, unit in enumerate(units):
            got = {int(d["data-row"]): float(d["data-" + kind])
                   for d in pts if d.get("data-unit") == unit and "data-" + kind in d}
            if len(got) != len(rows):
                fail("%s %s: %d points, whatif has %d rows" % (unit, kind, len(got), len(rows)))
            for i, row in enumerate(rows):
                v = row["units"][ui][key]
                if i in got and not near(got[i], v if kind == "time" else v / 2**20):
                    fail("%s %s row %d: %s, whatif says %s" % (unit, kind, i, got[i], v))


def check_profile(html, n_samples):
    items = collect(html)
    pts = [d for _, d in items if "data-measured-ms" in d]
    if len(pts) != n_samples:
        fail("%d sample points, the profile has %d samples" % (len(pts), n_samples))
    for d in pts:
        m, p = float(d["data-measured-ms"]), float(d["data-predicted-ms"])
        if not (m > 0 and p > 0):
            fail("sample %s: measured %s, predicted %s" % (d.get("data-sample"), m, p))


def png_pixels(path):
    """(width, height, rows of bytes, channels) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError("PNG depth %d colour type %d" % (depth, colour))
            ch = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * ch
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, ch


def check_png(path):
    w, h, rows, ch = png_pixels(path)
    # a rendered page: mostly white background, and a fair share of pixels in colour
    # (the charts' Okabe-Ito fills), not one flat colour
    total = coloured = dark = 0
    for y in range(0, h, 4):
        r = rows[y]
        for x in range(0, w * ch, 4 * ch):
            R, G, B = r[x], r[x + 1], r[x + 2]
            total += 1
            if max(R, G, B) - min(R, G, B) > 60:
                coloured += 1
            if R + G + B < 200:
                dark += 1
    print("report-check: %s: %dx%d, %.1f%% coloured, %.1f%% dark pixels" % (
        path, w, h, 100.0 * coloured / total, 100.0 * dark / total))
    if coloured < 0.001 * total:
        fail("%s: only %d of %d sampled pixels in colour: blank?" % (path, coloured, total))
    if dark < 0.001 * total:
        fail("%s: no text drawn (%d dark pixels of %d)" % (path, dark, total))


def main(argv):
    if len(argv) >= 5 and argv[1] == "report" and (len(argv) - 2) % 3 == 0:
        for i in range(2, len(argv), 3):
            check_report(argv[i], argv[i + 1], argv[i + 2])
    elif len(argv) == 4 and argv[1] == "whatif":
        check_whatif(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "profile":
        check_profile(argv[2], int(argv[3]))
    elif len(argv) == 3 and argv[1] == "png":
        check_png(argv[2])
    else:
        print(__doc__)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
