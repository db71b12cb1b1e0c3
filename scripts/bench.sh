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
# wall time and peak resident memory of spark-sim.
bench_platform() {
  local workload="${SPARK_BENCH_WORKLOAD:-$SPARK_ROOT/traces/resnet50.yaml}"
  local log="$SPARK_BENCH_OUT/platform_time.txt"
  /usr/bin/time -v "$SPARK_BUILD_DIR/platforms/spark/spark-sim" --workload "$workload" --baseline \
    --out "$SPARK_BENCH_OUT/platform" --no-progress --max-rows 0 > "$SPARK_BENCH_OUT/platform_stdout.txt" 2> "$log"
  tail -4 "$SPARK_BENCH_OUT/platform_stdout.txt"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  echo "platform: $(basename "$workload"), SPARK + baseline: wall ${wall}, peak RSS $((rss / 1024)) MiB"
}

SPARK_BENCH_STEPS=(codec pe_array dram platform)

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
