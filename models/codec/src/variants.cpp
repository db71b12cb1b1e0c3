// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/variants.h"

#include <algorithm>
#include <array>
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
    std::array<std::uint64_t, 256> histogram{};
    for (std::size_t i = 0; i < n; ++i) ++histogram[raw[i]];
    return measure_histogram(histogram, mode, [](std::uint8_t r, Mode m) { return nearest_representable(r, m); });
}

std::uint64_t count_int4_range(const std::uint8_t* raw, std::size_t n, Mode mode) {
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < n; ++i) count += in_int4_range(raw[i], mode) ? 1 : 0;
    return count;
}

}  // namespace spark::codec
