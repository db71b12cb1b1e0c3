// SPDX-License-Identifier: Apache-2.0
// The value sets of the baseline formats, pinned (docs/formats.md states the same tables).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "spark/common/error.h"
#include "spark/formats/value_sets.h"

using namespace spark::formats;

namespace {

std::vector<double> by_code(AntType t) {
    const auto& l = ant_levels(t);
    return std::vector<double>(l.begin(), l.end());
}

std::vector<double> distinct_sorted(AntType t) {
    const auto& l = ant_levels(t);
    const std::set<double> s(l.begin(), l.end());
    return std::vector<double>(s.begin(), s.end());
}

}  // namespace

TEST_CASE("ANT's int4 and uint4 are plain integers", "[formats][ant]") {
    CHECK(by_code(AntType::int4) ==
          std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1});
    CHECK(by_code(AntType::uint4) == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    CHECK(ant_grid_max(AntType::int4) == 7);  // the scale maps alpha to 7; -8 lies beyond it
    CHECK(ant_grid_max(AntType::uint4) == 15);
}

TEST_CASE("ANT's flint4: sign and a 3-bit flint magnitude", "[formats][ant]") {
    // The magnitudes of ANT's quantizer for a signed 4-bit flint (times 4): 0.25 .. 4 in its units.
    CHECK(by_code(AntType::flint4) ==
          std::vector<double>{0, 1, 2, 3, 4, 6, 8, 16, 0, -1, -2, -3, -4, -6, -8, -16});
    CHECK(distinct_sorted(AntType::flint4) ==
          std::vector<double>{-16, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 16});
    CHECK(ant_grid_max(AntType::flint4) == 16);
    // Unsigned flint4: integers up to 8, then fewer mantissa bits as the exponent grows.
    CHECK(by_code(AntType::uflint4) ==
          std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64});
    // The codes are monotone in the magnitude (the first-one reading).
    const auto flint = by_code(AntType::flint4);
    for (std::size_t c = 1; c < 8; ++c) CHECK(flint[c] > flint[c - 1]);
}

TEST_CASE("ANT's power-of-two types", "[formats][ant]") {
    CHECK(by_code(AntType::pot4) ==
          std::vector<double>{0, 1, 2, 4, 8, 16, 32, 64, 0, -1, -2, -4, -8, -16, -32, -64});
    CHECK(ant_grid_max(AntType::pot4) == 64);
    std::vector<double> upot{0};
    for (int e = 0; e < 15; ++e) upot.push_back(std::ldexp(1.0, e));
    CHECK(by_code(AntType::upot4) == upot);
    CHECK(ant_grid_max(AntType::upot4) == 16384);
}

TEST_CASE("ANT type names", "[formats][ant]") {
    for (const AntType t : kAntTypes) CHECK(parse_ant_type(to_string(t)) == t);
    CHECK(is_signed(AntType::flint4));
    CHECK_FALSE(is_signed(AntType::uflint4));
    CHECK_THROWS_WITH(parse_ant_type("fp4"), Catch::Contains("'fp4'") && Catch::Contains("flint4"));
}

TEST_CASE("OliVe's abfloat outliers: E2M1 with exponent base 5", "[formats][olive]") {
    for (int idx = 1; idx < 8; ++idx) {
        const int e = idx >> 1, m = idx & 1;
        CHECK(kOliveAbfloatUnits[std::size_t(idx)] == (1 << (5 + e)) * (2 + m) / 2);
    }
    CHECK(kOliveAbfloatUnits[1] == 48);
    CHECK(kOliveAbfloatUnits[7] == 384);
    CHECK(kOliveVictimCode == 0x8);
}

TEST_CASE("AdaptivFloat codes", "[formats][adafloat]") {
    // 1/4/3: exponent field 0..15 above the bias, 3 mantissa bits.
    const int bias = -10;
    CHECK(adafloat_value(0x00, 4, bias) == 0.0);
    CHECK(adafloat_value(0x01, 4, bias) == std::ldexp(1.125, bias));  // the smallest magnitude: no denormals
    CHECK(adafloat_value(0x08, 4, bias) == std::ldexp(1.0, bias + 1));
    CHECK(adafloat_value(0x7F, 4, bias) == std::ldexp(1.875, bias + 15));
    CHECK(adafloat_value(0xFF, 4, bias) == -std::ldexp(1.875, bias + 15));
    CHECK(adafloat_value(0x80, 4, bias) == 0.0);  // -0 is zero too
    // 1/3/4: exponent field 0..7, 4 mantissa bits.
    CHECK(adafloat_value(0x01, 3, 0) == 1.0625);
    CHECK(adafloat_value(0x7F, 3, 0) == std::ldexp(1.9375, 7));
    CHECK(adafloat_value(0x95, 3, 2) == -std::ldexp(1.3125, 3));  // 1 001 0101
    // Every non-zero code of a binade is distinct and positive codes increase with the code.
    for (int c = 2; c < 128; ++c)
        CHECK(adafloat_value(std::uint8_t(c), 4, 0) > adafloat_value(std::uint8_t(c - 1), 4, 0));
}
