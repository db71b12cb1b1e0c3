#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the initializers (trained weights) of an ONNX model as .npy files, for `spark-codec report`.

usage: onnx_import.py MODEL.onnx OUT_DIR [--all]

Float initializers of rank >= 2 (convolution and matmul weights) are written as float32 OUT_DIR/<name>.npy; with
--all, every initializer (biases, integer constants) is written in its own dtype. External data next to the
model is loaded by onnx itself. Needs Debian's python3-onnx (apt-get install python3-onnx).
"""
import os
import sys

import numpy as np


def main():
    args = [a for a in sys.argv[1:] if a != "--all"]
    everything = "--all" in sys.argv[1:]
    if len(args) != 2:
        sys.exit("usage: onnx_import.py MODEL.onnx OUT_DIR [--all]")
    model_path, out_dir = args
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        sys.exit("error: the Python module 'onnx' is missing; install it with: apt-get install python3-onnx")
    if not os.path.exists(model_path):
        sys.exit(f"error: {model_path}: no such file")
    try:
        model = onnx.load(model_path)
    except Exception as e:  # onnx raises several types for a malformed file
        sys.exit(f"error: {model_path}: not a readable ONNX model: {e}")
    inits = list(model.graph.initializer)
    if not inits:
        sys.exit(f"error: {model_path}: the graph has no initializers (no stored weights): weights given as graph "
                 "inputs or Constant nodes are not imported")
    os.makedirs(out_dir, exist_ok=True)
    written = 0
    for t in inits:
        a = numpy_helper.to_array(t)
        if not everything and (a.ndim < 2 or not np.issubdtype(a.dtype, np.floating)):
            continue
        if np.issubdtype(a.dtype, np.floating):
            a = a.astype(np.float32)
        name = "".join(c if c.isalnum() or c in "_.-" else "_" for c in t.name) or f"initializer{written}"
        np.save(os.path.join(out_dir, name + ".npy"), np.ascontiguousarray(a))
        written += 1
    if written == 0:
        sys.exit(f"error: {model_path}: none of its {len(inits)} initializers is a float tensor of rank >= 2 "
                 "(use --all to write them anyway)")
    print(f"{model_path}: {written} of {len(inits)} initializers -> {out_dir}")


if __name__ == "__main__":
    main()
