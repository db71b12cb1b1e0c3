// SPDX-License-Identifier: Apache-2.0
// Encoding variants on tensors with a known histogram: every count and energy below is worked out by hand from
// the spec's table of exact values, not from the codec code.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "spark/codec/variants.h"
#include "spark/common/error.h"

using namespace spark::codec;

namespace {

// Every byte once: the histogram is flat over the 256 raw values.
std::vector<std::uint8_t> all_bytes() {
    std::vector<std::uint8_t> v;
    for (unsigned i = 0; i < 256; ++i) v.push_back(static_cast<std::uint8_t>(i));
    return v;
}

// Exact values, signed mode: -112..-97, -80..-65, -48..-33, -16..15, 32..47, 64..79, 96..111.
bool exact_signed(int x) {
    return (x >= -112 && x <= -97) || (x >= -80 && x <= -65) || (x >= -48 && x <= -33) || (x >= -16 && x <= 15) ||
           (x >= 32 && x <= 47) || (x >= 64 && x <= 79) || (x >= 96 && x <= 111);
}

}  // namespace

// Sum of k^2 for k = 1..16: the noise of one 16-value gap whose values all move to one edge.
constexpr double kOneSidedGap = 1496.0;
// Errors 1, 2, ..., 8, 8, ..., 2, 1: a 16-value gap between two exact values, each value to the nearer one.
constexpr double kTwoSidedGap = 408.0;

TEST_CASE("variants: flat histogram, signed mode", "[variants]") {
    const auto raw = all_bytes();
    const double signal = 1398144.0;  // sum of x^2 over -128..127

    const TensorStats t = measure(raw.data(), raw.size(), Mode::signed_i8, Rounding::truncate);
    CHECK(t.values == 256);
    CHECK(t.short_codes == 8);    // -4..3
    CHECK(t.approximated == 128);  // 128 exact values
    CHECK(t.code_bits == 8 * 4 + 248 * 8);
    CHECK(t.max_abs_error == 16);
    CHECK(t.signal_energy == signal);
    CHECK(t.noise_energy == 8 * kOneSidedGap);  // four gaps drop, four rise, each value to one edge

    const TensorStats n = measure(raw.data(), raw.size(), Mode::signed_i8, Rounding::nearest);
    CHECK(n.short_codes == 8);
    CHECK(n.approximated == 128);
    CHECK(n.code_bits == t.code_bits);
    CHECK(n.max_abs_error == 16);  // 127 -> 111 and -128 -> -112: no exact value beyond them
    // 112..127 and -128..-113 have one neighbour; the six other gaps have two.
    CHECK(n.noise_energy == 2 * kOneSidedGap + 6 * kTwoSidedGap);

    CHECK(count_int4_range(raw.data(), raw.size(), Mode::signed_i8) == 15);  // -7..7
}

TEST_CASE("variants: flat histogram, unsigned mode", "[variants]") {
    const auto raw = all_bytes();
    const TensorStats t = measure(raw.data(), raw.size(), Mode::unsigned_u8, Rounding::truncate);
    CHECK(t.short_codes == 8);
    CHECK(t.approximated == 128);
    CHECK(t.noise_energy == 8 * kOneSidedGap);
    const TensorStats n = measure(raw.data(), raw.size(), Mode::unsigned_u8, Rounding::nearest);
    CHECK(n.approximated == 128);
    CHECK(n.max_abs_error == 16);  // 112..143 lie between 111 and 144: 127 and 128 move 16
    CHECK(n.noise_energy == 2 * kOneSidedGap + 6 * kTwoSidedGap);
    CHECK(count_int4_range(raw.data(), raw.size(), Mode::unsigned_u8) == 16);  // 0..15
}

TEST_CASE("variants: a long-tailed histogram", "[variants]") {
    // 60 x 0, 20 x 2, 10 x -3, 5 x 9, 3 x 20, 2 x -90
    std::vector<std::uint8_t> raw;
    auto add = [&raw](int value, int count) {
        for (int i = 0; i < count; ++i) raw.push_back(static_cast<std::uint8_t>(value & 0xFF));
    };
    add(0, 60), add(2, 20), add(-3, 10), add(9, 5), add(20, 3), add(-90, 2);
    const double signal = 20 * 4 + 10 * 9 + 5 * 81 + 3 * 400 + 2 * 8100;

    // 20 lies between the exact 15 and 32, -90 between -97 and -80.
    const TensorStats t = measure(raw.data(), raw.size(), Mode::signed_i8, Rounding::truncate);
    CHECK(t.short_codes == 90);
    CHECK(t.code_bits == 90 * 4 + 10 * 8);
    CHECK(t.approximated == 5);
    CHECK(t.max_abs_error == 10);                // -90 -> -80 (toward zero)
    CHECK(t.signal_energy == signal);
    CHECK(t.noise_energy == 3 * 25 + 2 * 100);  // 20 -> 15, -90 -> -80

    const TensorStats n = measure(raw.data(), raw.size(), Mode::signed_i8, Rounding::nearest);
    CHECK(n.short_codes == 90);
    CHECK(n.approximated == 5);
    CHECK(n.max_abs_error == 7);                // -90 -> -97
    CHECK(n.noise_energy == 3 * 25 + 2 * 49);

    CHECK(count_int4_range(raw.data(), raw.size(), Mode::signed_i8) == 90);

    std::vector<std::uint8_t> stored = raw;
    apply_rounding(stored.data(), stored.size(), Mode::signed_i8, Rounding::truncate);
    CHECK(stored == raw);  // the hardware approximates; nothing is changed offline
    apply_rounding(stored.data(), stored.size(), Mode::signed_i8, Rounding::nearest);
    CHECK(to_int(stored[95], Mode::signed_i8) == 15);
    CHECK(to_int(stored[99], Mode::signed_i8) == -97);
    // What `nearest` stores is exact: the unchanged hardware encoder finds nothing to approximate.
    CHECK(measure(stored, Mode::signed_i8).approximated == 0);
}

TEST_CASE("nearest_representable: exact values stay, others move to the closest exact value", "[variants]") {
    for (const Mode mode : {Mode::signed_i8, Mode::unsigned_u8}) {
        for (unsigned r = 0; r < 256; ++r) {
            const auto raw = static_cast<std::uint8_t>(r);
            const int x = to_int(raw, mode);
            const std::uint8_t n = nearest_representable(raw, mode);
            INFO("mode " << to_string(mode) << " value " << x);
            if (mode == Mode::signed_i8) CHECK(is_exact(raw, mode) == exact_signed(x));
            CHECK(is_exact(n, mode));
            if (is_exact(raw, mode)) CHECK(n == raw);
            const int dn = std::abs(to_int(n, mode) - x);
            const int dt = std::abs(to_int(approximate(raw, mode), mode) - x);
            CHECK(dn <= dt);
            CHECK(dn <= 16);
            CHECK(is_short(n, mode) == is_short(raw, mode));  // code length unchanged
        }
    }
    CHECK(to_int(nearest_representable(static_cast<std::uint8_t>(23), Mode::signed_i8), Mode::signed_i8) == 15);
    CHECK(to_int(nearest_representable(static_cast<std::uint8_t>(24), Mode::signed_i8), Mode::signed_i8) == 32);
    CHECK(nearest_representable(127, Mode::unsigned_u8) == 111);
    CHECK(nearest_representable(128, Mode::unsigned_u8) == 144);
}

TEST_CASE("variant names", "[variants]") {
    CHECK(parse_variant("truncate") == Variant::truncate);
    CHECK(parse_variant("nearest") == Variant::nearest);
    CHECK(parse_variant("calibrated") == Variant::calibrated);
    CHECK(rounding_of(Variant::calibrated) == Rounding::nearest);
    CHECK(to_string(Variant::nearest) == "nearest");
    CHECK_THROWS_WITH(parse_variant("round"), Catch::Contains("unknown encoding variant 'round'"));
}
