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
