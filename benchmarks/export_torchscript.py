#!/usr/bin/python3
"""Writes the TorchScript twins of the torchvision ONNX fixtures for LibTorch.

    /usr/bin/python3 export_torchscript.py FIXTURES_DIR OUTPUT_DIR [MODEL ...]

Rebuilds each model exactly as tests/onnx/export_torchvision.py does (its
functions, its seed convention), traces it and saves OUTPUT_DIR/<name>/model.pt,
then checks the traced model reproduces the fixture's output.npy on its
input.npy, so all engines of the benchmark run the very same network.
Optimization for inference (freeze, oneDNN) is done by libtorch_bench at load,
because its result cannot be serialized.
"""
import inspect
import os
import sys

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "onnx"))
import export_torchvision as fixtures  # noqa: E402


def rebuild(name):
    """Same construction order (global seed, generator draws) as export_torchvision.export()."""
    seed = 1234 + fixtures.MODELS.index(name)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None)
    randomize = fixtures.randomize_batch_norm
    # It takes the torch module as a first argument in newer versions of the fixture script.
    extra = (torch,) if "torch" in inspect.signature(randomize).parameters else ()
    with torch.no_grad():
        randomize(*extra, model, generator)
    return model.eval()


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    fixtures_dir, out_dir = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or fixtures.MODELS
    torch.set_num_threads(2)
    for name in names:
        target = os.path.join(out_dir, name, "model.pt")
        if os.path.exists(target):
            print(f"{name}: up to date")
            continue
        model = rebuild(name)
        x = torch.from_numpy(np.load(os.path.join(fixtures_dir, name, "input.npy")))
        expected = np.load(os.path.join(fixtures_dir, name, "output.npy"))
        with torch.no_grad():
            traced = torch.jit.trace(model, x)
            got = traced(x).numpy()
        if not np.allclose(got, expected, rtol=1e-4, atol=1e-5):
            print(f"{name}: traced model differs from the ONNX fixture (max |err| "
                  f"{np.abs(got - expected).max():.3g}); fixture and export disagree", file=sys.stderr)
            return 1
        os.makedirs(os.path.dirname(target), exist_ok=True)
        traced.save(target + ".tmp")
        os.replace(target + ".tmp", target)
        print(f"{name}: traced, matches the fixture output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
