#!/usr/bin/env python3
"""bespoke-opt profile as a user runs it, on a tiny house the test builds with
`bespoke-opt house build` (the real demo teacher, real Fashion-MNIST images,
tiny settings) and the real runtime tools:

  * local profile + --check: every done alternative gets an in-context time,
    the JSON report has one predicted/measured pair per student;
  * bespoke-agent on loopback: the whole profile and the check through the
    agent, giving the same table entries as the local profile;
  * offline: profile export -> bespoke-bench --manifest -> profile import;
    a report for another manifest, and an edited one, are refused;
  * SIGKILL part-way through bespoke-opt profile, then a re-run that measures
    nothing already stored (the stored rows are unchanged);
  * a profile of the same target name from another fingerprint is refused
    without --force and replaced with it.

Usage: profile_test.py --opt bespoke-opt --bench bespoke-bench --agent bespoke-agent --source-dir REPO
         [--agent-command "scripts/run-emulated aarch64 build-aarch64/bin/bespoke-agent"] [TEST...]
--agent-command starts the agent another way (scripts/test-cross: the cross-built
aarch64 agent under qemu, one thread, serving this x86-64 bespoke-opt).
"""
import shlex
import argparse
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
HOUSE_DIR = None  # built once for the whole suite


def env():
    return dict(os.environ, OMP_WAIT_POLICY="PASSIVE")


def config_text(out, targets, runs=3, rounds=2):
    src = ARGS.source_dir
    return f"""
[teacher]
model = "{src}/models/fashion_resnet.onnx"
[data]
train_images = 128
validation_images = 64
[house]
spans = 3
max_units = 2
kinds = ["drop", "pruned", "low_rank"]
prune_ratios = [0.5]
low_rank_ratios = [0.25]
max_alternatives_per_span = 4
[distill]
steps = 3
batch_size = 32
[run]
seed = 5
threads = 1
log_seconds = 0.5
out = "{out}"
[profile]
warmup = 1
runs = {runs}
rounds = {rounds}
""" + targets


def target(name, device="local", extra=""):
    return f'\n[[targets]]\nname = "{name}"\ndevice = "{device}"\nbudget_ratio = 0.8\n{extra}\n'


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def run(tool, *args, check=True, **kwargs):
    r = subprocess.run([tool, *args], capture_output=True, text=True, env=env(), **kwargs)
    if check and r.returncode != 0:
        raise AssertionError(f"{os.path.basename(tool)} {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def opt(*args, **kwargs):
    return run(ARGS.opt, *args, **kwargs)


def query(house, sql, *params):
    db = sqlite3.connect(f"file:{house}/house.sqlite?mode=ro", uri=True)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def done_keys(house):
    return {k for (k,) in query(house, "SELECT key FROM alternatives WHERE status = 'done'")}


def items(house, name):
    return dict(query(house, "SELECT item, ms FROM latency_items WHERE target = ?", name))


class Agent:
    """bespoke-agent on a free loopback port, stopped by close()."""

    def __init__(self, command, token_file):
        self.proc = subprocess.Popen([*command, "--listen", "127.0.0.1:0", "--token-file", token_file],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env())
        line = self.proc.stdout.readline()
        if "port" not in line:
            self.close()
            raise AssertionError(f"bespoke-agent did not start: {line!r}")
        self.port = int(line.rsplit("port", 1)[1])

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


class Profile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bespoke-profile-")
        self.house = os.path.join(self.dir, "house")
        shutil.copytree(HOUSE_DIR, self.house)
        self.token = write(os.path.join(self.dir, "token"), "a shared secret\n")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def config(self, targets, **kwargs):
        return write(os.path.join(self.dir, "profile.toml"), config_text(self.house, targets, **kwargs))

    def check_table(self, name):
        table = items(self.house, name)
        keys = done_keys(self.house)
        self.assertGreaterEqual(len(keys), 4, "the tiny house has too few alternatives to test anything")
        self.assertTrue(any(table.get(k, 0) > 0 for k in keys), table)
        for key in keys:
            self.assertIn(key, table, f"{key} has no latency for {name}")
            self.assertGreaterEqual(table[key], 0.0)
        units = [i for i in table if i.startswith("unit:")]
        self.assertEqual(len(units), 10, table)  # the demo teacher's 10 units
        self.assertTrue(all(table[u] > 0 for u in units), table)
        return table

    def check_students(self, report, count):
        self.assertEqual(len(report["students"]), count, report)
        for s in report["students"]:
            self.assertGreater(s["predicted_ms"], 0.0)
            self.assertGreater(s["measured_ms"], 0.0)
            self.assertTrue(s["keys"])
        self.assertIn("median_error_percent", report)

    def test_local_profile_and_prediction_check(self):
        cfg = self.config(target("pc"))
        r = opt("profile", cfg, "--target", "pc", "--check", "4", "--json")
        report = json.loads(r.stdout)
        self.assertEqual(report["target"], "pc")
        self.assertGreater(report["teacher_ms"], 0.0)
        self.assertEqual(report["reused"], 0)
        self.assertEqual(report["measured"], (report["probes"] + 2) * 2)
        self.assertIn("round 1", r.stderr)  # progress lines
        self.check_students(report, 4)
        self.check_table("pc")
        # Complete: a second run measures nothing.
        again = json.loads(opt("profile", cfg, "--target", "pc", "--json").stdout)
        self.assertEqual(again["measured"], 0)
        self.assertEqual(again["reused"], report["measured"])

    def test_agent_on_loopback_profiles_like_local(self):
        emulated = bool(ARGS.agent_command)
        agent = Agent(shlex.split(ARGS.agent_command) if emulated else [ARGS.agent], self.token)
        try:
            cfg = self.config(target("pc") + target("loop", "agent",
                                                    f'address = "127.0.0.1:{agent.port}"\ntoken_file = "token"'))
            report = json.loads(opt("profile", cfg, "--target", "loop", "--check", "3", "--json").stdout)
            self.check_students(report, 3)
            remote = self.check_table("loop")
            opt("profile", cfg, "--target", "pc")
            local = self.check_table("pc")
            self.assertEqual(set(remote), set(local))
            fp = query(self.house, "SELECT cpu, cores, isa, runtime_version, backend, threads FROM latency_targets ORDER BY name")
            if emulated:  # the other architecture's agent: its own CPU and instruction set ("loop" < "pc")
                print(f"\n  emulated agent: {fp[0]}\n  this machine:   {fp[1]}", file=sys.stderr)
                self.assertNotEqual(fp[0][2], fp[1][2])
            else:  # same machine, same runtime: the fingerprints agree
                self.assertEqual(fp[0], fp[1])
        finally:
            agent.close()
        # The agent gone: one clear error.
        r = opt("profile", cfg, "--target", "loop", "--force", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("agent 127.0.0.1:", r.stderr)

    def test_offline_export_bench_import_round_trip(self):
        cfg = self.config(target("board", "offline") + target("other", "offline", "threads = 2"))
        bundle = os.path.join(self.dir, "bundle")
        opt("profile", "export", cfg, "--target", "board", bundle)
        with open(os.path.join(bundle, "manifest.json")) as f:
            manifest = json.load(f)
        self.assertEqual(manifest["target"], "board")
        r = run(ARGS.bench, "--manifest", os.path.join(bundle, "manifest.json"), "--json")
        report_path = write(os.path.join(self.dir, "report.json"), r.stdout)
        report = json.loads(r.stdout)
        self.assertEqual(report["manifest_id"], manifest["id"])
        self.assertEqual(len(report["models"]), len(manifest["models"]))
        opt("profile", "import", cfg, report_path)
        self.check_table("board")
        # A live profile of an offline target is refused with a pointer to export/import.
        r = opt("profile", cfg, "--target", "board", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("use bespoke-opt profile export / import", r.stderr)
        # A report for another manifest (the other target's), and an edited one, are refused.
        other = os.path.join(self.dir, "other")
        opt("profile", "export", cfg, "--target", "other", other)
        theirs = json.loads(run(ARGS.bench, "--manifest", os.path.join(other, "manifest.json"), "--json").stdout)
        theirs["target"] = "board"
        r = opt("profile", "import", cfg, write(os.path.join(self.dir, "theirs.json"), json.dumps(theirs)), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not this house's bundle for target board", r.stderr)
        edited = dict(report)
        edited["models"] = list(report["models"])
        edited["models"][2] = dict(edited["models"][2], sha256="0" * 64)
        r = opt("profile", "import", cfg, write(os.path.join(self.dir, "edited.json"), json.dumps(edited)), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("models[2]", r.stderr)
        # A truncated copy of a probe file is named by bespoke-bench.
        probe = os.path.join(bundle, manifest["models"][2]["file"])
        with open(probe, "r+b") as f:
            f.truncate(100)
        r = run(ARGS.bench, "--manifest", os.path.join(bundle, "manifest.json"), "--json", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("an incomplete copy?", r.stderr)

    def test_sigkill_then_resume_measures_nothing_twice(self):
        cfg = self.config(target("pc"), runs=400, rounds=3)
        proc = subprocess.Popen([ARGS.opt, "profile", cfg, "--target", "pc"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=env())
        deadline = time.time() + 300
        stored = []
        while time.time() < deadline and proc.poll() is None:
            try:
                stored = query(self.house, "SELECT round, probe, end_to_end_ms FROM latency_measurements")
            except sqlite3.Error:
                stored = []
            if len(stored) >= 4:
                break
            time.sleep(0.02)
        self.assertIsNone(proc.poll(), "the profile finished before it could be killed: make it slower")
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        killed = {(r, p): ms for r, p, ms in query(self.house, "SELECT round, probe, end_to_end_ms FROM latency_measurements")}
        self.assertGreaterEqual(len(killed), 4)
        self.assertEqual(query(self.house, "PRAGMA integrity_check")[0][0], "ok")
        report = json.loads(opt("profile", cfg, "--target", "pc", "--json").stdout)
        self.assertEqual(report["reused"], len(killed))
        self.assertEqual(report["measured"] + report["reused"], (report["probes"] + 2) * 3)
        after = {(r, p): ms for r, p, ms in query(self.house, "SELECT round, probe, end_to_end_ms FROM latency_measurements")}
        for k, ms in killed.items():
            self.assertEqual(after[k], ms, f"{k} was measured again")
        self.check_table("pc")

    def test_foreign_fingerprint_refused_without_force(self):
        cfg = self.config(target("pc"))
        opt("profile", cfg, "--target", "pc")
        db = sqlite3.connect(os.path.join(self.house, "house.sqlite"))
        db.execute("UPDATE latency_targets SET cpu = 'Some Other CPU', cores = 64 WHERE name = 'pc'")
        db.commit()
        db.close()
        r = opt("profile", cfg, "--target", "pc", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("was profiled on another device (Some Other CPU, 64 cores", r.stderr)
        self.assertIn("--force", r.stderr)
        opt("profile", cfg, "--target", "pc", "--force")
        self.assertNotEqual(query(self.house, "SELECT cpu FROM latency_targets WHERE name = 'pc'")[0][0], "Some Other CPU")
        r = opt("profile", cfg, "--target", "nope", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no [[targets]] named 'nope' (known: pc)", r.stderr)


def main():
    global ARGS, HOUSE_DIR
    parser = argparse.ArgumentParser()
    for flag in ("--opt", "--bench", "--agent", "--source-dir"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--agent-command", default="")
    ARGS, rest = parser.parse_known_args()
    work = tempfile.mkdtemp(prefix="bespoke-profile-house-")
    try:
        HOUSE_DIR = os.path.join(work, "house")
        cfg = write(os.path.join(work, "house.toml"), config_text(HOUSE_DIR, ""))
        opt("house", "build", cfg)
        result = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2).result
        return 0 if result.wasSuccessful() else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
