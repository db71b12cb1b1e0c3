#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# spark-sweep's two targets, measured (scripts/bench.sh sweep runs this; docs/sweeps.md records the figures):
#  1. the local backend: a 64-point sweep of the smoke network (tests/sweep/data/smoke64.yaml) on every core,
#     against the ideal, the same 64 spark-sim commands run one after another divided by the cores;
#  2. the Slurm backend: 16 points (smoke16.yaml) through a one-node cluster started here (as root), its wall time
#     beyond the same ideal. SPARK_SWEEP_BENCH_SLURM=0 skips it.
# usage: scripts/sweep_bench.sh SPARK_SWEEP SPARK_SIM OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sweep_bin="$1" sim="$2" out="$3"
cores="$(nproc)"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
now() { date +%s.%N; }
rm -rf "$out"
mkdir -p "$out"

# Every run of a finished sweep folder again, one after another, as the sweep ran it: the sum of single runs.
sequential() {
  local dir="$1" workload="$2" d t0
  t0="$(now)"
  for d in "$dir"/points/*/; do
    "$sim" --workload "$workload" --arch "$d/arch.json" --out "$out/seq/$(basename "$d")" --no-progress \
      --max-rows 1 --no-check > /dev/null
  done
  echo "$t0 $(now)" | awk '{printf "%.3f", $2 - $1}'
}

t0="$(now)"
"$sweep_bin" run "$root/tests/sweep/data/smoke64.yaml" --out "$out/local64" --jobs "$cores" --no-progress \
  --spark-sim "$sim" > /dev/null
local64="$(echo "$t0 $(now)" | awk '{printf "%.3f", $2 - $1}')"
seq64="$(sequential "$out/local64" "$root/traces/smoke.yaml")"
# The same commands through xargs -P: what this machine gives any parallel launcher right now (a loaded machine
# gives less than `cores` times one run).
t0="$(now)"
for d in "$out"/local64/points/*/; do
  printf '%s\0' "$d"
done | xargs -0 -P "$cores" -I{} "$sim" --workload "$root/traces/smoke.yaml" --arch {}arch.json --out {}xargs \
  --no-progress --max-rows 1 --no-check > /dev/null
xargs64="$(echo "$t0 $(now)" | awk '{printf "%.3f", $2 - $1}')"
# spark-sweep's own cost: the same sweep with /bin/true as its simulator (every run then fails in no time).
t0="$(now)"
"$sweep_bin" run "$root/tests/sweep/data/smoke64.yaml" --out "$out/own64" --jobs "$cores" --no-progress \
  --spark-sim /bin/true > /dev/null 2>&1 || true
own64="$(echo "$t0 $(now)" | awk '{printf "%.3f", $2 - $1}')"
echo "sweep local: spark-sweep's own cost for the 64 runs (expansion, spawning, status files, results.csv): $own64 s"
awk -v m="$local64" -v s="$seq64" -v c="$cores" -v x="$xargs64" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  printf "sweep local: 64 points of smoke on %d cores: %.2f s; one run after another %.2f s, ideal (sum / cores) %.2f s; ratio %.2fx (target: at most 1.2x); xargs -P %d of the same runs %.2f s (spark-sweep / xargs %.2fx); load average %s\n", c, m, s, s / c, m / (s / c), c, x, m / x, l }'

if [ "${SPARK_SWEEP_BENCH_SLURM:-1}" = 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "sweep slurm: skipped (the one-node cluster needs root)"; exit 0; fi
source "$root/tests/sweep/slurm_cluster.sh"
cluster="$(mktemp -d /tmp/spark-sweep-bench.XXXXXX)"
rmdir "$cluster"
trap 'slurm_cluster_stop "$cluster"; rm -rf "$cluster"' EXIT
slurm_cluster_start "$cluster"
t0="$(now)"
"$sweep_bin" run "$root/tests/sweep/data/smoke16.yaml" --out "$out/slurm16" --backend slurm --wait \
  --spark-sim "$sim" > "$out/slurm16.txt"
slurm16="$(echo "$t0 $(now)" | awk '{printf "%.3f", $2 - $1}')"
rm -rf "$out/seq"
seq16="$(sequential "$out/slurm16" "$root/traces/smoke.yaml")"
awk -v m="$slurm16" -v s="$seq16" -v c="$cores" 'BEGIN {
  printf "sweep slurm: 16 points of smoke on a one-node cluster of %d CPUs: %.2f s; runs alone %.2f s, ideal %.2f s; overhead %.2f s (target: under 10 s)\n", c, m, s, s / c, m - s / c }'
grep -m1 '^submitted' "$out/slurm16.txt"
