// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/codec/nibble.h"
#include "spark/common/error.h"

using namespace spark::codec;

TEST_CASE("to_beats marks the second half of a long code with enable", "[nibble]") {
    const Beats s = to_beats(encode(5, Mode::unsigned_u8));
    REQUIRE(s.count == 1);
    CHECK(s.beat[0] == Beat{0x5, false});
    const Beats l = to_beats(encode(210, Mode::unsigned_u8));
    REQUIRE(l.count == 2);
    CHECK(l.beat[0] == Beat{0xD, false});
    CHECK(l.beat[1] == Beat{0x2, true});
}

TEST_CASE("a short code leaves on its own nibble, a long one on its second", "[nibble]") {
    NibbleDecoder d(Mode::unsigned_u8);
    CHECK(d.step({0x4, false}) == std::optional<std::uint8_t>(4));
    CHECK_FALSE(d.step({0xD, false}).has_value());
    CHECK(d.holds_first_half());
    CHECK(d.step({0x2, true}) == std::optional<std::uint8_t>(210));
    CHECK_FALSE(d.holds_first_half());
    CHECK_NOTHROW(d.finish());
    CHECK(d.beats_seen() == 3);
}

TEST_CASE("every value survives encoder beats through the nibble decoder", "[nibble]") {
    for (Mode mode : {Mode::unsigned_u8, Mode::signed_i8}) {
        NibbleDecoder d(mode);
        for (unsigned v = 0; v < 256; ++v) {
            const auto raw = static_cast<std::uint8_t>(v);
            const Beats beats = to_beats(encode(raw, mode));
            std::optional<std::uint8_t> out;
            for (std::uint8_t i = 0; i < beats.count; ++i) {
                CHECK_FALSE(out.has_value());
                out = d.step(beats.beat[i]);
            }
            REQUIRE(out.has_value());
            CHECK(*out == approximate(raw, mode));
        }
    }
}

TEST_CASE("framing violations are reported with the input index", "[nibble]") {
    SECTION("enable where no long code started") {
        NibbleDecoder d(Mode::signed_i8);
        d.step({0x1, false});
        CHECK_THROWS_WITH(d.step({0x3, true}), Catch::Contains("input 1") && Catch::Contains("no long code"));
    }
    SECTION("a long code cut short by a new code") {
        NibbleDecoder d(Mode::unsigned_u8);
        d.step({0x9, false});
        CHECK_THROWS_WITH(d.step({0x1, false}), Catch::Contains("truncated long code"));
    }
    SECTION("input that ends inside a long code") {
        NibbleDecoder d(Mode::unsigned_u8);
        d.step({0xF, false});
        CHECK_THROWS_WITH(d.finish(), Catch::Contains("ends inside a long code"));
    }
    SECTION("a nibble wider than 4 bits") {
        NibbleDecoder d(Mode::unsigned_u8);
        CHECK_THROWS_AS(d.step({0x10, false}), spark::Error);
    }
}
