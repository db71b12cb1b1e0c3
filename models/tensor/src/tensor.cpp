// SPDX-License-Identifier: Apache-2.0
#include "spark/tensor/tensor.h"

#include <limits>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::tensor {

std::string_view to_string(DType dtype) {
    switch (dtype) {
    case DType::int8: return "int8";
    case DType::uint8: return "uint8";
    case DType::int32: return "int32";
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    }
    return "unknown";
}

std::size_t element_size_bytes(DType dtype) {
    switch (dtype) {
    case DType::int8:
    case DType::uint8: return 1;
    case DType::int32:
    case DType::float32: return 4;
    case DType::float64: return 8;
    }
    return 1;
}

std::uint64_t element_count(const Shape& shape) {
    std::uint64_t count = 1;
    for (std::uint64_t extent : shape) {
        if (extent != 0 && count > std::numeric_limits<std::uint64_t>::max() / extent)
            throw Error(fmt::format("shape {}: element count overflows 64 bits", shape_to_string(shape)));
        count *= extent;
    }
    return count;
}

std::string shape_to_string(const Shape& shape) {
    if (shape.size() == 1) return fmt::format("({},)", shape[0]);
    return fmt::format("({})", fmt::join(shape, ", "));
}

Tensor::Tensor(Shape shape, DType dtype) : m_shape(std::move(shape)), m_dtype(dtype) {
    const std::uint64_t count = element_count(m_shape);
    const std::size_t element = element_size_bytes(dtype);
    if (count > std::numeric_limits<std::size_t>::max() / element)
        throw Error(fmt::format("shape {} of {}: size in bytes overflows", shape_to_string(m_shape), to_string(dtype)));
    m_bytes.assign(static_cast<std::size_t>(count) * element, 0);
}

void Tensor::check_dtype(DType wanted) const {
    if (wanted != m_dtype)
        throw Error(fmt::format("tensor of {} viewed as {}", to_string(m_dtype), to_string(wanted)));
}

void Tensor::check_count(std::size_t count) const {
    if (count != size())
        throw Error(fmt::format("{} values given for shape {} ({} elements)", count, shape_to_string(m_shape), size()));
}

}  // namespace spark::tensor
