// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/variants.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

std::string_view to_string(Variant variant) {
    switch (variant) {
    case Variant::truncate: return "truncate";
    case Variant::nearest: return "nearest";
    case Variant::calibrated: return "calibrated";
    }
    return "?";
}

Variant parse_variant(std::string_view text) {
    if (text == "truncate") return Variant::truncate;
    if (text == "nearest") return Variant::nearest;
    if (text == "calibrated") return Variant::calibrated;
    throw Error(fmt::format("unknown encoding variant '{}' (expected 'truncate', 'nearest' or 'calibrated')", text));
}

void apply_rounding(std::uint8_t* raw, std::size_t n, Mode mode, Rounding rounding) {
    if (rounding == Rounding::truncate) return;
    for (std::size_t i = 0; i < n; ++i) raw[i] = nearest_representable(raw[i], mode);
}

TensorStats measure(const std::uint8_t* raw, std::size_t n, Mode mode, Rounding rounding) {
    if (rounding == Rounding::truncate) return measure(raw, n, mode);
    std::uint64_t histogram[256] = {};
    for (std::size_t i = 0; i < n; ++i) ++histogram[raw[i]];

    TensorStats s;
    s.values = n;
    for (unsigned v = 0; v < 256; ++v) {
        const std::uint64_t count = histogram[v];
        if (count == 0) continue;
        const auto r = static_cast<std::uint8_t>(v);
        const std::uint8_t stored = nearest_representable(r, mode);
        const Code code = encode(stored, mode);
        const int x = to_int(r, mode);
        const int error = to_int(decode(code, mode), mode) - x;
        if (!code.is_long()) s.short_codes += count;
        if (error != 0) s.approximated += count;
        s.code_bits += count * code.length_bits;
        s.max_abs_error = std::max(s.max_abs_error, std::abs(error));
        s.signal_energy += double(count) * double(x) * double(x);
        s.noise_energy += double(count) * double(error) * double(error);
    }
    return s;
}

std::uint64_t count_int4_range(const std::uint8_t* raw, std::size_t n, Mode mode) {
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < n; ++i) count += in_int4_range(raw[i], mode) ? 1 : 0;
    return count;
}

}  // namespace spark::codec
