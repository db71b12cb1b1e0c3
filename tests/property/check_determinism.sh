#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_determinism.sh SIM_A SIM_B WORKLOAD WORKDIR: runs `SIM --workload WORKLOAD --baseline --out DIR` with each
# binary (twice with SIM_A) and fails unless every output file is byte-identical. SIM_A and SIM_B may be the same
# binary, or builds of the same sources with different flags or parallelism. Two more SIM_A runs go side by side,
# as `ctest -j` or a parallel sweep would start them: concurrent instances must not disturb each other.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 SIM_A SIM_B WORKLOAD WORKDIR" >&2; exit 2; }
sim_a="$1" sim_b="$2" workload="$3" work="$4"
rm -rf "$work"
mkdir -p "$work"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
"$sim_a" --no-progress --workload "$workload" --baseline --out "$work/a1" >"$work/a1.log"
"$sim_a" --no-progress --workload "$workload" --baseline --out "$work/a2" >"$work/a2.log"
"$sim_b" --no-progress --workload "$workload" --baseline --out "$work/b" >"$work/b.log"
"$sim_a" --no-progress --workload "$workload" --baseline --out "$work/p1" >"$work/p1.log" &
p1=$!
"$sim_a" --no-progress --workload "$workload" --baseline --out "$work/p2" >"$work/p2.log" &
p2=$!
wait "$p1"
wait "$p2"
files=$(cd "$work/a1" && find . -type f | sort)
[ -n "$files" ] || { echo "no output files in $work/a1" >&2; exit 1; }
status=0
for run in a2 b p1 p2; do
  if ! diff -r "$work/a1" "$work/$run" >"$work/$run.diff"; then
    echo "outputs differ between a1 and $run:" >&2
    head -20 "$work/$run.diff" >&2
    status=1
  fi
done
# The printed report is an output too; it names the output folder, the one difference allowed.
for run in a1 a2 b p1 p2; do sed "s|$work/$run|OUT|g" "$work/$run.log" >"$work/$run.report"; done
for run in a2 b p1 p2; do
  if ! diff "$work/a1.report" "$work/$run.report" >"$work/$run.report.diff"; then
    echo "printed report differs between a1 and $run:" >&2
    head -20 "$work/$run.report.diff" >&2
    status=1
  fi
done
(cd "$work/a1" && sha256sum $files)
exit $status
