#!/usr/bin/env python3
"""bespoke-opt run as a user runs it, on a model that is not the shipped
teacher: a small three-channel ResNet-like classifier trained (torch) on a
generated image folder (make_classifier.py), with tiny settings.

  * the whole pipeline (house, profile, search, fine-tune, export, device
    acceptance, report) ends with a report whose figures are consistent with
    the files it names: the .bspk's SHA-256, its test accuracy re-measured
    through bespoke-opt eval, its latency within the budget exactly when the
    report says so, replaced spans that are alternatives of the house;
  * report.md and pareto.png exist (PNG signature); the ONNX export, converted
    back and run, scores the accuracy the report gives;
  * SIGKILL part-way (after the profile), then a second run: the house and
    the profile are reused, not redone, and the run completes;
  * a config naming an unknown target on the command line is refused (exit 2);
  * OfflineAcceptance: an offline target, profiled through profile bundle ->
    bespoke-bench -> import, gets a pending student and an acceptance bundle;
    bespoke-bench --manifest answers it on "the device"; the next run accepts
    (or rejects) the student from that report, with the device's numbers; a
    report with an edited output or another manifest id is refused.

Usage: pipeline_test.py --opt PATH/bespoke-opt --bench PATH/bespoke-bench --source-dir REPO [--work DIR]
       [Pipeline | OfflineAcceptance]
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None
WORK = None


def config_text(work, out, device="local"):
    return f"""
[teacher]
model = "{work}/classifier.onnx"
mean = [0.5, 0.5, 0.5]
std = [0.25, 0.25, 0.25]
[data]
source = "{work}/images"
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
device = "{device}"
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
[run]
seed = 1
threads = 1
log_seconds = 0.5
out = "{out}"
"""


def opt(*args, check=True, **kwargs):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    r = subprocess.run([ARGS.opt, *args], capture_output=True, text=True, env=env, **kwargs)
    if check and r.returncode not in (0, 1):
        raise AssertionError(f"bespoke-opt {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write_config(name, device="local"):
    out = os.path.join(WORK, name)
    path = os.path.join(WORK, name + ".toml")
    with open(path, "w") as f:
        f.write(config_text(WORK, out, device))
    return path, out


def bench(manifest):
    r = subprocess.run([ARGS.bench, "--manifest", manifest, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"bespoke-bench --manifest {manifest} exited {r.returncode}:\n{r.stderr}")
    return json.loads(r.stdout)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)
    return path


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class Pipeline(unittest.TestCase):
    def test_whole_run_report_matches_files(self):
        cfg, out = write_config("whole")
        r = opt("run", cfg)
        self.assertIn("report:", r.stdout, r.stdout + r.stderr)
        report = json.loads(read(os.path.join(out, "report.json")))
        teacher = report["teacher"]
        self.assertGreater(teacher["latency_ms"], 0)
        self.assertGreater(teacher["accuracy"], 0.5)
        # The task head: a classifier of logits, decided from the output's rank.
        self.assertEqual(report["task"], "classify")
        self.assertEqual(teacher["metric"], "accuracy")
        self.assertEqual(teacher["score"], teacher["accuracy"])
        self.assertEqual(teacher["metrics"], {"accuracy": teacher["accuracy"]})
        self.assertEqual(len(report["targets"]), 1)
        t = report["targets"][0]
        self.assertEqual(t["name"], "tiny")
        self.assertAlmostEqual(t["budget_ms"], 0.85 * t["teacher_latency_ms"], places=9)
        self.assertGreater(t["latency_ms"], 0)
        # Held to the tighter of the stated budget and the ratio of the teacher
        # measured side by side at acceptance.
        self.assertGreater(t["acceptance_teacher_ms"], 0)
        self.assertAlmostEqual(t["acceptance_budget_ms"], min(t["budget_ms"], 0.85 * t["acceptance_teacher_ms"]),
                               places=9)
        self.assertEqual(t["meets_budget"], t["latency_ms"] <= t["acceptance_budget_ms"])
        self.assertIn(t["acceptance_measurements"], (1, 2))
        if t["meets_budget"]:
            self.assertLessEqual(t["latency_ms"], t["budget_ms"])
        self.assertLessEqual(t["predicted_ms"], t["budget_ms"] * 1.0000001)
        self.assertGreater(t["params"], 0)
        self.assertGreater(t["flops"], 0)
        self.assertGreater(t["arena_bytes"], 0)
        # The file is the one the report describes.
        bspk = os.path.join(out, t["bspk"])
        self.assertEqual(hashlib.sha256(read(bspk, "rb")).hexdigest(), t["sha256"])
        # The ONNX export is the same network: converted back and run, it scores the same.
        o = opt("eval", os.path.join(out, t["onnx"]), "--data", os.path.join(WORK, "images"), "--split", "test",
                "--engine", "runtime", "--json", "--mean", "0.5", "--std", "0.25")
        self.assertAlmostEqual(json.loads(o.stdout)["runtime"]["accuracy"], t["accuracy"], places=6)
        # Its accuracy, re-measured independently through bespoke-opt eval on the test split.
        e = opt("eval", bspk, "--data", os.path.join(WORK, "images"), "--split", "test", "--engine", "runtime",
                "--json", "--mean", "0.5", "--std", "0.25")
        measured = json.loads(e.stdout)
        self.assertAlmostEqual(measured["runtime"]["accuracy"], t["accuracy"], places=6)
        # Replaced spans are alternatives of the house.
        db = sqlite3.connect(f"file:{out}/house.sqlite?mode=ro", uri=True)
        keys = {k for (k,) in db.execute("SELECT key FROM alternatives WHERE status = 'done'")}
        db.close()
        for span in t["replaced"]:
            self.assertIn(span["key"], keys)
        md = read(os.path.join(out, "report.md"))
        self.assertIn("| tiny |", md)
        with open(os.path.join(out, "pareto.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_sigkill_then_resume_reuses_house_and_profile(self):
        cfg, out = write_config("killed")
        env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
        log_path = os.path.join(WORK, "killed.log")
        with open(log_path, "w") as log:
            p = subprocess.Popen([ARGS.opt, "run", cfg], stdout=log, stderr=subprocess.STDOUT, env=env)
            deadline = time.time() + 600
            while time.time() < deadline and p.poll() is None:
                if "== 4. search" in read(log_path):
                    break
                time.sleep(0.2)
            self.assertIsNone(p.poll(), "the run ended before it could be killed:\n" + read(log_path))
            p.send_signal(signal.SIGKILL)
            p.wait()
        r = opt("run", cfg)
        self.assertIn("report:", r.stdout, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"house: .*nothing to do|0 to do|reused", r.stdout)
        self.assertIn("profile", r.stdout)
        self.assertRegex(r.stdout, r"(?i)reus", r.stdout)
        self.assertNotIn("distill", r.stdout.split("== 2.")[0].lower().replace("distillation", ""))

    def test_a_student_is_remade_exactly_when_an_input_of_it_changed(self):
        cfg, out = write_config("rerun")
        r = opt("run", cfg)
        self.assertIn("report:", r.stdout, r.stdout + r.stderr)
        result = os.path.join(out, "students", "tiny", "result.json")
        first = json.loads(read(result))
        self.assertIn("finetune", first["inputs"])
        stamp = os.stat(result).st_mtime_ns
        text = read(cfg)
        # How often progress is logged is not an input of the student: reused as it is.
        with open(cfg, "w") as f:
            f.write(text.replace("log_seconds = 0.5", "log_seconds = 2.0"))
        r = opt("run", cfg)
        self.assertIn("tiny: student reused", r.stdout, r.stdout + r.stderr)
        self.assertNotIn("== 5. fine-tune", r.stdout)
        self.assertEqual(os.stat(result).st_mtime_ns, stamp)
        # Fine-tuning longer is: the student is remade, and the log says why.
        with open(cfg, "w") as f:
            f.write(text.replace("epochs = 0.5", "epochs = 0.75"))
        r = opt("run", cfg)
        self.assertIn("the student is remade (changed since it was made: finetune)", r.stdout, r.stdout + r.stderr)
        self.assertIn("== 5. fine-tune", r.stdout)
        second = json.loads(read(result))
        self.assertNotEqual(second["inputs"]["finetune"], first["inputs"]["finetune"])
        self.assertEqual(second["inputs"]["house content"], first["inputs"]["house content"])

    def test_a_damaged_result_of_another_target_is_named_in_the_report(self):
        cfg, out = write_config("damaged")
        with open(cfg, "a") as f:
            f.write('[[targets]]\nname = "other"\ndevice = "local"\nbudget_ratio = 0.9\n')
        opt("run", cfg)
        result = os.path.join(out, "students", "other", "result.json")
        with open(result, "w") as f:
            f.write("{ torn")
        r = opt("run", cfg, "--target", "tiny")
        report = json.loads(read(os.path.join(out, "report.json")))
        other = [t for t in report["targets"] if t["name"] == "other"]
        self.assertEqual(len(other), 1, report)
        self.assertIn("damaged result", other[0]["acceptance"])
        self.assertIn("damaged result", read(os.path.join(out, "report.md")))
        r = opt("run", cfg, "--target", "other")
        self.assertIn("is damaged or of an older format: remade", r.stdout, r.stdout + r.stderr)
        self.assertIn("== 5. fine-tune", r.stdout)
        self.assertIn("inputs", json.loads(read(result)))

    def test_unknown_target_is_refused(self):
        cfg, _ = write_config("refused")
        r = opt("run", cfg, "--target", "nope", check=False)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("nope", r.stderr)


class OfflineAcceptance(unittest.TestCase):
    def test_offline_student_is_accepted_from_the_device_report(self):
        cfg, out = write_config("offline", device="offline")
        # The profile: the run stops at the bundle; bespoke-bench measures it; import.
        r = opt("run", cfg, check=False)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("not profiled yet", r.stdout + r.stderr)
        profile_report = write_json(os.path.join(WORK, "offline-profile.json"),
                                    bench(os.path.join(out, "bundles", "tiny", "manifest.json")))
        opt("profile", "import", cfg, profile_report)

        # The student: pending, its acceptance bundle written, the commands said.
        r = opt("run", cfg)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        acceptance = os.path.join(out, "students", "tiny", "acceptance")
        manifest_path = os.path.join(acceptance, "manifest.json")
        report_path = os.path.join(acceptance, "report.json")
        self.assertIn("bespoke-bench --manifest manifest.json --json > report.json", r.stdout)
        self.assertIn(report_path, r.stdout)
        t = json.loads(read(os.path.join(out, "report.json")))["targets"][0]
        self.assertTrue(t["acceptance"].startswith("pending"), t["acceptance"])
        self.assertIn("pending acceptance on the device", t["status"])
        md = read(os.path.join(out, "report.md"))
        self.assertIn(report_path, md)
        self.assertIn("not measured on the device yet", md)
        manifest = json.loads(read(manifest_path))
        self.assertEqual(manifest["format"], "bespoke-acceptance-manifest")
        self.assertEqual(manifest["version"], 1)
        self.assertRegex(manifest["id"], r"^[0-9a-f]{64}$")
        for m in manifest["models"]:
            data = read(os.path.join(acceptance, m["file"]), "rb")
            self.assertEqual((len(data), hashlib.sha256(data).hexdigest()), (m["bytes"], m["sha256"]))
        self.assertEqual([m["file"] for m in manifest["models"]], ["student.bspk", "teacher.bspk"])
        self.assertEqual(manifest["models"][0]["sha256"], t["sha256"])
        self.assertEqual(len(manifest["runs"]), 8)
        for run in manifest["runs"]:
            for x in run["inputs"]:
                self.assertEqual(read(os.path.join(acceptance, x["file"]), "rb")[:6], b"\x93NUMPY")
        self.assertEqual(len(manifest["measures"]), 1)
        self.assertEqual(manifest["measures"][0]["models"], ["student.bspk", "teacher.bspk"])
        self.assertEqual(manifest["measures"][0]["rounds"], 3)

        # On "the device".
        device_report = bench(manifest_path)
        self.assertEqual(device_report["format"], "bespoke-acceptance-report")
        self.assertEqual(device_report["manifest_id"], manifest["id"])
        self.assertEqual(len(device_report["runs"]), 8)

        # A torn copy of an input is named by bespoke-bench, as a torn model is.
        torn = os.path.join(WORK, "torn-acceptance")
        shutil.copytree(acceptance, torn)
        with open(os.path.join(torn, "run-01-input-0.npy"), "r+b") as f:
            f.truncate(64)
        r = subprocess.run([ARGS.bench, "--manifest", os.path.join(torn, "manifest.json"), "--json"],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("run-01-input-0.npy: 64 bytes, the manifest says", r.stderr)

        # Tampered reports are refused: one error line naming the report and what is wrong; still pending.
        edited = json.loads(json.dumps(device_report))
        edited["runs"][3]["outputs"][0]["data"][0] += 0.5
        write_json(report_path, edited)
        r = opt("run", cfg, check=False)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("bespoke-opt run: " + report_path + ": runs[3].outputs[0]: the values do not match their \"digest\"", r.stderr)
        other = json.loads(json.dumps(device_report))
        other["manifest_id"] = "0" * 64
        write_json(report_path, other)
        r = opt("run", cfg, check=False)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("bespoke-opt run: " + report_path + ": answers manifest 0000000000000000...", r.stderr)
        self.assertTrue(json.loads(read(os.path.join(out, "students", "tiny", "result.json")))["acceptance"]
                        .startswith("pending"))

        # The real report: accepted or rejected on the device's numbers, like a local target.
        write_json(report_path, device_report)
        r = opt("run", cfg)
        self.assertIn("device report " + report_path, r.stdout, r.stdout + r.stderr)
        t = json.loads(read(os.path.join(out, "report.json")))["targets"][0]
        measured = device_report["measures"][0]["models"]
        self.assertAlmostEqual(t["latency_ms"], median([x["median_ms"] for x in measured[0]["rounds"]]), places=9)
        self.assertAlmostEqual(t["acceptance_teacher_ms"], median([x["median_ms"] for x in measured[1]["rounds"]]),
                               places=9)
        self.assertEqual(t["arena_bytes"], measured[0]["arena_bytes"])
        self.assertEqual(t["acceptance_measurements"], 1)
        self.assertTrue(t["device"].startswith("offline: " + device_report["device"]["cpu"]), t["device"])
        self.assertEqual(hashlib.sha256(read(os.path.join(out, t["bspk"]), "rb")).hexdigest(), t["sha256"])
        # Same numerics as the runtime on this machine: only the latency may miss, on a noisy machine.
        self.assertNotIn("outputs differ", t["acceptance"])
        self.assertEqual(t["meets_budget"], t["latency_ms"] <= t["acceptance_budget_ms"])
        if t["meets_budget"]:
            self.assertEqual(t["acceptance"], "accepted")
        self.assertEqual(r.returncode, 0 if t["status"] == "ok" else 1, t["status"])


def main():
    global ARGS, WORK
    p = argparse.ArgumentParser()
    p.add_argument("--opt", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--source-dir", required=True)
    p.add_argument("--work")
    ARGS, rest = p.parse_known_args()
    WORK = ARGS.work or tempfile.mkdtemp(prefix="bespoke-pipeline-")
    subprocess.run(["/usr/bin/python3", os.path.join(ARGS.source_dir, "tests/pipeline/make_classifier.py"), WORK,
                    "--train", "300", "--test", "150"], check=True)
    try:
        r = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2)
        return 0 if r.result.wasSuccessful() else 1
    finally:
        if not ARGS.work:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
