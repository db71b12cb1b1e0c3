#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds into build/ (Release), and runs the benchmarks step by step, printing the
# figures. Each step is a function listed in SPARK_BENCH_STEPS; add a platform benchmark by adding a step.
# Arguments: names of steps to run (default: all). SPARK_BENCH_ARGS passes extra flags to Google Benchmark
# executables (e.g. SPARK_BENCH_ARGS=--benchmark_repetitions=5).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SPARK_BENCH_OUT="${SPARK_BENCH_OUT:-$SPARK_BUILD_DIR/bench}"

# Codec stream packer/unpacker throughput in values per second (items_per_second), one core.
bench_codec() {
  # shellcheck disable=SC2086
  "$SPARK_BUILD_DIR/benchmarks/bench_codec" \
    --benchmark_out="$SPARK_BENCH_OUT/bench_codec.json" --benchmark_out_format=json ${SPARK_BENCH_ARGS:-}
}

# PE-array fast model throughput in MACs per second, one core.
bench_pe_array() {
  # shellcheck disable=SC2086
  "$SPARK_BUILD_DIR/benchmarks/bench_pe_array" \
    --benchmark_out="$SPARK_BENCH_OUT/bench_pe_array.json" --benchmark_out_format=json ${SPARK_BENCH_ARGS:-}
}

# DRAM model transactions per second of host time, loosely timed, one core.
bench_dram() {
  # shellcheck disable=SC2086
  "$SPARK_BUILD_DIR/benchmarks/bench_dram" \
    --benchmark_out="$SPARK_BENCH_OUT/bench_dram.json" --benchmark_out_format=json ${SPARK_BENCH_ARGS:-}
}

# Whole ResNet-50 replay, SPARK and INT8 baseline in one run with bit-exact compute and the golden check:
# wall time and peak resident memory of spark-sim, SPARK_BENCH_RUNS (3) runs, the median of each.
# SPARK_BENCH_REFERENCE=<git revision> also builds spark-sim at that revision (in $SPARK_BENCH_OUT/reference/)
# and runs the two alternately, so both see the same machine: medians side by side, their ratio, and whether the
# two wrote the same layers.csv.
bench_platform() {
  local workload="${SPARK_BENCH_WORKLOAD:-$SPARK_ROOT/traces/resnet50.yaml}"
  local runs="${SPARK_BENCH_RUNS:-3}"
  local sims=("current=$SPARK_BUILD_DIR/platforms/spark/spark-sim")
  if [ -n "${SPARK_BENCH_REFERENCE:-}" ]; then
    local ref="$SPARK_BENCH_OUT/reference"
    local rev
    rev="$(git -C "$SPARK_ROOT" rev-parse --verify "${SPARK_BENCH_REFERENCE}^{commit}")" ||
      { echo "bench.sh: SPARK_BENCH_REFERENCE=$SPARK_BENCH_REFERENCE is not a commit" >&2; return 2; }
    if [ "$(cat "$ref/revision" 2>/dev/null)" != "$rev" ]; then
      rm -rf "$ref" && mkdir -p "$ref/src"
      git -C "$SPARK_ROOT" archive "$rev" | tar -x -C "$ref/src"
      cmake -S "$ref/src" -B "$ref/build" -DCMAKE_BUILD_TYPE=Release -DSPARK_BUILD_TESTS=OFF \
            -DSPARK_BUILD_BENCHMARKS=OFF >/dev/null
      cmake --build "$ref/build" --target spark-sim --parallel "$(nproc 2>/dev/null || echo 2)"
      echo "$rev" > "$ref/revision"
    fi
    sims+=("reference=$ref/build/platforms/spark/spark-sim")
  fi
  local times="$SPARK_BENCH_OUT/platform_runs.txt"
  : > "$times"
  local i entry label sim out
  for ((i = 1; i <= runs; i++)); do
    for entry in "${sims[@]}"; do
      label="${entry%%=*}" sim="${entry#*=}" out="$SPARK_BENCH_OUT/platform_$label"
      rm -rf "$out"
      /usr/bin/time -f "$label %e %M" -a -o "$times" "$sim" --workload "$workload" --baseline --out "$out" \
        --no-progress --max-rows 0 > "$SPARK_BENCH_OUT/platform_${label}_stdout.txt"
    done
  done
  tail -4 "$SPARK_BENCH_OUT/platform_current_stdout.txt"
  /usr/bin/python3 - "$times" "$(basename "$workload")" "$SPARK_BENCH_OUT" <<'PY'
import statistics, sys, os, filecmp
runs = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.split()
    runs.setdefault(label, []).append((float(wall), int(rss)))
for label, r in runs.items():
    print(f"platform ({label}): {sys.argv[2]}, SPARK + baseline: wall {statistics.median(w for w, _ in r):.2f} s "
          f"(runs {', '.join(f'{w:.2f}' for w, _ in r)}), peak RSS {statistics.median(m for _, m in r) / 1024:.0f} MiB")
if "reference" in runs:
    cur, ref = runs["current"], runs["reference"]
    wall = statistics.median(w for w, _ in cur) / statistics.median(w for w, _ in ref)
    rss = statistics.median(m for _, m in cur) / statistics.median(m for _, m in ref)
    same = filecmp.cmp(os.path.join(sys.argv[3], "platform_current", "layers.csv"),
                       os.path.join(sys.argv[3], "platform_reference", "layers.csv"), shallow=False)
    print(f"platform: current / reference: wall {wall:.3f}x, peak RSS {rss:.3f}x; "
          f"layers.csv {'identical' if same else 'DIFFERENT'}")
PY
}

# The comparison's platform mode against today's SPARK + INT8 run, alternately on the same machine: ResNet-50
# (SPARK_BENCH_WORKLOAD), `spark-sim -b` and `spark-sim --compare all --compare-mode platform`, SPARK_BENCH_RUNS
# (3) runs each; the medians of wall time and peak memory and the ratio of the wall times (target: at most 4).
bench_compare() {
  local workload="${SPARK_BENCH_WORKLOAD:-$SPARK_ROOT/traces/resnet50.yaml}"
  local runs="${SPARK_BENCH_RUNS:-3}"
  local sim="$SPARK_BUILD_DIR/platforms/spark/spark-sim"
  local times="$SPARK_BENCH_OUT/compare_runs.txt"
  : > "$times"
  local i
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -f "baseline %e %M" -a -o "$times" "$sim" -w "$workload" -b --no-progress --max-rows 1 >/dev/null
    /usr/bin/time -f "compare %e %M" -a -o "$times" "$sim" -w "$workload" --compare all --compare-mode platform \
      --no-progress --max-rows 1 >/dev/null
  done
  /usr/bin/python3 - "$times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {k: (statistics.median(float(r[1]) for r in rows if r[0] == k),
           statistics.median(float(r[2]) for r in rows if r[0] == k) / 1024) for k in ("baseline", "compare")}
for k, label in (("baseline", "SPARK + INT8 (-b)"), ("compare", "--compare all, platform mode")):
    print(f"{label:<32} wall {med[k][0]:7.2f} s   peak {med[k][1]:7.0f} MiB")
print(f"wall-time ratio: {med['compare'][0] / med['baseline'][0]:.2f}x (target: at most 4x)")
PY
}

# spark-sweep: a 64-point sweep of the smoke network on every core against the ideal (the runs one after another,
# divided by the cores; target at most 1.2x), and 16 points through a one-node Slurm cluster started for the step
# (root only; its overhead beyond the ideal, target under 10 s). scripts/sweep_bench.sh has the details.
bench_sweep() {
  bash "$SPARK_ROOT/scripts/sweep_bench.sh" "$SPARK_BUILD_DIR/tools/spark-sweep/spark-sweep" \
    "$SPARK_BUILD_DIR/platforms/spark/spark-sim" "$SPARK_BENCH_OUT/sweep"
}

SPARK_BENCH_STEPS=(codec pe_array dram platform compare sweep)

main() {
  local steps=("$@")
  [ ${#steps[@]} -eq 0 ] && steps=("${SPARK_BENCH_STEPS[@]}")
  local step
  for step in "${steps[@]}"; do
    if ! declare -F "bench_$step" >/dev/null; then
      echo "bench.sh: unknown step '$step' (known: ${SPARK_BENCH_STEPS[*]})" >&2
      exit 2
    fi
  done
  spark_install_dependencies
  SPARK_BUILD_TYPE=Release spark_build -DSPARK_BUILD_BENCHMARKS=ON
  mkdir -p "$SPARK_BENCH_OUT"
  for step in "${steps[@]}"; do
    echo "== bench: $step"
    "bench_$step"
  done
  echo "results (JSON): $SPARK_BENCH_OUT"
}

main "$@"
