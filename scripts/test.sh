#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds, and runs the test suite through CTest. Extra arguments go to ctest
# (e.g. scripts/test.sh -R codec).
#
# Stages, chosen with SPARK_TEST_STAGES (space- or comma-separated; "all" for every stage; CI runs all):
#   unit         build/ (Release) and its whole suite                                   (the default)
#   sanitize     build-asan/ with ASan + UBSan (+ LSan at exit) and the same suite there, every test that is not
#                a plain-C++ core test SPARK_SANITIZE_REPEAT (3) times in a row (scripts/sanitizers/README.md); the
#                RTL co-simulations (label rtl: seeded, 10^6 values each) run once there
#   determinism  spark-sim on traces/smoke.yaml: byte-identical outputs from build/ and build-asan/
#   fuzz         every libFuzzer target for SPARK_FUZZ_SECONDS (8) seconds (scripts/fuzz.sh)
# The unit and sanitize stages fetch the face-api cache for the real-network tests when it is missing
# (scripts/lib/common.sh, spark_prepare_realdata); SPARK_SKIP_REALDATA=1 skips them, except in CI (CI=true).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

stages="${SPARK_TEST_STAGES:-unit}"
stages="${stages//,/ }"
[ "$stages" = all ] && stages="unit sanitize determinism fuzz"
want() { [[ " $stages " == *" $1 "* ]]; }
for s in $stages; do
  case "$s" in unit|sanitize|determinism|fuzz) ;; *) echo "spark-test: unknown stage '$s'" >&2; exit 2 ;; esac
done

jobs="$(nproc 2>/dev/null || echo 2)"
spark_install_dependencies
SPARK_REALDATA_NOTE="not in the stages run"
if want unit || want sanitize; then spark_prepare_realdata; fi
started=$SECONDS
stage_time() { echo "spark-test: stage $1 took $((SECONDS - $2)) s"; }

if want unit || want determinism; then
  t=$SECONDS
  spark_build
  if want unit; then
    (cd "$SPARK_BUILD_DIR" && ctest --output-on-failure --parallel "$jobs" "$@")
  fi
  stage_time unit "$t"
fi

if want sanitize || want determinism; then
  t=$SECONDS
  spark_build_sanitized
  if want sanitize; then
    repeat="${SPARK_SANITIZE_REPEAT:-3}"
    (spark_sanitizer_environment && cd "$SPARK_ASAN_BUILD_DIR" &&
     ctest --output-on-failure --parallel "$jobs" --label-regex '^(core|rtl)$' "$@" &&
     ctest --output-on-failure --parallel "$jobs" --label-exclude '^(core|rtl)$' --repeat "until-fail:$repeat" "$@")
  fi
  stage_time sanitize "$t"
fi

if want determinism; then
  t=$SECONDS
  (spark_sanitizer_environment &&
   bash "$SPARK_ROOT/tests/property/check_determinism.sh" "$SPARK_BUILD_DIR/platforms/spark/spark-sim" \
        "$SPARK_ASAN_BUILD_DIR/platforms/spark/spark-sim" "$SPARK_ROOT/traces/smoke.yaml" \
        "$SPARK_ASAN_BUILD_DIR/determinism")
  echo "spark-test: spark-sim outputs are byte-identical across runs and across the Release and sanitizer builds"
  stage_time determinism "$t"
fi

if want fuzz; then
  t=$SECONDS
  bash "$SPARK_ROOT/scripts/fuzz.sh" "${SPARK_FUZZ_SECONDS:-8}"
  stage_time fuzz "$t"
fi
echo "spark-test: real-network tests (face-api): $SPARK_REALDATA_NOTE"
echo "spark-test: stages '$stages' passed in $((SECONDS - started)) s"
