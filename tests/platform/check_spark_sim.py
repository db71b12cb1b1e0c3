#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""spark-sim end to end on the smoke network: golden check, byte-identical re-runs, totals that are the sums of
their layers, and bad input that fails cleanly without writing the output folder."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

sim, traces, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def run(*args, expect=0):
    p = subprocess.run([sim, "--no-progress", *args], capture_output=True, text=True)
    if p.returncode != expect:
        failures.append(f"{' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


smoke = os.path.join(traces, "smoke.yaml")
a, b = os.path.join(work, "a"), os.path.join(work, "b")
p = run("--workload", smoke, "--baseline", "--out", a)
if "every layer output matches" not in p.stdout:
    failures.append("the golden check did not report a match:\n" + p.stdout)
run("--workload", smoke, "--baseline", "--out", b)
# The attention paths: concat, reshape, transpose, both matmul forms, a stand-in softmax.
p = run("--workload", os.path.join(traces, "smoke_attention.yaml"), "--baseline")
if "every layer output matches" not in p.stdout:
    failures.append("smoke_attention: the golden check did not report a match:\n" + p.stdout)
for f in ("layers.csv", "summary.json"):
    if open(os.path.join(a, f), "rb").read() != open(os.path.join(b, f), "rb").read():
        failures.append(f"{f} differs between two runs of the same workload")

rows = list(csv.DictReader(open(os.path.join(a, "layers.csv"))))
additive = ["macs", "macs_short_short", "macs_short_long", "macs_long_long", "cycles", "dram_read_bytes",
            "dram_written_bytes", "buffer_read_bytes", "buffer_write_bytes"]
for config in ("spark", "baseline"):
    layers = [r for r in rows if r["config"] == config and r["layer"] != "total"]
    total = [r for r in rows if r["config"] == config and r["layer"] == "total"]
    if len(layers) != 8 or len(total) != 1:
        failures.append(f"{config}: expected 8 layer rows and a total, got {len(layers)} and {len(total)}")
        continue
    for col in additive:
        s = sum(int(r[col]) for r in layers)
        if s != int(total[0][col]):
            failures.append(f"{config}: {col} of the layers sums to {s}, the total says {total[0][col]}")
    # The network's utilisation weighs each array layer by its array cycles: it lies within the layers' range.
    utils = [float(r["mac_utilisation"]) for r in layers if int(r["macs"]) > 0]
    u = float(total[0]["mac_utilisation"])
    if not utils or not (min(utils) - 1e-4 <= u <= max(utils) + 1e-4) or u > 1.0:
        failures.append(f"{config}: total mac_utilisation {u} is outside the array layers' range {utils}")
    e = sum(float(r["energy_total_pj"]) for r in layers)
    if abs(e - float(total[0]["energy_total_pj"])) > 1e-6 * max(1.0, e) + 1.0:
        failures.append(f"{config}: layer energies sum to {e}, the total says {total[0]['energy_total_pj']}")

# The offline encoder approximates some long-tailed weights; INT8 storage keeps them all.
spark_w = [float(r["weight_share_approximated"]) for r in rows if r["config"] == "spark" and r["layer"] != "total"]
base_w = [float(r["weight_share_approximated"]) for r in rows if r["config"] == "baseline"]
if not any(0.0 < w < 0.5 for w in spark_w) or any(w != 0.0 for w in base_w):
    failures.append(f"weight_share_approximated: SPARK {spark_w}, baseline {base_w}")

summary = json.load(open(os.path.join(a, "summary.json")))
for key in ("speedup", "energy_ratio", "spark", "baseline", "arch"):
    if key not in summary:
        failures.append(f"summary.json has no '{key}'")
if "weight_share_approximated" not in summary.get("spark", {}):
    failures.append("summary.json's spark totals have no weight_share_approximated")
if summary.get("spark", {}).get("dram_read_bytes", 0) >= summary.get("baseline", {}).get("dram_read_bytes", 0):
    failures.append("SPARK should read fewer DRAM bytes than the INT8 baseline on the smoke network")

# Bad input: a clear message naming the file, a non-zero exit, and no output folder.
bad = os.path.join(work, "bad.yaml")
with open(bad, "w") as f:
    f.write("network: bad\ninputs:\n  - {name: x, shape: [1, 4, 8, 8]}\nlayers:\n"
            "  - {name: c1, kind: conv2d, out_channels: 4, kernel: 3, typo_field: 1}\n")
out = os.path.join(work, "never")
p = run("--workload", bad, "--out", out, expect=1)
if "bad.yaml" not in p.stderr or "typo_field" not in p.stderr:
    failures.append("a workload with an unknown field should be named with its file and field:\n" + p.stderr)
if os.path.exists(out) or os.path.exists(out + ".partial"):
    failures.append("a failed run must not create the output folder")
arch = os.path.join(work, "arch.json")
with open(arch, "w") as f:
    json.dump({"clock_mhz": -5}, f)
p = run("--workload", smoke, "--arch", arch, expect=1)
if "clock_mhz" not in p.stderr:
    failures.append("a bad architecture field should be named:\n" + p.stderr)
run("--workload", os.path.join(work, "missing.yaml"), expect=1)

# --hierarchy: the object tree with its wiring, and nothing run or written.
hier_out = os.path.join(work, "hierarchy_out")
p = run("--workload", smoke, "--baseline", "--hierarchy", "--out", hier_out)
for want in ("spark (sc_module)", "baseline (sc_module)", "  dram (sc_module)",
             "memory (tlm_initiator_socket) -> spark.dram.socket",
             "socket (tlm_target_socket) <- spark.accelerator.memory, spark.accelerator.dma.memory",
             "csr (tlm_initiator_socket) -> spark.accelerator.controller.csr"):
    if want not in p.stdout:
        failures.append(f"--hierarchy should print '{want}':\n" + p.stdout)
if "golden check" in p.stdout or os.path.exists(hier_out):
    failures.append("--hierarchy must not run the workload or write its outputs:\n" + p.stdout)
run("--workload", os.path.join(work, "missing.yaml"), "--hierarchy", expect=1)
# The accelerator's modules and their links are in the tree.
for want in ("weight_decoders (sc_module)", "pe_array (sc_module)", "vector_unit (sc_module)",
             "sequencer (sc_module)", "output_buffer (sc_module)",
             "weights (tlm_initiator_socket) -> spark.accelerator.weight_decoders.values",
             "values (tlm_target_socket) <- spark.accelerator.pe_array.outputs, spark.accelerator.vector_unit.output",
             "initiator_socket (tlm_initiator_socket) -> spark.accelerator.weight_buffer.socket, "
             "spark.accelerator.activation_buffer.socket, spark.accelerator.output_buffer.socket"):
    if want not in p.stdout:
        failures.append(f"--hierarchy should print '{want}':\n" + p.stdout)

# --max-rows cuts the table to that many layer rows, the first ones and the last ones, for any positive count.
for rows in ("1", "2", "3"):
    p = run("--workload", smoke, "--max-rows", rows, "--no-check")
    if "more layers; all rows are in layers.csv" not in p.stdout:
        failures.append(f"--max-rows {rows} should say how many layers it left out:\n" + p.stdout)

# --pin-level: conv1 runs through the clocked decoders, the cycle-level array and the clocked encoders as well;
# every block's cycles agree with the fast mode's, the VCD holds the window, every other layer runs as usual.
vcd = os.path.join(work, "window.vcd")
p = run("--workload", smoke, "--pin-level", "conv1", "--vcd", vcd)
for want in ("pin-level window conv1: 1 array tile(s)", "spark.accelerator.pe_array: tile job 0:",
             "spark.accelerator.weight_decoders:", "spark.accelerator.activation_decoders:",
             "spark.accelerator.encoders:", "golden check: every layer output matches"):
    if want not in p.stdout:
        failures.append(f"--pin-level conv1 should print '{want}':\n" + p.stdout)
if "MISMATCH" in p.stdout:
    failures.append("the pin-level window should agree with the fast mode:\n" + p.stdout)
for line in p.stdout.splitlines():
    m = re.match(r"\s+spark\.accelerator\.\S+: .*: (\d+) cycles, fast mode (\d+)$", line)
    if m and m.group(1) != m.group(2):
        failures.append("a pin-level block disagrees with the fast mode: " + line)
if not os.path.exists(vcd):
    failures.append("--vcd should write " + vcd)
else:
    with open(vcd) as f:
        head = f.read(200000)
    for scope in ("$scope module weight_decoders", "$scope module decoder_0", "$scope module cycle_model",
                  "$scope module encoders", "$scope module pin_level_clock", "enable", "out_valid"):
        if scope not in head:
            failures.append(f"the VCD should hold '{scope}'")
# Bad input: exit 2, a message naming what is wrong, nothing written.
for args, says in ((("--pin-level", "nope"), "has no layer 'nope'"),
                   (("--pin-level", "conv1:7"), "has 1 tile(s), 0..0; tile 7 does not exist"),
                   (("--pin-level", "pool1"), "runs on the vector unit"),
                   (("--pin-level", "conv1:x"), "is not a number"),
                   (("--vcd", os.path.join(work, "alone.vcd")), "--vcd needs --pin-level"),
                   (("--pin-level", "conv1", "--vcd", os.path.join(work, "no", "such", "w.vcd")), "does not exist")):
    out_dir = os.path.join(work, "pin_level_bad_out")
    p = run("--workload", smoke, *args, "--out", out_dir, expect=2)
    if says not in p.stderr:
        failures.append(f"spark-sim {' '.join(args)} should say '{says}':\n" + p.stderr)
    if os.path.exists(out_dir) or os.path.exists(os.path.join(work, "alone.vcd")):
        failures.append(f"spark-sim {' '.join(args)} must write nothing")

# The golden reference shares no arithmetic with the model: a fault injected into the PE array's accumulators
# (one bit of the first output of every array job) is caught and the layers it hits are named. Flips of bit 12
# move conv1's first output value by 2^12 times a requantisation multiplier near 0.01, far past rounding.
fault = os.path.join(work, "fault.json")
with open(fault, "w") as f:
    json.dump({"array": {"fault": {"accumulator": 0, "bit": 12}}}, f)
p = run("--workload", smoke, "--arch", fault, expect=3)
if "layer 'conv1'" not in p.stdout + p.stderr or "MISMATCH" not in p.stdout:
    failures.append("a fault injected into the PE array should fail the golden check, naming conv1:\n"
                    + p.stdout + p.stderr)
with open(fault, "w") as f:
    json.dump({"array": {"fault": {"accumulator": 0, "bit": 32}}}, f)
p = run("--workload", smoke, "--arch", fault, expect=1)
if "fault.bit" not in p.stderr:
    failures.append("a fault bit out of range should be named:\n" + p.stderr)

# An --out that cannot become a folder fails before the simulation and leaves nothing behind.
blocker = os.path.join(work, "a_file")
open(blocker, "w").close()
p = run("--workload", smoke, "--out", blocker, expect=1)
if "is not a directory" not in p.stderr:
    failures.append("--out naming a file should say so:\n" + p.stderr)
p = run("--workload", smoke, "--out", os.path.join(blocker, "sub"), expect=1)
if os.path.exists(blocker + ".partial") or os.path.exists(os.path.join(blocker, "sub") + ".partial"):
    failures.append("a failed --out must not leave a .partial folder")

# A shape too large for the memory is a workload error naming the layer, not a failed host allocation.
huge = os.path.join(work, "huge.yaml")
with open(huge, "w") as f:
    f.write("network: huge\nseed: 1\ninputs:\n  - {name: x, shape: [1, 8, 100000, 100000], dtype: uint8, scale: 0.1}\n"
            "layers:\n  - {name: c1, kind: conv2d, out_channels: 4, kernel: 1}\n")
p = run("--workload", huge, expect=1)
if "huge.yaml" not in p.stderr or "does not fit" not in p.stderr:
    failures.append("a network too large for the memory should be named with its file:\n" + p.stderr)
run(expect=2)

# A weight file of the wrong shape or type: the error names the workload, the layer and the file.
import numpy as np
for tag, array, said in (("shape", np.zeros((10, 8), np.int8), "(10, 8)"), ("dtype", np.zeros((10, 16), np.uint8), "uint8")):
    np.save(os.path.join(work, f"w_{tag}.npy"), array)
    wl = os.path.join(work, f"npy_{tag}.yaml")
    with open(wl, "w") as f:
        f.write("network: npy\nseed: 1\ninputs:\n  - {name: x, shape: [1, 16], dtype: int8}\nlayers:\n"
                f"  - {{name: fc, kind: linear, in_features: 16, out_features: 10, weight: {{data: {{npy: w_{tag}.npy}}}}}}\n")
    out = os.path.join(work, f"npy_{tag}_out")
    p = run("--workload", wl, "--out", out, expect=1)
    if not all(k in p.stderr for k in (f"npy_{tag}.yaml", "layer 'fc'", "weight", f"w_{tag}.npy", said)):
        failures.append(f"a weight .npy of the wrong {tag} should be named with workload, layer and file:\n" + p.stderr)
    if os.path.exists(out) or os.path.exists(out + ".partial"):
        failures.append(f"a failed run (wrong .npy {tag}) must not create the output folder")

# The plots of a finished run (scripts/plot.py, Debian's matplotlib).
plot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "plot.py")
p = subprocess.run(["/usr/bin/python3", plot, a], capture_output=True, text=True)
if p.returncode != 0:
    failures.append(f"plot.py failed on a spark-sim output folder:\n{p.stdout}\n{p.stderr}")
else:
    pngs = sorted(f for f in os.listdir(a) if f.endswith(".png"))
    if len(pngs) < 3 or any(os.path.getsize(os.path.join(a, f)) < 1000 for f in pngs):
        failures.append(f"plot.py should write three non-empty PNGs, found {pngs}")
p = subprocess.run(["/usr/bin/python3", plot, os.path.join(work, "missing")], capture_output=True, text=True)
if p.returncode == 0 or "missing" not in p.stderr:
    failures.append(f"plot.py on a missing folder should fail and name it:\n{p.stderr}")

for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
