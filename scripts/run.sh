#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds into build/, and runs the main job: ResNet-50 on the default SPARK
# architecture against the INT8 baseline in one simulation, printing the summary and writing the per-layer CSV,
# the JSON summary and the plots to out/resnet50/. Extra arguments go to spark-sim (e.g. --arch FILE), and
# SPARK_WORKLOAD picks another workload (e.g. SPARK_WORKLOAD=traces/bert_base.yaml).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

spark_install_dependencies
spark_build

workload="${SPARK_WORKLOAD:-$SPARK_ROOT/traces/resnet50.yaml}"
out="$SPARK_ROOT/out/$(basename "${workload%.*}")"
"$SPARK_BUILD_DIR/platforms/spark/spark-sim" --workload "$workload" --baseline --out "$out" "$@"
/usr/bin/python3 "$SPARK_ROOT/scripts/plot.py" "$out"
