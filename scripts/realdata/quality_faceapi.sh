#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end quality of the face-api networks with SPARK-coded weights and activations (quality_faceapi.js) on
# the package cache that fetch_faceapi.sh installs. Writes OUT_DIR/quality.json and OUT_DIR/quality.txt.
#
# usage: scripts/realdata/quality_faceapi.sh [OUT_DIR] [quality_faceapi.js options...]
#        (default OUT_DIR out/quality-faceapi; options e.g. --photos 1 --variants float,spark_w_truncate)
# env:   SPARK_FACEAPI_CACHE  cache folder (default ~/.cache/spark-tlm/faceapi)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SPARK_FACEAPI_CACHE:-$HOME/.cache/spark-tlm/faceapi}"
out="out/quality-faceapi"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then out="$1"; shift; fi
command -v node >/dev/null || { echo "error: node is not installed (Node.js 18 or newer)" >&2; exit 1; }
[ -d "$cache/node_modules/@vladmandic/face-api" ] || {
    echo "error: no face-api cache at $cache (run scripts/realdata/fetch_faceapi.sh)" >&2; exit 1; }
mkdir -p "$out"
node "$here/quality_faceapi.js" "$cache" --out "$out/quality.json" "$@" | tee "$out/quality.txt"
echo "json:  $out/quality.json"
