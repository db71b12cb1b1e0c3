// SPDX-License-Identifier: Apache-2.0
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// A plain-C++ test may link a library that also holds SystemC modules (spark::controller); whether the linker
// then keeps libsystemc, whose entry point calls sc_main, depends on the build flags (the sanitizer build keeps
// it). This never-called definition satisfies it; weak, so it cannot clash with a real one.
extern "C" __attribute__((weak)) int sc_main(int, char*[]) { return 1; }
