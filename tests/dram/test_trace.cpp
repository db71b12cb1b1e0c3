// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/common/error.h"
#include "spark/tb_memory/traffic.h"

using namespace spark::tb_memory;

TEST_CASE("trace lines parse with commas or blanks, hex or decimal, and comments", "[trace]") {
    const auto r = parse_trace("# time, cmd, addr, len\n0, R, 0x40, 64\n\n12.5 W 128 32  # a write\n", "t.trc");
    REQUIRE(r.size() == 2);
    CHECK(r[0].address == 0x40);
    CHECK_FALSE(r[0].write);
    CHECK(r[1].time_ns == 12.5);
    CHECK(r[1].write);
    CHECK(r[1].length == 32);
}

TEST_CASE("malformed trace lines name file and line", "[trace]") {
    CHECK_THROWS_WITH(parse_trace("0 R 0 64\n1 Q 0 64\n", "t.trc"), Catch::StartsWith("t.trc:2: bad command \"Q\""));
    CHECK_THROWS_WITH(parse_trace("0 R 0\n", "t.trc"), Catch::StartsWith("t.trc:1: too few fields"));
    CHECK_THROWS_WITH(parse_trace("0 R 0 64 9\n", "t.trc"), Catch::StartsWith("t.trc:1: unexpected field \"9\""));
    CHECK_THROWS_WITH(parse_trace("x R 0 64\n", "t.trc"), Catch::StartsWith("t.trc:1: bad time \"x\""));
    // stod reads these; a NaN time would pass every ordering check and an infinite one never issues.
    CHECK_THROWS_WITH(parse_trace("nan R 0 64\n", "t.trc"), Catch::StartsWith("t.trc:1: bad time \"nan\""));
    CHECK_THROWS_WITH(parse_trace("0 R 0 64\ninf R 0 64\n", "t.trc"), Catch::StartsWith("t.trc:2: bad time \"inf\""));
    CHECK_THROWS_WITH(parse_trace("1e30 R 0 64\n", "t.trc"), Catch::StartsWith("t.trc:1: bad time \"1e30\""));
    CHECK_NOTHROW(parse_trace("1e12 R 0 64\n", "t.trc"));
    CHECK_THROWS_WITH(parse_trace("0 R 0xZZ 64\n", "t.trc"), Catch::StartsWith("t.trc:1: bad address \"0xZZ\""));
    CHECK_THROWS_WITH(parse_trace("0 R 0 0\n", "t.trc"), Catch::StartsWith("t.trc:1: bad length \"0\""));
    CHECK_THROWS_WITH(parse_trace("5 R 0 64\n4 R 0 64\n", "t.trc"), Catch::StartsWith("t.trc:2: time 4 goes backwards"));
    CHECK_THROWS_WITH(read_trace("/nonexistent.trc"), Catch::Contains("/nonexistent.trc: cannot open"));
}

TEST_CASE("generated patterns stay in their region", "[trace]") {
    const auto seq = generate(Pattern::sequential_read, 10, 64, 256, 1);
    CHECK(seq[5].address == 64);
    for (const auto& r : generate(Pattern::mixed, 1000, 64, 4096, 3)) CHECK(r.address + r.length <= 4096);
    CHECK_THROWS_WITH(parse_pattern("zigzag"), Catch::Contains("unknown pattern \"zigzag\""));
}
