#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""tb-pe-array as a user runs it: --json stays valid JSON with --vcd, .npy operands are the ones used, and bad
files and options are named errors.

usage: check_tb_pe_array.py TB WORKDIR"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

tb, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def run(*args, expect=0):
    p = subprocess.run([tb, *args], capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != expect:
        failures.append(f"tb-pe-array {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def stats(stdout, what):
    try:
        j = json.loads(stdout)
    except ValueError as e:
        failures.append(f"{what}: stdout is not one JSON object ({e}):\n{stdout[:400]}")
        return None
    if not all(j["checks"].values()):
        failures.append(f"{what}: a check failed: {j['checks']}")
    return {s["name"]: s["value"] for s in j["stats"]}


# --json with --cycle-level --vcd: SystemC's messages must not reach stdout.
vcd = os.path.join(work, "w.vcd")
p = run("--op", "conv", "--in-h", "5", "--in-w", "5", "--in-c", "4", "--out-c", "3", "--rows", "3", "--cols", "2",
        "--cycle-level", "--vcd", vcd, "--json")
stats(p.stdout, "--json --vcd")
if not os.path.exists(vcd) or os.path.getsize(vcd) == 0:
    failures.append("--vcd wrote no waveform")

# .npy operands: all-short data gives only short x short MACs, all-long only long x long; random data gives both.
m, n, k = 5, 7, 19
shapes = {"w": (n, k), "a": (m, k)}
for tag, w_value, a_value, klass in (("short", -3, 6, "macs_short_short"), ("long", 100, 200, "macs_long_long")):
    wf, af = os.path.join(work, f"w_{tag}.npy"), os.path.join(work, f"a_{tag}.npy")
    np.save(wf, np.full(shapes["w"], w_value, np.int8))
    np.save(af, np.full(shapes["a"], a_value, np.uint8))
    p = run("--m", str(m), "--n", str(n), "--k", str(k), "--rows", "4", "--cols", "4", "--weights", wf,
            "--activations", af, "--json")
    s = stats(p.stdout, f".npy {tag}")
    if s and s[klass] != m * n * k:
        failures.append(f".npy {tag}: {klass} = {s[klass]}, expected all {m * n * k} MACs")
# A conv in NHWC with [out_c][kh][kw][in_c/groups] weights, checked against the naive reference.
rng = np.random.default_rng(5)
wf, af = os.path.join(work, "cw.npy"), os.path.join(work, "ca.npy")
np.save(wf, rng.integers(-128, 128, (6, 3, 3, 2), dtype=np.int8))
np.save(af, rng.integers(0, 256, (1, 7, 7, 4), dtype=np.uint8))
p = run("--op", "conv", "--in-h", "7", "--in-w", "7", "--in-c", "4", "--out-c", "6", "--groups", "2", "--weights", wf,
        "--activations", af, "--json")
stats(p.stdout, ".npy conv")

# Bad files and options: named, exit 1.
np.save(os.path.join(work, "bad_shape.npy"), np.zeros((n, k + 1), np.int8))
np.save(os.path.join(work, "bad_dtype.npy"), np.zeros((m, k), np.int8))
cases = [
    (["--weights", os.path.join(work, "bad_shape.npy")], ["--weights", "bad_shape.npy", "needs shape (7, 19)", "(7, 20)"]),
    (["--activations", os.path.join(work, "bad_dtype.npy")], ["--activations", "bad_dtype.npy", "uint8", "int8"]),
    (["--weights", os.path.join(work, "none.npy")], ["none.npy"]),
    (["--rows", "0"], ["--rows: must be in 1..4096, got 0"]),
    (["--cols", "-1"], ["--cols: must be in 1..4096, got -1"]),
    (["--seed", "-1"], ["--seed '-1' is not an unsigned 64-bit integer"]),
]
for extra, fragments in cases:
    p = run("--m", str(m), "--n", str(n), "--k", str(k), *extra, expect=1)
    if not p.stderr.startswith("error:") or not all(f in p.stderr for f in fragments):
        failures.append(f"tb-pe-array {' '.join(extra)}: expected an error naming {fragments}, got:\n{p.stderr}")

for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
