#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds into build/, and runs the main job on its built-in default workload.
# Extra arguments go to the main job.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

spark_install_dependencies
spark_build
mkdir -p "$SPARK_ROOT/out"
# Until the platform exists, the main job is the codec testbench: a random tensor through encoder and decoder,
# with a waveform for GTKWave (open it with traces/codec.gtkw).
"$SPARK_BUILD_DIR/testbenches/codec/tb-codec" --random 1000 --seed 1 --vcd "$SPARK_ROOT/out/codec.vcd" "$@"
echo "waveform: out/codec.vcd  (gtkwave out/codec.vcd traces/codec.gtkw)"
