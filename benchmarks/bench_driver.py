#!/usr/bin/env python3
"""Interleaved latency/memory comparison of bespoke, ONNX Runtime and LibTorch.

Every measurement is one fresh process (load, warm-up, timed runs) whose peak
RSS is read from the kernel when it is reaped (os.wait4), so every engine is
measured the same way. Rounds interleave models, thread counts and engines
(the order rotates every round) so that a change of machine load during the
run hits every engine alike; the reported median is the median of the
per-round medians. Ratios bespoke/peer come from medians of this same run.

Called by run.sh, which prepares <models-dir>/<name>/{model.onnx,model.bspk,model.pt}.
"""
import argparse
import datetime
import json
import os
import platform
import selectors
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BESPOKE_BACKENDS = ["auto", "xnnpack", "onednn"]


def run_measured(cmd, env=None):
    """Runs cmd; returns (its last JSON line on stdout, its peak RSS in MiB)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    sel = selectors.DefaultSelector()
    chunks = {proc.stdout: [], proc.stderr: []}
    for f in chunks:
        sel.register(f, selectors.EVENT_READ)
    while sel.get_map():  # drain both pipes so the child never blocks on a full one
        for key, _ in sel.select():
            data = os.read(key.fileobj.fileno(), 65536)
            if data:
                chunks[key.fileobj].append(data)
            else:
                sel.unregister(key.fileobj)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = b"".join(chunks[proc.stdout]).decode(errors="replace")
    err = b"".join(chunks[proc.stderr]).decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}: {err.strip()[-800:]}")
    lines = [l for l in out.splitlines() if l.strip().startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(cmd)} printed no JSON: {out[-400:]} {err[-400:]}")
    return json.loads(lines[-1]), usage.ru_maxrss / 1024.0


class Engines:
    """Command lines of the measured engines."""

    def __init__(self, args):
        self.args = args
        self.available = ["bespoke-" + b for b in args.bespoke_backends]
        if args.node and os.path.exists(os.path.join(HERE, "ort_bench.js")):
            self.available.append("onnxruntime")
        if args.libtorch_bench:
            self.available.append("libtorch")

    def command(self, engine, model_dir, threads, warmup, runs):
        a = self.args
        if engine.startswith("bespoke-"):
            return [a.bespoke_bench, os.path.join(model_dir, "model.bspk"), "--backend", engine[len("bespoke-"):],
                    "--threads", str(threads), "--warmup", str(warmup), "--runs", str(runs), "--json",
                    "--no-profile"]  # the peers time without a profiler too
        if engine == "onnxruntime":
            return [a.node, os.path.join(HERE, "ort_bench.js"), "--model", os.path.join(model_dir, "model.onnx"),
                    "--threads", str(threads), "--warmup", str(warmup), "--runs", str(runs)]
        if engine == "libtorch":
            return [a.libtorch_bench, os.path.join(model_dir, "model.pt"), "--threads", str(threads),
                    "--warmup", str(warmup), "--runs", str(runs)]
        raise ValueError(engine)

    def baseline_command(self, engine):
        """The same program without a model, for the process-RSS baseline of bespoke."""
        if engine.startswith("bespoke-"):
            return [self.args.bespoke_bench, "--help"]
        return None


def rotate(items, k):
    k %= max(1, len(items))
    return items[k:] + items[:k]


def summarize(samples):
    """Per (model, threads, engine): medians over rounds of the per-process statistics."""
    med = lambda key: statistics.median(s[key] for s in samples)
    out = {
        "median_ms": med("median_ms"),
        "p90_ms": med("p90_ms"),
        "min_ms": min(s["min_ms"] for s in samples),
        "load_ms": med("load_ms"),
        "peak_rss_mb": med("peak_rss_mb"),
        "rounds": len(samples),
        "round_medians_ms": [round(s["median_ms"], 4) for s in samples],
        "runs": [s.get("runs") for s in samples],
        "loadavg_1min": [round(s["loadavg_1min"], 2) for s in samples],
    }
    if all(s.get("model_rss_mb") is not None for s in samples):
        out["model_rss_mb"] = med("model_rss_mb")
    for key in ("backend", "backends", "version", "arena_bytes", "weights_bytes", "blocks"):
        if key in samples[-1]:
            out[key] = samples[-1][key]
    return out


def ratio(a, b):
    return round(a / b, 4) if a and b else None


def system_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "logical_cpus": os.cpu_count(), "platform": platform.platform(),
            "loadavg_start": list(os.getloadavg())}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models-dir", required=True)
    p.add_argument("--models", default="mobilenet_v2,mobilenet_v3_small,efficientnet_b0,resnet18,shufflenet_v2_x0_5")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--seconds-per-measurement", type=float, default=15.0,
                   help="after round 1, cap runs so one process's timed runs take about this long")
    p.add_argument("--reference-runs", type=int, default=2, help="timed runs of the slow reference backend")
    p.add_argument("--bespoke-bench", required=True)
    p.add_argument("--bespoke-backends", default=",".join(BESPOKE_BACKENDS))
    p.add_argument("--node", default="")
    p.add_argument("--libtorch-bench", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--note", default="", help="free text stored in the results (e.g. machine load)")
    args = p.parse_args()
    args.bespoke_backends = [b for b in args.bespoke_backends.split(",") if b]
    models = [m for m in args.models.split(",") if m]
    threads_list = [int(t) for t in args.threads.split(",")]
    engines = Engines(args)

    info = system_info()
    started = time.time()
    samples = {}  # (model, threads, engine) -> [per-round JSON]
    errors = []
    bespoke_baseline = 0.0

    def record(model, threads, engine, warmup, runs):
        model_dir = os.path.join(args.models_dir, model)
        try:
            result, peak_rss = run_measured(engines.command(engine, model_dir, threads, warmup, runs))
        except (RuntimeError, OSError) as e:
            errors.append(f"{model} x{threads} {engine}: {e}")
            print(f"  ERROR {errors[-1]}", file=sys.stderr)
            return
        result["peak_rss_mb"] = peak_rss  # the kernel's number, same method for every engine
        if engine.startswith("bespoke-"):
            result["model_rss_mb"] = peak_rss - bespoke_baseline
            # bespoke-bench's load_ms is already file load + verify + session
            # creation (weight packing): comparable with ORT's session creation
            # and LibTorch's load + optimize.
        result["loadavg_1min"] = os.getloadavg()[0]
        samples.setdefault((model, threads, engine), []).append(result)
        print(f"  {model:20s} x{threads} {engine:16s} median {result['median_ms']:9.3f} ms  "
              f"load {result.get('load_ms', 0):8.1f} ms  peak RSS {peak_rss:7.1f} MiB", flush=True)

    # RSS of bespoke-bench without a model: what the program and its libraries cost.
    bespoke_baseline = run_baseline(engines.baseline_command("bespoke-auto"))

    def runs_for(model, threads, engine):
        """Fewer runs where one run is slow (a loaded machine), to bound each process's time."""
        previous = samples.get((model, threads, engine))
        if not previous:
            return args.warmup, args.runs
        per_run_ms = max(previous[-1]["median_ms"], 1e-3)
        runs = int(max(5, min(args.runs, args.seconds_per_measurement * 1000 / per_run_ms)))
        return min(args.warmup, runs), runs

    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}  (load average {os.getloadavg()[0]:.1f})", flush=True)
        combos = rotate([(m, t) for m in models for t in threads_list], r)
        for model, threads in combos:
            for engine in rotate(list(engines.available), r):
                record(model, threads, engine, *runs_for(model, threads, engine))
    if "reference" not in args.bespoke_backends:
        print("reference backend (few runs, once)", flush=True)
        for model in models:
            for threads in threads_list:
                record(model, threads, "bespoke-reference", 1, args.reference_runs)

    results = []
    for model in models:
        for threads in threads_list:
            entry = {"model": model, "threads": threads, "engines": {}}
            for engine in engines.available + ["bespoke-reference"]:
                s = samples.get((model, threads, engine))
                if s:
                    entry["engines"][engine] = summarize(s)
            e = entry["engines"]
            med = lambda k: e[k]["median_ms"] if k in e else None
            best = min((med(k), k) for k in e if k.startswith("bespoke-") and k != "bespoke-reference") \
                if any(k.startswith("bespoke-") and k != "bespoke-reference" for k in e) else (None, None)
            entry["ratios"] = {
                "bespoke_auto_over_onnxruntime": ratio(med("bespoke-auto"), med("onnxruntime")),
                "bespoke_auto_over_libtorch": ratio(med("bespoke-auto"), med("libtorch")),
                "bespoke_best_over_onnxruntime": ratio(best[0], med("onnxruntime")),
                "bespoke_best_over_libtorch": ratio(best[0], med("libtorch")),
                "bespoke_best_backend": best[1],
            }
            results.append(entry)

    info["loadavg_end"] = list(os.getloadavg())
    doc = {
        "generated": datetime.datetime.now().isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "method": {
            "rounds": args.rounds, "warmup": args.warmup, "runs_per_round": args.runs,
            "reference_runs": args.reference_runs, "batch": 1, "dtype": "fp32",
            "median_ms": "median over rounds of each process's median latency (interleaved rounds)",
            "load_ms": "bespoke: file load + session creation; ONNX Runtime: InferenceSession.create; "
                       "LibTorch: torch::jit::load + optimize_for_inference",
            "peak_rss_mb": "peak RSS of the benchmark process (os.wait4), same for every engine",
            "model_rss_mb": "peak RSS minus the same program's RSS without a model (ONNX Runtime, LibTorch: "
                            "in-process before the model is loaded; bespoke: bespoke-bench --help run)",
            "ratios": "bespoke median / peer median (< 1 = bespoke faster)",
        },
        "system": info,
        "note": args.note,
        "bespoke_baseline_rss_mb": bespoke_baseline,
        "results": results,
        "errors": errors,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print_table(doc)
    return 1 if errors else 0


def run_baseline(cmd):
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        return usage.ru_maxrss / 1024.0
    except OSError:
        return 0.0


def print_table(doc):
    engines = []
    for r in doc["results"]:
        for e in r["engines"]:
            if e not in engines:
                engines.append(e)
    head = "| model | thr | " + " | ".join(engines) + " | auto/ORT | auto/LibTorch |"
    print("\nmedian latency, ms (peak RSS MiB)")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in doc["results"]:
        cells = []
        for e in engines:
            s = r["engines"].get(e)
            cells.append(f"{s['median_ms']:.2f} ({s['peak_rss_mb']:.0f})" if s else "-")
        ra = r["ratios"]
        fmt = lambda v: f"{v:.2f}" if v is not None else "-"
        print(f"| {r['model']} | {r['threads']} | " + " | ".join(cells) +
              f" | {fmt(ra['bespoke_auto_over_onnxruntime'])} | {fmt(ra['bespoke_auto_over_libtorch'])} |")
    if doc["errors"]:
        print("\nerrors:")
        for e in doc["errors"]:
            print("  " + e)


if __name__ == "__main__":
    sys.exit(main())
