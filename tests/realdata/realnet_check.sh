#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The real-network path on the face-api package cache: dump the weights, write traces, validate them with
# spark-workload and measure them with spark-codec report. Exits 77 (CTest: skipped) without the cache, so the
# suite needs no network access, except in CI (CI=true), where that is a failure.
# usage: realnet_check.sh SPARK_CODEC SPARK_WORKLOAD SOURCE_DIR WORK_DIR
set -euo pipefail
codec="$1" workload="$2" src="$3" work="$4"
cache="${SPARK_FACEAPI_CACHE:-$HOME/.cache/spark-tlm/faceapi}"
if [ "${SPARK_SKIP_REALDATA:-0}" = 1 ] && [ "${CI:-}" != true ]; then echo "SKIPPED: SPARK_SKIP_REALDATA=1"; exit 77; fi
if [ ! -f "$cache/node_modules/@vladmandic/face-api/model/ssd_mobilenetv1_model-weights_manifest.json" ]; then
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
node "$src/scripts/realdata/dump_faceapi.js" "$cache" "$work/dump"
/usr/bin/python3 "$src/scripts/realdata/make_traces.py" "$work/dump" "$work/traces"
for f in "$work"/traces/*.yaml; do "$workload" summary "$f" | tail -1; done
"$codec" report --json "$work/dump/ssd_mobilenetv1_model/weights" "$work/dump/face_recognition_model/weights" \
    > "$work/report.json" 2> "$work/report.err"
/usr/bin/python3 - "$work/report.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["totals"][0]
print(f"{t['tensors']} tensors, {t['values']} weights: INT4 range {100 * t['share_int4_range']:.2f} %, "
      f"short {100 * t['share_short']:.2f} %, approximated {100 * t['share_approximated']:.2f} %, "
      f"{t['mean_bits_per_value']:.3f} bits/value, SQNR vs float {t['sqnr_vs_float_db']:.2f} dB "
      f"(INT8 alone {t['sqnr_int8_vs_float_db']:.2f} dB)")
# The packaged weights: 5,507,264 SSD-MobileNet-v1 and 5,603,936 face-recognition kernel weights in 77 tensors.
assert t["tensors"] == 77 and t["values"] == 11111200, t
assert 0 < t["share_short"] <= t["share_int4_range"] <= 1
assert t["sqnr_vs_float_db"] < t["sqnr_int8_vs_float_db"]
PY
