# SPDX-License-Identifier: Apache-2.0
"""docs/buffer.md, "Measured": tb-dram against the default SRAM buffer, LT and AT."""

import json
import os
import subprocess
import sys

# (row label, mode, cheap): 1000 sequential 64-byte reads take a few milliseconds, so both rows are cheap.
BUFFER_RUNS = [
    ("LT", "lt", True),
    ("AT", "at", True),
]


def buffer_row(tb_dram, label, mode):
    """`tb-dram --target buffer --pattern seq-read --requests 1000 --length 64 --mode M --json`."""
    cmd = [tb_dram, "--target", "buffer", "--pattern", "seq-read", "--requests", "1000", "--length", "64",
           "--mode", mode, "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    r = json.loads(p.stdout)
    return [label, f"{r['bandwidth_gbps']:.1f}", f"{r['bandwidth_percent_of_peak']:.1f}",
            f"{r['latency_mean_ns']:.1f}", f"{r['latency_max_ns']:.1f}",
            f"{r['energy']['total_pj'] / r['requests']:.1f}"]


ENTRIES = {
    "buffer-measured": ("docs/buffer.md",
                        lambda tools, root, everything, work: [
                            buffer_row(tools["tb-dram"], label, mode)
                            for label, mode, cheap in BUFFER_RUNS if cheap or everything]),
}
