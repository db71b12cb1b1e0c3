#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds into build/, and runs the whole test suite through CTest.
# Extra arguments go to ctest (e.g. scripts/test.sh -R codec).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

spark_install_dependencies
spark_build
cd "$SPARK_BUILD_DIR"
ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)" "$@"
