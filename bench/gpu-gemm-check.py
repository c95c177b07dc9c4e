#!/usr/bin/env python3
"""Checks a GPU profile's GEMM model against GEMMs timed independently in PyTorch.

For each network, `augur inspect` gives every conv and fc layer's GEMMs (n, k, m, count)
and `augur estimate --unit gpu --layers` the GEMM time the profile predicts for them;
this script times the same GEMMs with torch.mm on the GPU (fp32, TF32 off, as
cublasSgemm runs them; `count` calls replayed from a CUDA graph, timed with CUDA events,
the median of several replays) and
prints predicted against measured, per network and over all layers. PyTorch's GEMMs
are cuBLAS's too, but launched and timed by other code than augur's harness, on shapes
the calibration did not fit: a held-out check of the model, not of a whole framework
(convolutions in a framework would use cuDNN's own kernels, not im2col + GEMM).

    bench/gpu-gemm-check.py AUGUR PROFILE NET.yaml... [--json OUT]
"""
import json
import statistics
import subprocess
import sys


def augur_json(augur, *args):
    out = subprocess.run([augur, *args, "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def time_gemm(torch, n, k, m, count, reps=7):
    """Median ms of `count` calls of an n x k by k x m fp32 GEMM, replayed from a CUDA
    graph so that Python's launch overhead (about 10 us a call, more than many of these
    GEMMs take) is not counted: what is left is the GPU's time, launches included."""
    a = torch.randn(n, k, device="cuda")
    b = torch.randn(k, m, device="cuda")
    c = torch.empty(n, m, device="cuda")
    calls = max(count, 1)
    inner = max(1, 200 // calls)
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):  # warm-up outside the graph (cuBLAS handles, heuristics)
        for _ in range(3):
            torch.mm(a, b, out=c)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for _ in range(inner * calls):
            torch.mm(a, b, out=c)
    graph.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / inner)
    return statistics.median(times)


def main():
    args = sys.argv[1:]
    out_json = None
    if "--json" in args:
        i = args.index("--json")
        out_json = args[i + 1]
        del args[i:i + 2]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    augur, profile, nets = args[0], args[1], args[2:]
    import torch
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    rows, summary = [], []
    for net in nets:
        ins = augur_json(augur, "inspect", net)
        est = augur_json(augur, "estimate", net, "--device", profile, "--unit", "gpu",
                         "--layers")
        pred = {l["name"]: l["gemm_ms"] for l in est["units"][0]["layers"]}
        p_sum = m_sum = 0.0
        for layer in ins["layers"]:
            g = layer.get("gemm")
            if not g:
                continue
            measured = time_gemm(torch, g["n"], g["k"], g["m"], g["count"])
            predicted = pred[layer["name"]]
            p_sum += predicted
            m_sum += measured
            rows.append({"network": ins["network"], "layer": layer["name"],
                         "n": g["n"], "k": g["k"], "m": g["m"], "count": g["count"],
                         "predicted_ms": predicted, "measured_ms": measured})
        err = (p_sum - m_sum) / m_sum if m_sum else float("nan")
        summary.append({"network": ins["network"], "predicted_ms": p_sum,
                        "measured_ms": m_sum, "error": err})
        print(f"{ins['network']:<14} GEMMs predicted {p_sum:9.3f} ms, "
              f"torch.mm {m_sum:9.3f} ms, error {100 * err:+6.1f}%")
    errs = [abs(r["predicted_ms"] - r["measured_ms"]) / r["measured_ms"] for r in rows
            if r["measured_ms"] > 0]
    within = sum(e <= 0.10 for e in errs)
    print(f"per layer: median |error| {100 * statistics.median(errs):.1f}%, "
          f"{within} of {len(errs)} within 10%, max {100 * max(errs):.0f}%")
    if out_json:
        with open(out_json, "w") as f:
            json.dump({"device": torch.cuda.get_device_name(), "torch": torch.__version__,
                       "networks": summary, "layers": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
