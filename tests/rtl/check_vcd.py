#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs a co-simulation test with --vcd and checks the waveform against its GTKWave save file.

  check_vcd.py EXE VCD_BASE GTKW [ARGS...]

EXE ARGS --vcd VCD_BASE must pass; VCD_BASE.vcd must hold every signal GTKW shows, each must change after time 0,
and every RTL trace (...rtl.X) must carry the same value changes as its model trace (...model.X) when there is one.
"""
import re
import subprocess
import sys


def read_vcd(path):
    """Returns {full name: id code} and {id code: [(time, value), ...]}."""
    names, changes, scope = {}, {}, []
    time = 0
    with open(path, encoding="ascii") as f:
        tokens = f.read().split()
    i, header = 0, True
    while i < len(tokens):
        t = tokens[i]
        if header:
            if t == "$scope":
                scope.append(tokens[i + 2])
                i += 4
            elif t == "$upscope":
                scope.pop()
                i += 2
            elif t == "$var":
                code, name = tokens[i + 3], tokens[i + 4]
                names[".".join(scope + [name])] = code
                changes.setdefault(code, [])
                while tokens[i] != "$end":
                    i += 1
                i += 1
            else:
                header = t != "$enddefinitions"
                i += 1
            continue
        if t.startswith("#"):
            time = int(t[1:])
        elif t[0] in "bBrR":
            changes.setdefault(tokens[i + 1], []).append((time, t[1:].lstrip("0") or "0"))
            i += 1
        elif t[0] in "01xXzZ":
            changes.setdefault(t[1:], []).append((time, t[0]))
        i += 1
    return names, changes


def main():
    exe, base, gtkw, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    run = subprocess.run([exe, *args, "--vcd", base], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{exe} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    names, changes = read_vcd(base + ".vcd")
    with open(gtkw, encoding="ascii") as f:
        shown = [re.sub(r"\[\d+:\d+\]$", "", line.strip()) for line in f if line.startswith("SystemC.")]
    errors = []
    for name in shown:
        if name not in names:
            errors.append(f"{gtkw} shows {name}, which is not in the VCD")
        elif not [c for c in changes[names[name]] if c[0] > 0]:
            errors.append(f"{name} never changes after time 0")
    pairs = 0
    for name, code in names.items():
        if ".rtl." in name and name.replace(".rtl.", ".model.") in names:
            pairs += 1
            # Compare from the first reset edge on: before it the RTL holds its random initial state.
            start = 5000  # ps: one 5 ns clock period
            rtl = [c for c in changes[code] if c[0] > start]
            model = [c for c in changes[names[name.replace(".rtl.", ".model.")]] if c[0] > start]
            if rtl != model:
                errors.append(f"{name} and its model trace differ in the waveform")
    if pairs == 0:
        errors.append("no rtl/model trace pairs in the VCD")
    if errors:
        sys.exit("\n".join(errors))
    print(f"{base}.vcd: {len(shown)} signals of {gtkw} present and changing, {pairs} RTL/model pairs identical")


if __name__ == "__main__":
    main()
