#!/usr/bin/env python3
"""The quality benchmark's table, JSON and Pareto plot (quality.sh).

  quality_summary.py WORK OUT_JSON OUT_PNG SIDE_BY_SIDE_JSON

WORK holds bespoke/report.json, random/report.json and */baseline.json as
quality.sh leaves them; SIDE_BY_SIDE_JSON is side_by_side.py's output for the
teacher and every model of the table, measured in the same interleaved
rounds. Latency and "vs teacher" come from that measurement; each method's
own run (its pipeline's acceptance, or the baseline command) is kept in the
JSON as "own_run".
"""
import glob
import json
import os
import sys


def main():
    work, out_json, out_png, sbs_path = sys.argv[1:5]
    bespoke = json.load(open(os.path.join(work, "bespoke", "report.json")))
    random = json.load(open(os.path.join(work, "random", "report.json")))
    sbs = json.load(open(sbs_path))
    same = sbs["models"]
    teacher_ms = same["teacher"]["median_ms"]
    teacher = bespoke["teacher"]
    baselines = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(work, "*", "baseline.json")))]

    rows = [("teacher", "", "teacher", teacher["accuracy"], None)]
    rows += [("bespoke", t["name"], "bespoke/" + t["name"], t["accuracy"], t) for t in bespoke["targets"]]
    rows += [("random search", t["name"], "random/" + t["name"], t["accuracy"], t) for t in random["targets"]]
    rows += [(b["kind"], b["setting"], b["kind"] + "/" + b["setting"], b["accuracy"], b) for b in baselines]
    table = []
    for method, setting, name, accuracy, own in rows:
        ms = same[name]["median_ms"] if name in same else None
        entry = {"method": method, "setting": setting, "latency_ms": ms, "ratio": ms / teacher_ms if ms else None,
                 "accuracy": accuracy, "accuracy_delta": accuracy - teacher["accuracy"]}
        if own is not None:
            entry["own_run"] = {k: own.get(k) for k in ("latency_ms", "teacher_ms", "acceptance_teacher_ms",
                                                          "budget_ms", "acceptance", "status") if k in own}
        table.append(entry)
    result = {"teacher": teacher, "side_by_side": sbs, "rows": table, "bespoke": bespoke["targets"],
              "random_search": random["targets"], "baselines": baselines,
              "seconds": {"bespoke_pipeline": bespoke["seconds"], "random_pipeline": random["seconds"]},
              "machine": os.uname().nodename, "load_average": os.getloadavg()}
    json.dump(result, open(out_json, "w"), indent=2)

    print("| method | setting | latency ms (same rounds) | vs teacher | test accuracy | vs teacher | own run |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for e in table:
        own = e.get("own_run", {})
        note = own.get("status") or own.get("acceptance") or ""
        if e["latency_ms"] is None:  # the method found no student for this budget
            print(f"| {e['method']} | {e['setting']} | - | - | - | - | {note} |")
            continue
        lat = f"{e['latency_ms']:.4f}"
        ratio = f"{100 * e['ratio']:.0f}%" if e["ratio"] else "-"
        print(f"| {e['method']} | {e['setting']} | {lat} | {ratio} | {100 * e['accuracy']:.2f}% | "
              f"{100 * e['accuracy_delta']:+.2f} | {note} |")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    groups = {}
    for e in table:
        if e["latency_ms"]:
            groups.setdefault(e["method"], []).append((100 * e["ratio"], 100 * e["accuracy"], e["setting"]))
    for m, pts in groups.items():
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], label=m, s=40)
        for x, y, s in pts:
            ax.annotate(s, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("latency, % of the teacher (same interleaved rounds, 1 thread)")
    ax.set_ylabel("test accuracy, %")
    ax.set_title("Fashion-MNIST teacher: Bespoke students vs baselines")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_png, dpi=120)
    print(f"\nwrote {out_json} and {out_png}")


if __name__ == "__main__":
    main()
