// SPDX-License-Identifier: Apache-2.0
// The value types of the vector unit: shapes, the int8/uint8 element types, affine per-tensor quantisation, the
// quantised tensor the kernels compute on and a 2-D pooling window. The workload model (platforms/workload) uses
// the same types under its own namespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spark/common/error.h"

namespace spark::vector_unit {

// Dimensions, outermost first. Feature maps are NCHW; token sequences [batch, tokens, features]; matmul operands
// [batch..., rows, cols].
using Shape = std::vector<std::int64_t>;

// What element_count throws when the product of the extents does not fit 64 bits: a spark::Error of its own type,
// so a caller can name what the shape belongs to (workload validation names the layer).
struct ShapeOverflow : Error {
    using Error::Error;
};

std::int64_t element_count(const Shape& shape);  // 1 for a scalar shape; throws ShapeOverflow
std::string to_string(const Shape& shape);       // "[1, 3, 224, 224]"

enum class DType : std::uint8_t { int8, uint8 };
std::string_view to_string(DType dtype);
DType parse_dtype(std::string_view text);  // "int8" / "uint8"; throws spark::Error

// Affine per-tensor quantisation: real = scale * (code - zero_point).
struct Quant {
    DType dtype = DType::int8;
    double scale = 1.0;
    std::int32_t zero_point = 0;

    std::int32_t min_code() const { return dtype == DType::int8 ? -128 : 0; }
    std::int32_t max_code() const { return dtype == DType::int8 ? 127 : 255; }
    friend bool operator==(const Quant& a, const Quant& b) {
        return a.dtype == b.dtype && a.scale == b.scale && a.zero_point == b.zero_point;
    }
};

// A quantised tensor, one byte per element (int8 stored as its two's-complement byte).
struct QTensor {
    Shape shape;
    Quant quant;
    std::vector<std::uint8_t> bytes;

    std::int32_t code(std::size_t i) const {
        return quant.dtype == DType::int8 ? static_cast<std::int32_t>(static_cast<std::int8_t>(bytes[i]))
                                          : static_cast<std::int32_t>(bytes[i]);
    }
    void set_code(std::size_t i, std::int32_t code) { bytes[i] = static_cast<std::uint8_t>(code & 0xFF); }
};

struct Window2d {
    std::int64_t kernel_h = 1, kernel_w = 1;
    std::int64_t stride_h = 1, stride_w = 1;
    std::int64_t pad_h = 0, pad_w = 0;  // symmetric: pad_h rows above and below
    std::int64_t dilation_h = 1, dilation_w = 1;
};

}  // namespace spark::vector_unit
