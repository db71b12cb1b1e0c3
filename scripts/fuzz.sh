#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (fuzz/, clang with ASan and UBSan) into build-fuzz/ and runs each for a while.
#   scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]      default: 10 seconds, every target
# Fails on any crash, uncaught exception, property violation, sanitizer report, leak, per-input timeout (hang) or
# memory blow-up. Inputs that fail are left in build-fuzz/artifacts/<target>/; copy them into
# fuzz/regressions/<target>/ once fixed so the test suite replays them. The committed seeds in fuzz/corpus/ are
# only read: each run works on a copy in build-fuzz/corpus/<target>/ (kept between runs, so coverage accumulates).
# Environment: SPARK_FUZZ_BUILD_DIR (build-fuzz), SPARK_FUZZ_JOBS (nproc), SPARK_FUZZ_TIMEOUT seconds per input
# (10), SPARK_FUZZ_RSS_MB (2048), SPARK_FUZZ_RUNS to stop after that many inputs (the time limit still applies),
# SPARK_FUZZ_FRESH=1 to start from the seeds alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

seconds="${1:-10}"
shift || true
build="${SPARK_FUZZ_BUILD_DIR:-$SPARK_ROOT/build-fuzz}"
jobs="${SPARK_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"

spark_install_dependencies
CXX="${SPARK_FUZZ_CXX:-clang++}" cmake -S "$SPARK_ROOT/fuzz" -B "$build" >/dev/null
cmake --build "$build" --parallel "$jobs"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(sed -n '/^set(SPARK_FUZZ_TARGETS/,/)/p' "$SPARK_ROOT/fuzz/targets.cmake" |
                         tr ' ()' '\n\n\n' | grep -v -e '^$' -e '^set$' -e '^SPARK_FUZZ_TARGETS$')
fi

# LSan reports leaks at exit and after each input; the suppressions file explains its entries.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SPARK_ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
summary=()
for t in "${targets[@]}"; do
  exe="$build/fuzz_$t"
  [ -x "$exe" ] || { echo "spark-fuzz: no target $t" >&2; exit 2; }
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  [ "${SPARK_FUZZ_FRESH:-0}" = 1 ] && rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  log="$build/logs/$t.log"
  mkdir -p "$(dirname "$log")"
  echo "spark-fuzz: $t for ${seconds}s"
  # Decoders and the fixed-size descriptor: short inputs run fast and still reach every path; file readers get
  # room for whole files.
  case "$t" in
    nibble_decoder) max_len=64 ;;
    stream_unpack|decode_chunk|layer_descriptor) max_len=512 ;;
    *) max_len=8192 ;;
  esac
  extra=()
  [ -n "${SPARK_FUZZ_RUNS:-}" ] && extra+=(-runs="$SPARK_FUZZ_RUNS")
  status=0
  start=$SECONDS
  "$exe" -max_total_time="$seconds" -timeout="${SPARK_FUZZ_TIMEOUT:-10}" -rss_limit_mb="${SPARK_FUZZ_RSS_MB:-2048}" \
         -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts/" ${extra[@]+"${extra[@]}"} \
         "$work" "$SPARK_ROOT/fuzz/corpus/$t" </dev/null >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    summary+=("$(printf '%-18s %6ss %12s execs  cov %-6s FAILED (exit %s, log %s)' "$t" "$((SECONDS - start))" "${execs:-?}" \
                 "${cov:-?}" "$status" "$log")")
    grep -E 'ERROR|SUMMARY|runtime error|property violated|Test unit written|deadly signal|timeout' "$log" | head -20 >&2
  else
    summary+=("$(printf '%-18s %6ss %12s execs  cov %-6s ok' "$t" "$((SECONDS - start))" "${execs:-?}" "${cov:-?}")")
  fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "spark-fuzz: FAILED: ${failed[*]} (failing inputs in $build/artifacts/)" >&2
  exit 1
fi
