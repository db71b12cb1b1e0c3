# SPDX-License-Identifier: Apache-2.0
"""docs/dram.md, "Measured": tb-dram bandwidth, latency, row hits and energy per preset and pattern."""

import json
import os
import subprocess
import sys

# (row label, preset, pattern, mode, extra flags, cheap). The label is the table's first cell, so it names the
# preset, the pattern and (for AT) the mode: several rows share a preset. Every row is 100 000 requests of 64 B,
# 16 outstanding; one takes well under 0.1 s, so all are cheap.
DRAM_RUNS = [
    ("DDR4-2400 seq-read", "DDR4-2400", "seq-read", "lt", [], True),
    ("DDR4-3200 seq-read", "DDR4-3200", "seq-read", "lt", [], True),
    ("DDR4-3200 seq-read, AT", "DDR4-3200", "seq-read", "at", [], True),
    ("DDR4-3200 seq-write", "DDR4-3200", "seq-write", "lt", [], True),
    # --size given although it is the default: the label promises 64 MiB.
    ("DDR4-3200 random-read (64 MiB)", "DDR4-3200", "random-read", "lt", ["--size", "67108864"], True),
    ("LPDDR4-3200 seq-read", "LPDDR4-3200", "seq-read", "lt", [], True),
    ("LPDDR4-4266 seq-read", "LPDDR4-4266", "seq-read", "lt", [], True),
    ("HBM2 seq-read", "HBM2", "seq-read", "lt", [], True),
]


def tb_dram_json(tb_dram, args):
    """The JSON report of one tb-dram run; a failed run (protocol violation included) stops the script."""
    cmd = [tb_dram] + args + ["--json"]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return json.loads(p.stdout)


def dram_row(tb_dram, label, preset, pattern, mode, extra):
    """`tb-dram --preset P --pattern PATTERN --mode M --requests 100000 --length 64 --outstanding 16 --json`."""
    r = tb_dram_json(tb_dram, ["--preset", preset, "--pattern", pattern, "--mode", mode, "--requests", "100000",
                               "--length", "64", "--outstanding", "16"] + extra)
    return [label, f"{r['bandwidth_gbps']:.2f}", f"{r['bandwidth_percent_of_peak']:.1f}",
            f"{r['latency_mean_ns']:.1f}", f"{r['latency_p99_ns']:.1f}", f"{100 * r['row_hit_rate']:.1f}%",
            f"{r['energy']['total_pj'] / r['bytes']:.1f}"]


# Random reads over 1 GiB against the timing bound, per preset, mode and requests in flight.
RANDOM_RUNS = [(preset, mode, outstanding, preset == "DDR4-2400" and mode == "lt" and outstanding == 32)
               for preset in ("DDR4-2400", "DDR4-3200", "LPDDR4-3200", "LPDDR4-4266", "HBM2")
               for mode in ("lt", "at") for outstanding in (16, 32, 64)]


def random_row(tb_dram, preset, mode, outstanding):
    """`tb-dram --preset P --pattern random-read --size 1073741824 --mode M --outstanding K --requests 100000
    --json`: bandwidth, the timing bound (spark/dram/bound.h), the share and what limits it."""
    r = tb_dram_json(tb_dram, ["--preset", preset, "--pattern", "random-read", "--size", "1073741824", "--mode", mode,
                               "--outstanding", str(outstanding), "--requests", "100000", "--length", "64"])
    return [f"{preset} {mode.upper()} {outstanding}", f"{r['bandwidth_gbps']:.2f}",
            f"{r['bandwidth_percent_of_peak']:.1f}", f"{r['bound_gbps']:.2f}", r["bound_limited_by"],
            f"{100 * r['bound_share']:.1f}%"]


def mapping_row(tb_dram, work, mapping, pattern):
    """DDR4-3200 under a named address mapping: `tb-dram --config {"base_preset": "DDR4-3200", "controller":
    {"address_mapping": MAPPING}} --pattern PATTERN --size 1073741824 --outstanding 32 --requests 100000 --json`."""
    config = os.path.join(work, f"mapping-{mapping}.json")
    with open(config, "w") as f:
        json.dump({"base_preset": "DDR4-3200", "controller": {"address_mapping": mapping}}, f)
    r = tb_dram_json(tb_dram, ["--config", config, "--pattern", pattern, "--size", "1073741824", "--outstanding", "32",
                               "--requests", "100000", "--length", "64"])
    return [f"{mapping}, {pattern}", f"{r['bandwidth_gbps']:.2f}", f"{r['bandwidth_percent_of_peak']:.1f}",
            f"{100 * r['row_hit_rate']:.1f}%", f"{100 * r['bound_share']:.1f}%"]


def mixed_row(tb_dram, preset, mode):
    """`tb-dram --preset P --pattern mixed --size 1073741824 --mode M --outstanding 32 --requests 100000 --json`
    (random, one write in three)."""
    r = tb_dram_json(tb_dram, ["--preset", preset, "--pattern", "mixed", "--size", "1073741824", "--mode", mode,
                               "--outstanding", "32", "--requests", "100000", "--length", "64"])
    return [f"{preset} {mode.upper()}", f"{r['bandwidth_gbps']:.2f}", f"{r['bound_gbps']:.2f}", r["bound_limited_by"],
            f"{100 * r['bound_share']:.1f}%", str(r["read_to_write"]), str(r["write_to_read"])]


ENTRIES = {
    "dram-random": ("docs/dram.md",
                    lambda tools, root, everything, work: [
                        random_row(tools["tb-dram"], preset, mode, k)
                        for preset, mode, k, cheap in RANDOM_RUNS if cheap or everything]),
    "dram-mappings": ("docs/dram.md",
                      lambda tools, root, everything, work: [
                          mapping_row(tools["tb-dram"], work, m, p)
                          for m in ("row-bank-column", "bank-group-interleaved")
                          for p in ("seq-read", "seq-write", "random-read") if everything]),
    "dram-mixed": ("docs/dram.md",
                   lambda tools, root, everything, work: [
                       mixed_row(tools["tb-dram"], preset, mode)
                       for preset in ("DDR4-2400", "DDR4-3200", "HBM2") for mode in ("lt", "at") if everything]),
    "dram-measured": ("docs/dram.md",
                      lambda tools, root, everything, work: [
                          dram_row(tools["tb-dram"], label, preset, pattern, mode, extra)
                          for label, preset, pattern, mode, extra, cheap in DRAM_RUNS if cheap or everything]),
}
