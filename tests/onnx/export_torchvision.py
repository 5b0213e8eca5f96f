#!/usr/bin/python3
"""Exports torchvision CNNs to ONNX (opset 13) as test fixtures.

    /usr/bin/python3 export_torchvision.py OUTPUT_DIR [MODEL ...]

For each model writes OUTPUT_DIR/<name>/:
  model.onnx   the exported model (seeded random weights, eval mode, no download)
  input.npy    a seeded float32 input [1, 3, 224, 224]
  output.npy   PyTorch's output for that input (the reference)
  meta.json    layer counts of the PyTorch module (Conv2d, Linear, BatchNorm2d)
               as an independent reference for importer tests

A model whose four files all exist is skipped, so re-running is cheap.
BatchNorm statistics are randomized too: with the default (mean 0, var 1)
folding them would be a no-op and prove nothing.
"""
import json
import os
import sys

MODELS = ["mobilenet_v2", "mobilenet_v3_small", "resnet18", "efficientnet_b0", "shufflenet_v2_x0_5"]
FILES = ["model.onnx", "input.npy", "output.npy", "meta.json"]
OPSET = 13


def randomize_batch_norm(torch, model, generator):
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            c = module.num_features
            module.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(c, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(c, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(c, generator=generator) * 0.1)


def layer_counts(model):
    counts = {"Conv2d": 0, "Linear": 0, "BatchNorm2d": 0}
    for module in model.modules():
        name = type(module).__name__
        if name in counts:
            counts[name] += 1
    return counts


def up_to_date(out_dir, name):
    return all(os.path.exists(os.path.join(out_dir, name, f)) for f in FILES)


def export(name, out_dir, seed):
    import numpy as np
    import torch
    import torchvision

    target = os.path.join(out_dir, name)
    os.makedirs(target, exist_ok=True)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None)
    with torch.no_grad():
        randomize_batch_norm(torch, model, generator)
    model.eval()
    x = torch.randn(1, 3, 224, 224, generator=generator)
    with torch.no_grad():
        y = model(x)
    onnx_path = os.path.join(target, "model.onnx")
    torch.onnx.export(model, x, onnx_path + ".tmp", opset_version=OPSET, input_names=["input"],
                      output_names=["output"], do_constant_folding=True)
    np.save(os.path.join(target, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(target, "output.npy"), y.numpy().astype(np.float32))
    meta = {"model": name, "opset": OPSET, "seed": seed, "torch": torch.__version__,
            "torchvision": torchvision.__version__, "layers": layer_counts(model)}
    with open(os.path.join(target, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(onnx_path + ".tmp", onnx_path)  # model.onnx last: its presence means complete
    print(f"{name}: exported")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = sys.argv[1]
    names = sys.argv[2:] or MODELS
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        print(f"unknown model(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    stale = [n for n in names if not up_to_date(out_dir, n)]
    for name in names:
        if name not in stale:
            print(f"{name}: up to date")
    if not stale:
        return 0  # without importing torch, which takes seconds
    try:
        import torch
        import torchvision  # noqa: F401
    except ImportError as e:
        # A fixture that cannot be made is a failure, or the tests that need it
        # would pass without testing; a developer may skip them for a local run.
        message = f"cannot import {e.name} ({e}): install python3-torch and python3-torchvision"
        if os.environ.get("BESPOKE_ALLOW_MISSING_ASSETS") == "1":
            print(f"BESPOKE-SKIPPED: {message}; no torchvision fixtures exported")
            return 0
        print(f"error: {message} (BESPOKE_ALLOW_MISSING_ASSETS=1 skips for a local run)", file=sys.stderr)
        return 1
    torch.set_num_threads(2)
    for name in stale:
        export(name, out_dir, seed=1234 + MODELS.index(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
