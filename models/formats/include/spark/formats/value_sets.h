// SPDX-License-Identifier: Apache-2.0
// The fixed value sets of the baseline formats (docs/formats.md): ANT's 4-bit types, OliVe's abfloat outliers and
// the AdaptivFloat code. Codes index these tables directly, so the encoder, the decoder and the tests share them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace spark::formats {

// ANT's per-tensor types. The signed ones serve tensors with a negative value, the unsigned ones the rest, as ANT's
// quantizer does (its type search runs on the grids of the tensor's signedness).
enum class AntType : std::uint8_t { int4, flint4, pot4, uint4, uflint4, upot4 };
inline constexpr std::array<AntType, 6> kAntTypes = {AntType::int4,  AntType::flint4,  AntType::pot4,
                                                     AntType::uint4, AntType::uflint4, AntType::upot4};

std::string_view to_string(AntType type);
// Throws spark::Error naming the text and the known types.
AntType parse_ant_type(std::string_view text);
bool is_signed(AntType type);

// The value of each of the 16 codes in grid units (the stored scale is the value of one unit).
//   int4    two's complement, -8..7
//   flint4  sign-magnitude, 3-bit flint magnitude: 0 1 2 3 4 6 8 16 (code 1000 is -0, unused)
//   pot4    sign-magnitude, 3-bit exponent: 0, then 2^(e-1): 1 2 4 8 16 32 64 (code 1000 unused)
//   uint4   0..15
//   uflint4 0 1 2 3 4 5 6 7 8 10 12 14 16 24 32 64
//   upot4   0, then 2^(c-1): 1 2 4 ... 16384
const std::array<double, 16>& ant_levels(AntType type);
// The largest level: the stored scale is the clipping value alpha divided by it.
double ant_grid_max(AntType type);

// OliVe's abfloat outlier magnitudes in the int4 grid's units (normal values are 4k units, |k| <= 7): index 1..7 of
// an E2M1 code with exponent base 5, 2^(5+e) * (1 + m/2); index 0 (32 units) is never used.
inline constexpr std::array<int, 8> kOliveAbfloatUnits = {0, 48, 64, 96, 128, 192, 256, 384};
// The identifier nibble of a victim (int4's unused -8).
inline constexpr std::uint8_t kOliveVictimCode = 0x8;

// An 8-bit AdaptivFloat code: bit 7 sign, then `exponent_bits` of exponent field, then the mantissa. Field 0 with
// mantissa 0 is zero (no denormals); otherwise (-1)^s * 2^(field + bias) * (1 + mantissa / 2^m).
double adafloat_value(std::uint8_t code, int exponent_bits, int bias);

}  // namespace spark::formats
