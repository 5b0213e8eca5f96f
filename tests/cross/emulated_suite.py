#!/usr/bin/env python3
"""Runs converted models with a runtime built for another CPU (under qemu) and
compares every output with the x86-64 build's output for the same model,
input and backend — proof that the ARM and old-x86 builds compute the same
numbers. Models: a deterministic subset of the ONNX backend test data that the
converter supports, plus torchvision mobilenet_v2 when its fixture exists.

  emulated_suite.py --target aarch64|armhf|old-x86 --host-build build [--cross-build build-aarch64]

Prints one line per failure and a closing 'N passed, M failed, K skipped'.
Tolerance: |a - b| <= 1e-4 + 1e-3 * |b| (different SIMD paths and FMA use
change summation order, never the result beyond that)."""
import argparse
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTDATA = "/usr/share/libonnx-testdata/data"
RTOL, ATOL = 1e-3, 1e-4


def node_subset(limit):
    """Every pytorch-converted / pytorch-operator test, and an evenly spread
    sample of the node tests (all of them would take too long under qemu)."""
    chosen = []
    for suite in ("pytorch-converted", "pytorch-operator"):
        folder = os.path.join(TESTDATA, suite)
        if os.path.isdir(folder):
            chosen += [os.path.join(folder, d) for d in sorted(os.listdir(folder))]
    folder = os.path.join(TESTDATA, "node")
    if os.path.isdir(folder):
        node = [os.path.join(folder, d) for d in sorted(os.listdir(folder))]
        step = max(1, len(node) // limit)
        chosen += node[::step]
    return chosen


def run(cmd, timeout=300):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True, choices=["aarch64", "armhf", "old-x86"])
    ap.add_argument("--host-build", required=True)
    ap.add_argument("--cross-build")
    ap.add_argument("--node-tests", type=int, default=60)
    ap.add_argument("--backends", default="reference,xnnpack")
    args = ap.parse_args()

    host_bin = os.path.join(args.host_build, "bin")
    convert = os.path.join(host_bin, "bespoke-convert")
    host_run = os.path.join(host_bin, "bespoke-run")
    if args.target == "old-x86":
        target_run = host_run
    else:
        target_run = os.path.join(args.cross_build or os.path.join(ROOT, "build-" + args.target), "bin", "bespoke-run")
    emulate = [os.path.join(ROOT, "scripts", "run-emulated"), args.target]
    env = dict(os.environ)
    if args.cross_build:
        env["BESPOKE_CROSS_BUILD_DIR"] = os.path.abspath(args.cross_build)
    work = os.path.join(args.host_build, "emulated", args.target)
    os.makedirs(work, exist_ok=True)

    cases = []  # (name, model.onnx, [inputs], extra convert args)
    for d in node_subset(args.node_tests):
        sets = sorted(s for s in os.listdir(d) if s.startswith("test_data_set_")) if os.path.isdir(d) else []
        model = os.path.join(d, "model.onnx")
        if not sets or not os.path.exists(model):
            continue
        inputs = sorted(os.path.join(d, sets[0], f) for f in os.listdir(os.path.join(d, sets[0])) if f.startswith("input_"))
        cases.append((os.path.basename(d), model, inputs, []))
    mnv2 = os.path.join(args.host_build, "fixtures", "torchvision", "mobilenet_v2")
    if os.path.exists(os.path.join(mnv2, "model.onnx")):
        cases.append(("mobilenet_v2", os.path.join(mnv2, "model.onnx"), [os.path.join(mnv2, "input.npy")], []))
    else:
        print("emulated: mobilenet_v2 fixture missing (run the host tests first)", file=sys.stderr)

    passed = failed = skipped = 0
    for name, model, inputs, extra in cases:
        bspk = os.path.join(work, name + ".bspk")
        if not os.path.exists(bspk):
            r = run([convert, model, "-o", bspk] + extra)
            if r.returncode != 0:
                skipped += 1  # not supported by the converter: not part of this proof
                continue
        for backend in args.backends.split(","):
            want = os.path.join(work, f"{name}.{backend}.x86.npy")
            got = os.path.join(work, f"{name}.{backend}.{args.target}.npy")
            base = ["--backend", backend, "--threads", "1", "--output", "{}"]
            in_args = sum((["--input", i] for i in inputs), [])
            r = run([host_run, bspk] + in_args + [a.replace("{}", want) for a in base])
            if r.returncode != 0:
                skipped += 1  # the x86 build cannot run it (e.g. non-float output): nothing to compare
                continue
            r = run(emulate + [target_run, bspk] + in_args + [a.replace("{}", got) for a in base])
            if r.returncode != 0:
                failed += 1
                print(f"FAIL {name} [{backend}]: exit {r.returncode}: {r.stderr.strip()[-300:]}")
                continue
            a, b = np.load(got), np.load(want)
            if a.shape != b.shape or not np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True):
                failed += 1
                err = float(np.max(np.abs(a - b))) if a.shape == b.shape else float("nan")
                print(f"FAIL {name} [{backend}]: differs from x86 (shape {a.shape} vs {b.shape}, max abs {err:.3g})")
            else:
                passed += 1
    print(f"{args.target}: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
