// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>

#include "spark/common/error.h"
#include "values.h"

using namespace spark::codec;
using namespace spark::codec::bench;

namespace {
const std::string kData = CODEC_SC_DATA_DIR;
}

TEST_CASE("a value list takes commas and whitespace and checks the mode's range", "[values]") {
    CHECK(parse_values("1,2, -3 4", Mode::signed_i8, "--values") == std::vector<std::uint8_t>{1, 2, 0xFD, 4});
    CHECK(parse_values("0,255,+7", Mode::unsigned_u8, "--values") == std::vector<std::uint8_t>{0, 255, 7});
    CHECK_THROWS_WITH(parse_values("1,200", Mode::signed_i8, "--values"),
                      "--values: value '200' is outside the signed range -128..127");
    CHECK_THROWS_WITH(parse_values("-1", Mode::unsigned_u8, "--values"),
                      "--values: value '-1' is outside the unsigned range 0..255");
    CHECK_THROWS_WITH(parse_values("1,0x10", Mode::unsigned_u8, "--values"), "--values: '0x10' is not an integer");
    CHECK_THROWS_WITH(parse_values("1,-", Mode::signed_i8, "--values"), "--values: '-' is not an integer");
    CHECK_THROWS_WITH(parse_values(" , ", Mode::signed_i8, "--values"), "--values: no values given");
}

TEST_CASE("a values file is read with comments, errors name file and line", "[values]") {
    CHECK(read_values_file(kData + "/good_values.txt", Mode::signed_i8) ==
          std::vector<std::uint8_t>{0x80, 127, 0, 3, 4, 0xFB, 100, 0x9C});
    CHECK_THROWS_WITH(read_values_file(kData + "/bad_values.txt", Mode::signed_i8),
                      kData + "/bad_values.txt:3: '6x' is not an integer");
    CHECK_THROWS_WITH(read_values_file(kData + "/out_of_range.txt", Mode::unsigned_u8),
                      kData + "/out_of_range.txt:2: value '300' is outside the unsigned range 0..255");
    CHECK_THROWS_WITH(read_values_file(kData + "/none.txt", Mode::signed_i8), Catch::Contains("cannot open"));
}

TEST_CASE("random values are reproducible, in range, and centred", "[values]") {
    for (Distribution d : {Distribution::uniform, Distribution::laplace, Distribution::gaussian}) {
        const auto a = random_values(5000, 11, d, 8.0, Mode::signed_i8);
        CHECK(a == random_values(5000, 11, d, 8.0, Mode::signed_i8));
        CHECK(a != random_values(5000, 12, d, 8.0, Mode::signed_i8));
        const auto negatives = std::count_if(a.begin(), a.end(), [](std::uint8_t v) { return v & 0x80; });
        CHECK(negatives > 2000);
        CHECK(negatives < 2600);
        const auto u = random_values(5000, 11, d, 8.0, Mode::unsigned_u8);
        CHECK(std::all_of(u.begin(), u.end(), [](std::uint8_t v) { return v < 128; }));
    }
    // Uniform with half-width 8 stays within -8..8.
    const auto w = random_values(5000, 5, Distribution::uniform, 8.0, Mode::signed_i8);
    CHECK(std::all_of(w.begin(), w.end(), [](std::uint8_t v) { return to_int(v, Mode::signed_i8) >= -8 &&
                                                                       to_int(v, Mode::signed_i8) <= 8; }));
    // A wide gaussian saturates at the range ends instead of wrapping.
    const auto g = random_values(5000, 5, Distribution::gaussian, 1000.0, Mode::signed_i8);
    CHECK(std::count(g.begin(), g.end(), std::uint8_t{0x7F}) > 100);
    CHECK_THROWS_AS(random_values(0, 1, Distribution::uniform, 1.0, Mode::signed_i8), spark::Error);
    CHECK_THROWS_AS(random_values(1, 1, Distribution::uniform, 0.0, Mode::signed_i8), spark::Error);
    CHECK(parse_distribution("laplace") == Distribution::laplace);
    CHECK_THROWS_WITH(parse_distribution("cauchy"), Catch::Contains("unknown distribution 'cauchy'"));
}
