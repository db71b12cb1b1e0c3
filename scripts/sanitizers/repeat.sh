#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the sanitizer tree (build-asan/) and runs every test that is not a plain-C++ core test (CTest label
# `core`), every SystemC test among them, N times in a row under ASan, UBSan and LSan: a test passes only if all N
# runs pass. README.md beside this file says why (LeakSanitizer and SystemC's coroutine stacks).
#   scripts/sanitizers/repeat.sh [N [CTEST_ARGS...]]      default: 20 runs
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

runs="${1:-20}"
shift || true
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "spark-repeat: the number of runs must be a positive integer, got '$runs'" >&2
  exit 2
fi
jobs="$(nproc 2>/dev/null || echo 2)"
spark_install_dependencies
spark_build_sanitized
spark_sanitizer_environment
cd "$SPARK_ASAN_BUILD_DIR"
started=$SECONDS
ctest --output-on-failure --parallel "$jobs" --label-exclude '^core$' --repeat "until-fail:$runs" "$@"
echo "spark-repeat: every non-core test passed $runs times in a row under the sanitizers ($((SECONDS - started)) s)"
