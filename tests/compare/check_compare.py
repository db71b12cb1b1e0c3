#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""spark-sim --compare end to end on the smoke networks, in both modes: every design golden-checked on the
platform, totals that are the sums of their layers, ratios that follow from the cycles and energies, identical
re-runs, the paper's SPARK never slower than the measured one, plots, and bad input refused with exit 2 and no
output folder."""
import csv
import json
import os
import shutil
import subprocess
import sys

sim, traces, designs_dir, work = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []
smoke = os.path.join(traces, "smoke.yaml")
ALL = ["spark", "ant", "olive", "bitfusion", "olaccel", "adafloat", "biscaled", "eyeriss", "int8", "ant-ws"]


def run(*args, expect=0):
    p = subprocess.run([sim, "--no-progress", *args], capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != expect:
        failures.append(f"{' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def check_folder(out, mode):
    rows = list(csv.DictReader(open(os.path.join(out, "compare.csv"))))
    summary = json.load(open(os.path.join(out, "compare.json")))
    names = [d["design"]["name"] for d in summary["designs"]]
    if names != ALL or summary["mode"] != mode:
        failures.append(f"{mode}: designs {names} in mode {summary['mode']}")
        return summary
    spark_cycles = summary["designs"][0]["cycles"]
    for d in summary["designs"]:
        name = d["design"]["name"]
        layers = [r for r in rows if r["design"] == name and r["layer"] != "total"]
        total = [r for r in rows if r["design"] == name and r["layer"] == "total"]
        if not layers or len(total) != 1:
            failures.append(f"{mode}/{name}: {len(layers)} layer rows and {len(total)} totals")
            continue
        for col in ("cycles", "macs"):
            s = sum(int(r[col]) for r in layers)
            if s != int(total[0][col]):
                failures.append(f"{mode}/{name}: {col} of the layers sums to {s}, the total says {total[0][col]}")
        e = d["energy_pj"]
        parts = e["static"] + e["dram"] + e["buffer"] + e["core"]
        if abs(parts - e["total"]) > 1e-6 * e["total"] + 1:
            failures.append(f"{mode}/{name}: the energy split sums to {parts}, the total is {e['total']}")
        if abs(d["spark_speedup"] - d["cycles"] / spark_cycles) > 1e-9:
            failures.append(f"{mode}/{name}: speedup {d['spark_speedup']} is not its cycles over SPARK's")
    bits = {d["design"]["name"]: d["stored_bits_per_value"] for d in summary["designs"]}
    if not (abs(bits["int8"] - 8) < 0.01 and abs(bits["adafloat"] - 8) < 0.01 and bits["eyeriss"] > 15
            and bits["ant"] < 8 and bits["biscaled"] < 7):
        failures.append(f"{mode}: stored bits per value out of place: {bits}")
    return summary


for mode in ("calibration", "platform"):
    out = os.path.join(work, mode)
    p = run("--workload", smoke, "--compare", "all,int8,ant-ws", "--compare-mode", mode, "--out", out)
    if "every layer output matches" not in p.stdout:
        failures.append(f"{mode}: the golden check (every design's, in platform mode) did not report a match:\n{p.stdout}")
    if os.path.exists(os.path.join(out, "compare.json")):
        check_folder(out, mode)
    else:
        failures.append(f"{mode}: no compare.json in {out}")
    again = os.path.join(work, mode + "-again")
    run("--workload", smoke, "--compare", "all,int8,ant-ws", "--compare-mode", mode, "--out", again)
    for f in ("compare.csv", "compare.json"):
        if os.path.exists(os.path.join(again, f)) and \
                open(os.path.join(out, f), "rb").read() != open(os.path.join(again, f), "rb").read():
            failures.append(f"{mode}: {f} differs between two runs")

# The attention paths (matmuls at the design's precision, stand-in softmax) on every design's platform.
p = run("--workload", os.path.join(traces, "smoke_attention.yaml"), "--compare", "all", "--compare-mode", "platform")
if "every layer output matches" not in p.stdout:
    failures.append("smoke_attention, platform mode: the golden check did not report a match:\n" + p.stdout)

# The paper's assumption (long codes never stall) can only make SPARK faster.
paper = os.path.join(work, "paper")
run("--workload", smoke, "--compare", "ant", "--spark-model", "paper", "--out", paper)
if os.path.exists(os.path.join(paper, "compare.json")):
    measured = json.load(open(os.path.join(work, "calibration", "compare.json")))["designs"][0]["cycles"]
    assumed = json.load(open(os.path.join(paper, "compare.json")))["designs"][0]
    if assumed["design"]["name"] != "spark-paper" or assumed["cycles"] > measured:
        failures.append(f"--spark-model paper: {assumed['design']['name']} takes {assumed['cycles']} cycles, "
                        f"the measured SPARK {measured}")

# Plots of the comparison.
plot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "plot.py")
p = subprocess.run(["/usr/bin/python3", plot, os.path.join(work, "platform")], capture_output=True, text=True)
pngs = [f for f in ("compare_speedup.png", "compare_energy.png") if os.path.exists(os.path.join(work, "platform", f))]
if p.returncode != 0 or len(pngs) != 2:
    failures.append(f"plot.py should draw the comparison's two plots, found {pngs}:\n{p.stderr}")

# Bad input: exit 2, a message naming what is wrong, no output folder.
wide = os.path.join(work, "designs")
shutil.copytree(designs_dir, wide)
ant = json.load(open(os.path.join(wide, "ant.json")))
ant["precision"] = {"bits": 16}
json.dump(ant, open(os.path.join(wide, "ant.json"), "w"))
bad = [
    (["--compare", "ant,nope"], ["unknown design 'nope'"]),
    (["--compare", "ant", "--compare-mode", "fast"], ["--compare-mode 'fast'"]),
    (["--compare", "ant", "--compare-mode", "platform", "--spark-model", "paper"], ["--spark-model paper"]),
    (["--compare", "ant", "--spark-model", "guess"], ["--spark-model 'guess'"]),
    (["--compare", "ant", "--designs", wide], ["design 'ant'", "layer 'conv1'", "16 bits"]),
    (["--compare", "ant", "--designs", os.path.join(work, "nowhere")], ["design 'ant'", "nowhere"]),
]
for i, (args, said) in enumerate(bad):
    out = os.path.join(work, f"bad{i}")
    p = run("--workload", smoke, *args, "--out", out, expect=2)
    if not all(s in p.stderr for s in said):
        failures.append(f"{' '.join(args)}: the error should say {said}:\n{p.stderr}")
    if os.path.exists(out) or os.path.exists(out + ".partial"):
        failures.append(f"{' '.join(args)}: a refused run must not create the output folder")

for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
