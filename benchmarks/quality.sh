#!/usr/bin/env bash
# The method's quality on the shipped teacher (issue #12, "Quality, measured"):
#  * Bespoke students at 50% and 25% of the teacher's latency measured on this
#    machine (one thread, auto backend), searched by simulated annealing;
#  * baseline (iii): random search over the same house with the same number
#    of evaluations (the same house and latency tables, copied);
#  * baseline (i): uniform channel pruning of the teacher at several ratios;
#  * baseline (ii): small ResNets of the teacher's family from scratch;
#  (i) and (ii) get the same knowledge-distillation fine-tuning as the
#  students, (ii) with EPOCHS_SCRATCH epochs (default: the students' epochs
#  times 3, for the distillation work the house did for the students);
# each measured end to end on the same target and evaluated on the test
# split through the runtime. Writes benchmarks/results/quality.json, a
# Pareto plot benchmarks/results/quality.png, and a Markdown table on stdout.
#
#   benchmarks/quality.sh          # about 45-60 min on 2 cores
#
# Environment: BUILD_DIR (default build), OUT_DIR (default out/quality, removed
# first unless KEEP=1), HOUSE_FROM (a house built from the demo config, e.g.
# out/demo, copied instead of built again: its build time is then not part of
# this run), THREADS (LibTorch, default 2), PRUNE_RATIOS (default
# "0.5 0.75 0.9"), SCRATCH_ARCHS (default "resnet8-w8 resnet8-w16 resnet14-w16").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$(realpath -m "${BUILD_DIR:-$root/build}")
work=$(realpath -m "${OUT_DIR:-$root/out/quality}")
threads=${THREADS:-2}
opt="$build_dir/bin/bespoke-opt"
[[ -x "$opt" ]] || { echo "quality.sh: $opt missing: run scripts/build" >&2; exit 1; }
export OMP_WAIT_POLICY=PASSIVE
[[ ${KEEP:-0} == 1 ]] || rm -rf "$work"
mkdir -p "$work"

# The benchmark's config: the demo's, with targets at 50% and 25% and a longer fine-tuning.
make_config() {  # name strategy
  /usr/bin/python3 - "$root/examples/pipeline-demo.toml" "$work/$1" "$2" > "$work/$1.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = text.replace('"../', '"' + sys.argv[1].rsplit("/examples/", 1)[0] + "/")
text = re.sub(r'out = "[^"]*"', 'out = "%s"' % sys.argv[2], text)
text = re.sub(r'strategy = "[^"]*"', 'strategy = "%s"' % sys.argv[3], text)
text = re.sub(r'\n\[\[targets\]\][^\[]*', '\n', text)
text = re.sub(r'train_images = 20000', 'train_images = 0', text)
for name, ratio in (("half", 0.5), ("quarter", 0.25)):
    text += '\n[[targets]]\nname = "%s"\ndevice = "local"\nbackend = "auto"\nthreads = 1\nbudget_ratio = %s\n' % (name, ratio)
print(text)
PY
}
make_config bespoke anneal
make_config random random
if [[ -n ${HOUSE_FROM:-} ]]; then
  mkdir -p "$work/bespoke"
  cp "$HOUSE_FROM"/house.sqlite "$HOUSE_FROM"/*.bspk "$HOUSE_FROM"/config.toml "$HOUSE_FROM"/build-report.json "$work/bespoke/"
fi

echo "== Bespoke (annealing) at 50% and 25%"
/usr/bin/time -f '%e' -o "$work/bespoke.time" "$opt" run "$work/bespoke.toml" --threads "$threads" | tee "$work/bespoke.log" || true
echo "== baseline (iii): random search over the same house and latency tables"
mkdir -p "$work/random"
cp "$work/bespoke"/house.sqlite "$work/bespoke"/*.bspk "$work/bespoke"/config.toml "$work/random/"
"$opt" run "$work/random.toml" --threads "$threads" | tee "$work/random.log" || true

epochs=$(/usr/bin/python3 -c 'import re,sys; print(re.search(r"\nepochs = ([0-9.]+)", open(sys.argv[1]).read()).group(1))' "$work/bespoke.toml")
scratch_epochs=${EPOCHS_SCRATCH:-$(/usr/bin/python3 -c "print($epochs * 3)")}
for ratio in ${PRUNE_RATIOS:-0.5 0.75 0.9}; do
  echo "== baseline (i): uniform pruning at $ratio"
  "$opt" baseline "$work/bespoke.toml" --target half --prune "$ratio" --out "$work/prune-$ratio" --threads "$threads"
done
for arch in ${SCRATCH_ARCHS:-resnet8-w8 resnet8-w16 resnet14-w16}; do
  echo "== baseline (ii): $arch from scratch with distillation, $scratch_epochs epochs"
  "$opt" baseline "$work/bespoke.toml" --target half --arch "$arch" --epochs "$scratch_epochs" --out "$work/scratch-$arch" \
    --threads "$threads"
done

/usr/bin/python3 - "$work" "$here/results/quality.json" "$here/results/quality.png" <<'PY'
import glob, json, os, sys
work, out_json, out_png = sys.argv[1:4]
bespoke = json.load(open(os.path.join(work, "bespoke", "report.json")))
random = json.load(open(os.path.join(work, "random", "report.json")))
teacher = bespoke["teacher"]
baselines = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(work, "*", "baseline.json")))]
result = {"teacher": teacher, "bespoke": bespoke["targets"], "random_search": random["targets"],
          "baselines": baselines, "seconds": {"bespoke_pipeline": bespoke["seconds"], "random_pipeline": random["seconds"]},
          "machine": os.uname().nodename, "load_average": os.getloadavg()}
json.dump(result, open(out_json, "w"), indent=2)
rows = [("teacher", "", teacher["latency_ms"], teacher["accuracy"])]
rows += [("bespoke", t["name"], t["latency_ms"], t["accuracy"]) for t in bespoke["targets"]]
rows += [("random search", t["name"], t["latency_ms"], t["accuracy"]) for t in random["targets"]]
rows += [(b["kind"], b["setting"], b["latency_ms"], b["accuracy"]) for b in baselines]
print("| method | setting | latency ms | vs teacher | test accuracy | vs teacher |\n| --- | --- | --- | --- | --- | --- |")
for m, s, l, a in rows:
    print(f"| {m} | {s} | {l:.4f} | {100 * l / teacher['latency_ms']:.0f}% | {100 * a:.2f}% | {100 * (a - teacher['accuracy']):+.2f} |")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(8, 5))
groups = {}
for m, s, l, a in rows:
    groups.setdefault(m, []).append((l, 100 * a, s))
for m, pts in groups.items():
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], label=m, s=40)
    for l, a, s in pts:
        ax.annotate(s, (l, a), fontsize=7, xytext=(3, 3), textcoords="offset points")
ax.set_xlabel("latency, ms (end to end, 1 thread, median)")
ax.set_ylabel("test accuracy, %")
ax.set_title("Fashion-MNIST teacher: Bespoke students vs baselines")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(out_png, dpi=120)
print(f"\nwrote {out_json} and {out_png}")
PY
