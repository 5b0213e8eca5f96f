#!/usr/bin/env bash
# The method on the public PP-OCR models (task heads): the direction
# classifier (classify, 50% and 30% budgets), the PP-OCRv4 recognizer (ctc,
# 60% and 40%) and the PP-OCRv4 detector (dense, 60% and 40%), each tailored
# for this machine (local, auto backend, one thread) on generated label text
# (scripts/generate-ocr-data, seed 1; docs/ocr-data.md) with
# examples/ppocr-{cls,rec,det}.toml, from an empty output folder.
#
# Per model: wall time and peak RSS of the whole `bespoke-opt run`
# (/usr/bin/time -v), the teacher's and every student's task metric (accuracy,
# line accuracy, box F1) and latency from its report.json; then, as a
# baseline, the teacher pruned uniformly (PRUNE_RATIOS) and fine-tuned by the
# same distillation (`bespoke-opt baseline --prune`), compared with each
# student at equal latency (the pruned model closest to the student's
# latency). Writes benchmarks/results/ocr.json and prints a Markdown table.
#
#   benchmarks/ocr.sh          # several hours on 2 cores (the detector is the longest)
#
# Environment: BUILD_DIR (default build), OUT_DIR (default out/ocr, removed
# first), MODELS (default "cls rec det"), THREADS (LibTorch, default 2),
# PRUNE_RATIOS (default "0.3 0.5 0.7"; "" skips the baselines). The data goes
# where the example configs read it (out/data/ocr-{cls,rec,det}).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$(realpath -m "${BUILD_DIR:-$root/build}")
work=$(realpath -m "${OUT_DIR:-$root/out/ocr}")
threads=${THREADS:-2}
models=${MODELS:-cls rec det}
prune_ratios=${PRUNE_RATIOS-0.3 0.5 0.7}
opt="$build_dir/bin/bespoke-opt"
[[ -x "$opt" ]] || { echo "ocr.sh: $opt missing: run scripts/build" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "ocr.sh: /usr/bin/time missing: run scripts/install-deps (package time)" >&2; exit 1; }
[[ -f "$root/.assets/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx" ]] ||
  { echo "ocr.sh: the PP-OCR models are missing: run scripts/install-deps" >&2; exit 1; }
export OMP_WAIT_POLICY=PASSIVE
rm -rf "$work"
mkdir -p "$work" "$here/results"

# The data sets of the example configs' comments (same counts and seed).
gen="$root/scripts/generate-ocr-data"
for m in $models; do
  case "$m" in
    cls) args=(cls "$root/out/data/ocr-cls" --height 48 --width 192 --train 4000 --val 300 --test 500) ;;
    rec) args=(rec "$root/out/data/ocr-rec" --height 48 --width 320 --train 4000 --val 300 --test 500) ;;
    det) args=(det "$root/out/data/ocr-det" --size 320 --train 2000 --val 200 --test 300) ;;
    *) echo "ocr.sh: unknown model '$m' (cls, rec, det)" >&2; exit 2 ;;
  esac
  echo "== data: generate-ocr-data ${args[*]} --seed 1"
  /usr/bin/python3 "$gen" "${args[@]}" --seed 1
done

# Uniform pruning needs `bespoke-opt baseline --prune`; without it the table has no baseline rows.
baseline_note=""
if [[ -n "$prune_ratios" ]] && ! "$opt" baseline --help 2>/dev/null | grep -q -- "--prune"; then
  baseline_note="bespoke-opt baseline --prune is not available in this build: no baselines"
  prune_ratios=""
fi

for m in $models; do
  cfg="$root/examples/ppocr-$m.toml"
  out="$work/ppocr-$m"
  echo "== $m: bespoke-opt run examples/ppocr-$m.toml --out $out --threads $threads"
  status=0
  /usr/bin/time -v -o "$work/$m.time" "$opt" run "$cfg" --out "$out" --threads "$threads" > "$work/$m.log" 2>&1 ||
    status=$?
  echo "$status" > "$work/$m.status"
  tail -n 15 "$work/$m.log"
  # Exit 1: a student missed its budget or floor (still a result); more: the run failed.
  if ((status > 1)) || [[ ! -f "$out/report.json" ]]; then
    echo "ocr.sh: $m: bespoke-opt run exited $status (log $work/$m.log)" >&2
    continue
  fi
  first_target=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["targets"][0]["name"])' \
    "$out/report.json")
  for ratio in $prune_ratios; do
    echo "== $m: baseline, uniform pruning at $ratio with distillation (target $first_target)"
    b="$work/baseline-$m-$ratio"
    bstatus=0
    "$opt" baseline "$cfg" --target "$first_target" --prune "$ratio" --out "$b" --threads "$threads" \
      > "$work/baseline-$m-$ratio.log" 2>&1 || bstatus=$?
    if ((bstatus != 0)); then
      echo "ocr.sh: $m: baseline at $ratio exited $bstatus (log $work/baseline-$m-$ratio.log); skipped"
      echo "$bstatus" > "$work/baseline-$m-$ratio.failed"
    fi
  done
done

/usr/bin/python3 - "$work" "$here/results/ocr.json" "$baseline_note" $models <<'PY'
"""Collects the reports, /usr/bin/time figures and baselines into results/ocr.json and a Markdown table."""
import glob
import json
import os
import re
import sys

work, result_path, baseline_note, models = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]


def time_v(path):
    """Wall seconds and peak RSS (MiB) from /usr/bin/time -v."""
    text = open(path).read() if os.path.isfile(path) else ""
    wall = rss = None
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        parts = [float(p) for p in m.group(1).split(":")]
        wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) / 1024
    return wall, rss


def baselines(model, task):
    found, notes = [], []
    prefix = os.path.join(work, f"baseline-{model}-")
    for log in sorted(glob.glob(prefix + "*.log")):
        ratio = log[len(prefix):-len(".log")]
        try:
            b = json.load(open(prefix + ratio + "/baseline.json"))
        except (OSError, ValueError):
            notes.append(f"pruning {ratio}: no baseline.json (log {log})")
            continue
        score = b.get("score")
        if score is None and task == "classify":
            score = b.get("accuracy")
        if score is None:
            notes.append(f"pruning {ratio}: baseline.json has no {task} metric yet (only a classifier's accuracy)")
            continue
        found.append({"kind": b.get("kind", "uniform_pruning"), "setting": b.get("setting", ratio), "ratio": float(ratio),
                      "metric": b.get("metric", "accuracy"), "score": score, "latency_ms": b.get("latency_ms"),
                      "teacher_ms": b.get("teacher_ms"), "params": b.get("params"), "flops": b.get("flops")})
    return found, notes


def at_equal_latency(found, latency):
    """The baseline whose latency is closest to the student's (the comparison the table makes)."""
    timed = [b for b in found if b.get("latency_ms")]
    return min(timed, key=lambda b: abs(b["latency_ms"] - latency)) if timed and latency else None


results = {"models": [], "note": baseline_note}
rows = []
for m in models:
    entry = {"model": m, "config": f"examples/ppocr-{m}.toml"}
    status_file = os.path.join(work, f"{m}.status")
    entry["exit_status"] = int(open(status_file).read()) if os.path.isfile(status_file) else None
    entry["wall_s"], entry["peak_rss_mb"] = time_v(os.path.join(work, f"{m}.time"))
    report_path = os.path.join(work, f"ppocr-{m}", "report.json")
    if not os.path.isfile(report_path):
        entry["error"] = f"no report.json (log {work}/{m}.log)"
        results["models"].append(entry)
        rows.append(f"| {m} | - | - | - | - | - | - | - | - | run failed (exit {entry['exit_status']}) |")
        continue
    report = json.load(open(report_path))
    task = report.get("task", "classify")
    teacher = report["teacher"]
    entry.update({"task": task, "metric": teacher.get("metric", "accuracy"),
                  "teacher": {"score": teacher.get("score", teacher.get("accuracy")),
                              "metrics": teacher.get("metrics", {}), "latency_ms": teacher.get("latency_ms")}})
    found, notes = baselines(m, task)
    entry["baselines"], entry["baseline_notes"] = found, notes
    entry["targets"] = []
    for t in report["targets"]:
        student = {k: t.get(k) for k in ("name", "budget_ms", "teacher_latency_ms", "latency_ms", "predicted_ms",
                                         "score", "metrics", "meets_budget", "acceptance", "status", "params", "flops",
                                         "sha256")}
        if student["score"] is None:
            student["score"] = t.get("accuracy")
        base = at_equal_latency(found, student["latency_ms"])
        student["baseline_at_equal_latency"] = base
        entry["targets"].append(student)
        tms = student["teacher_latency_ms"] or entry["teacher"]["latency_ms"]
        speed = f"{tms / student['latency_ms']:.2f}x" if tms and student["latency_ms"] else "-"

        def fmt(v, p=4):
            return "-" if v is None else f"{v:.{p}f}"

        rows.append(
            f"| {m} | {student['name']} | {entry['metric']} | {fmt(entry['teacher']['score'])} | {fmt(student['score'])} | "
            f"{fmt(tms, 3)} | {fmt(student['latency_ms'], 3)} ({speed}) | {fmt(student['budget_ms'], 3)} | "
            + (f"{fmt(base['score'])} @ {fmt(base['latency_ms'], 3)} ms (prune {base['ratio']})" if base else "-")
            + f" | {student['status'] or ''} |")
    results["models"].append(entry)

with open(result_path, "w") as f:
    json.dump(results, f, indent=1)
    f.write("\n")

print()
print("| model | target | metric | teacher | student | teacher ms | student ms | budget ms | uniform pruning + KD at equal latency | status |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print("\n".join(rows))
print()
for e in results["models"]:
    if e.get("wall_s") is not None:
        print(f"{e['model']}: bespoke-opt run {e['wall_s'] / 60:.1f} min ({e['wall_s']:.0f} s), peak RSS {e['peak_rss_mb']:.0f} MiB, "
              f"exit {e['exit_status']}")
    for n in e.get("baseline_notes", []):
        print(f"{e['model']}: {n}")
if baseline_note:
    print(baseline_note)
print(f"results: {result_path}")
PY
