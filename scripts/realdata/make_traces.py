#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Turns a face-api dump (dump_faceapi.js) into workload traces (docs/workload.md) with .npy data sources.

usage: make_traces.py DUMP_DIR OUT_DIR

For each network, every convolution and dense kernel becomes one layer that reads its own network input
`<layer>.ifmap` (the traces describe each layer's operands, not the wiring between them: face-api's graphs hold
batch norms, concatenations and box decoding the workload format does not model). Weights are converted from
the tfjs layout (HWIO, depthwise HWC1, dense IO) to the workload's (OIHW, depthwise C1HW with groups = C, dense
OI) and quantised per tensor, symmetric int8, min-max, with the rule of spark::tensor::quantize (scale =
max|x| / 127, round half to even, clamp to -127..127). When the dump holds the real input of a convolution (same
filter shape, matched in execution order), the layer's input has that shape, stride and padding and its data is
the captured activation, quantised per tensor (uint8 with zero point 0 when it has no negative value, else
symmetric int8); otherwise the input is kernel-sized (one output pixel) with synthetic data. The scales go into
the YAML; a sidecar <network>.quant.json repeats them with the source tensor names.
"""
import json
import os
import sys

import numpy as np


def quantize_symmetric(x):
    m = float(np.max(np.abs(x)))
    scale = m / 127.0 if m > 0 else 1.0
    return np.clip(np.rint(x.astype(np.float64) / scale), -127, 127).astype(np.int8), scale


def quantize_activation(x):
    if float(np.min(x)) >= 0.0:
        m = float(np.max(x))
        scale = m / 255.0 if m > 0 else 1.0
        return np.clip(np.rint(x.astype(np.float64) / scale), 0, 255).astype(np.uint8), scale, "uint8"
    q, scale = quantize_symmetric(x)
    return q, scale, "int8"


def safe(name):
    return "".join(c if c.isalnum() or c in "_." else "_" for c in name)


def padding_of(pad, kernel):
    if pad == "valid":
        return 0
    if isinstance(pad, (int, float)):
        return int(pad)
    return (kernel - 1) // 2  # 'same': the workload format pads symmetrically


def make(dump, model, out_dir):
    mdir = os.path.join(dump, model)
    weights = json.load(open(os.path.join(mdir, "weights.json")))
    captures = []
    act_index = os.path.join(mdir, "activations.json")
    if os.path.exists(act_index):
        captures = json.load(open(act_index))["layers"]
    used = set()
    data_dir = os.path.join(out_dir, model)
    os.makedirs(data_dir, exist_ok=True)
    lines = [f"network: {model}",
             "description: face-api weights, per-tensor symmetric int8; one layer per kernel (make_traces.py)",
             "inputs:"]
    layers, sidecar = [], []
    for w in weights:
        shape = w["shape"]
        if len(shape) not in (2, 4):
            continue
        name = safe(w["name"].replace("/", "."))
        x = np.load(os.path.join(mdir, w["file"]))
        if len(shape) == 4:
            kh, kw, ci, co = shape
            depthwise = "depthwise" in w["layout"]
            weight = x.transpose(2, 3, 0, 1) if depthwise else x.transpose(3, 2, 0, 1)
            channels_in = ci
            out_channels = ci * co if depthwise else co
            cap = next((i for i, c in enumerate(captures) if i not in used and c["filter_shape"] == shape), None)
            stride, pad, hw, act = 1, 0, (kh, kw), None
            if cap is not None:
                used.add(cap)
                c = captures[cap]
                hw = (c["shape"][1], c["shape"][2])
                s = c["strides"]
                stride = int(s if isinstance(s, (int, float)) else s[0])
                pad = padding_of(c["pad"], kh)
                act = np.load(os.path.join(mdir, c["file"]))[0].transpose(2, 0, 1)[None]
            layer = (f"  - {{name: {name}, kind: conv2d, inputs: {name}.ifmap, in_channels: {channels_in}, "
                     f"out_channels: {out_channels}, kernel: [{kh}, {kw}], stride: {stride}, padding: {pad}"
                     + (f", groups: {ci}" if depthwise else ""))
            in_shape = [1, channels_in, hw[0], hw[1]]
        else:
            k, n = shape
            weight = x.T
            layer = (f"  - {{name: {name}, kind: linear, inputs: {name}.ifmap, in_features: {k}, "
                     f"out_features: {n}")
            in_shape, act = [1, k], None
        q, scale = quantize_symmetric(np.ascontiguousarray(weight))
        np.save(os.path.join(data_dir, f"{name}.weight.npy"), q)
        layer += (f", weight: {{dtype: int8, scale: {scale!r}, zero_point: 0, "
                  f"data: {{npy: {model}/{name}.weight.npy}}}}}}")
        entry = {"layer": name, "source": w["name"], "weight_scale": scale, "stored_as": w["stored_as"]}
        inp = f"  - {{name: {name}.ifmap, shape: {in_shape}"
        if act is not None:
            qa, sa, dt = quantize_activation(act)
            np.save(os.path.join(data_dir, f"{name}.ifmap.npy"), qa)
            inp += f", dtype: {dt}, scale: {sa!r}, zero_point: 0, data: {{npy: {model}/{name}.ifmap.npy}}"
            entry.update(input_scale=sa, input_dtype=dt, input_captured=True)
        lines.append(inp + "}")
        layers.append(layer)
        sidecar.append(entry)
    lines.append("layers:")
    lines.extend(layers)
    with open(os.path.join(out_dir, f"{model}.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, f"{model}.quant.json"), "w") as f:
        json.dump(sidecar, f, indent=1)
    matched = sum(1 for e in sidecar if e.get("input_captured"))
    print(f"{model}: {len(layers)} layers ({matched} with captured inputs) -> {out_dir}/{model}.yaml")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_traces.py DUMP_DIR OUT_DIR")
    dump, out_dir = sys.argv[1], sys.argv[2]
    models = sorted(m for m in os.listdir(dump) if os.path.exists(os.path.join(dump, m, "weights.json")))
    if not models:
        sys.exit(f"error: {dump}: no dumped network (weights.json) found; run dump_faceapi.js first")
    os.makedirs(out_dir, exist_ok=True)
    for m in models:
        make(dump, m, out_dir)


if __name__ == "__main__":
    main()
