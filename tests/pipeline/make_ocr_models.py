#!/usr/bin/env python3
"""Tiny OCR task models and the generated data they were trained on, from a
seed: what `bespoke-opt run` must tailor besides classifiers (task heads
"ctc" and "dense"), small enough to train in a test.

  ctc    OUT/ocr-keys.txt (22 characters: digits, ABCELNPSTX, '-', '/'),
         OUT/rec/{train,val,test}/labels.txt + images (scripts/generate-ocr-data
         rec --height 32 --width 128 --charset OUT/ocr-keys.txt: 8000 / 200 /
         150 lines), OUT/ctc.onnx: a CRNN without the RNN, input
         [1,3,32,128] RGB normalized as PaddleOCR's recognizer ((x/255-0.5)/0.5,
         lines resized to height 32 and padded right with 0), output the
         softmax [1,32,24] (blank 0, the keys, a space class last; height to 1,
         width by 4: 3-4 steps a character, room for CTC blanks), trained
         with CTC loss. Prints greedy-decoded line accuracy and CER on val.
  dense  OUT/det/{train,val,test}/labels.txt + images (generate-ocr-data det
         --size 96: 1200 / 100 / 100 scenes), OUT/dense.onnx: a DB-like detector, input [1,3,96,96] BGR
         with ImageNet mean/std (PaddleOCR's detector contract), a residual
         encoder to 1/4 and a DB head (ConvTranspose x2, sigmoid), output
         [1,1,96,96], trained with BCE + dice against the text lines' shrunk
         masks. Text boxes are shrunk by D = A(1 - 0.6^2)/L (DB's rule with
         ratio 0.6 instead of 0.4), so that DB post-processing with unclip
         1.5 grows a found region back to about the labelled box. Prints box
         F1 (IoU >= 0.5) on val through a small DB post-processing.

Each trains in well under a minute on 2 idle cores (torch.set_num_threads(2);
450 and 400 Adam steps) and is the same from the same seed.
Ops are the ordinary ones (Conv, BatchNormalization, Relu, Add, MaxPool,
ConvTranspose, Squeeze, Transpose, Softmax, Sigmoid); opset 13, static shapes.
Each model is checked with onnx.checker and its output shape is read back.

Usage: make_ocr_models.py OUT_DIR [ctc] [dense] [--seed S] [--steps N] [--quick]
  --quick: few images and no training (models for tests where only the data
  or the shapes matter, e.g. refused data); --steps overrides training steps.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "..", "..", "scripts", "generate-ocr-data")
KEYS = list("0123456789ABCELNPSTX-/")  # no O: it reads as 0 in several fonts
REC_H, REC_W, REC_T = 32, 128, 32
DET = 96
DET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)  # applied to B, G, R in that order, as PaddleOCR does
DET_STD = np.array([0.229, 0.224, 0.225], np.float32)


def generate(kind, out, counts, seed, *extra):
    subprocess.run(["/usr/bin/python3", GENERATOR, kind, out, "--train", str(counts[0]), "--val", str(counts[1]),
                    "--test", str(counts[2]), "--seed", str(seed), *extra], check=True, stdout=subprocess.DEVNULL)


def read_labels(split_dir):
    with open(os.path.join(split_dir, "labels.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]


class Block(nn.Module):
    """Two 3x3 convolutions with BatchNorm and a residual connection (1x1 projection when the shape changes)."""

    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, dilation, dilation, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, dilation, dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = None if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.skip is None else self.skip(x)))


def export(net, shape, path, output_name):
    import onnx
    net.eval()
    torch.onnx.export(net, torch.zeros(*shape), path, input_names=["x"], output_names=[output_name], opset_version=13)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    dims = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    ops = sorted({n.op_type for n in model.graph.node})
    return dims, ops


# ---------------------------------------------------------------- ctc


class Recognizer(nn.Module):
    """[N,3,32,128] -> [N,32,C] class probabilities (logits when training: CTC wants log-probabilities)."""

    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2),  # 16 x 64
            Block(16, 32, 2),  # 8 x 32
            Block(32, 48, (2, 1)),  # 4 x 32
            Block(48, 64, (2, 1)),  # 2 x 32
            Block(64, 64),
            nn.MaxPool2d((2, 1)),  # 1 x 32
            nn.Conv2d(64, classes, 1))
        self.probabilities = False

    def forward(self, x):
        y = self.body(x).squeeze(2).transpose(1, 2)  # [N, T, C]
        return torch.softmax(y, 2) if self.probabilities else y


def rec_lines(split_dir):
    """Lines as the recognizer sees them before normalization: height 32, aspect ratio kept, at most 128 wide;
    (uint8 [N,32,128,3], widths, texts)."""
    items = read_labels(split_dir)
    x = np.zeros((len(items), REC_H, REC_W, 3), np.uint8)
    widths = np.zeros(len(items), np.int64)
    for i, (rel, _) in enumerate(items):
        img = Image.open(os.path.join(split_dir, rel)).convert("RGB")
        w = min(REC_W, max(1, math.ceil(REC_H * img.width / img.height)))
        x[i, :, :w] = np.asarray(img.resize((w, REC_H), Image.BILINEAR))
        widths[i] = w
    return x, widths, [t for _, t in items]


def rec_batch(lines, widths, idx):
    """(x/255 - 0.5)/0.5, NCHW, padded right with 0 after normalization (PaddleOCR's rec preprocessing)."""
    x = (torch.from_numpy(lines[idx]).permute(0, 3, 1, 2).float() / 255 - 0.5) / 0.5
    cols = torch.arange(REC_W)[None, None, None, :]
    return torch.where(cols < torch.from_numpy(widths[idx])[:, None, None, None], x, torch.zeros(()))


def encode(text):
    index = {c: i + 1 for i, c in enumerate(KEYS)}
    index[" "] = len(KEYS) + 1
    return [index[c] for c in text]


def greedy(logits):
    chars = ["<blank>"] + KEYS + [" "]
    out = []
    for best in logits.argmax(2).tolist():
        text, previous = "", 0
        for c in best:
            if c != previous and c != 0:
                text += chars[c]
            previous = c
        out.append(text)
    return out


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def make_ctc(out, seed, steps, quick):
    begin = time.time()
    keys_path = os.path.join(out, "ocr-keys.txt")
    with open(keys_path, "w", encoding="utf-8") as f:
        f.write("".join(c + "\n" for c in KEYS))
    data = os.path.join(out, "rec")
    generate("rec", data, (30, 10, 10) if quick else (8000, 200, 150), seed, "--height", str(REC_H), "--width",
             str(REC_W), "--charset", keys_path)
    print(f"  rec data: {data} ({time.time() - begin:.0f} s)", flush=True)
    torch.manual_seed(seed)
    net = Recognizer(len(KEYS) + 2)
    ltr, wtr, ttr = rec_lines(os.path.join(data, "train"))
    lva, wva, tva = rec_lines(os.path.join(data, "val"))
    targets = [torch.tensor(encode(t)) for t in ttr]
    print(f"  rec lines loaded ({time.time() - begin:.0f} s)", flush=True)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    opt = torch.optim.AdamW(net.parameters(), 3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=max(1, steps), pct_start=0.15)
    g = torch.Generator().manual_seed(seed)
    batch, step, start = min(64, len(ltr)), 0, time.time()
    while step < steps:
        perm = torch.randperm(len(ltr), generator=g).numpy()
        for i in range(0, len(perm) - batch + 1, batch):
            if step == steps:
                break
            idx = perm[i:i + batch]
            net.train()
            logp = net(rec_batch(ltr, wtr, idx)).log_softmax(2).transpose(0, 1)  # [T, N, C]
            tgt = [targets[j] for j in idx]
            loss = ctc(logp, torch.cat(tgt), torch.full((len(idx),), REC_T, dtype=torch.long),
                       torch.tensor([len(t) for t in tgt]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                print(f"  ctc step {step}/{steps} loss {loss.item():.3f} ({time.time() - start:.0f} s)", flush=True)
    net.eval()
    with torch.no_grad():
        pred = greedy(net(rec_batch(lva, wva, np.arange(len(lva)))))
    line_acc = float(np.mean([p == t for p, t in zip(pred, tva)]))
    cer = sum(edit_distance(p, t) for p, t in zip(pred, tva)) / max(1, sum(len(t) for t in tva))
    net.probabilities = True
    path = os.path.join(out, "ctc.onnx")
    dims, ops = export(net, (1, 3, REC_H, REC_W), path, "probabilities")
    assert dims == [1, REC_T, len(KEYS) + 2], dims
    print(f"ctc: {path}, output {dims}, ops {' '.join(ops)}; val line accuracy {line_acc:.4f}, CER {cer:.4f} "
          f"({steps} steps, {time.time() - start:.0f} s)")
    wrong = [f"{t!r} -> {p!r}" for p, t in zip(pred, tva) if p != t][:4]
    if wrong:
        print("  misread: " + ", ".join(wrong))
    return line_acc


# ---------------------------------------------------------------- dense


class Detector(nn.Module):
    """[N,3,96,96] -> [N,1,96,96] text probability: residual encoder to 1/4, DB head back to full size."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),  # 48
            Block(16, 32, 2),  # 24
            Block(32, 32),
            Block(32, 32, 1, 2),
            nn.Conv2d(32, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.ConvTranspose2d(16, 16, 2, 2), nn.BatchNorm2d(16), nn.ReLU(),  # 48
            nn.ConvTranspose2d(16, 1, 2, 2))  # 96
        self.probabilities = False

    def forward(self, x):
        y = self.net(x)
        return torch.sigmoid(y) if self.probabilities else y


def shrink(points, ratio=0.6):
    """A text quadrilateral moved inwards by D = A(1 - ratio^2)/L along its own axes (DB's shrink)."""
    p = np.asarray(points, np.float64)
    x, y = p[:, 0], p[:, 1]
    area = abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2
    length = np.sum(np.linalg.norm(p - np.roll(p, 1, 0), axis=1))
    d = area * (1 - ratio * ratio) / max(length, 1e-6)
    c = p.mean(0)
    u, v = p[1] - p[0], p[3] - p[0]
    w, h = np.linalg.norm(u), np.linalg.norm(v)
    u, v = u / max(w, 1e-6), v / max(h, 1e-6)
    hw, hh = max(w / 2 - d, 0.5), max(h / 2 - d, 0.5)
    return [tuple(c + sx * hw * u + sy * hh * v) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]


def det_tensor(split_dir):
    items = read_labels(split_dir)
    x = np.zeros((len(items), 3, DET, DET), np.float32)
    masks = np.zeros((len(items), 1, DET, DET), np.float32)
    boxes = []
    for i, (rel, label) in enumerate(items):
        img = Image.open(os.path.join(split_dir, rel)).convert("RGB")
        assert img.size == (DET, DET), img.size
        bgr = np.asarray(img, np.float32)[:, :, ::-1] / 255
        x[i] = ((bgr - DET_MEAN) / DET_STD).transpose(2, 0, 1)
        m = Image.new("L", (DET, DET), 0)
        d = ImageDraw.Draw(m)
        regions = json.loads(label)
        for r in regions:
            d.polygon(shrink(r["points"]), fill=1)
        masks[i, 0] = np.asarray(m, np.float32)
        boxes.append([np.asarray(r["points"], np.float64) for r in regions])
    return torch.from_numpy(x), torch.from_numpy(masks), boxes


def components(binary):
    """4-connected regions of a boolean map: a list of (ys, xs) index arrays."""
    labels = np.zeros(binary.shape, np.int32)
    found = []
    for sy, sx in zip(*np.nonzero(binary)):
        if labels[sy, sx]:
            continue
        labels[sy, sx] = len(found) + 1
        stack, ys, xs = [(sy, sx)], [], []
        while stack:
            y, x = stack.pop()
            ys.append(y)
            xs.append(x)
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < binary.shape[0] and 0 <= nx < binary.shape[1] and binary[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = len(found) + 1
                    stack.append((ny, nx))
        found.append((np.array(ys), np.array(xs)))
    return found


def db_boxes(prob, thresh=0.3, box_thresh=0.6, unclip=1.5):
    """Axis-aligned DB post-processing (enough to print a quality): regions of prob > thresh with a mean
    probability >= box_thresh, grown by D = A * unclip / L."""
    out = []
    for ys, xs in components(prob > thresh):
        if len(ys) < 3 or prob[ys, xs].mean() < box_thresh:
            continue
        x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        w, h = x1 - x0, y1 - y0
        d = w * h * unclip / (2 * (w + h))
        out.append((x0 - d, y0 - d, x1 + d, y1 + d))
    return out


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def box_f1(probs, truth):
    tp = fp = fn = 0
    for prob, quads in zip(probs, truth):
        gt = [(q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()) for q in quads]
        used = set()
        for b in db_boxes(prob):
            best = max(range(len(gt)), key=lambda k: iou(b, gt[k]) if k not in used else -1, default=None)
            if best is not None and best not in used and iou(b, gt[best]) >= 0.5:
                used.add(best)
                tp += 1
            else:
                fp += 1
        fn += len(gt) - len(used)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def make_dense(out, seed, steps, quick):
    data = os.path.join(out, "det")
    generate("det", data, (30, 10, 10) if quick else (1200, 100, 100), seed, "--size", str(DET))
    torch.manual_seed(seed)
    net = Detector()
    xtr, mtr, _ = det_tensor(os.path.join(data, "train"))
    xva, _, bva = det_tensor(os.path.join(data, "val"))
    opt = torch.optim.AdamW(net.parameters(), 4e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 4e-3, total_steps=max(1, steps), pct_start=0.15)
    g = torch.Generator().manual_seed(seed)
    batch, step, start = min(24, len(xtr)), 0, time.time()
    while step < steps:
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(perm) - batch + 1, batch):
            if step == steps:
                break
            idx = perm[i:i + batch]
            net.train()
            logits, target = net(xtr[idx]), mtr[idx]
            p = torch.sigmoid(logits)
            dice = 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
            loss = nn.functional.binary_cross_entropy_with_logits(logits, target) + dice
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 100 == 0:
                print(f"  dense step {step}/{steps} loss {loss.item():.3f} ({time.time() - start:.0f} s)", flush=True)
    net.eval()
    net.probabilities = True
    with torch.no_grad():
        probs = net(xva)[:, 0].numpy()
    f1 = box_f1(probs, bva)
    path = os.path.join(out, "dense.onnx")
    dims, ops = export(net, (1, 3, DET, DET), path, "probability")
    assert dims == [1, 1, DET, DET], dims
    print(f"dense: {path}, output {dims}, ops {' '.join(ops)}; val box F1 {f1:.4f} "
          f"({steps} steps, {time.time() - start:.0f} s)")
    return f1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("models", nargs="*", help="ctc, dense (default: both)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--steps", type=int)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    models = a.models or ["ctc", "dense"]
    if set(models) - {"ctc", "dense"}:
        p.error(f"unknown model kind(s) {sorted(set(models) - {'ctc', 'dense'})}: ctc, dense")
    torch.set_num_threads(2)
    os.makedirs(a.out, exist_ok=True)
    if "ctc" in models:
        make_ctc(a.out, a.seed, a.steps if a.steps is not None else (0 if a.quick else 450), a.quick)
    if "dense" in models:
        make_dense(a.out, a.seed, a.steps if a.steps is not None else (0 if a.quick else 400), a.quick)


if __name__ == "__main__":
    sys.exit(main())
