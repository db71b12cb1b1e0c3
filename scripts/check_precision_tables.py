#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the per-layer precision tables in platforms/spark/arch/precision/<design>/<network>.json.

Usage: /usr/bin/python3 scripts/check_precision_tables.py [PRECISION_DIR]

For every table: "network" names traces/<network>.yaml, every key of "layers" is a conv2d or linear layer of
that workload, every such layer has a key, and every value is 4, 6, 8 or 16 bits. A layer listed under
"layers_unmatched" must be a GEMM layer of the workload too. Exits 1 naming the file and the layer on the
first problem. Only the standard library is used: the workload lines are read with a regex (one layer per
line, flow style, as scripts/gen_workloads.py writes them).
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BITS = {4, 6, 8, 16}
LAYER = re.compile(r"^\s*-\s*\{\s*name:\s*([^,}\s]+)\s*,\s*kind:\s*([A-Za-z0-9_]+)")


def gemm_layers(network):
    path = os.path.join(ROOT, "traces", network + ".yaml")
    if not os.path.isfile(path):
        return None
    names = []
    with open(path) as f:
        for line in f:
            m = LAYER.match(line)
            if m and m.group(2) in ("conv2d", "linear"):
                names.append(m.group(1))
    return names


def check(path):
    rel = os.path.relpath(path, ROOT) if os.path.abspath(path).startswith(ROOT + os.sep) else path
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return "%s: not readable JSON: %s" % (rel, e)
    design = os.path.basename(os.path.dirname(path))
    network = os.path.splitext(os.path.basename(path))[0]
    if doc.get("design") != design or doc.get("network") != network:
        return "%s: design/network fields (%r, %r) do not match the path" % (rel, doc.get("design"), doc.get("network"))
    wanted = gemm_layers(network)
    if wanted is None:
        return "%s: no workload traces/%s.yaml" % (rel, network)
    layers = doc.get("layers")
    if not isinstance(layers, dict):
        return "%s: no \"layers\" object" % rel
    known = set(wanted)
    for name, bits in layers.items():
        if name not in known:
            return "%s: layer %s is not a conv2d/linear layer of traces/%s.yaml" % (rel, name, network)
        if type(bits) is not int or bits not in BITS:
            return "%s: layer %s has %r bits, not one of 4, 6, 8, 16" % (rel, name, bits)
    for name in wanted:
        if name not in layers:
            return "%s: layer %s of traces/%s.yaml has no precision" % (rel, name, network)
    for entry in doc.get("layers_unmatched", []):
        if entry.get("layer") not in known:
            return "%s: layers_unmatched names %r, not a conv2d/linear layer of the workload" % (rel, entry.get("layer"))
    return None


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "platforms", "spark", "arch", "precision")
    files = sorted(glob.glob(os.path.join(top, "*", "*.json")))
    if not files:
        print("check_precision_tables: no tables under %s" % top)
        return 1
    for path in files:
        err = check(path)
        if err:
            print("check_precision_tables: " + err)
            return 1
    print("check_precision_tables: %d tables OK" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
