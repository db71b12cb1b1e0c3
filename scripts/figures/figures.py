#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tables of measured figures in docs/, produced by the commands that measure them.

    figures.py --spark-sim PATH [--root DIR] [--all] [--check] [ENTRY ...]

Each entry reruns its commands and rewrites the rows of one table in docs/ (between a marker line
`<!-- figures: ENTRY -->` and the end of the table after it). Rows are matched by their first cell; an entry's
cheap rows run by default, every row with --all. With --check nothing is written: the rows run are compared with
the committed ones and the script exits 1 naming every cell that differs. Entries: platform-results.
Host-dependent figures (wall time, memory) are not in these tables."""

import csv
import os
import subprocess
import sys
import tempfile

# docs/platform.md, "Results on the shipped networks": (row label, trace, cheap).
PLATFORM_NETWORKS = [
    ("smoke", "smoke", True),
    ("ResNet-18", "resnet18", True),
    ("ResNet-50", "resnet50", False),
    ("MobileNet-v1", "mobilenet_v1", False),
    ("VGG-16", "vgg16", False),
    ("BERT-base (seq 128)", "bert_base", False),
    ("ViT-B/16", "vit_b16", False),
]


def platform_row(spark_sim, root, label, trace, work):
    """One row: `spark-sim --workload traces/<trace>.yaml --baseline --out DIR`, from the two configurations' totals."""
    out = os.path.join(work, trace)
    cmd = [spark_sim, "--workload", os.path.join(root, "traces", trace + ".yaml"), "--baseline", "--out", out,
           "--no-progress", "--max-rows", "1"]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    with open(os.path.join(out, "layers.csv")) as f:
        totals = {r["config"]: r for r in csv.DictReader(f) if r["layer"] == "total"}
    s, b = totals["spark"], totals["baseline"]
    g_macs = int(s["macs"]) / 1e9
    s_cycles, b_cycles = int(s["cycles"]), int(b["cycles"])
    s_uj, b_uj = float(s["energy_total_pj"]) / 1e6, float(b["energy_total_pj"]) / 1e6
    s_bytes = int(s["dram_read_bytes"]) + int(s["dram_written_bytes"])
    b_bytes = int(b["dram_read_bytes"]) + int(b["dram_written_bytes"])
    return [label, f"{g_macs:.3f}" if g_macs >= 0.01 else f"{g_macs:.4f}", str(s_cycles), str(b_cycles),
            f"{b_cycles / s_cycles:.3f}", f"{s_uj:.1f}", f"{b_uj:.1f}", f"{s_uj / b_uj:.3f}",
            f"{s_bytes / b_bytes:.3f}", f"{float(s['bits_per_value']):.2f}"]


ENTRIES = {
    "platform-results": ("docs/platform.md",
                         lambda spark_sim, root, everything, work: [
                             platform_row(spark_sim, root, label, trace, work)
                             for label, trace, cheap in PLATFORM_NETWORKS if cheap or everything]),
}


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_rows(lines, entry, path):
    """Indices of the table rows after the entry's marker (header and separator excluded)."""
    marker = f"<!-- figures: {entry} -->"
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == marker)
    except StopIteration:
        sys.exit(f"figures: {path} has no line '{marker}'")
    i = start + 1
    while i < len(lines) and not lines[i].startswith("|"):
        i += 1
    if i + 1 >= len(lines) or not lines[i + 1].startswith("|---"):
        sys.exit(f"figures: {path}: no table after '{marker}'")
    rows = []
    i += 2
    while i < len(lines) and lines[i].startswith("|"):
        rows.append(i)
        i += 1
    return rows


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--") and "=" not in a}
    spark_sim = root = None
    rest = []
    it = iter(argv)
    for a in it:
        if a == "--spark-sim":
            spark_sim = next(it, None)
        elif a == "--root":
            root = next(it, None)
        elif not a.startswith("--"):
            rest.append(a)
    unknown = flags - {"--spark-sim", "--root", "--all", "--check"}
    if spark_sim is None or unknown:
        sys.exit(__doc__)
    root = root or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    entries = rest or sorted(ENTRIES)
    for e in entries:
        if e not in ENTRIES:
            sys.exit(f"figures: no entry '{e}' (entries: {', '.join(sorted(ENTRIES))})")
    differences = []
    with tempfile.TemporaryDirectory(prefix="spark-figures-") as work:
        for entry in entries:
            doc, produce = ENTRIES[entry]
            path = os.path.join(root, doc)
            with open(path) as f:
                lines = f.read().split("\n")
            rows = table_rows(lines, entry, doc)
            by_label = {cells(lines[i])[0]: i for i in rows}
            for new in produce(spark_sim, root, "--all" in flags, work):
                i = by_label.get(new[0])
                if i is None:
                    differences.append(f"{doc} ({entry}): no row '{new[0]}'")
                    continue
                old = cells(lines[i])
                header = cells(lines[rows[0] - 2])
                for col, (a, b) in enumerate(zip(old, new)):
                    if a != b:
                        differences.append(f"{doc} ({entry}), row '{new[0]}', {header[col]}: the table says {a}, "
                                           f"the code gives {b}")
                lines[i] = "| " + " | ".join(new) + " |"
            if "--check" not in flags:
                with open(path + ".partial", "w") as f:
                    f.write("\n".join(lines))
                os.replace(path + ".partial", path)
    for d in differences:
        print(d)
    if "--check" in flags:
        if differences:
            print("figures: the tables above no longer match the code; rerun scripts/figures.sh (with --all if the "
                  "change moves timing) and commit the tables with the change")
            return 1
        print(f"figures: {', '.join(entries)}: every row run matches")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
