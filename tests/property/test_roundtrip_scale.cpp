// SPDX-License-Identifier: Apache-2.0
// The codec at scale: 10^8 pseudo-random values per mode through the optimised pack and unpack, each checked
// against the spec's rule restated here in arithmetic terms (not through codec::approximate): a value is exact
// when it is short (0..7 unsigned, -4..3 signed) or when its raw byte lies in the half of its 32-value block that
// the high bit selects (the low half below 128, the high half from 128 up); otherwise below 128 it drops to the
// last value of the block's low half, and from 128 up it rises to the first value of the block's high half.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <catch2/catch.hpp>

#include "spark/codec/stream.h"

namespace {

using spark::codec::Mode;

constexpr std::uint64_t kValuesPerMode = 100'000'000;
constexpr std::size_t kBlockValues = std::size_t{1} << 20;

bool spec_short(std::uint8_t raw, Mode mode) {
    if (mode == Mode::unsigned_u8) return raw <= 7;
    const int v = static_cast<std::int8_t>(raw);
    return v >= -4 && v <= 3;
}

std::uint8_t spec_roundtrip(std::uint8_t raw, Mode mode) {
    if (spec_short(raw, mode)) return raw;
    const unsigned block = raw / 32 * 32;  // first raw value of the 32-value block
    const unsigned offset = raw % 32;
    if (raw < 128) return static_cast<std::uint8_t>(offset < 16 ? raw : block + 15);
    return static_cast<std::uint8_t>(offset >= 16 ? raw : block + 16);
}

// xoshiro-style generator, fixed seed: the same 10^8 values on every run and machine.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
};

struct Totals {
    std::uint64_t values = 0, exact = 0, mismatched = 0, nibbles = 0, expected_nibbles = 0;
    int first_bad_raw = -1, first_bad_got = -1;
};

// Half the blocks are uniform bytes; the other half are long-tailed (mostly small magnitudes), the shape of real
// weights, so both the short-code-heavy and the long-code-heavy fast paths run at length.
Totals run(Mode mode, std::uint64_t seed) {
    SplitMix64 rng{seed};
    Totals t;
    std::vector<std::uint8_t> raw(kBlockValues), back(kBlockValues);
    spark::codec::EncodedStream stream;
    for (std::uint64_t done = 0, block = 0; done < kValuesPerMode; ++block) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockValues, kValuesPerMode - done));
        const bool tailed = block % 2 == 1;
        for (std::size_t i = 0; i < n; i += 8) {
            std::uint64_t bits = rng.next();
            for (std::size_t k = i; k < i + 8 && k < n; ++k, bits >>= 8) {
                auto b = static_cast<std::uint8_t>(bits);
                // Long tail: keep 1..8 low bits (chosen from the byte itself), sign-extended in signed mode.
                if (tailed) {
                    const unsigned keep = 1 + (b >> 5);
                    const unsigned mask = (1u << keep) - 1;
                    const unsigned m = b & mask;
                    b = static_cast<std::uint8_t>(mode == Mode::signed_i8 && (b & 0x10) ? -static_cast<int>(m) : m);
                }
                raw[k] = b;
            }
        }
        stream.bytes.clear();
        stream.nibbles = 0;
        stream.values = 0;
        spark::codec::pack(raw.data(), n, mode, stream);
        spark::codec::unpack(stream, mode, back.data(), n);
        t.nibbles += stream.nibbles;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t want = spec_roundtrip(raw[i], mode);
            t.exact += want == raw[i];
            t.expected_nibbles += spec_short(raw[i], mode) ? 1 : 2;
            if (back[i] != want) {
                if (t.mismatched == 0) t.first_bad_raw = raw[i], t.first_bad_got = back[i];
                ++t.mismatched;
            }
        }
        t.values += n;
        done += n;
    }
    return t;
}

void check(const Totals& t) {
    INFO("first mismatch: raw " << t.first_bad_raw << " decoded as " << t.first_bad_got);
    CHECK(t.values == kValuesPerMode);
    CHECK(t.mismatched == 0);
    CHECK(t.nibbles == t.expected_nibbles);
    // Half the values are uniform (128 of 256 raw bytes are exact) and half long-tailed, so a large share but not
    // all must be exact: a rule that approximated nothing, or everything, would fail here.
    CHECK(t.exact > t.values / 2);
    CHECK(t.exact < t.values);
}

}  // namespace

TEST_CASE("10^8 unsigned values survive pack and unpack as the spec's rule says", "[property][codec]") {
    check(run(Mode::unsigned_u8, 1));
}

TEST_CASE("10^8 signed values survive pack and unpack as the spec's rule says", "[property][codec]") {
    check(run(Mode::signed_i8, 2));
}

TEST_CASE("the restated rule agrees with the spec's worked examples", "[property][codec]") {
    CHECK(spec_roundtrip(16, Mode::unsigned_u8) == 15);
    CHECK(spec_roundtrip(31, Mode::unsigned_u8) == 15);
    CHECK(spec_roundtrip(128, Mode::unsigned_u8) == 144);
    CHECK(spec_roundtrip(143, Mode::unsigned_u8) == 144);
    CHECK(spec_roundtrip(210, Mode::unsigned_u8) == 210);
    int exact = 0;
    for (int v = 0; v < 256; ++v) exact += spec_roundtrip(static_cast<std::uint8_t>(v), Mode::unsigned_u8) == v;
    CHECK(exact == 128);  // 0..15 and seven more blocks of 16 (spec section 2)
    CHECK(spec_roundtrip(static_cast<std::uint8_t>(-4), Mode::signed_i8) == static_cast<std::uint8_t>(-4));
    CHECK(spec_roundtrip(static_cast<std::uint8_t>(-20), Mode::signed_i8) == static_cast<std::uint8_t>(-16));
}
