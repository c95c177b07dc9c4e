#!/usr/bin/env python3
"""The layer rules of docs/architecture.md, checked on the source tree.

Every module (x.c + x.h) of src/core, calibrate and src/cli belongs to one room; a room
may include the headers of the rooms listed for it, and no others. Also: no include cycle
between headers, third-party headers only in their one file, and every module is placed
(a new file must be given a room here and in docs/architecture.md).

    tests/check-includes.py [SOURCE_ROOT]      exit 0 clean, 1 with one line per finding
"""
import os
import re
import sys

ROOMS = {
    "base": ["status", "datadir", "checked", "numparse", "strmap", "fileio", "stats", "strbuf", "suggest", "svg"],
    "model": ["net", "edit", "analysis", "trace", "counts", "memory", "heapsim"],
    "readers": ["yamldoc", "schema", "descriptor", "pbtext", "prototxt", "onnx", "netfile",
                "descwriter", "budget", "sweep"],
    "predictors": ["timemodel", "sample", "layercost", "estimate", "plan", "incremental"],
    "profiles": ["profile", "layertimes"],
    "fitting": ["fit", "layercostfit", "profilefit"],
    "harness": ["bench", "bench-cpu", "bench-gpu", "bench-gpu-loader", "calprofile", "campaign", "harness", "netbench",
                "machine", "runtime"],
    "cli": ["augur", "cli", "commands", "evaluate", "jsonw", "table", "options", "page", "cmd-*"],
}

# What each room may include (besides itself). Predictors and readers never reach the
# fitting wing; the core never reaches the harness or the CLI.
ALLOWED = {
    "base": [],
    "model": ["base"],
    "readers": ["base", "model"],
    "predictors": ["base", "model", "profiles"],
    "profiles": ["base", "model", "readers", "predictors"],
    "fitting": ["base", "model", "readers", "predictors", "profiles"],
    "harness": ["base", "model", "readers", "predictors", "profiles", "fitting"],
    "cli": ["base", "model", "readers", "predictors", "profiles", "fitting", "harness"],
}

# Known breaches still to remove, each with its reason; the check fails when one is
# fixed and still listed, so this list only shrinks.
EXCEPTIONS = set()

THIRD_PARTY = {  # header prefix -> the only modules that may include it
    "yaml.h": {"yamldoc"},
    "protobuf-c/": {"onnx"},
    "gsl/": {"fit"},
    "cblas.h": {"bench-cpu", "runtime"},
    "cublas": {"bench-gpu"},
    "cuda_runtime": {"bench-gpu"},
}

DIRS = ["src/core", "calibrate", "src/cli"]


def room_of(module):
    for room, mods in ROOMS.items():
        for m in mods:
            if m == module or (m.endswith("*") and module.startswith(m[:-1])):
                return room
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    edges, header_edges, problems, modules = {}, {}, [], set()
    for d in DIRS:
        for name in sorted(os.listdir(os.path.join(root, d))):
            if not name.endswith((".c", ".h")):
                continue
            module = name[:-2]
            modules.add(module)
            path = os.path.join(d, name)
            with open(os.path.join(root, path), encoding="utf-8") as f:
                text = f.read()
            if '#include "onnx.pb-c.h"' in text and module != "onnx":
                problems.append(f"{path}: includes onnx.pb-c.h, which only onnx may include")
            for inc in re.findall(r'^#include "([^"]+)\.h"', text, re.M):
                if inc != module and inc != "augur-config":
                    edges.setdefault(module, {}).setdefault(inc, path)
                    if name.endswith(".h"):
                        header_edges.setdefault(module, set()).add(inc)
            for inc in re.findall(r"^#include <([^>]+)>", text, re.M):
                for prefix, owners in THIRD_PARTY.items():
                    if inc.startswith(prefix) and module not in owners:
                        problems.append(f"{path}: includes <{inc}>, which only "
                                        f"{', '.join(sorted(owners))} may include")
    for module in sorted(modules):
        if room_of(module) is None:
            problems.append(f"{module}: in no room (add it to tests/check-includes.py and "
                            "docs/architecture.md)")
    used = set()
    for module, incs in sorted(edges.items()):
        src = room_of(module)
        for inc, path in sorted(incs.items()):
            dst = room_of(inc)
            if src is None or dst is None or dst == src:
                continue
            if dst in ALLOWED[src]:
                continue
            if (module, inc) in EXCEPTIONS:
                used.add((module, inc))
                continue
            problems.append(f"{path}: {src} module '{module}' includes {inc}.h ({dst}): "
                            f"{src} may include {', '.join(ALLOWED[src]) or 'nothing else'}")
    for e in sorted(EXCEPTIONS - used):
        problems.append(f"exception {e[0]} -> {e[1]} no longer happens: remove it from the list")
    # cycles between headers (a.h includes b.h ... includes a.h). A .c may include the
    # headers of the modules it drives (analysis.c: trace, counts, memory) while their
    # headers include its own: that shares the analysis types, it is no cycle.
    state = {}

    def visit(m, stack):
        state[m] = 1
        for n in sorted(header_edges.get(m, ())):
            if state.get(n) == 1:
                cyc = stack[stack.index(n):] + [n]
                problems.append("include cycle: " + " -> ".join(cyc))
            elif n not in state:
                visit(n, stack + [n])
        state[m] = 2

    for m in sorted(header_edges):
        if m not in state:
            visit(m, [m])
    for p in problems:
        print(p)
    print(f"{len(modules)} modules, {sum(len(v) for v in edges.values())} includes, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
