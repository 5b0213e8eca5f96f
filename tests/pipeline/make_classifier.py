#!/usr/bin/env python3
"""A small three-channel classifier and the image folder it was trained on,
generated from a seed: what `bespoke-opt run` must handle besides the shipped
teacher (issue #12: "any single-input single-output classifier with an
image-folder dataset").

The images (24x24 RGB PNG, 3 classes: a disc, a square, horizontal stripes,
each in a random colour on a random dark background, with noise) are written
as root/train/<class>/*.png and root/test/<class>/*.png. The model is a
ResNet-like CNN (stem, three residual blocks, two of them strided, global
average pool, linear), trained for a few epochs with torch and exported to
ONNX; its test accuracy is printed.

Usage: make_classifier.py OUT_DIR [--seed S] [--train N] [--test N]
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

SIDE = 24
CLASSES = ["disc", "square", "stripes"]


def draw(kind, rng):
    img = np.zeros((SIDE, SIDE, 3), np.float32)
    img[:] = rng.uniform(0, 60, 3)
    color = rng.uniform(120, 255, 3)
    yy, xx = np.mgrid[0:SIDE, 0:SIDE]
    cy, cx = rng.uniform(8, 16, 2)
    r = rng.uniform(4, 7)
    if kind == "disc":
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    elif kind == "square":
        mask = (abs(yy - cy) <= r * 0.8) & (abs(xx - cx) <= r * 0.8)
    else:
        period = int(rng.integers(3, 6))
        mask = ((yy + int(rng.integers(0, period))) // max(1, period // 2)) % 2 == 0
    img[mask] = color
    img += rng.normal(0, 12, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_png(path, img):
    # A minimal PNG writer (zlib + CRC from the standard library): no PIL needed.
    import struct
    import zlib
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def make_split(root, split, count, rng):
    xs, ys = [], []
    for label, kind in enumerate(CLASSES):
        os.makedirs(os.path.join(root, split, kind), exist_ok=True)
        for i in range(count // len(CLASSES)):
            img = draw(kind, rng)
            write_png(os.path.join(root, split, kind, f"{i:04d}.png"), img)
            xs.append(img)
            ys.append(label)
    return np.stack(xs), np.array(ys)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = None if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.skip is None else self.skip(x)))


def model():
    return nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         Block(16, 16, 1), Block(16, 16, 1), Block(16, 32, 2), Block(32, 32, 1), Block(32, 48, 2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, len(CLASSES)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--train", type=int, default=600)
    p.add_argument("--test", type=int, default=300)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    root = os.path.join(a.out, "images")
    xtr, ytr = make_split(root, "train", a.train, rng)
    xte, yte = make_split(root, "test", a.test, rng)

    def tensor(x):  # what the optimizer's preprocessing gives with mean 0.5, std 0.25
        return (torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255 - 0.5) / 0.25

    net = model()
    opt = torch.optim.Adam(net.parameters(), 3e-3)
    x, y = tensor(xtr), torch.from_numpy(ytr)
    for epoch in range(6):
        net.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        acc = (net(tensor(xte)).argmax(1).numpy() == yte).mean()
    path = os.path.join(a.out, "classifier.onnx")
    torch.onnx.export(net, torch.zeros(1, 3, SIDE, SIDE), path, input_names=["image"], output_names=["logits"],
                      opset_version=13)
    print(f"classifier: {path}, test accuracy {acc:.4f}")


if __name__ == "__main__":
    sys.exit(main())
