#!/usr/bin/python3
"""End to end: the PP-OCRv4 recognizer, converted to .bspk, reads rendered
lines of text on every backend of this build.

  read_text_line.py --convert bespoke-convert --run bespoke-run --model rec.onnx --keys keys.txt --work DIR
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "ocr"))
import text_line  # noqa: E402

# Plain Latin text, digits and punctuation of the kind a factory line prints.
LINES = ["Bespoke 2026", "Conveyor 7: OK", "LOT A-1138"]
BACKENDS = ["reference", "xnnpack", "onednn", "auto"]
EXIT_UNAVAILABLE = 10 + 4  # bespoke-run: 10 + BSP_ERROR_UNSUPPORTED


def main():
    p = argparse.ArgumentParser()
    for name in ("convert", "run", "model", "keys", "work"):
        p.add_argument("--" + name, required=True)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    bspk = os.path.join(a.work, "rec.bspk")
    subprocess.run([a.convert, a.model, "--input-shape", "x=1,3,48,320", "-o", bspk], check=True,
                   stdout=subprocess.DEVNULL)
    failures, checked = [], 0
    for i, line in enumerate(LINES):
        image = os.path.join(a.work, f"line{i}.npy")
        text_line.render(line, image)
        for backend in BACKENDS:
            out = os.path.join(a.work, f"line{i}_{backend}.npy")
            r = subprocess.run([a.run, bspk, "-i", image, "-o", out, "--backend", backend, "--threads", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode == EXIT_UNAVAILABLE and "not available" in r.stderr:
                continue
            if r.returncode != 0:
                failures.append(f"{backend}: bespoke-run failed ({r.returncode}): {r.stderr.strip()}")
                continue
            text, confidence = text_line.decode(out, a.keys)
            checked += 1
            status = "ok" if text == line else "WRONG"
            print(f"{backend:10s} {line!r:20s} read {text!r:20s} confidence {confidence:.3f}  {status}")
            if text != line:
                failures.append(f"{backend}: read {text!r} for {line!r}")
    if failures or checked == 0:
        print("\n".join(failures) or "no backend ran", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
