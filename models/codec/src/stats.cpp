// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace spark::codec {

double TensorStats::sqnr_db() const {
    if (signal_energy == 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (noise_energy == 0.0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal_energy / noise_energy);
}

TensorStats& TensorStats::operator+=(const TensorStats& o) {
    values += o.values;
    short_codes += o.short_codes;
    approximated += o.approximated;
    code_bits += o.code_bits;
    max_abs_error = std::max(max_abs_error, o.max_abs_error);
    signal_energy += o.signal_energy;
    noise_energy += o.noise_energy;
    return *this;
}

TensorStats measure_histogram(const std::array<std::uint64_t, 256>& histogram, Mode mode, StoredValue stored) {
    TensorStats s;
    for (unsigned v = 0; v < 256; ++v) {
        const std::uint64_t count = histogram[v];
        if (count == 0) continue;
        const auto r = static_cast<std::uint8_t>(v);
        const Code code = encode(stored ? stored(r, mode) : r, mode);
        const int x = to_int(r, mode);
        const int error = to_int(decode(code, mode), mode) - x;
        s.values += count;
        if (!code.is_long()) s.short_codes += count;
        if (error != 0) s.approximated += count;
        s.code_bits += count * code.length_bits;
        s.max_abs_error = std::max(s.max_abs_error, std::abs(error));
        s.signal_energy += double(count) * double(x) * double(x);
        s.noise_energy += double(count) * double(error) * double(error);
    }
    return s;
}

TensorStats measure(const std::uint8_t* raw, std::size_t n, Mode mode) {
    // Histogram first: the per-value work is then a table walk over 256 entries, whatever n is.
    std::array<std::uint64_t, 256> histogram{};
    for (std::size_t i = 0; i < n; ++i) ++histogram[raw[i]];
    return measure_histogram(histogram, mode);
}

TensorStats measure(const std::vector<std::uint8_t>& raw, Mode mode) { return measure(raw.data(), raw.size(), mode); }

}  // namespace spark::codec
