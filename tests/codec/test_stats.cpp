// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cmath>

#include "spark/codec/stats.h"

using namespace spark::codec;

TEST_CASE("statistics of a hand-counted tensor", "[stats]") {
    // 3 short (0, 5, 7), 1 long exact (40), 2 long approximated (16 -> 15, 128 -> 144).
    const std::vector<std::uint8_t> t{0, 5, 7, 40, 16, 128};
    const TensorStats s = measure(t, Mode::unsigned_u8);
    CHECK(s.values == 6);
    CHECK(s.short_codes == 3);
    CHECK(s.approximated == 2);
    CHECK(s.code_bits == 3 * 4 + 3 * 8);
    CHECK(s.mean_bits_per_value() == Approx(6.0));
    CHECK(s.share_short() == Approx(0.5));
    CHECK(s.share_approximated() == Approx(1.0 / 3.0));
    CHECK(s.max_abs_error == 16);
    const double signal = 25 + 49 + 1600 + 256 + 128.0 * 128.0;
    const double noise = 1 + 256;
    CHECK(s.sqnr_db() == Approx(10 * std::log10(signal / noise)));
}

TEST_CASE("signed statistics use signed values", "[stats]") {
    const std::vector<std::uint8_t> t{static_cast<std::uint8_t>(-4), 3, static_cast<std::uint8_t>(-20)};
    const TensorStats s = measure(t, Mode::signed_i8);
    CHECK(s.short_codes == 2);
    CHECK(s.approximated == 1);  // -20 -> -16
    CHECK(s.max_abs_error == 4);
    CHECK(s.sqnr_db() == Approx(10 * std::log10((16 + 9 + 400) / 16.0)));
}

TEST_CASE("exact and empty tensors have defined SQNR", "[stats]") {
    CHECK(std::isinf(measure(std::vector<std::uint8_t>{1, 2, 3}, Mode::unsigned_u8).sqnr_db()));
    CHECK(std::isnan(measure(std::vector<std::uint8_t>{}, Mode::unsigned_u8).sqnr_db()));
    CHECK(std::isnan(measure(std::vector<std::uint8_t>{0, 0}, Mode::unsigned_u8).sqnr_db()));
}

TEST_CASE("statistics accumulate", "[stats]") {
    TensorStats a = measure(std::vector<std::uint8_t>{1, 200}, Mode::unsigned_u8);
    a += measure(std::vector<std::uint8_t>{20}, Mode::unsigned_u8);
    CHECK(a.values == 3);
    CHECK(a.code_bits == 20);
    CHECK(a.max_abs_error == 8);  // 200 -> 208
}
