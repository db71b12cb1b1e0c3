#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs spark-sim (SPARK and the INT8 baseline) on a workload and compares its layers.csv, value for value, with the
committed expectation: cycles, energy and bytes of a shipped workload move only on purpose.

    check_expected_layers.py SPARK_SIM WORKLOAD EXPECTED_CSV WORK_DIR [--update]

--update rewrites EXPECTED_CSV with what the code now gives; commit it with the change that explains the move."""
import csv
import os
import shutil
import subprocess
import sys

args = [a for a in sys.argv[1:] if a != "--update"]
update = len(args) != len(sys.argv) - 1
if len(args) != 4:
    sys.exit(__doc__)
sim, workload, expected_path, work = args
shutil.rmtree(work, ignore_errors=True)
p = subprocess.run([sim, "--no-progress", "--workload", workload, "--baseline", "--out", work],
                   capture_output=True, text=True)
if p.returncode != 0:
    sys.exit(f"spark-sim failed (exit {p.returncode}) on {workload}:\n{p.stdout}\n{p.stderr}")
got_path = os.path.join(work, "layers.csv")
if update:
    shutil.copyfile(got_path, expected_path)
    print(f"wrote {expected_path}")
    sys.exit(0)


def rows(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, {(r["config"], r["layer"]): r for r in reader}


want_fields, want = rows(expected_path)
got_fields, got = rows(got_path)
problems = []
if want_fields != got_fields:
    problems.append(f"columns differ:\n  expected {want_fields}\n  got      {got_fields}")
for key in sorted(set(want) - set(got)):
    problems.append(f"{key[0]} layer '{key[1]}': expected, missing from the output")
for key in sorted(set(got) - set(want)):
    problems.append(f"{key[0]} layer '{key[1]}': in the output, not expected")
for key in sorted(set(want) & set(got)):
    for field in want_fields:
        if field in got[key] and want[key][field] != got[key][field]:
            problems.append(f"{key[0]} layer '{key[1]}' {field}: expected {want[key][field]}, got {got[key][field]}")
if problems:
    shown = problems[:40]
    more = f"\n... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
    sys.exit(f"{os.path.basename(workload)}: layers.csv differs from {expected_path} in {len(problems)} place(s):\n  "
             + "\n  ".join(shown) + more
             + f"\nIf the change is intended, rerun with --update and say why in the docs.")
print(f"{os.path.basename(workload)}: {len(want)} rows match {expected_path}")
