// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <random>

#include "spark/codec/stream.h"
#include "spark/common/error.h"

using namespace spark::codec;

TEST_CASE("packing follows the spec's byte layout", "[stream]") {
    // Two short codes share a byte, the first in its high half.
    EncodedStream s = pack(std::vector<std::uint8_t>{4, 3}, Mode::unsigned_u8);
    CHECK(s.bytes == std::vector<std::uint8_t>{0x43});
    CHECK(s.nibbles == 2);
    CHECK(s.values == 2);
    // A long code straddling a byte boundary, high nibble first, then a zero pad nibble.
    s = pack(std::vector<std::uint8_t>{1, 210}, Mode::unsigned_u8);
    CHECK(s.bytes == std::vector<std::uint8_t>{0x1D, 0x20});
    CHECK(s.nibbles == 3);
    CHECK(s.size_bits() == 12);
}

TEST_CASE("random long streams round trip to the approximated values", "[stream]") {
    std::mt19937 rng(12345);
    for (Mode mode : {Mode::unsigned_u8, Mode::signed_i8}) {
        for (std::size_t n : {0u, 1u, 2u, 3u, 1000u, 100001u}) {
            std::vector<std::uint8_t> raw(n);
            // Mix a narrow distribution (mostly short codes) with a uniform one.
            std::geometric_distribution<int> narrow(0.3);
            for (auto& r : raw) r = static_cast<std::uint8_t>(rng() % 4 ? narrow(rng) : rng());
            const EncodedStream s = pack(raw, mode);
            CHECK(s.nibbles == encoded_nibbles(raw.data(), raw.size(), mode));
            const auto back = unpack(s, mode);
            REQUIRE(back.size() == n);
            for (std::size_t i = 0; i < n; ++i) REQUIRE(back[i] == approximate(raw[i], mode));
        }
    }
}

TEST_CASE("pack appends to an existing stream", "[stream]") {
    EncodedStream s;
    const std::uint8_t a[] = {200, 1};
    const std::uint8_t b[] = {2, 150};
    pack(a, 2, Mode::unsigned_u8, s);
    pack(b, 2, Mode::unsigned_u8, s);
    CHECK(unpack(s, Mode::unsigned_u8) ==
          std::vector<std::uint8_t>{approximate(200, Mode::unsigned_u8), 1, 2, approximate(150, Mode::unsigned_u8)});
}

TEST_CASE("malformed streams get errors that name the problem", "[stream]") {
    EncodedStream s = pack(std::vector<std::uint8_t>{1, 210}, Mode::unsigned_u8);
    SECTION("a truncated long code") {
        s.nibbles = 2;
        s.bytes.resize(1);
        s.values = 2;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("truncated long code at nibble 1"));
    }
    SECTION("fewer codes than declared") {
        s.values = 3;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("3 values declared"));
    }
    SECTION("more codes than declared") {
        s.values = 1;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("more codes than"));
    }
    SECTION("nibble count inconsistent with the bytes") {
        s.nibbles = 7;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("7 nibbles need 4 bytes"));
    }
    SECTION("a non-zero pad nibble") {
        s.bytes.back() |= 0x05;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("pad nibble"));
    }
    SECTION("a huge declared count is rejected before allocation") {
        s.values = ~std::uint64_t{0};
        CHECK_THROWS_AS(unpack(s, Mode::unsigned_u8), spark::Error);
    }
}
