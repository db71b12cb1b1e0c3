# SPDX-License-Identifier: Apache-2.0
"""docs/platform.md, "Results on the shipped networks"."""

import csv
import os
import subprocess
import sys

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
                         lambda tools, root, everything, work: [
                             platform_row(tools["spark-sim"], root, label, trace, work)
                             for label, trace, cheap in PLATFORM_NETWORKS if cheap or everything]),
}


