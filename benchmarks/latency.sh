#!/usr/bin/env bash
# Latency feedback on the demo teacher's house (examples/profile-demo.toml):
# profiles it from scratch for two targets of this machine (pc-1t: backend
# auto, 1 thread; pc-xnnpack-2t: XNNPACK, 2 threads), times each profile, then
# checks the table's predictions on 20 random students measured end to end
# (median and worst error, how many within 10%), and writes
# benchmarks/results/latency.json with the machine's load around each run.
#
#   benchmarks/latency.sh        # about 1-3 min per target on 2 cores
#
# Needs the house: bespoke-opt house build examples/house-demo.toml (or a copy
# of one at out/house-demo). Environment: BUILD_DIR (default build), CONFIG
# (default examples/profile-demo.toml), TARGETS (default "pc-1t pc-xnnpack-2t"),
# CHECK (default 20), SEED (default 1), OUT (default benchmarks/results/latency.json),
# NOTE (stored with the results).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$(realpath -m "${BUILD_DIR:-$root/build}")
config=${CONFIG:-$root/examples/profile-demo.toml}
targets=${TARGETS:-pc-1t pc-xnnpack-2t}
check=${CHECK:-20}
seed=${SEED:-1}
out=${OUT:-$here/results/latency.json}
opt="$build_dir/bin/bespoke-opt"
[[ -x "$opt" ]] || { echo "latency.sh: $opt missing: run scripts/build" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

for t in $targets; do
  echo "== profile $t (from scratch) + --check $check"
  cut -d' ' -f1-3 /proc/loadavg > "$work/$t.load-before"
  start=$(date +%s.%N)
  OMP_WAIT_POLICY=PASSIVE "$opt" profile "$config" --target "$t" --fresh --json > "$work/$t.profile.json"
  end=$(date +%s.%N)
  echo "$start $end" > "$work/$t.time"
  OMP_WAIT_POLICY=PASSIVE "$opt" profile "$config" --target "$t" --check "$check" --seed "$seed" --json \
    > "$work/$t.check.json"
  cut -d' ' -f1-3 /proc/loadavg > "$work/$t.load-after"
done

/usr/bin/python3 - "$work" "$out" "$config" "$check" "${NOTE:-}" $targets <<'PY'
import json, os, statistics, sys, time
work, out, config, check, note, targets = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6:]
result = {"config": os.path.relpath(config, os.path.dirname(os.path.dirname(out))), "check_students": check,
          "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "cores": os.cpu_count(), "note": note,
          "method": "each target profiled from scratch (--fresh); then --check: random students stitched from the "
                    "house, measured end to end interleaved with the teacher ([profile] warmup/runs/rounds, median of "
                    "round medians) and compared with the table's prediction; error = (predicted - measured) / measured",
          "targets": []}
print("| target | profile s | probes | teacher ms | drift | median err | worst err | within 10% |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for t in targets:
    p = json.load(open(f"{work}/{t}.profile.json"))
    c = json.load(open(f"{work}/{t}.check.json"))
    start, end = map(float, open(f"{work}/{t}.time").read().split())
    entry = {"target": t, "device": p["device"], "profile_seconds": round(end - start, 2),
             "probes": p["probes"], "alternatives": p["alternatives"], "teacher_ms": p["teacher_ms"],
             "teacher_drift": p["teacher_drift"],
             "median_error_percent": c["median_error_percent"], "worst_error_percent": c["worst_error_percent"],
             "within_10_percent": c["within_10_percent"], "check_teacher_ratio": c["check_teacher_ratio"],
             "load_before": open(f"{work}/{t}.load-before").read().split(),
             "load_after": open(f"{work}/{t}.load-after").read().split(),
             "students": c["students"]}
    result["targets"].append(entry)
    print(f"| {t} | {entry['profile_seconds']:.1f} | {entry['probes']} | {entry['teacher_ms']:.4f} | "
          f"{100 * entry['teacher_drift']:.1f}% | {entry['median_error_percent']:.1f}% | "
          f"{entry['worst_error_percent']:.1f}% | {entry['within_10_percent']}/{len(entry['students'])} |")
with open(out, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"wrote {out}")
PY
