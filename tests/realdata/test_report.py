# SPDX-License-Identifier: Apache-2.0
"""End-to-end checks of `spark-codec report` on tensors generated here.

usage: test_report.py TOOL WORKDIR CASE

The codec's exact values and both rounding rules are restated from the spec with numpy, independently of the C++
code. Files are written into WORKDIR only.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np

TOOL, WORK, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


def exact_signed(x):
    x = np.asarray(x)
    blocks = [(-112, -97), (-80, -65), (-48, -33), (-16, 15), (32, 47), (64, 79), (96, 111)]
    return np.any([(x >= lo) & (x <= hi) for lo, hi in blocks], axis=0)


EXACT = np.array([v for v in range(-128, 128) if exact_signed(v)])


def truncate_signed(x):
    """The hardware rule in signed mode: an inexact value moves toward zero to the nearest exact value."""
    x = np.asarray(x, dtype=np.int64)
    out = x.copy()
    for i, v in enumerate(x.flat):
        if not exact_signed(v):
            out.flat[i] = EXACT[EXACT < v].max() if v > 0 else EXACT[EXACT > v].min()
    return out


def nearest_signed(x):
    x = np.asarray(x, dtype=np.int64)
    return EXACT[np.abs(EXACT[None, :] - x.reshape(-1, 1)).argmin(axis=1)].reshape(x.shape)


def run(*args, status=0):
    p = subprocess.run([TOOL, "report", *args], cwd=WORK, capture_output=True, text=True)
    if p.returncode != status:
        sys.exit(f"spark-codec report {' '.join(args)}: exit {p.returncode}, expected {status}\n{p.stdout}{p.stderr}")
    return p


def check(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)


def sqnr(signal, noise):
    return 10 * np.log10(signal / noise)


def case_known_histogram():
    # Every int8 value once, plus a long-tailed tensor: 60 x 0, 20 x 2, 10 x -3, 5 x 9, 3 x 20, 2 x -90.
    np.save("flat.npy", np.arange(-128, 128, dtype=np.int8))
    tail = np.array([0] * 60 + [2] * 20 + [-3] * 10 + [9] * 5 + [20] * 3 + [-90] * 2, dtype=np.int8)
    np.save("tail.npy", tail)
    j = json.loads(run("--json", "--variant", "truncate,nearest", "flat.npy", "tail.npy").stdout)
    rows = {(r["tensor"], r["variant"]): r for r in j["tensors"]}
    flat_t, flat_n = rows[("flat.npy", "truncate")], rows[("flat.npy", "nearest")]
    check(flat_t["values"] == 256 and flat_t["short_codes"] == 8 and flat_t["approximated"] == 128, "flat counts")
    check(flat_t["int4_range"] == 15, "flat int4 range -7..7")
    check(flat_t["mean_bits_per_value"] == (8 * 4 + 248 * 8) / 256, "flat bits")
    x = np.arange(-128, 128)
    for row, rule in ((flat_t, truncate_signed), (flat_n, nearest_signed)):
        noise = float(np.sum((rule(x) - x) ** 2))
        check(abs(row["sqnr_vs_int8_db"] - sqnr(float(np.sum(x * x)), noise)) < 1e-9, "flat SQNR " + row["variant"])
    tail_t, tail_n = rows[("tail.npy", "truncate")], rows[("tail.npy", "nearest")]
    check(tail_t["share_int4_range"] == 0.9 and tail_t["share_short"] == 0.9, "tail shares")
    check(tail_t["approximated"] == 5 and tail_t["max_abs_error_steps"] == 10, "tail truncate")
    check(tail_n["max_abs_error_steps"] == 7, "tail nearest")
    totals = {t["variant"]: t for t in j["totals"]}
    check(totals["truncate"]["values"] == 356 and totals["truncate"]["tensors"] == 2, "totals")
    check(totals["truncate"]["share_short"] == (8 + 90) / 356, "total share short")
    check(totals["truncate"]["sqnr_vs_float_db"] is None, "no float figures for integer input")


def case_float_per_channel():
    rng = np.random.default_rng(3)
    w = rng.laplace(0.0, 0.02, (8, 4, 3, 3)).astype(np.float32)
    np.save("w.npy", w)
    j = json.loads(run("--json", "--variant", "all", "--axis", "0", "w.npy").stdout)
    rows = {r["variant"]: r for r in j["tensors"]}
    check(set(rows) == {"truncate", "nearest", "calibrated"}, "three variants")
    q = rows["truncate"]["quantization"]
    check(q["axis"] == 0 and len(q["scales"]) == 8, "per-channel scales")
    scale = np.abs(w).reshape(8, -1).max(axis=1).astype(np.float64) / 127.0
    check(np.allclose(q["scales"], scale, rtol=0, atol=0), "scales are max|x| / 127")
    ints = np.clip(np.rint(w.astype(np.float64) / scale[:, None, None, None]), -127, 127).astype(np.int64)
    for variant, rule in (("truncate", truncate_signed), ("nearest", nearest_signed)):
        coded = rule(ints) * scale[:, None, None, None]
        x = w.astype(np.float64)
        expected = sqnr(float(np.sum(x * x)), float(np.sum((x - coded) ** 2)))
        check(abs(rows[variant]["sqnr_vs_float_db"] - expected) < 1e-3, f"float SQNR {variant}")
        check(rows[variant]["share_int4_range"] == float(np.mean(np.abs(ints) <= 7)), f"int4 share {variant}")
    # The calibrated variant searches the range for the lowest coded error: never worse than min-max.
    check(rows["calibrated"]["sqnr_vs_float_db"] >= rows["nearest"]["sqnr_vs_float_db"], "calibrated >= nearest")
    check(rows["calibrated"]["quantization"]["calibration"] == "spark-mse", "calibrated uses spark-mse")


def case_csv_and_folder():
    os.makedirs("net/block", exist_ok=True)
    rng = np.random.default_rng(4)
    np.save("net/a.npy", rng.laplace(0.0, 0.1, (16, 16)).astype(np.float32))
    np.save("net/block/b.npy", rng.integers(-128, 128, 100, dtype=np.int8))
    with open("net/notes.txt", "w") as f:
        f.write("not a tensor\n")
    p = run("--csv", "--calibration", "percentile", "--percentile", "99.9", "net")
    table = list(csv.DictReader(io.StringIO(p.stdout)))
    check([r["tensor"] for r in table] == ["net/a.npy", "net/block/b.npy", "TOTAL"], "rows sorted, TOTAL last")
    check(table[0]["calibration"] == "percentile" and table[1]["calibration"] == "", "calibration column")
    check(int(table[2]["values"]) == 356, "total values")
    check(abs(float(table[2]["share_short"]) * 356 - round(float(table[2]["share_short"]) * 356)) < 1e-3,
          "share is a count over values")


def case_errors():
    np.save("i.npy", np.zeros(4, dtype=np.int8))
    np.save("d.npy", np.zeros(4, dtype=np.float64))
    np.save("nan.npy", np.array([1.0, np.nan], dtype=np.float32))
    os.makedirs("empty", exist_ok=True)
    check("--calibration percentile" in run("--percentile", "99", "i.npy", status=2).stderr, "percentile alone")
    check("unknown encoding variant 'best'" in run("--variant", "best", "i.npy", status=2).stderr, "bad variant")
    check("no .npy file" in run("empty", status=1).stderr, "empty folder")
    check("dtype float64 cannot be encoded" in run("d.npy", status=1).stderr, "float64")
    check("nan.npy: element 1 (index [1]) is NaN" in run("nan.npy", status=1).stderr, "NaN named")
    np.save("ok.npy", np.ones((2, 2), dtype=np.float32))
    check("ok.npy: axis 3 is out of range for shape (2, 2)" in run("--axis", "3", "ok.npy", status=1).stderr, "axis")
    p = run("--variant", "calibrated,truncate", "i.npy")
    check("variant 'calibrated' skipped" in p.stderr, "calibrated needs float")
    check("--json and --csv" in run("--json", "--csv", "i.npy", status=2).stderr, "json and csv")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.chdir(WORK)
    CASES[CASE]()
    print("ok")
