// SPDX-License-Identifier: Apache-2.0
// The SPARK variable-length code for one 8-bit value (spec section 2): the single source of truth that the
// stream packer, the statistics, the SystemC encoder/decoder and the platform all call.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace spark::codec {

// How the 8 raw bits of a value are read. `unsigned_u8` is the source's rule; `signed_i8` is the project's
// two's-complement extension: short codes for -4..3 (sign-extended on decode), long codes by the unsigned rule
// on the raw bits.
enum class Mode : std::uint8_t { unsigned_u8, signed_i8 };

std::string_view to_string(Mode mode);
// Accepts "unsigned" / "u8" / "uint8" and "signed" / "i8" / "int8"; throws spark::Error naming the text.
Mode parse_mode(std::string_view text);

// A code right-aligned in `bits`: a short code occupies the low 4 bits (c0 c1 c2 c3 = bits 3..0), a long one all
// 8 (c0 = bit 7). c0 is the indicator: 0 for a short code, 1 for a long one.
struct Code {
    std::uint8_t bits = 0;
    std::uint8_t length_bits = 4;

    constexpr bool is_long() const { return length_bits == 8; }
    // The nibble that enters the decoder first (the high nibble of a long code).
    constexpr std::uint8_t first_nibble() const {
        return is_long() ? static_cast<std::uint8_t>(bits >> 4) : bits;
    }
    constexpr std::uint8_t second_nibble() const { return static_cast<std::uint8_t>(bits & 0x0F); }
    friend constexpr bool operator==(Code a, Code b) {
        return a.bits == b.bits && a.length_bits == b.length_bits;
    }
};

namespace detail {

constexpr bool fits_short(std::uint8_t raw, Mode mode) {
    if (mode == Mode::unsigned_u8) return raw < 8;       // b0..b4 == 0
    const std::uint8_t top = static_cast<std::uint8_t>(raw >> 2);  // b0..b5
    return top == 0 || top == 0x3F;                       // all equal: -4..3
}

// Long codes keep b1..b7 and recover b0 from b3, so b0 must equal b3. Below 128 the value drops to the top of
// the exact block beneath it; from 128 up it rises to the bottom of the exact block above it.
constexpr std::uint8_t representable_long(std::uint8_t raw) {
    const bool b0 = raw & 0x80;
    const bool b3 = raw & 0x10;
    if (b0 == b3) return raw;
    return b0 ? static_cast<std::uint8_t>((raw & 0xE0) | 0x10)   // b3 := 1, b4..b7 := 0000
              : static_cast<std::uint8_t>((raw & 0xE0) | 0x0F);  // b3 := 0, b4..b7 := 1111
}

constexpr Code encode_uncached(std::uint8_t raw, Mode mode) {
    if (fits_short(raw, mode)) return Code{static_cast<std::uint8_t>(raw & 0x07), 4};
    return Code{static_cast<std::uint8_t>(representable_long(raw) | 0x80), 8};
}

constexpr std::uint8_t decode_short(std::uint8_t nibble, Mode mode) {
    const std::uint8_t v = nibble & 0x07;
    if (mode == Mode::signed_i8 && (v & 0x04)) return static_cast<std::uint8_t>(v | 0xF8);
    return v;
}

// b0 = c3, b1..b7 = c1..c7.
constexpr std::uint8_t decode_long(std::uint8_t bits) {
    return static_cast<std::uint8_t>((bits & 0x7F) | ((bits & 0x10) << 3));
}

template <Mode M>
constexpr std::array<Code, 256> make_encode_table() {
    std::array<Code, 256> table{};
    for (unsigned raw = 0; raw < 256; ++raw) table[raw] = encode_uncached(static_cast<std::uint8_t>(raw), M);
    return table;
}

inline constexpr std::array<Code, 256> kEncodeUnsigned = make_encode_table<Mode::unsigned_u8>();
inline constexpr std::array<Code, 256> kEncodeSigned = make_encode_table<Mode::signed_i8>();

}  // namespace detail

// Encodes the raw bits of one value (a uint8, or an int8 cast to its bits).
constexpr Code encode(std::uint8_t raw, Mode mode) {
    return mode == Mode::unsigned_u8 ? detail::kEncodeUnsigned[raw] : detail::kEncodeSigned[raw];
}

// Decodes a well-formed code (as produced by encode) to raw bits. Streams of untrusted nibbles go through
// NibbleDecoder (nibble.h), which checks the framing.
constexpr std::uint8_t decode(Code code, Mode mode) {
    return code.is_long() ? detail::decode_long(code.bits) : detail::decode_short(code.bits, mode);
}

// The value the hardware will see after a round trip: raw itself when it is representable.
constexpr std::uint8_t approximate(std::uint8_t raw, Mode mode) { return decode(encode(raw, mode), mode); }
constexpr bool is_short(std::uint8_t raw, Mode mode) { return !encode(raw, mode).is_long(); }
constexpr bool is_exact(std::uint8_t raw, Mode mode) { return approximate(raw, mode) == raw; }

// The integer a raw byte stands for in a mode: 0..255 or -128..127.
constexpr int to_int(std::uint8_t raw, Mode mode) {
    return mode == Mode::unsigned_u8 ? static_cast<int>(raw) : static_cast<int>(static_cast<std::int8_t>(raw));
}

}  // namespace spark::codec
