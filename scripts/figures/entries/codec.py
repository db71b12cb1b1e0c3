# SPDX-License-Identifier: Apache-2.0
"""docs/codec.md, "tb-codec and the waveform": the table of what tb-codec measures on 1000 random values
(`tb-codec --random 1000 --seed 1 --mode M`), one row per codec mode."""

import os
import subprocess
import sys

# The report lines of tb-codec that the table shows, in column order after the mode.
FIELDS = ["cycles", "share short", "share approx.", "mean bits/value", "max abs error", "SQNR"]


def tb_codec_row(tb, mode):
    cmd = [tb, "--random", "1000", "--seed", "1", "--mode", mode]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    # Lines are "<name padded to 16 columns><value>"; names hold spaces and "mean bits/value" fills all 16.
    report = {line[:16].strip(): line[16:].strip() for line in p.stdout.splitlines()}
    # "1575 total, encoder 1574, decoder 1574 (...)": the table gives the total span of encoder and decoder.
    cells = [report["cycles"].split()[0]] + [report[f] for f in FIELDS[1:]]
    return [mode] + cells


ENTRIES = {
    # Both rows take milliseconds, so both are cheap.
    "codec-tb-codec": ("docs/codec.md",
                       lambda tools, root, everything, work: [tb_codec_row(tools["tb-codec"], mode)
                                                              for mode in ("signed", "unsigned")]),
}
