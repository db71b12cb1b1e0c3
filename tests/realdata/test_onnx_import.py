#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/realdata/onnx_import.py on ONNX models this test builds itself (Debian's python3-onnx): the weights
come out as the .npy files spark-codec reads, with their values; a model without initializers, a file that is
not ONNX and a missing file are named errors.

usage: test_onnx_import.py REPO SPARK_CODEC WORKDIR   (exit 77, skipped, without the onnx module)"""
import os
import shutil
import subprocess
import sys

import numpy as np

repo, codec, work = sys.argv[1:4]
try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError:
    print("SKIPPED: the Python module 'onnx' is missing (apt-get install python3-onnx)")
    sys.exit(77)

shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
script = os.path.join(repo, "scripts", "realdata", "onnx_import.py")
failures = []


def run(*args, expect=0):
    p = subprocess.run(["/usr/bin/python3", script, *args], capture_output=True, text=True)
    if p.returncode != expect:
        failures.append(f"onnx_import {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


rng = np.random.default_rng(3)
weights = {"conv1/weight": rng.laplace(0, 0.05, (4, 3, 3, 3)).astype(np.float32),
           "fc.weight": rng.laplace(0, 0.02, (10, 16)).astype(np.float32)}
bias = rng.normal(0, 0.1, (4,)).astype(np.float32)
inits = [numpy_helper.from_array(a, name) for name, a in weights.items()] + [numpy_helper.from_array(bias, "conv1.bias")]
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6])
conv = helper.make_node("Conv", ["x", "conv1/weight", "conv1.bias"], ["y"])
model = helper.make_model(helper.make_graph([conv], "tiny", [x], [y], initializer=inits))
model_path = os.path.join(work, "tiny.onnx")
onnx.save(model, model_path)

out = os.path.join(work, "out")
p = run(model_path, out)
files = sorted(os.listdir(out)) if os.path.isdir(out) else []
if files != ["conv1_weight.npy", "fc.weight.npy"]:
    failures.append(f"expected the two weight tensors (rank >= 2) as .npy, got {files}")
else:
    for name, a in weights.items():
        got = np.load(os.path.join(out, name.replace("/", "_") + ".npy"))
        if got.dtype != np.float32 or not np.array_equal(got, a):
            failures.append(f"{name}: the .npy does not hold the initializer's values")
    # The files are what spark-codec takes: per-tensor quantisation and SPARK statistics.
    s = subprocess.run([codec, "stats", "--quant", "symmetric", os.path.join(out, "fc.weight.npy")],
                       capture_output=True, text=True)
    if s.returncode != 0 or "fc.weight.npy" not in s.stdout:
        failures.append(f"spark-codec stats on an imported weight failed:\n{s.stdout}\n{s.stderr}")
p = run(model_path, os.path.join(work, "all"), "--all")
if not os.path.exists(os.path.join(work, "all", "conv1.bias.npy")):
    failures.append("--all should also write the bias")

# Bad input: named errors, non-zero exits.
empty = helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "empty", [x], [y]))
empty_path = os.path.join(work, "empty.onnx")
onnx.save(empty, empty_path)
bad_path = os.path.join(work, "bad.onnx")
with open(bad_path, "wb") as f:
    f.write(b"this is not a protobuf \xff\xff\xff")
for args, fragments in (([empty_path, os.path.join(work, "e")], ["empty.onnx", "no initializers"]),
                        ([bad_path, os.path.join(work, "b")], ["bad.onnx", "not a readable ONNX model"]),
                        ([os.path.join(work, "none.onnx"), os.path.join(work, "n")], ["none.onnx", "no such file"])):
    p = run(*args, expect=1)
    if not all(f in p.stderr for f in fragments):
        failures.append(f"onnx_import {' '.join(args)}: expected an error naming {fragments}, got:\n{p.stderr}")

for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
