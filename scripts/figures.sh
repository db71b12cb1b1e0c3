#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reruns the commands behind the tables of measured figures in docs/ and rewrites the tables (scripts/figures/
# figures.py, entries in scripts/figures/entries/). Builds the tools it runs (Release, build/) first. Arguments: --all (the expensive rows too),
# --check (compare, write nothing, exit 1 on a difference), entry names (default: all entries).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

cmake -S "$SPARK_ROOT" -B "$SPARK_BUILD_DIR" -DCMAKE_BUILD_TYPE="${SPARK_BUILD_TYPE:-Release}" > /dev/null
cmake --build "$SPARK_BUILD_DIR" --target spark-sim tb-dram tb-pe-array tb-codec spark-codec \
  --parallel "$(nproc 2>/dev/null || echo 2)"
exec /usr/bin/python3 "$SPARK_ROOT/scripts/figures/figures.py" --build "$SPARK_BUILD_DIR" --root "$SPARK_ROOT" "$@"
