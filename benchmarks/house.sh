#!/usr/bin/env bash
# The model house of the demo teacher at full size (examples/house-demo.toml):
# builds it from scratch, measures wall time, CPU time and peak RSS, evaluates
# every alternative stitched alone into the teacher on the whole Fashion-MNIST
# test split through the runtime, and writes benchmarks/results/house.json
# (per kind: count, relative validation MSE quartiles, test accuracy median /
# worst / best, distillation time) plus a Markdown table on stdout.
#
#   benchmarks/house.sh                  # about 5-15 min on 2 cores
#
# Environment: BUILD_DIR (default build), CONFIG (default examples/house-demo.toml),
# HOUSE (default out/bench-house, removed first), THREADS (LibTorch, default 2),
# OUT (default benchmarks/results/house.json).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$(realpath -m "${BUILD_DIR:-$root/build}")
config=${CONFIG:-$root/examples/house-demo.toml}
house=$(realpath -m "${HOUSE:-$root/out/bench-house}")
threads=${THREADS:-2}
out=${OUT:-$here/results/house.json}
opt="$build_dir/bin/bespoke-opt"
[[ -x "$opt" ]] || { echo "house.sh: $opt missing: run scripts/build" >&2; exit 1; }

rm -rf "$house"
mkdir -p "$(dirname "$out")"
echo "== house build ($config -> $house, $threads threads)"
OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f '%e %U %S %M' -o "$house.time" \
  "$opt" house build "$config" --out "$house" --threads "$threads" | tee "$house.log"
echo "== house eval (test split, runtime auto, 1 thread)"
"$opt" house eval "$house" | tail -8
"$opt" house list "$house" --json > "$house.list.json"

/usr/bin/python3 - "$house" "$out" <<'PY'
import json, statistics, sys
house, out = sys.argv[1], sys.argv[2]
wall, user, system, rss_kb = open(house + ".time").read().split()
build = json.load(open(house + "/build-report.json"))
evaluation = json.load(open(house + "/evaluation.json"))
alternatives = json.load(open(house + ".list.json"))
accuracy = {a["key"]: a["accuracy"] for a in evaluation["alternatives"]}
teacher = evaluation["teacher_accuracy"]
kinds = {}
for a in alternatives:
    if a["status"] != "done":
        continue
    k = kinds.setdefault(a["kind"], {"rel_mse": [], "accuracy": [], "seconds": []})
    k["rel_mse"].append(a["rel_mse"]); k["accuracy"].append(accuracy[a["key"]]); k["seconds"].append(a["seconds"])
everything = {"rel_mse": [], "accuracy": [], "seconds": []}
for k in kinds.values():
    for f in everything:
        everything[f] += k[f]
kinds["all"] = everything
def quartiles(v):
    q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0]] * 3
    return {"min": min(v), "q1": q[0], "median": q[1], "q3": q[2], "max": max(v)}
summary = {}
for name, k in kinds.items():
    summary[name] = {"count": len(k["accuracy"]), "rel_mse": quartiles(k["rel_mse"]),
                     "accuracy_median": statistics.median(k["accuracy"]), "accuracy_worst": min(k["accuracy"]),
                     "accuracy_best": max(k["accuracy"]), "seconds_mean": statistics.mean(k["seconds"])}
result = {"config": open(house + "/config.toml").read(), "wall_seconds": float(wall),
          "cpu_seconds": float(user) + float(system), "peak_rss_mib": int(rss_kb) / 1024, "build": build,
          "teacher_test_accuracy": teacher, "test_images": evaluation["samples"], "kinds": summary}
json.dump(result, open(out, "w"), indent=2)
print(f"\nwall {float(wall)/60:.1f} min, CPU {result['cpu_seconds']/60:.1f} min, peak RSS {result['peak_rss_mib']:.0f} MiB; "
      f"teacher {100*teacher:.2f}% on {evaluation['samples']} test images\n")
print("| kind | count | rel. val. MSE min / q1 / median / q3 / max | test acc. median | worst | best | median - teacher | s per alternative |")
print("|---|---|---|---|---|---|---|---|")
for name in ["drop", "pretrained", "pruned", "low_rank", "all"]:
    if name not in summary:
        continue
    s = summary[name]; r = s["rel_mse"]
    print(f"| {name} | {s['count']} | {r['min']:.3f} / {r['q1']:.3f} / {r['median']:.3f} / {r['q3']:.3f} / {r['max']:.3f} | "
          f"{100*s['accuracy_median']:.2f}% | {100*s['accuracy_worst']:.2f}% | {100*s['accuracy_best']:.2f}% | "
          f"{100*(s['accuracy_median']-teacher):+.2f} pt | {s['seconds_mean']:.1f} |")
print(f"\nwritten: {out}")
PY
