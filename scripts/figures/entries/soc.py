# SPDX-License-Identifier: Apache-2.0
"""docs/soc-integration.md, "Temporal decoupling and DMI": tb-soc on the smoke network per quantum and DMI."""

import os
import re
import subprocess
import sys

# (quantum cell, ns, DMI): every row is cheap (a smoke run takes milliseconds).
CASES = [("10 ns", 10, "on"), ("10 ns", 10, "off"), ("1 us", 1000, "on"), ("1 us", 1000, "off"),
         ("100 us", 100000, "on"), ("100 us", 100000, "off")]


def soc_row(tb_soc, root, label, ns, dmi):
    cmd = [tb_soc, "--workload", os.path.join(root, "traces", "smoke.yaml"), "--quantum-ns", str(ns), "--dmi", dmi]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    cycles = re.search(r"^\s*cycles\s+(\d+)$", p.stdout, re.M)
    tail = re.search(r"simulated time ([0-9.]+) ns; CPU: (\d+) bus accesses, (\d+) DMI accesses", p.stdout)
    if p.returncode != 0 or not cycles or not tail or "check: PASS" not in p.stdout:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}) or did not pass its check:\n{p.stdout}{p.stderr}")
    # The first cell names the row: the quantum and the DMI setting together.
    return [f"{label} {dmi}", f"{float(tail.group(1)):.1f} ns", cycles.group(1), tail.group(2), tail.group(3)]


ENTRIES = {
    "soc-decoupling": ("docs/soc-integration.md",
                       lambda tools, root, everything, work: [
                           soc_row(tools["tb-soc"], root, label, ns, dmi) for label, ns, dmi in CASES]),
}
