#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""spark-sweep end to end on the local backend: a small sweep (4 points, 2 networks), results.csv, resuming, a run
that fails, bad input (named errors, nothing finished lost), the Slurm backend's errors with stand-in Slurm
commands, and the plots.

usage: check_sweep.py SPARK_SWEEP SPARK_SIM DATA_DIR WORK_DIR"""
import csv
import os
import shutil
import stat
import subprocess
import sys

sweep_bin, sim, data, work = sys.argv[1:5]
small = os.path.join(data, "small.yaml")
failures = []


def run(*args, env=None, expect=0):
    e = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    e.update(env or {})
    p = subprocess.run([sweep_bin, *args], capture_output=True, text=True, env=e, timeout=240)
    ok = p.returncode == expect if expect is not None else p.returncode not in (0,)
    if not ok or p.returncode < 0:
        failures.append(f"spark-sweep {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}{p.stderr}")
    return p


def check(cond, what):
    if not cond:
        failures.append(what)


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


traces = os.path.abspath(os.path.join(data, "../../../traces"))


def variant(replace_from="", replace_to=""):
    """small.yaml, edited, for a copy outside data/: its workloads by absolute path."""
    text = open(small).read().replace("../../../traces", traces)
    return text.replace(replace_from, replace_to) if replace_from else text


def write(path, text, mode=None):
    with open(path, "w") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
out = os.path.join(work, "small")

# Dry run: the points and their count, nothing written.
p = run("run", small, "--dry-run")
check("4 point(s), 2 workload(s), 1 seed(s): 8 run(s)" in p.stdout, f"dry run count: {p.stdout}")
check("reference: point 3 (array.rows=32, design=int8)" in p.stdout, f"dry run reference: {p.stdout}")

# The sweep: 8 runs, every one ok, the reference's ratios 1.
p = run("run", small, "--out", out, "--jobs", "2", "--spark-sim", sim)
rows = rows_of(os.path.join(out, "results.csv"))
check(len(rows) == 8, f"results.csv: {len(rows)} rows, expected 8")
check(all(r["status"] == "ok" for r in rows), "results.csv: a run is not ok")
check([r["network"] for r in rows[:2]] == ["smoke", "smoke_attention"], "results.csv: network order")
check(list(rows[0].keys())[:5] == ["point", "point_id", "reference", "array.rows", "design"], f"columns: {list(rows[0])[:5]}")
for r in rows:
    if r["reference"] == "1":
        check(r["speedup"] == "1" and r["energy_ratio"] == "1", f"reference ratios: {r}")
        check(r["array.rows"] == "32" and r["design"] == "int8", f"reference point: {r}")
    e = sum(float(r[f"energy_{k}_pj"]) for k in ("dram", "buffer", "core"))
    check(abs(e - float(r["energy_pj"])) <= 1e-6 * float(r["energy_pj"]), f"energy split does not add up: {r}")
    check(int(r["dram_bytes"]) == int(r["dram_read_bytes"]) + int(r["dram_written_bytes"]), "dram_bytes")
    check(r["pes"] == str(int(r["array.rows"]) * 32), f"pes: {r}")
# One point's own outputs, as spark-sim wrote them.
pid = rows[0]["point_id"]
for f in ("arch.json", "point.json", "smoke/layers.csv", "smoke/summary.json", "smoke.log", "smoke.status.json"):
    check(os.path.exists(os.path.join(out, "points", pid, f)), f"points/{pid}/{f} is missing")
first = open(os.path.join(out, "results.csv")).read()

# Resuming: nothing to run, the same results (apart from nothing: wall times come from the status files).
p = run("run", small, "--out", out, "--jobs", "2", "--spark-sim", sim)
check("8 of 8 runs already finished" in p.stdout, f"resume: {p.stdout}")
check(open(os.path.join(out, "results.csv")).read() == first, "resume: results.csv changed")

# A run that fails (a spark-sim that refuses 16-row arrays): listed with its error, the rest kept; exit 1.
failing = os.path.join(work, "failing-sim")
write(failing, f"#!/bin/sh\ncase \"$*\" in *{rows[0]['point_id']}*) echo 'error: refused on purpose' >&2; exit 1;; esac\n"
               f"exec '{sim}' \"$@\"\n", 0o755)
out2 = os.path.join(work, "failing")
p = run("run", small, "--out", out2, "--jobs", "2", "--spark-sim", failing, expect=1)
rows2 = rows_of(os.path.join(out2, "results.csv"))
bad = [r for r in rows2 if r["status"] != "ok"]
check(len(bad) == 2 and all(r["point_id"] == pid for r in bad), f"failed runs: {bad}")
check(all("refused on purpose" in r["error"] for r in bad), f"failed runs' error: {bad}")
check("refused on purpose" in p.stderr and "point 0" in p.stderr, f"failed runs on stderr: {p.stderr}")
# A re-run with the real spark-sim runs only the two.
p = run("run", small, "--out", out2, "--jobs", "2", "--spark-sim", sim)
check("6 of 8 runs already finished" in p.stdout, f"re-run after a failure: {p.stdout}")
strip = lambda t: [",".join(l.split(",")[:-1]) for l in t.splitlines()]  # noqa: E731  (wall_s is last)
check(strip(open(os.path.join(out2, "results.csv")).read()) == strip(first), "re-run: results differ from the first sweep")

# Data seeds: one row per point, network and seed; different seeds, different data.
seeded = os.path.join(work, "seeded.yaml")
seeded_text = variant("sweep: small", "sweep: seeded\nseeds: [1, 7]")
write(seeded, seeded_text.replace("array.rows: [16, 32]", "array.rows: [32]"))
p = run("run", seeded, "--out", os.path.join(work, "seeded"), "--jobs", "2", "--spark-sim", sim)
rs = rows_of(os.path.join(work, "seeded", "results.csv"))
check(len(rs) == 8 and sorted({r["seed"] for r in rs}) == ["1", "7"], f"seeded rows: {len(rs)}")
smoke_spark = [r for r in rs if r["network"] == "smoke" and r["design"] == "spark"]
check(len(smoke_spark) == 2 and smoke_spark[0]["energy_pj"] != smoke_spark[1]["energy_pj"], "seeds gave the same data")

# Bad input: named errors, non-zero exit, no crash.
bad_axis = os.path.join(work, "bad_axis.yaml")
write(bad_axis, variant("array.rows:", "array.rowz:").replace("reference: {array.rows: 32, design: int8}", ""))
p = run("run", bad_axis, "--out", os.path.join(work, "x"), "--spark-sim", sim, expect=1)
check("bad_axis.yaml: axis 'array.rowz' value 16" in p.stderr and "array: unknown field(s): rowz" in p.stderr,
      f"unknown field: {p.stderr}")
check(not os.path.exists(os.path.join(work, "x")), "a bad sweep created its output folder")
bad_value = os.path.join(work, "bad_value.yaml")
write(bad_value, variant("[16, 32]", "[16, 32, 5000]"))
p = run("run", bad_value, "--dry-run", expect=1)
check("axis 'array.rows' value 5000" in p.stderr and "rows must be in 1..4096" in p.stderr, f"refused value: {p.stderr}")
empty = os.path.join(work, "empty.yaml")
write(empty, "sweep: e\nworkloads: [%s/smoke.yaml]\naxes:\n  array.rows: []\n" % traces)
p = run("run", empty, "--dry-run", expect=1)
check("empty.yaml" in p.stderr and "the grid is empty" in p.stderr, f"empty grid: {p.stderr}")
blocker = os.path.join(work, "a-file")
write(blocker, "")
p = run("run", small, "--out", os.path.join(blocker, "out"), "--spark-sim", sim, expect=1)
check("cannot create the folder" in p.stderr, f"unwritable --out: {p.stderr}")
p = run("run", small, "--spark-sim", sim, expect=2)
check("--out DIR is required" in p.stderr, f"missing --out: {p.stderr}")
p = run("run", small, "--out", out, "--backend", "lsf", expect=2)
check("--backend 'lsf'" in p.stderr, f"bad backend: {p.stderr}")

# The Slurm backend without Slurm, and with an sbatch that refuses the job: named errors, finished runs kept.
p = run("run", small, "--out", out, "--backend", "slurm", "--spark-sim", sim, env={"PATH": "/nonexistent"}, expect=1)
check("small.yaml: --backend slurm: 'sbatch' is not on PATH" in p.stderr, f"sbatch missing: {p.stderr}")
fake = os.path.join(work, "fake-slurm")
os.makedirs(fake)
write(os.path.join(fake, "sinfo"), "#!/bin/sh\necho '1 0/2/0/2'\n", 0o755)
write(os.path.join(fake, "scontrol"), "#!/bin/sh\necho 'MaxArraySize            = 1001'\n", 0o755)
write(os.path.join(fake, "squeue"), "#!/bin/sh\nexit 0\n", 0o755)
write(os.path.join(fake, "scancel"), "#!/bin/sh\nexit 0\n", 0o755)
write(os.path.join(fake, "sbatch"),
      "#!/bin/sh\necho 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\nexit 1\n", 0o755)
out3 = os.path.join(work, "refused")
shutil.copytree(out2, out3)
for name in os.listdir(os.path.join(out3, "points", pid)):
    if name.startswith("smoke_attention"):
        shutil.rmtree(os.path.join(out3, "points", pid, name), ignore_errors=True)
        if os.path.isfile(os.path.join(out3, "points", pid, name)):
            os.remove(os.path.join(out3, "points", pid, name))
env = {"PATH": fake + ":" + os.environ.get("PATH", "")}
p = run("run", small, "--out", out3, "--backend", "slurm", "--partition", "nope", "--spark-sim", sim, env=env, expect=1)
check("small.yaml: sbatch refused the job array" in p.stderr and "Invalid partition name" in p.stderr,
      f"sbatch refusing: {p.stderr}")
check("the 7 finished run(s)" in p.stderr, f"sbatch refusing, finished runs: {p.stderr}")
check(os.path.exists(os.path.join(out3, "points", pid, "smoke", "summary.json")), "a finished run was lost")

# Plots: one PNG per network.
p = run("plot", out)
for net in ("smoke", "smoke_attention"):
    check(os.path.getsize(os.path.join(out, "plots", f"pareto_{net}.png")) > 1000, f"pareto_{net}.png")
p = run("plot", os.path.join(work, "nowhere"), expect=1)
check("results.csv" in p.stderr, f"plot of a missing folder: {p.stderr}")

if failures:
    print("\n".join(f"FAIL: {f}" for f in failures), file=sys.stderr)
    sys.exit(1)
print("spark-sweep: local backend, resuming, failures, seeds, bad input and plots as expected")
