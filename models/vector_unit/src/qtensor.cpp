// SPDX-License-Identifier: Apache-2.0
#include "spark/vector_unit/qtensor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace spark::vector_unit {

std::int64_t element_count(const Shape& shape) {
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        if (__builtin_mul_overflow(n, d, &n))
            throw ShapeOverflow(fmt::format("shape {} has more elements than 64 bits count", to_string(shape)));
    return n;
}

std::string to_string(const Shape& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

std::string_view to_string(DType dtype) { return dtype == DType::int8 ? "int8" : "uint8"; }

DType parse_dtype(std::string_view text) {
    if (text == "int8") return DType::int8;
    if (text == "uint8") return DType::uint8;
    throw Error(fmt::format("unknown dtype '{}' (expected int8 or uint8)", text));
}

}  // namespace spark::vector_unit
