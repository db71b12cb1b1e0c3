// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spark/codec/codec.h"

namespace spark::codec {

// What the encoding does to one tensor, counted exactly.
struct TensorStats {
    std::uint64_t values = 0;
    std::uint64_t short_codes = 0;
    std::uint64_t approximated = 0;   // values whose round trip changes them
    std::uint64_t code_bits = 0;      // 4 per short code, 8 per long one
    int max_abs_error = 0;            // in integer steps of the mode
    double signal_energy = 0.0;       // sum of x^2
    double noise_energy = 0.0;        // sum of (x - decoded)^2

    double share_short() const { return values ? double(short_codes) / double(values) : 0.0; }
    double share_approximated() const { return values ? double(approximated) / double(values) : 0.0; }
    double mean_bits_per_value() const { return values ? double(code_bits) / double(values) : 0.0; }
    // Signal-to-quantisation-noise ratio of decoded vs original in dB; +infinity when the round trip is exact,
    // NaN for an empty or all-zero tensor (no signal to compare against).
    double sqnr_db() const;

    TensorStats& operator+=(const TensorStats& other);
};

TensorStats measure(const std::uint8_t* raw, std::size_t n, Mode mode);
TensorStats measure(const std::vector<std::uint8_t>& raw, Mode mode);

// The statistics of values given as a histogram over the 256 raw bytes. `stored` maps a raw value to the byte the
// encoder is handed (none: the value itself; a rounding variant otherwise); errors are against the raw value.
using StoredValue = std::uint8_t (*)(std::uint8_t raw, Mode mode);
TensorStats measure_histogram(const std::array<std::uint64_t, 256>& histogram, Mode mode,
                              StoredValue stored = nullptr);

}  // namespace spark::codec
