#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Slurm backend on a real one-node cluster started here (tests/sweep/slurm_cluster.sh): a small sweep through
# sbatch job arrays and a merge job, then the same sweep on the local backend; the two results.csv must be equal
# byte for byte once the timing column (wall_s) is cut. The daemons are stopped by pid on any exit.
# usage: check_slurm.sh SPARK_SWEEP SPARK_SIM SWEEP.yaml WORK_DIR
set -euo pipefail
sweep_bin="$1" sim="$2" sweep="$3" work="$4"
source "$(dirname "${BASH_SOURCE[0]}")/slurm_cluster.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "check_slurm: the one-node cluster runs its daemons as root (SlurmUser=root); run the test as root" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
cluster="$(mktemp -d /tmp/spark-sweep-slurm.XXXXXX)"
rmdir "$cluster"
cleanup() {
  local rc=$?
  slurm_cluster_stop "$cluster"
  if [ "$rc" -ne 0 ]; then
    echo "check_slurm: failed; the cluster's logs:" >&2
    tail -n 20 "$cluster"/log/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$cluster"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t0=$SECONDS
# MaxArraySize 3 and two runs per task: the 8 runs make 4 array tasks, cut into two job arrays (3 + 1) that the
# merge job depends on, at most 2 tasks of each at once.
SLURM_CLUSTER_MAX_ARRAY_SIZE=3 slurm_cluster_start "$cluster"
echo "check_slurm: one-node cluster up in $((SECONDS - t0)) s ($(sinfo -h -o '%N %C %T'))"

t0=$SECONDS
"$sweep_bin" run "$sweep" --out "$work/slurm" --backend slurm --wait --spark-sim "$sim" --runs-per-task 2 \
  --throttle 2 --time 00:05:00 --sbatch-arg=--mem=1G | tee "$work/slurm.txt"
grep -q 'in 4 array task(s) of up to 2 run(s): job array(s) [0-9]*, [0-9]*, merge job' "$work/slurm.txt" ||
  { echo "check_slurm: expected 4 tasks in two job arrays" >&2; exit 1; }
echo "check_slurm: Slurm backend took $((SECONDS - t0)) s"
"$sweep_bin" run "$sweep" --out "$work/local" --backend local --jobs 2 --no-progress --spark-sim "$sim"

cut_timing() { /usr/bin/python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
keep = [i for i, name in enumerate(rows[0]) if name != "wall_s"]
w = csv.writer(sys.stdout, lineterminator="\n")
for r in rows:
    w.writerow([r[i] for i in keep])' "$1"; }
cut_timing "$work/slurm/results.csv" > "$work/slurm.csv"
cut_timing "$work/local/results.csv" > "$work/local.csv"
if ! cmp -s "$work/slurm.csv" "$work/local.csv"; then
  echo "check_slurm: results.csv differs between the Slurm and local backends:" >&2
  diff "$work/local.csv" "$work/slurm.csv" >&2 || true
  exit 1
fi
rows=$(($(wc -l < "$work/slurm.csv") - 1))
ok=$(grep -c ',ok,' "$work/slurm.csv" || true)
if [ "$rows" -lt 8 ] || [ "$ok" -ne "$rows" ]; then
  echo "check_slurm: expected at least 8 rows, all ok; got $rows rows, $ok ok" >&2
  exit 1
fi
ls "$work"/slurm/slurm/*.out > /dev/null
echo "check_slurm: $rows rows, identical on both backends apart from wall_s"
