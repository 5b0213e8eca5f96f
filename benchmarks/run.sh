#!/usr/bin/env bash
# Reproducible speed comparison of bespoke with ONNX Runtime and LibTorch on
# this machine, in one run: torchvision CNNs, 224x224, batch 1, fp32, 1 and 2
# threads. Writes benchmarks/results/results.json and ratios.png.
#
#   benchmarks/run.sh            # full run (10-20 min on 2 cores, depending on load)
#   benchmarks/run.sh --quick    # 1 round, few runs: checks the pipeline
#
# Environment: BUILD_DIR (default build), PYTHON (/usr/bin/python3: torch,
# torchvision, numpy, matplotlib), NODE (node), BESPOKE_ORT_NODE_MODULES
# (.assets/ort/node_modules), MODELS, THREADS, ROUNDS, RUNS, WARMUP, OUT_DIR,
# NO_BUILD=1 (use the binaries as they are), NOTE (stored with the results),
# NICE (scheduling priority of every measured process, e.g. -10 as root on a
# machine shared with other work; the same for all engines).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$(realpath -m "${BUILD_DIR:-$root/build}")
python=${PYTHON:-/usr/bin/python3}
node=${NODE:-$(command -v node || true)}
models=${MODELS:-mobilenet_v2,mobilenet_v3_small,efficientnet_b0,resnet18,shufflenet_v2_x0_5}
threads=${THREADS:-1,2}
rounds=${ROUNDS:-3}
runs=${RUNS:-30}
warmup=${WARMUP:-5}
if [[ "${1:-}" == "--quick" ]]; then
  rounds=1 runs=5 warmup=2
fi
out_dir=${OUT_DIR:-$here/results}
fixtures_dir="$build_dir/fixtures/torchvision"
models_dir="$build_dir/benchmarks/models"

step() { printf '\n== %s\n' "$*"; }

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  step "building the tools in $build_dir"
  targets=(bespoke-bench bespoke-convert)
  if grep -q '^libtorch_bench:' <(cmake --build "$build_dir" --target help 2>/dev/null | sed 's/^\.\.\. //; s/ .*//; s/$/:/'); then
    targets+=(libtorch_bench)
  fi
  cmake --build "$build_dir" --target "${targets[@]}" -j "${JOBS:-2}"
fi
bench="$build_dir/bin/bespoke-bench"
convert="$build_dir/bin/bespoke-convert"
libtorch_bench="$build_dir/bin/libtorch_bench"
[[ -x "$bench" && -x "$convert" ]] || { echo "run.sh: $bench or $convert missing (build first)" >&2; exit 1; }
[[ -x "$libtorch_bench" ]] || { echo "run.sh: no libtorch_bench (needs BESPOKE_BUILD_OPTIMIZER + Torch); LibTorch skipped" >&2; libtorch_bench=""; }
if [[ -n "$node" ]] && ! "$node" -e "require('$here/../tests/fixtures/ort_load.js').loadOrt()" 2>/dev/null; then
  echo "run.sh: onnxruntime-node not loadable (set BESPOKE_ORT_NODE_MODULES); ONNX Runtime skipped" >&2
  node=""
fi

step "models: ONNX fixtures (tests/onnx/export_torchvision.py), TorchScript twins, .bspk"
IFS=, read -r -a model_list <<<"$models"
"$python" "$root/tests/onnx/export_torchvision.py" "$fixtures_dir" "${model_list[@]}"
if [[ -n "$libtorch_bench" ]]; then
  "$python" "$here/export_torchscript.py" "$fixtures_dir" "$models_dir" "${model_list[@]}"
fi
for m in "${model_list[@]}"; do
  mkdir -p "$models_dir/$m"
  ln -sf "$fixtures_dir/$m/model.onnx" "$models_dir/$m/model.onnx"
  if [[ ! -f "$models_dir/$m/model.bspk" || "$fixtures_dir/$m/model.onnx" -nt "$models_dir/$m/model.bspk" \
        || "$convert" -nt "$models_dir/$m/model.bspk" ]]; then
    "$convert" "$fixtures_dir/$m/model.onnx" -o "$models_dir/$m/model.bspk"
  fi
done

step "measuring (rounds=$rounds runs=$runs warmup=$warmup threads=$threads; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
mkdir -p "$out_dir"
status=0
nice -n "${NICE:-0}" "$python" "$here/bench_driver.py" --models-dir "$models_dir" --models "$models" --threads "$threads" \
  --rounds "$rounds" --runs "$runs" --warmup "$warmup" --bespoke-bench "$bench" --node "$node" \
  --libtorch-bench "$libtorch_bench" --out "$out_dir/results.json" \
  --note "${NOTE:-}${NICE:+ (measured processes at nice ${NICE})}" || status=$?

step "plot"
if "$python" -c "import matplotlib" 2>/dev/null; then
  "$python" "$here/plot_results.py" "$out_dir/results.json" "$out_dir/ratios.png"
else
  echo "run.sh: matplotlib missing for $python (Debian: apt-get install python3-matplotlib); no plot" >&2
fi
exit $status
