#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks on the tb-codec executable, run by CTest.

  vcd TB VCD GTKW       run TB with --vcd VCD; the VCD must hold the named signals with their widths, each must
                        change during the run, and every signal the GTKWave save file GTKW shows must be in it
  fails TB TEXT ARGS..  TB with ARGS must exit non-zero and print an 'error:' line containing TEXT on stderr
"""
import subprocess
import sys

EXPECTED = {
    "SystemC.tb.clk": 1,
    "SystemC.tb.encoder.in_value": 8,
    "SystemC.tb.encoder.in_valid": 1,
    "SystemC.tb.encoder.in_ready": 1,
    "SystemC.tb.encoder.nibble": 4,
    "SystemC.tb.encoder.enable": 1,
    "SystemC.tb.encoder.out_valid": 1,
    "SystemC.tb.decoder.nibble": 4,
    "SystemC.tb.decoder.enable": 1,
    "SystemC.tb.decoder.in_valid": 1,
    "SystemC.tb.decoder.value": 8,
    "SystemC.tb.decoder.out_valid": 1,
}


def read_vcd(path):
    """Returns {full name: (width, id code)} and {id code: number of value changes after time 0}."""
    variables, changes, scope = {}, {}, []
    time = 0
    with open(path, encoding="ascii") as f:
        tokens = f.read().split()
    i = 0
    in_header = True
    while i < len(tokens):
        t = tokens[i]
        if in_header:
            if t == "$scope":
                scope.append(tokens[i + 2])
                i += 4
                continue
            if t == "$upscope":
                scope.pop()
                i += 2
                continue
            if t == "$var":
                width, code, name = int(tokens[i + 2]), tokens[i + 3], tokens[i + 4]
                variables[".".join(scope + [name])] = (width, code)
                changes.setdefault(code, 0)
                while tokens[i] != "$end":
                    i += 1
                i += 1
                continue
            if t == "$enddefinitions":
                in_header = False
            i += 1
            continue
        if t.startswith("#"):
            time = int(t[1:])
        elif t[0] in "bBrR":
            code = tokens[i + 1]
            i += 1
            if time > 0 and code in changes:
                changes[code] += 1
        elif t[0] in "01xXzZ" and len(t) > 1 and time > 0 and t[1:] in changes:
            changes[t[1:]] += 1
        i += 1
    return variables, changes


def gtkw_signals(path):
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "[@-*":
                continue
            names.append(line)
    return names


def check_vcd(tb, vcd, gtkw):
    run = subprocess.run([tb, "--random", "300", "--seed", "7", "--vcd", vcd], capture_output=True, text=True)
    if run.returncode != 0:
        return [f"tb-codec exited with {run.returncode}: {run.stderr.strip()}"]
    variables, changes = read_vcd(vcd)
    problems = []
    for name, width in EXPECTED.items():
        if name not in variables:
            problems.append(f"{vcd}: no signal {name} (has: {', '.join(sorted(variables))})")
            continue
        if variables[name][0] != width:
            problems.append(f"{vcd}: {name} is {variables[name][0]} bits wide, expected {width}")
        if changes[variables[name][1]] == 0:
            problems.append(f"{vcd}: {name} never changes")
    vcd_names = set(variables)
    vcd_names |= {f"{n}[{w - 1}:0]" for n, (w, _) in variables.items() if w > 1}
    with open(gtkw, encoding="utf-8") as f:
        if any(line.startswith("[dumpfile]") for line in f):
            problems.append(f"{gtkw}: names a dump file; the VCD should come from the command line")
    shown = gtkw_signals(gtkw)
    if not shown:
        problems.append(f"{gtkw}: shows no signals")
    for name in shown:
        if name not in vcd_names:
            problems.append(f"{gtkw}: signal {name} is not in the VCD")
    return problems


def check_fails(tb, text, args):
    run = subprocess.run([tb] + args, capture_output=True, text=True)
    problems = []
    if run.returncode == 0:
        problems.append(f"tb-codec {' '.join(args)} exited with 0")
    if run.returncode < 0 or run.returncode == 86 or "Sanitizer" in run.stderr or "runtime error:" in run.stderr:
        problems.append(f"tb-codec {' '.join(args)}: a crash or sanitizer report (exit {run.returncode}):\n{run.stderr}")
    lines = [l for l in run.stderr.splitlines() if l.startswith("error:")]
    if not any(text in l for l in lines):
        problems.append(f"tb-codec {' '.join(args)}: no 'error:' line containing '{text}' in stderr:\n{run.stderr}")
    return problems


def main(argv):
    if len(argv) >= 4 and argv[0] == "vcd":
        problems = check_vcd(argv[1], argv[2], argv[3])
    elif len(argv) >= 3 and argv[0] == "fails":
        problems = check_fails(argv[1], argv[2], argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    if not problems:
        print("ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
