#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tables of measured figures in docs/, produced by the commands that measure them.

    figures.py --build DIR [--root DIR] [--all] [--check] [ENTRY ...]

Each entry reruns its commands and rewrites the rows of one table in docs/ (between a marker line
`<!-- figures: ENTRY -->` and the end of the table after it). Rows are matched by their first cell; an entry's
cheap rows run by default, every row with --all. With --check nothing is written: the rows run are compared with
the committed ones and the script exits 1 naming every cell that differs. The entries are in entries/*.py.
Host-dependent figures (wall time, memory) are not in these tables."""

import os
import sys
import tempfile

# Entries live in entries/*.py, one module per doc or table family. Each module defines ENTRIES, a dict from entry
# name to (doc path relative to the root, produce), where produce(tools, root, everything, work) returns the rows
# to set, each a list of cells whose first cell names the row. `tools` maps a tool name ("spark-sim", "tb-dram",
# "tb-pe-array", "tb-codec", "spark-codec", "tb-soc", "spark-workload") to its executable; `everything` is --all; `work` a scratch folder.
def load_entries():
    import importlib.util
    entries = {}
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "entries")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location("figures_" + name[:-3], os.path.join(folder, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for key, value in module.ENTRIES.items():
            if key in entries:
                sys.exit(f"figures: entry '{key}' is defined twice")
            entries[key] = value
    return entries


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
    flags = {a for a in argv if a.startswith("--") and "=" not in a}
    build = root = None
    rest = []
    it = iter(argv)
    for a in it:
        if a == "--build":
            build = next(it, None)
        elif a == "--root":
            root = next(it, None)
        elif not a.startswith("--"):
            rest.append(a)
    unknown = flags - {"--build", "--root", "--all", "--check"}
    if build is None or unknown:
        sys.exit(__doc__)
    tools = {"spark-sim": os.path.join(build, "platforms", "spark", "spark-sim"),
             "tb-dram": os.path.join(build, "testbenches", "dram", "tb-dram"),
             "tb-pe-array": os.path.join(build, "testbenches", "pe_array", "tb-pe-array"),
             "tb-codec": os.path.join(build, "testbenches", "codec", "tb-codec"),
             "spark-codec": os.path.join(build, "tools", "spark-codec", "spark-codec"),
             "tb-soc": os.path.join(build, "testbenches", "soc", "tb-soc"),
             "spark-workload": os.path.join(build, "tools", "spark-workload", "spark-workload")}
    ENTRIES = load_entries()
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
            for new in produce(tools, root, "--all" in flags, work):
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
