#!/usr/bin/env python3
"""Plots benchmarks/results/results.json as ratios.png: bespoke median latency
divided by ONNX Runtime's and LibTorch's, per model and thread count (below
1 = bespoke faster). Needs matplotlib (Debian: python3-matplotlib).

  plot_results.py results.json ratios.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    results = doc["results"]
    labels = [f"{r['model']} x{r['threads']}" for r in results]
    series = [
        ("bespoke_auto_over_onnxruntime", "bespoke (auto) / ONNX Runtime", "#1f77b4"),
        ("bespoke_auto_over_libtorch", "bespoke (auto) / LibTorch", "#ff7f0e"),
    ]
    width = 0.38
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(results)), 5))
    for k, (key, name, color) in enumerate(series):
        xs = [i + (k - 0.5) * width for i in range(len(results))]
        ys = [r["ratios"].get(key) or float("nan") for r in results]
        bars = ax.bar(xs, ys, width, label=name, color=color)
        for bar, y in zip(bars, ys):
            if y == y:  # not NaN
                ax.annotate(f"{y:.3g}", (bar.get_x() + bar.get_width() / 2, y), ha="center", va="bottom", fontsize=7)
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_yscale("log")  # ratios span orders of magnitude; 2x faster and 2x slower look alike
    ax.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    ax.set_xticks(range(len(results)))
    ax.set_xticklabels(labels, fontsize=8, rotation=30, ha="right")
    ax.set_ylabel("median latency ratio, log scale (< 1: bespoke faster)")
    cpu = doc.get("system", {}).get("cpu", "")
    ax.set_title(f"bespoke vs peers, batch 1 fp32 224x224 — {cpu}\n{doc.get('generated', '')}  "
                 f"{doc.get('note', '')}", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    print(f"plot_results: wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
