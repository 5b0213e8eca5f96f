#!/usr/bin/env python3
"""bespoke-opt run on OCR task heads, as a user runs it: a tiny CTC text
recognizer and a tiny DB-like text detector trained (torch) on generated
label text (make_ocr_models.py, scripts/generate-ocr-data), with the tiny
settings of pipeline_test.py.

  * CtcRun: the whole run on the recognizer ([teacher] task = "auto", decided
    from its [N, T, C] output; charset = its key file; PaddleOCR's
    recognition labels): report.json says task "ctc", metric "line_accuracy",
    teacher and student scores in [0, 1] with the CER beside them, and the
    student .bspk is the one the report's SHA-256 names;
  * DenseRun: the same on the detector (task = "dense", BGR, PaddleOCR's
    detection labels): metric "box_f1" with precision, recall and map IoU;
  * BadData: every kind of bad data is refused with exit status 2 and one
    line "<label file>:<line>: <what is wrong>" before any house work: the
    output folder is not created, and an existing house is left untouched
    (every file's bytes and mtime). Cases: a label line without a tab, a
    missing image, a corrupt image, a transcription with a character outside
    the charset, a polygon outside its image, detection labels given to a
    recognizer and recognition labels given to a detector, and a charset
    whose size does not match the recognizer's output.

Usage: task_heads_test.py --opt PATH/bespoke-opt --bench PATH/bespoke-bench --source-dir REPO [--work DIR]
       [CtcRun | DenseRun | BadData]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
WORK = None

TINY = """
[data]
source = "{data}"
labels = "labels.txt"
validation_count = 60
train_images = 240
validation_images = 60
[house]
spans = 3
max_units = 2
kinds = ["drop", "pruned", "low_rank"]
max_alternatives_per_span = 4
[distill]
steps = 10
batch_size = 32
[profile]
warmup = 2
runs = 5
rounds = 3
[[targets]]
name = "tiny"
device = "local"
backend = "auto"
threads = 1
budget_ratio = 0.85
[search]
iterations = 20
validation_images = 60
measure_best = 2
[finetune]
epochs = 0.5
batch_size = 32
train_images = 240
metric_floor = 0.0
[run]
seed = 1
threads = 1
log_seconds = 0.5
out = "{out}"
"""

CTC_TEACHER = """
[teacher]
model = "{models}/ctc.onnx"
task = "{task}"
channel_order = "rgb"
resize_mode = "auto"
mean = [0.5, 0.5, 0.5]
std = [0.5, 0.5, 0.5]
charset = "{charset}"
blank = 0
use_space_char = true
"""

DENSE_TEACHER = """
[teacher]
model = "{models}/dense.onnx"
task = "dense"
channel_order = "bgr"
resize_mode = "stretch"
mean = [0.485, 0.456, 0.406]
std = [0.229, 0.224, 0.225]
db_threshold = 0.3
db_box_threshold = 0.6
db_unclip_ratio = 1.5
"""


def opt(*args, check=True):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    r = subprocess.run([ARGS.opt, *args], capture_output=True, text=True, env=env)
    if check and r.returncode not in (0, 1):
        raise AssertionError(f"bespoke-opt {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write_config(name, teacher, models, data, charset=None, task="auto"):
    """WORK/<name>.toml for a teacher kind ("ctc" or "dense"); returns (config path, out folder)."""
    out = os.path.join(WORK, name)
    head = (CTC_TEACHER if teacher == "ctc" else DENSE_TEACHER).format(
        models=models, task=task, charset=charset or os.path.join(models, "ocr-keys.txt"))
    path = os.path.join(WORK, name + ".toml")
    with open(path, "w") as f:
        f.write(head + TINY.format(data=data, out=out))
    return path, out


class WholeRun:
    """What a finished run of a task head must show in report.json and on disk."""

    def check_run(self, cfg, out, task, metric, metrics):
        r = opt("run", cfg)
        self.assertIn("report:", r.stdout, r.stdout + r.stderr)
        report = json.loads(read(os.path.join(out, "report.json")))
        self.assertEqual(report["task"], task)
        teacher = report["teacher"]
        self.assertGreater(teacher["latency_ms"], 0)
        self.assertEqual(len(report["targets"]), 1)
        t = report["targets"][0]
        self.assertEqual(t["name"], "tiny")
        for who, figures in (("teacher", teacher), ("student", t)):
            self.assertEqual(figures["metric"], metric, who)
            self.assertGreaterEqual(figures["score"], 0.0, who)
            self.assertLessEqual(figures["score"], 1.0, who)
            for name in metrics:
                self.assertIn(name, figures["metrics"], f"{who}: {figures['metrics']}")
                self.assertGreaterEqual(figures["metrics"][name], 0.0, f"{who}: {name}")
            self.assertEqual(figures["metrics"][metric], figures["score"], who)
        # The tiny teachers read their own generated data well (make_ocr_models.py prints about 0.94 and 0.97 on
        # val): a lower score means the preprocessing (channel order, resize mode, normalization) or the
        # decoding differs from the models' contract.
        self.assertGreater(teacher["score"], 0.5, teacher)
        self.assertGreater(t["latency_ms"], 0)
        bspk = os.path.join(out, t["bspk"])
        self.assertEqual(hashlib.sha256(read(bspk, "rb")).hexdigest(), t["sha256"])
        return report


class CtcRun(WholeRun, unittest.TestCase):
    def test_whole_run_on_a_ctc_recognizer(self):
        models = os.path.join(WORK, "models")
        cfg, out = write_config("ctc-run", "ctc", models, os.path.join(models, "rec"), task="auto")
        report = self.check_run(cfg, out, "ctc", "line_accuracy", ["line_accuracy", "cer"])
        self.assertLessEqual(report["teacher"]["metrics"]["cer"], 1.0)


class DenseRun(WholeRun, unittest.TestCase):
    def test_whole_run_on_a_db_detector(self):
        models = os.path.join(WORK, "models")
        cfg, out = write_config("dense-run", "dense", models, os.path.join(models, "det"))
        report = self.check_run(cfg, out, "dense", "box_f1", ["box_f1", "box_precision", "box_recall", "map_iou"])
        for name in ("box_precision", "box_recall", "map_iou"):
            self.assertLessEqual(report["teacher"]["metrics"][name], 1.0, name)


def snapshot(folder):
    """Every file under folder: (size, mtime_ns, SHA-256), to show that nothing was touched."""
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            st = os.stat(path)
            found[os.path.relpath(path, folder)] = (st.st_size, st.st_mtime_ns, hashlib.sha256(read(path, "rb")).hexdigest())
    return found


def edit_line(labels, number, change):
    """Replaces line `number` (1-based) of a label file by change(line)."""
    lines = read(labels).split("\n")
    lines[number - 1] = change(lines[number - 1])
    with open(labels, "w") as f:
        f.write("\n".join(lines))


class BadData(unittest.TestCase):
    """Refused before any work: exit 2, one line naming the file and line, no house folder."""

    models = None

    def case(self, name, kind):
        """A fresh copy of the quick models' clean data of `kind` ("rec" or "det") for one case."""
        data = os.path.join(WORK, "bad", name)
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(os.path.join(self.models, kind), data)
        return data

    def refused(self, cfg, out, where, *mentions, existing=None):
        before = snapshot(existing) if existing else None
        r = opt("run", cfg, check=False)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], where)
        for m in mentions:
            self.assertIn(m, lines[0])
        self.assertNotIn("== 1. house", r.stdout)
        if existing:
            self.assertEqual(snapshot(existing), before, "the existing house was touched")
        else:
            self.assertFalse(os.path.exists(out), f"{out} was created by a refused run")
        return lines[0]

    def test_label_line_without_a_tab(self):
        data = self.case("no-tab", "rec")
        edit_line(os.path.join(data, "train", "labels.txt"), 3, lambda line: line.replace("\t", " "))
        cfg, out = write_config("no-tab", "ctc", self.models, data, task="ctc")
        self.refused(cfg, out, r"train/labels\.txt:3: ")

    def test_missing_image(self):
        data = self.case("missing", "rec")
        edit_line(os.path.join(data, "train", "labels.txt"), 2,
                  lambda line: "images/not-there.png\t" + line.split("\t", 1)[1])
        cfg, out = write_config("missing", "ctc", self.models, data, task="ctc")
        self.refused(cfg, out, r"train/labels\.txt:2: ", "not-there.png")

    def test_corrupt_image(self):
        data = self.case("corrupt", "rec")
        image = read(os.path.join(data, "train", "labels.txt")).split("\n")[3].split("\t")[0]
        with open(os.path.join(data, "train", image), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n this is not an image")
        cfg, out = write_config("corrupt", "ctc", self.models, data, task="ctc")
        self.refused(cfg, out, r"train/labels\.txt:4: ", os.path.basename(image))

    def test_transcription_outside_the_charset(self):
        data = self.case("outside-charset", "rec")
        # Q is not in the tiny recognizer's keys (make_ocr_models.KEYS).
        edit_line(os.path.join(data, "train", "labels.txt"), 5, lambda line: line.split("\t")[0] + "\tQQ 12-34")
        cfg, out = write_config("outside-charset", "ctc", self.models, data, task="ctc")
        self.refused(cfg, out, r"train/labels\.txt:5: ", "Q")

    def test_polygon_outside_its_image(self):
        data = self.case("outside-image", "det")

        def move(line):
            image, regions = line.split("\t")
            regions = json.loads(regions) or [{"transcription": "X1", "points": []}]
            regions[0]["points"] = [[10, 10], [500, 10], [500, 30], [10, 30]]  # the images are 96 x 96
            return image + "\t" + json.dumps(regions)

        edit_line(os.path.join(data, "train", "labels.txt"), 2, move)
        cfg, out = write_config("outside-image", "dense", self.models, data)
        self.refused(cfg, out, r"train/labels\.txt:2: ")

    def test_detection_labels_given_to_a_recognizer(self):
        data = self.case("det-for-ctc", "det")
        cfg, out = write_config("det-for-ctc", "ctc", self.models, data, task="ctc")
        self.refused(cfg, out, r"labels\.txt:\d+: ")

    def test_recognition_labels_given_to_a_detector(self):
        data = self.case("rec-for-dense", "rec")
        cfg, out = write_config("rec-for-dense", "dense", self.models, data)
        self.refused(cfg, out, r"labels\.txt:\d+: ")

    def test_wrong_charset_fails_before_the_house_starts(self):
        keys = os.path.join(WORK, "bad", "keys-25.txt")
        os.makedirs(os.path.dirname(keys), exist_ok=True)
        with open(keys, "w") as f:  # 25 characters + blank + space = 27 classes; the model has 24
            f.write("".join(c + "\n" for c in "0123456789ABCDEFGHIJKLMNO"))
        cfg, out = write_config("charset-size", "ctc", self.models, os.path.join(self.models, "rec"), charset=keys,
                                task="ctc")
        self.refused(cfg, out, re.escape(os.path.basename(keys)), "27", "24")

    def test_an_existing_house_is_left_untouched(self):
        data = self.case("existing-house", "rec")
        cfg, out = write_config("existing-house", "ctc", self.models, data, task="ctc")
        r = opt("house", "build", cfg)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(out, "house.sqlite")), r.stdout)
        edit_line(os.path.join(data, "test", "labels.txt"), 2,
                  lambda line: "images/gone.png\t" + line.split("\t", 1)[1])
        self.refused(cfg, out, r"test/labels\.txt:2: ", "gone.png", existing=out)


def make_models(folder, *args):
    subprocess.run(["/usr/bin/python3", os.path.join(ARGS.source_dir, "tests/pipeline/make_ocr_models.py"), folder,
                    *args], check=True)


def main():
    global ARGS, WORK
    p = argparse.ArgumentParser()
    p.add_argument("--opt", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--source-dir", required=True)
    p.add_argument("--work")
    ARGS, rest = p.parse_known_args()
    WORK = ARGS.work or tempfile.mkdtemp(prefix="bespoke-task-heads-")
    # Only the models the chosen tests need: trained ones for the whole runs, untrained ones (the data is refused
    # before any of them runs) for BadData.
    chosen = [a.split(".")[0] for a in rest if not a.startswith("-")] or ["CtcRun", "DenseRun", "BadData"]
    trained = [kind for kind, cls in (("ctc", "CtcRun"), ("dense", "DenseRun")) if cls in chosen]
    if trained:
        make_models(os.path.join(WORK, "models"), *trained)
    if "BadData" in chosen:
        BadData.models = os.path.join(WORK, "quick-models")
        make_models(BadData.models, "--quick")
    try:
        r = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2)
        return 0 if r.result.wasSuccessful() else 1
    finally:
        if not ARGS.work:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
