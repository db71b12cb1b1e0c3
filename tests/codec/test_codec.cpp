// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "reference_table.h"
#include "spark/codec/codec.h"
#include "spark/common/error.h"

using namespace spark::codec;

namespace {

std::string code_to_bits(Code code) {
    std::string s;
    for (int bit = code.length_bits - 1; bit >= 0; --bit) s += ((code.bits >> bit) & 1) ? '1' : '0';
    return s;
}

void check_against_table(const std::string& file, Mode mode) {
    const auto rows = spark::test::read_reference_table(std::string(SPARK_TEST_DATA_DIR) + "/" + file);
    REQUIRE(rows.size() == 256);
    for (const auto& row : rows) {
        const auto raw = static_cast<std::uint8_t>(row.value);
        const Code code = encode(raw, mode);
        INFO("value " << row.value);
        CHECK(code_to_bits(code) == row.code_bits);
        CHECK(code.length_bits == row.length);
        CHECK(to_int(decode(code, mode), mode) == row.decoded);
        CHECK(to_int(approximate(raw, mode), mode) == row.decoded);
        CHECK(is_exact(raw, mode) == (row.decoded == row.value));
        CHECK(is_short(raw, mode) == (row.length == 4));
    }
}

}  // namespace

TEST_CASE("unsigned mode matches the reference table for all 256 values", "[codec]") {
    check_against_table("spark-codec-unsigned.csv", Mode::unsigned_u8);
}

TEST_CASE("signed mode matches the reference table for all 256 values", "[codec]") {
    check_against_table("spark-codec-signed.csv", Mode::signed_i8);
}

TEST_CASE("spec worked examples", "[codec]") {
    CHECK(decode(Code{0b1101'0010, 8}, Mode::unsigned_u8) == 210);
    CHECK(decode(Code{0b0100, 4}, Mode::unsigned_u8) == 4);
    CHECK(decode(Code{0b0011, 4}, Mode::unsigned_u8) == 3);
    CHECK(approximate(16, Mode::unsigned_u8) == 15);
    CHECK(approximate(31, Mode::unsigned_u8) == 15);
    CHECK(approximate(128, Mode::unsigned_u8) == 144);
    CHECK(approximate(143, Mode::unsigned_u8) == 144);
    // The high nibble of a long code is 1 b1 b2 b0.
    for (unsigned v = 8; v < 256; ++v) {
        const auto r = approximate(static_cast<std::uint8_t>(v), Mode::unsigned_u8);
        const Code c = encode(r, Mode::unsigned_u8);
        const unsigned expected_high = 0x8u | ((r >> 4) & 0x6u) | (r >> 7);
        CHECK(c.first_nibble() == expected_high);
    }
}

TEST_CASE("exact unsigned values are exactly 0..7 and the b0 == b3 blocks, the worst error is 16", "[codec]") {
    int worst = 0;
    for (unsigned v = 0; v < 256; ++v) {
        const auto r = static_cast<std::uint8_t>(v);
        const bool b0 = v & 0x80, b3 = v & 0x10;
        CHECK(is_exact(r, Mode::unsigned_u8) == (v < 8 || b0 == b3));
        worst = std::max(worst, std::abs(int(approximate(r, Mode::unsigned_u8)) - int(v)));
    }
    CHECK(worst == 16);
}

TEST_CASE("the round trip is idempotent: an approximated value is representable", "[codec]") {
    for (Mode mode : {Mode::unsigned_u8, Mode::signed_i8})
        for (unsigned v = 0; v < 256; ++v) {
            const auto once = approximate(static_cast<std::uint8_t>(v), mode);
            CHECK(approximate(once, mode) == once);
        }
}

TEST_CASE("mode names parse and unknown ones are rejected by name", "[codec]") {
    CHECK(parse_mode("signed") == Mode::signed_i8);
    CHECK(parse_mode("int8") == Mode::signed_i8);
    CHECK(parse_mode("unsigned") == Mode::unsigned_u8);
    CHECK(parse_mode("u8") == Mode::unsigned_u8);
    CHECK(to_string(Mode::signed_i8) == "signed");
    CHECK_THROWS_WITH(parse_mode("sign-magnitude"), Catch::Contains("sign-magnitude"));
}
