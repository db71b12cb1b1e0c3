// SPDX-License-Identifier: Apache-2.0
// pack and unpack take four codes or one byte at a time and finish the tail separately; these tests compare them
// with a nibble-at-a-time model of the spec's layout for every length and starting alignment, and check that
// framing faults deep in a long stream still name the right nibble.
#include <catch2/catch.hpp>

#include <random>

#include "spark/codec/stream.h"
#include "spark/common/error.h"

using namespace spark::codec;

namespace {

// The spec's layout, written the slow way: codes back to back, high nibble first, zero pad.
EncodedStream reference_pack(const std::vector<std::uint8_t>& raw, Mode mode, EncodedStream s = {}) {
    auto put = [&s](std::uint8_t nibble) {
        if (s.nibbles % 2 == 0)
            s.bytes.push_back(static_cast<std::uint8_t>(nibble << 4));
        else
            s.bytes.back() = static_cast<std::uint8_t>(s.bytes.back() | nibble);
        ++s.nibbles;
    };
    for (std::uint8_t r : raw) {
        const Code c = encode(r, mode);
        if (c.is_long()) put(c.first_nibble());
        put(c.second_nibble());
        ++s.values;
    }
    return s;
}

std::vector<std::uint8_t> random_values(std::mt19937& rng, std::size_t n) {
    std::vector<std::uint8_t> raw(n);
    std::geometric_distribution<int> narrow(0.3);
    for (auto& r : raw) r = static_cast<std::uint8_t>(rng() % 3 ? narrow(rng) : rng());
    return raw;
}

}  // namespace

TEST_CASE("pack matches the reference layout for every length and starting alignment", "[stream]") {
    std::mt19937 rng(7);
    for (Mode mode : {Mode::unsigned_u8, Mode::signed_i8}) {
        for (std::size_t prefix : {0u, 1u, 2u, 3u, 5u}) {
            for (std::size_t n = 0; n < 40; ++n) {
                const auto head = random_values(rng, prefix);
                const auto tail = random_values(rng, n);
                EncodedStream fast = pack(head, mode);
                pack(tail.data(), tail.size(), mode, fast);
                const EncodedStream slow = reference_pack(tail, mode, reference_pack(head, mode));
                REQUIRE(fast.bytes == slow.bytes);
                REQUIRE(fast.nibbles == slow.nibbles);
                REQUIRE(fast.values == slow.values);
            }
        }
    }
}

TEST_CASE("unpack inverts pack for every length", "[stream]") {
    std::mt19937 rng(11);
    for (Mode mode : {Mode::unsigned_u8, Mode::signed_i8}) {
        for (std::size_t n = 0; n < 300; ++n) {
            const auto raw = random_values(rng, n);
            const auto back = unpack(reference_pack(raw, mode), mode);
            REQUIRE(back.size() == n);
            for (std::size_t i = 0; i < n; ++i) REQUIRE(back[i] == approximate(raw[i], mode));
        }
    }
}

TEST_CASE("appending to a stream with inconsistent sizes is refused", "[stream]") {
    EncodedStream s;
    s.nibbles = 3;
    const std::uint8_t v = 1;
    CHECK_THROWS_WITH(pack(&v, 1, Mode::unsigned_u8, s), Catch::Contains("3 nibbles held in 0 bytes"));
}

TEST_CASE("framing faults at the end of a long stream name the nibble", "[stream]") {
    // 1000 short codes (500 bytes), then one long code.
    std::vector<std::uint8_t> raw(1000, 1);
    raw.push_back(210);
    EncodedStream s = pack(raw, Mode::unsigned_u8);
    REQUIRE(s.nibbles == 1002);
    SECTION("a long code cut after its first half") {
        s.nibbles = 1001;
        s.bytes.back() = 0xD0;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("truncated long code at nibble 1000"));
    }
    SECTION("one code more than declared") {
        s.values = 1000;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8),
                          Catch::Contains("more codes than the 1000 values declared (extra code at nibble 1000)"));
    }
    SECTION("fewer codes than declared") {
        s.values = 1002;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("1002 values declared but 1002 nibbles hold only 1001"));
    }
    SECTION("many more codes than declared") {
        s.values = 10;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("extra code at nibble 10"));
    }
    SECTION("a non-zero pad nibble after an odd stream") {
        raw.push_back(3);
        s = pack(raw, Mode::unsigned_u8);
        s.bytes.back() |= 0x01;
        CHECK_THROWS_WITH(unpack(s, Mode::unsigned_u8), Catch::Contains("pad nibble after nibble 1002 is 0x1"));
    }
}
