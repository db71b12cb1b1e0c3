# SPDX-License-Identifier: Apache-2.0
"""docs/pe_array.md, "Measured": the tables "Synchronisation and the data" (weight- and output-stationary) and
"FIFO depth", cycles of the ResNet-50 conv4_x 3x3 layer from tb-pe-array."""

import json
import os
import subprocess
import sys

# The layer every table measures: `tb-pe-array --op conv --in-h 14 --in-w 14 --in-c 256 --out-c 256 ... --no-check
# --json` (the naive reference would take minutes and checks nothing the tests do not).
LAYER = ["--op", "conv", "--in-h", "14", "--in-w", "14", "--in-c", "256", "--out-c", "256", "--no-check", "--json"]
SYNCS = ["array", "row", "column", "elastic"]
PE_NAMES = {"mixed": "mixed-width", "int4": "INT4", "int8": "INT8"}


def run(tb, *args):
    """The stats of one tb-pe-array run, by name."""
    cmd = [tb] + LAYER + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    # SystemC may print its banner on stdout before the JSON object.
    out = p.stdout[p.stdout.index("{"):]
    return {s["name"]: s["value"] for s in json.loads(out)["stats"]}


def cycles(stats):
    """Cycles with a space between thousands, as the tables write them."""
    return f"{int(stats['cycles']):,}".replace(",", " ")


def short_share(stats):
    share = stats["macs_short_short"] / stats["macs"]
    return "100 %" if share == 1 else f"{100 * share:.1f} %"


# Rows of the two sync tables: (first cell, --scale, --pe, cheap). INT8 timing does not depend on the data, so its
# row runs at scale 1 and shows no MAC classes (the codec is off). Cheap: one row per PE type, enough to catch a
# change in the timing model of any PE in CI; the other rows run with --all.
SYNC_ROWS = [
    ("1, mixed-width", 1, "mixed", True),
    ("1, INT4", 1, "int4", True),
    ("2, mixed-width", 2, "mixed", False),
    ("2, INT4", 2, "int4", False),
    ("8, mixed-width", 8, "mixed", False),
    ("8, INT4", 8, "int4", False),
    ("any, INT8", 1, "int8", True),
    ("all short (`--scale 0.0001`), mixed-width", 0.0001, "mixed", False),
    ("all short (`--scale 0.0001`), INT4", 0.0001, "int4", False),
]


def sync_table(dataflow):
    def produce(tools, root, everything, work):
        rows = []
        for label, scale, pe, cheap in SYNC_ROWS:
            if not (cheap or everything):
                continue
            runs = [run(tools["tb-pe-array"], "--pe", pe, "--dataflow", dataflow, "--sync", s, "--scale", scale)
                    for s in SYNCS]
            share = "-" if pe == "int8" else short_share(runs[0])
            rows.append([label, share] + [cycles(r) for r in runs])
        return rows
    return produce


# "FIFO depth": output-stationary, scale 2, (first cell, --sync, --pe, cheap). The elastic INT4 row is the one
# that moves most with the depth; it stays cheap.
FIFO_ROWS = [
    ("`row`, INT4", "row", "int4", False),
    ("`column`, INT4", "column", "int4", False),
    ("`elastic`, mixed-width", "elastic", "mixed", False),
    ("`elastic`, INT4", "elastic", "int4", True),
    ("`row`, mixed-width", "row", "mixed", False),
    ("`column`, mixed-width", "column", "mixed", False),
]
FIFO_DEPTHS = [1, 2, 4, 16, 64]


def fifo_table(tools, root, everything, work):
    return [[label] + [cycles(run(tools["tb-pe-array"], "--pe", pe, "--dataflow", "os", "--scale", 2, "--sync", sync,
                                  "--fifo-depth", d)) for d in FIFO_DEPTHS]
            for label, sync, pe, cheap in FIFO_ROWS if cheap or everything]


ENTRIES = {
    "pe-array-sync-ws": ("docs/pe_array.md", sync_table("ws")),
    "pe-array-sync-os": ("docs/pe_array.md", sync_table("os")),
    "pe-array-fifo-depth": ("docs/pe_array.md", fifo_table),
}
