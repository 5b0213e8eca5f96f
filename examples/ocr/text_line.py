#!/usr/bin/python3
"""A line of text for the PP-OCRv4 recognizer, and its output read back.

  text_line.py render "Some text" x.npy   # 1x3x48x320 image, PP-OCR's normalization
  text_line.py decode y.npy keys.txt      # greedy CTC decoding of the [1,T,C] output

Rendering uses matplotlib's bundled DejaVu Sans (no other font or imaging
package needed), so the same text gives the same image on every Debian 12.
"""
import sys

import numpy as np

HEIGHT, WIDTH = 48, 320


def render(text, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=100)
    fig.patch.set_facecolor("white")
    fig.text(0.03, 0.5, text, fontsize=22, va="center", ha="left", family="DejaVu Sans", color="black")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].astype(np.float32)
    plt.close(fig)
    # PP-OCR's recognizer input: (pixel / 255 - 0.5) / 0.5, NCHW.
    x = ((rgb / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    np.save(out, x.astype(np.float32))


def decode(probs_path, keys_path):
    """Best class per time step, repeats merged, blanks (class 0) dropped."""
    probs = np.load(probs_path)
    if probs.ndim != 3 or probs.shape[0] != 1:
        raise SystemExit(f"text_line: expected a [1,T,C] output, got {list(probs.shape)}")
    with open(keys_path, encoding="utf-8") as f:
        chars = ["<blank>"] + [line.rstrip("\n") for line in f] + [" "]
    if probs.shape[2] != len(chars):
        raise SystemExit(f"text_line: the output has {probs.shape[2]} classes, the key file gives {len(chars)}")
    best = probs[0].argmax(-1)
    text, confidences, previous = "", [], -1
    for t, c in enumerate(best):
        if c != previous and c != 0:
            text += chars[c]
            confidences.append(float(probs[0, t, c]))
        previous = c
    # The key file's last classes are spaces (ASCII and ideographic), which the
    # model tends to emit at the end of a line.
    return text.strip(), (sum(confidences) / len(confidences) if confidences else 0.0)


def main(argv):
    if len(argv) == 4 and argv[1] == "render":
        render(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "decode":
        text, confidence = decode(argv[2], argv[3])
        print(f"{text}\t{confidence:.3f}")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
