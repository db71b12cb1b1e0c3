# SPDX-License-Identifier: Apache-2.0
# Shared by run.sh and test.sh: install missing Debian packages, then configure and build.

SPARK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPARK_BUILD_DIR="${SPARK_BUILD_DIR:-$SPARK_ROOT/build}"
SPARK_ASAN_BUILD_DIR="${SPARK_ASAN_BUILD_DIR:-$SPARK_ROOT/build-asan}"

# Everything the build, tests, benchmarks and plots need, by Debian package name.
SPARK_DEBIAN_PACKAGES=(
  g++ cmake make pkg-config
  libsystemc-dev libboost-program-options-dev catch2 libfmt-dev
  nlohmann-json3-dev libyaml-cpp-dev libbenchmark-dev
  python3 python3-numpy python3-matplotlib python3-onnx time
  clang libclang-rt-14-dev
  verilator yosys slurm-wlm munge
)

spark_missing_packages() {
  local pkg missing=()
  for pkg in "${SPARK_DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]}"
}

spark_install_dependencies() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "spark-tlm: not a Debian system; make sure these are installed: ${SPARK_DEBIAN_PACKAGES[*]}" >&2
    return 0
  fi
  local missing
  missing="$(spark_missing_packages)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "spark-tlm: missing Debian packages: $missing" >&2
    echo "spark-tlm: install them with: sudo apt-get install -y $missing" >&2
    return 1
  fi
  echo "spark-tlm: installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
}

# Node.js and npm for the real-network tests (scripts/realdata/). By command, not by package: a machine may carry
# NodeSource's nodejs, which bundles npm and conflicts with Debian's npm package.
spark_install_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "spark-tlm: node and npm are missing; install Debian's nodejs and npm (sudo apt-get install -y nodejs npm)" >&2
    return 1
  fi
  echo "spark-tlm: installing nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm
}

# The face-api cache the real-network tests read (scripts/realdata/fetch_faceapi.sh, pinned npm versions; about
# 25 s and 530 MB). A failed fetch fails; SPARK_SKIP_REALDATA=1 skips the tests instead, except in CI (CI=true),
# where they must run. Sets SPARK_REALDATA_NOTE for the summary.
SPARK_FACEAPI_CACHE="${SPARK_FACEAPI_CACHE:-$HOME/.cache/spark-tlm/faceapi}"
export SPARK_FACEAPI_CACHE
spark_prepare_realdata() {
  if [ "${SPARK_SKIP_REALDATA:-0}" = 1 ]; then
    if [ "${CI:-}" = true ]; then
      echo "spark-tlm: SPARK_SKIP_REALDATA=1 is refused in CI (CI=true): the real-network tests must run" >&2
      return 1
    fi
    export SPARK_SKIP_REALDATA
    SPARK_REALDATA_NOTE="skipped (SPARK_SKIP_REALDATA=1)"
    return 0
  fi
  if [ -f "$SPARK_FACEAPI_CACHE/node_modules/@vladmandic/face-api/model/ssd_mobilenetv1_model-weights_manifest.json" ] &&
     [ -d "$SPARK_FACEAPI_CACHE/node_modules/@tensorflow/tfjs-backend-wasm" ] &&
     [ -d "$SPARK_FACEAPI_CACHE/traces" ]; then
    SPARK_REALDATA_NOTE="run on the face-api cache at $SPARK_FACEAPI_CACHE"
    return 0
  fi
  if ! spark_install_node || ! bash "$SPARK_ROOT/scripts/realdata/fetch_faceapi.sh" --activations; then
    echo "spark-tlm: could not prepare the face-api cache at $SPARK_FACEAPI_CACHE for the real-network tests" \
         "(set SPARK_SKIP_REALDATA=1 to skip them outside CI)" >&2
    return 1
  fi
  SPARK_REALDATA_NOTE="run on the face-api cache at $SPARK_FACEAPI_CACHE (fetched now)"
}

spark_build() {
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  cmake -S "$SPARK_ROOT" -B "$SPARK_BUILD_DIR" -DCMAKE_BUILD_TYPE="${SPARK_BUILD_TYPE:-Release}" "$@"
  cmake --build "$SPARK_BUILD_DIR" --parallel "$jobs"
}

# The same sources with AddressSanitizer and UndefinedBehaviorSanitizer (SPARK_SANITIZE). -O1 keeps the build
# short and the reports readable; benchmarks are left out. With ASan, GCC 12 reports maybe-uninitialized values
# inside libstdc++'s <regex> (pulled in by Catch2), not in the project's code, so that one warning is off here.
spark_build_sanitized() {
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  cmake -S "$SPARK_ROOT" -B "$SPARK_ASAN_BUILD_DIR" -DSPARK_SANITIZE=ON -DSPARK_BUILD_BENCHMARKS=OFF \
        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1 -Wno-maybe-uninitialized" "$@"
  cmake --build "$SPARK_ASAN_BUILD_DIR" --parallel "$jobs"
}

# Runtime options for sanitized executables: stop at the first report, leaks checked at exit with the
# project's suppressions (scripts/sanitizers/lsan.supp says why each is there). No detect_stack_use_after_return:
# its fake stacks do not follow SystemC's thread switches and the first SC_THREAD faults.
# Stack scanning stays on (no use_stacks=0, which would report every block held only by a stack pointer and still
# leave the crash's cause in place). Debian's SystemC reports its coroutine switches to ASan only in part, so ASan's
# record of the main stack was empty or a finished thread's unmapped stack: LeakSanitizer's tracer faulted at exit,
# real leaks in sc_main went unreported and blocks held on its stack were. Every sanitized executable links
# scripts/sanitizers/systemc_main_stack.cpp, which completes the record; scripts/sanitizers/README.md has the rest.
# A report exits with SPARK_SANITIZER_EXIT (86), a code no tool of the project uses, so that tests expecting a
# clean error exit (1 or 2) can tell a sanitizer report from it.
SPARK_SANITIZER_EXIT=86
spark_sanitizer_environment() {
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1:exitcode=$SPARK_SANITIZER_EXIT}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SPARK_ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0:exitcode=$SPARK_SANITIZER_EXIT}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=$SPARK_SANITIZER_EXIT}"
}

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
