#!/usr/bin/env bash
# The method's quality on the shipped teacher (issue #12, "Quality, measured"):
#  * Bespoke students at 50%, 25% and 15% of the teacher's latency measured on this
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
# this run), EPOCHS (fine-tuning, default 3), THREADS (LibTorch, default 2), PRUNE_RATIOS (default
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

# The benchmark's config: the demo's, with targets at 50% and 25%, fine-tuning
# EPOCHS (default 3) epochs on all training images.
epochs=${EPOCHS:-3}
make_config() {  # name strategy
  /usr/bin/python3 - "$root/examples/pipeline-demo.toml" "$work/$1" "$2" "$epochs" > "$work/$1.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = text.replace('"../', '"' + sys.argv[1].rsplit("/examples/", 1)[0] + "/")
text = re.sub(r'out = "[^"]*"', 'out = "%s"' % sys.argv[2], text)
text = re.sub(r'strategy = "[^"]*"', 'strategy = "%s"' % sys.argv[3], text)
text = re.sub(r'\[\[targets\]\][^\[]*', '', text)
text = re.sub(r'train_images = 20000', 'train_images = 0', text)
text = re.sub(r'\nepochs = [0-9.]+', '\nepochs = %s' % sys.argv[4], text)
for name, ratio in (("half", 0.5), ("quarter", 0.25), ("sixth", 0.15)):
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

echo "== Bespoke (annealing) at 50%, 25% and 15%"
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

# Every model of the table once more, side by side with the teacher in the same
# interleaved rounds (each method's own run measured it minutes apart from the
# others, on a machine whose speed drifts): the table's latency column.
"$opt" convert "$root/models/fashion_resnet.onnx" -o "$work/teacher.bspk" > /dev/null
models=("teacher=$work/teacher.bspk")
for t in half quarter sixth; do
  for m in bespoke random; do
    [[ -f "$work/$m/students/$t/student.bspk" ]] && models+=("$m/$t=$work/$m/students/$t/student.bspk")
  done
done
for d in "$work"/prune-* "$work"/scratch-*; do
  [[ -f "$d/baseline.json" ]] || continue
  name=$(/usr/bin/python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b["kind"] + "/" + b["setting"])' "$d/baseline.json")
  models+=("$name=$d/baseline.bspk")
done
/usr/bin/python3 "$here/side_by_side.py" --bench "$build_dir/bin/bespoke-bench" --out "$work/side-by-side" "${models[@]}" \
  > "$work/side-by-side.json"
/usr/bin/python3 "$here/quality_summary.py" "$work" "$here/results/quality.json" "$here/results/quality.png" \
  "$work/side-by-side.json"
