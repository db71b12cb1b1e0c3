#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs @vladmandic/face-api (TensorFlow.js weights of SSD-MobileNet-v1, a ResNet-34-style face-recognition
# net, landmark and age/gender nets, plus sample photos) and the pure-JavaScript tfjs it runs on into a cache
# outside the repository, then dumps the weights (and, with --activations, real convolution inputs) to .npy and
# writes workload traces. Nothing here is committed; weights stay in the cache.
#
# usage: scripts/realdata/fetch_faceapi.sh [--activations]
# env:   SPARK_FACEAPI_CACHE  cache folder (default ~/.cache/spark-tlm/faceapi)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SPARK_FACEAPI_CACHE:-$HOME/.cache/spark-tlm/faceapi}"
command -v node >/dev/null || { echo "error: node is not installed (Node.js 18 or newer)" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is not installed" >&2; exit 1; }
mkdir -p "$cache"
[ -f "$cache/package.json" ] || echo '{"name":"spark-tlm-faceapi-cache","private":true}' > "$cache/package.json"
# Pinned versions: face-api 1.7.15 is built against tfjs 4.22.0. The wasm backend is only loaded by face-api's
# node-wasm bundle; the dump runs on tfjs's CPU backend.
(cd "$cache" && npm install --no-audit --no-fund @vladmandic/face-api@1.7.15 @tensorflow/tfjs@4.22.0 \
    @tensorflow/tfjs-backend-wasm@4.22.0 jpeg-js@0.4.4)
node "$here/dump_faceapi.js" "$cache" "$cache/dump" "$@"
/usr/bin/python3 "$here/make_traces.py" "$cache/dump" "$cache/traces"
echo "dump:   $cache/dump"
echo "traces: $cache/traces"
