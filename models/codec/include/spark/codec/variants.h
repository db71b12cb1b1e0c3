// SPDX-License-Identifier: Apache-2.0
// Encoding variants: which value a tensor element ends up as after the SPARK code, and what that costs.
//
//   truncate   the source's rule, what encode() implements and what the hardware encoder does: an
//              unrepresentable value moves to the edge of the nearest exact block in the direction the bit
//              rule dictates (below 128 down to the top of the block beneath, from 128 up to the bottom of the
//              block above; in signed mode that is toward zero for both signs). Online, in hardware.
//   nearest    an offline re-quantisation of the INT8 value to the nearest value the code represents exactly,
//              done before encoding; the encoder then finds nothing to approximate, so the hardware encoder and
//              decoder stay unchanged. Only for values that are encoded offline (weights).
//   calibrated an offline SPARK-aware calibration: the float tensor's clipping range is searched to minimise
//              the mean squared error of the coded values against the float values, then `nearest` is applied
//              at that scale. It needs the float tensor; the search lives in the quantiser
//              (spark::tensor::Calibration::spark_mse), this file provides the rounding rules it uses.
//
// Every variant is measured with the same TensorStats, against the exact INT8 values it started from.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "spark/codec/codec.h"
#include "spark/codec/stats.h"

namespace spark::codec {

enum class Variant : std::uint8_t { truncate, nearest, calibrated };

std::string_view to_string(Variant variant);
// Accepts "truncate", "nearest" and "calibrated"; throws spark::Error naming the text.
Variant parse_variant(std::string_view text);

// How an INT8 value is mapped to a representable one. `calibrated` rounds as `nearest`.
enum class Rounding : std::uint8_t { truncate, nearest };
constexpr Rounding rounding_of(Variant v) { return v == Variant::truncate ? Rounding::truncate : Rounding::nearest; }

namespace detail {

// The representable value closest to `raw` as an integer of the mode. Exact blocks are separated by gaps of 16
// (unsigned 112..143: 32) integers, so no integer lies half-way between two representable values: no tie rule
// is needed.
constexpr std::uint8_t nearest_uncached(std::uint8_t raw, Mode mode) {
    const int x = to_int(raw, mode);
    const int lowest = mode == Mode::unsigned_u8 ? 0 : -128;
    const int highest = lowest + 255;
    // Search outward from x: exact values are at most 32 apart, so this stops within a few steps, which also keeps
    // the table inside every compiler's constexpr evaluation limit (clang's stops a search over all 256 values).
    for (int d = 0; d < 256; ++d) {
        if (x - d >= lowest && is_exact(static_cast<std::uint8_t>((x - d) & 0xFF), mode))
            return static_cast<std::uint8_t>((x - d) & 0xFF);
        if (x + d <= highest && is_exact(static_cast<std::uint8_t>((x + d) & 0xFF), mode))
            return static_cast<std::uint8_t>((x + d) & 0xFF);
    }
    return raw;
}

template <Mode M>
constexpr std::array<std::uint8_t, 256> make_nearest_table() {
    std::array<std::uint8_t, 256> table{};
    for (unsigned raw = 0; raw < 256; ++raw) table[raw] = nearest_uncached(static_cast<std::uint8_t>(raw), M);
    return table;
}

inline constexpr std::array<std::uint8_t, 256> kNearestUnsigned = make_nearest_table<Mode::unsigned_u8>();
inline constexpr std::array<std::uint8_t, 256> kNearestSigned = make_nearest_table<Mode::signed_i8>();

}  // namespace detail

// The exactly representable raw value nearest to `raw` (raw itself when it is exact).
constexpr std::uint8_t nearest_representable(std::uint8_t raw, Mode mode) {
    return mode == Mode::unsigned_u8 ? detail::kNearestUnsigned[raw] : detail::kNearestSigned[raw];
}

// The value the PE array computes with when `raw` is stored under a rounding rule.
constexpr std::uint8_t coded_value(std::uint8_t raw, Mode mode, Rounding rounding) {
    return rounding == Rounding::truncate ? approximate(raw, mode) : nearest_representable(raw, mode);
}

// Re-quantises in place for the `nearest` rule (what is then stored and encoded); `truncate` leaves the values
// to the encoder.
void apply_rounding(std::uint8_t* raw, std::size_t n, Mode mode, Rounding rounding);

// TensorStats of the values as stored under `rounding`, measured against the INT8 values passed in: code
// lengths of what is encoded, `approximated` counts values the variant changes, errors in integer steps.
TensorStats measure(const std::uint8_t* raw, std::size_t n, Mode mode, Rounding rounding);

// Values in the plain INT4 range of the mode, the source's "80 %" figure: |q| <= 7 signed, q <= 15 unsigned.
// (SPARK's short code is narrower: -4..3 signed, 0..7 unsigned.)
constexpr bool in_int4_range(std::uint8_t raw, Mode mode) {
    const int x = to_int(raw, mode);
    return mode == Mode::signed_i8 ? (x >= -7 && x <= 7) : x <= 15;
}
std::uint64_t count_int4_range(const std::uint8_t* raw, std::size_t n, Mode mode);

}  // namespace spark::codec
