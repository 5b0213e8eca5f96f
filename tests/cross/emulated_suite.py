#!/usr/bin/env python3
"""Runs the host's conformance cases with a runtime built for another CPU
(under qemu) and checks every output of every data set twice: against the
ONNX reference data (with the host suite's tolerance) and against the x86-64
build's output for the same model, input and backend.

The cases are exactly those the host conformance suite passed on the
reference backend: it leaves each one, converted, in
<host-build>/conformance/cases/<test>/ (model.bspk, set<k>.input_<i>.npy,
set<k>.expected_<j>.npy, tolerance; see conformance_case.cpp), so the host
tests must have run first. torchvision mobilenet_v2 (reference: PyTorch) is
added when its fixture exists. Every case runs on every backend of the
target (an operator a backend lacks runs on the reference fallback).

  emulated_suite.py --target aarch64|armhf|old-x86 --host-build build [--cross-build build-aarch64]

Prints one line per failure and a closing 'N passed, M failed'. Any
failure fails, and so does a case count other than the number of cases the
committed host verdicts (tests/conformance/verdicts/*.tsv) say pass on the
reference backend: the pass count is pinned by those files.
x86 agreement: |a - b| <= 1e-4 + 1e-3 * |b| (different SIMD paths and FMA
use change summation order, never the result beyond that)."""
import argparse
import concurrent.futures
import glob
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERDICTS = os.path.join(ROOT, "tests", "conformance", "verdicts")
RTOL, ATOL = 1e-3, 1e-4


def run(cmd, timeout=300):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)


def host_cases(host_build):
    """(name, model.bspk, [(inputs, expected outputs)], (rtol, atol)) per case."""
    cases = []
    for d in sorted(glob.glob(os.path.join(host_build, "conformance", "cases", "*"))):
        bspk = os.path.join(d, "model.bspk")
        if not os.path.exists(bspk):
            continue
        with open(os.path.join(d, "tolerance")) as f:
            rtol, atol = (float(v) for v in f.read().split())
        sets = []
        for k in range(1000):
            inputs = sorted(glob.glob(os.path.join(d, f"set{k}.input_*.npy")), key=index_of)
            if not inputs:
                break
            sets.append((inputs, sorted(glob.glob(os.path.join(d, f"set{k}.expected_*.npy")), key=index_of)))
        cases.append((os.path.basename(d), bspk, sets, (rtol, atol)))
    return cases


def pinned_case_count():
    """Cases whose committed host verdict on the reference backend is 'passed'."""
    count = 0
    for path in glob.glob(os.path.join(VERDICTS, "*.tsv")):
        with open(path) as f:
            rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
        column = rows[0].index("reference")
        count += sum(1 for row in rows[1:] if row[column].startswith("passed"))
    return count


def index_of(path):
    return int(path.rsplit("_", 1)[1].split(".")[0])


def mismatch(got, want, rtol, atol):
    """None when got matches want, else a one-line reason."""
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    if np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        return None
    return f"max abs error {float(np.nanmax(np.abs(got - want))):.3g} (rtol {rtol}, atol {atol})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True, choices=["aarch64", "armhf", "old-x86"])
    ap.add_argument("--host-build", required=True)
    ap.add_argument("--cross-build")
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
    work = os.path.join(args.host_build, "emulated", args.target)
    os.makedirs(work, exist_ok=True)

    cases = host_cases(args.host_build)
    if not cases:
        print(f"emulated: no cases under {args.host_build}/conformance/cases (run the host conformance suite first)",
              file=sys.stderr)
        return 1
    mnv2 = os.path.join(args.host_build, "fixtures", "torchvision", "mobilenet_v2")
    if not os.path.exists(os.path.join(mnv2, "model.onnx")):
        print("emulated: mobilenet_v2 fixture missing (run the host tests first)", file=sys.stderr)
        return 1
    bspk = os.path.join(work, "mobilenet_v2.bspk")
    r = run([convert, os.path.join(mnv2, "model.onnx"), "-o", bspk])
    if r.returncode != 0:
        print(f"FAIL mobilenet_v2: bespoke-convert: {r.stderr.strip()}")
        return 1
    cases.append(("mobilenet_v2", bspk, [([os.path.join(mnv2, "input.npy")], [os.path.join(mnv2, "output.npy")])],
                  (RTOL, ATOL)))

    def check(job):
        """Runs one case, data set and backend on x86 and on the target; returns the problems."""
        name, bspk, k, inputs, expected, (rtol, atol), backend = job
        in_args = sum((["--input", i] for i in inputs), [])
        stem = os.path.join(work, f"{name}.set{k}.{backend}")
        want = [f"{stem}.x86.{j}.npy" for j in range(len(expected))]
        got = [f"{stem}.{args.target}.{j}.npy" for j in range(len(expected))]
        base = ["--backend", backend, "--threads", "1"]
        r = run([host_run, bspk] + in_args + base + sum((["--output", w] for w in want), []))
        if r.returncode != 0:
            return [f"x86 run: exit {r.returncode}: {r.stderr.strip()[-300:]}"]
        r = run(emulate + [target_run, bspk] + in_args + base + sum((["--output", g] for g in got), []))
        if r.returncode != 0:
            return [f"exit {r.returncode}: {r.stderr.strip()[-300:]}"]
        problems = []
        for j in range(len(expected)):
            value = np.load(got[j])
            for what, reference, tol in (("the ONNX reference", expected[j], (rtol, atol)),
                                         ("x86", want[j], (RTOL, ATOL))):
                why = mismatch(value, np.load(reference), *tol)
                if why:
                    problems.append(f"output {j} differs from {what}: {why}")
        return problems

    jobs = [(name, bspk, k, inputs, expected, tol, backend)
            for name, bspk, sets, tol in cases
            for k, (inputs, expected) in enumerate(sets)
            for backend in args.backends.split(",")]
    # Each emulated run is one single-threaded process: run as many as there are cores.
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(check, jobs))
    passed = failed = 0
    for job, problems in zip(jobs, outcomes):
        if problems:
            failed += 1
            print(f"FAIL {job[0]} set {job[2]} [{job[6]}]: " + "; ".join(problems))
        else:
            passed += 1

    pinned = pinned_case_count()
    print(f"{args.target}: {passed} passed, {failed} failed ({len(cases) - 1} conformance cases + mobilenet_v2;"
          f" the host verdicts pin {pinned})")
    if len(cases) - 1 != pinned:
        print(f"FAIL {args.target}: {len(cases) - 1} conformance cases left by the host run, {pinned} pass on the"
              f" reference backend in {VERDICTS}")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
