#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs quality_faceapi.js on one photo with float, exact-INT8 and SPARK-coded weights and checks the report's
# invariants (float against itself is exact; INT8 keeps every detection). Exits 77 (CTest: skipped) without the
# face-api cache or without node, so the suite needs no network access; in CI (CI=true) that is a failure.
# usage: quality_check.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src="$1" work="$2"
cache="${SPARK_FACEAPI_CACHE:-$HOME/.cache/spark-tlm/faceapi}"
if [ "${SPARK_SKIP_REALDATA:-0}" = 1 ] && [ "${CI:-}" != true ]; then echo "SKIPPED: SPARK_SKIP_REALDATA=1"; exit 77; fi
if [ ! -f "$cache/node_modules/@vladmandic/face-api/model/ssd_mobilenetv1_model-weights_manifest.json" ] ||
   [ ! -d "$cache/node_modules/@tensorflow/tfjs-backend-wasm" ]; then
    # In CI the real networks must run (scripts/test.sh fetches the cache): a missing one is a failure.
    if [ "${CI:-}" = true ]; then echo "FAILED: no face-api cache at $cache in CI (CI=true)"; exit 1; fi
    echo "SKIPPED: no face-api cache at $cache (run scripts/realdata/fetch_faceapi.sh)"
    exit 77
fi
if ! command -v node >/dev/null; then
    if [ "${CI:-}" = true ]; then echo "FAILED: node is not installed, in CI (CI=true)"; exit 1; fi
    echo "SKIPPED: node is not installed"
    exit 77
fi
rm -rf "$work" && mkdir -p "$work"
node "$src/scripts/realdata/quality_faceapi.js" "$cache" --photos 1 --variants float,int8_w,spark_w_truncate \
    --out "$work/quality.json"
/usr/bin/python3 - "$work/quality.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v = r["variants"]
f = v["float"]["total"]
assert f["float_detections"] > 0 and f["matched"] == f["float_detections"] and f["mean_iou"] == 1, f
assert f["mean_descriptor_distance"] == 0 and f["gender_flips"] == 0, f
i = v["int8_w"]["total"]
assert i["lost"] == 0 and i["mean_iou"] > 0.8 and i["mean_descriptor_distance"] < 0.2, i
assert v["int8_w"]["weights_changed_by_code_share"] == 0
assert 0 < v["spark_w_truncate"]["weights_changed_by_code_share"] < 0.5
assert r["kernels"] == 141 and r["kernel_weights"] == 11885056, (r["kernels"], r["kernel_weights"])
print("quality report checked")
PY
