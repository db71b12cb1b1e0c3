// SPDX-License-Identifier: Apache-2.0
// Where the codec testbench's values come from: a list on the command line, a text file, or a random draw.
// Every function returns raw bytes (int8 values as their two's-complement bits) and throws spark::Error naming
// the source, line and token at fault.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spark/codec/codec.h"

namespace spark::codec::bench {

enum class Distribution { uniform, laplace, gaussian };

Distribution parse_distribution(std::string_view text);
std::string_view to_string(Distribution d);

// Integers separated by commas and/or whitespace; each must lie in the mode's range (0..255 or -128..127).
// `source` names the origin in errors ("--values").
std::vector<std::uint8_t> parse_values(std::string_view text, Mode mode, std::string_view source);

// A text file of integers separated by commas and/or whitespace; '#' starts a comment. Errors read
// "<path>:<line>: ...".
std::vector<std::uint8_t> read_values_file(const std::string& path, Mode mode);

// n values drawn with a 64-bit Mersenne Twister seeded with `seed`, rounded to the nearest integer and saturated to
// the mode's range. `scale` is the half-width (uniform), the diversity b (laplace) or the standard deviation
// (gaussian); all three are centred on 0. Unsigned mode takes the magnitude, as a ReLU output would be.
std::vector<std::uint8_t> random_values(std::size_t n, std::uint64_t seed, Distribution distribution, double scale,
                                        Mode mode);

}  // namespace spark::codec::bench
