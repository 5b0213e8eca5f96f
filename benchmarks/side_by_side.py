#!/usr/bin/env python3
"""Measures several .bspk models side by side on this machine, in the same
interleaved rounds, with bespoke-bench --manifest (docs/profile-bundle.md):
each round runs every model `runs` times in turn, so a busy or drifting
machine slows them alike, and a model's figure is the median of its round
medians. Used by quality.sh so that every method in its table is compared
with the teacher in the same rounds, not in runs minutes apart.

  side_by_side.py --bench build/bin/bespoke-bench --out DIR [--rounds 10] name=model.bspk ...

Prints JSON {"models": {name: {"median_ms", "p90_ms", "rounds"}}, "device": {...}}.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import statistics


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--out", required=True, help="folder for the manifest and model copies")
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("models", nargs="+", help="name=path.bspk")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    models = []
    for k, spec in enumerate(a.models):
        name, sep, path = spec.partition("=")
        if not sep or not os.path.isfile(path):
            sys.exit(f"side_by_side.py: '{spec}': expected name=path to an existing .bspk")
        data = open(path, "rb").read()
        file = f"model-{k:02d}.bspk"
        shutil.copyfile(path, os.path.join(a.out, file))
        models.append({"name": name, "file": file, "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest(), "profile": False})
    settings = {"backend": a.backend, "threads": a.threads, "warmup": a.warmup, "runs": a.runs,
                "rounds": a.rounds, "seed": 0}
    manifest = {"format": "bespoke-profile-manifest", "version": 1, "target": "side-by-side",
                "settings": settings, "models": models}
    manifest["id"] = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    manifest_path = os.path.join(a.out, "manifest.json")
    json.dump(manifest, open(manifest_path, "w"), indent=2)
    r = subprocess.run([a.bench, "--manifest", manifest_path, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"side_by_side.py: bespoke-bench failed: {r.stderr.strip()}")
    report = json.loads(r.stdout)
    out = {"device": report["device"], "settings": settings, "models": {}}
    for m in report["models"]:
        medians = [x["median_ms"] for x in m["rounds"]]
        out["models"][m["name"]] = {"median_ms": statistics.median(medians),
                                    "p90_ms": statistics.median(x["p90_ms"] for x in m["rounds"]),
                                    "rounds": medians}
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
