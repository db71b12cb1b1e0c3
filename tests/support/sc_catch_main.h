// SPDX-License-Identifier: Apache-2.0
// For SystemC tests: define CATCH_CONFIG_RUNNER before including catch.hpp, elaborate and simulate in sc_main,
// then call spark::test::run_catch(argc, argv) to check the recorded results.
#pragma once

#include <catch2/catch.hpp>

namespace spark::test {

inline int run_catch(int argc, char** argv) { return Catch::Session().run(argc, argv); }

}  // namespace spark::test
