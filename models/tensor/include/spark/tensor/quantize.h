// SPDX-License-Identifier: Apache-2.0
// Per-tensor INT8 quantisation of float32 tensors, so float data can enter the codec on the fly. The mapping is
// affine: q = clamp(round(x / scale) + zero_point, qmin, qmax), x' = (q - zero_point) * scale, with round half
// to even (as NumPy and PyTorch round) and the arithmetic in double.
//   symmetric:  int8, zero_point 0, scale = max|x| / 127, q in -127..127 (-128 is never produced).
//   asymmetric: the range [min(x, 0), max(x, 0)] spans the whole target type: uint8 0..255 or int8 -128..127,
//               scale = (hi - lo) / 255, zero_point = round(qmin - lo / scale), so 0.0 is exact.
// A tensor holding NaN or Inf is refused (spark::Error naming the source and the element). An all-zero tensor
// is accepted: it has no range to measure, so its scale is defined as 1.0 with zero_point 0 and every value
// quantises to 0; QuantResult::all_zero tells the caller to say so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "spark/tensor/tensor.h"

namespace spark::tensor {

enum class QuantScheme : std::uint8_t { symmetric, asymmetric };

std::string_view to_string(QuantScheme scheme);
// Accepts "symmetric" and "asymmetric"; throws spark::Error naming the text.
QuantScheme parse_quant_scheme(std::string_view text);

struct QuantParams {
    QuantScheme scheme = QuantScheme::symmetric;
    DType dtype = DType::int8;  // int8 or uint8
    double scale = 1.0;
    std::int32_t zero_point = 0;
};

// The smallest and largest element of a float tensor.
struct FloatRange {
    float min = 0.0f;
    float max = 0.0f;
    bool all_zero() const { return min == 0.0f && max == 0.0f; }
};

// Throws spark::Error naming `source` and the first NaN or infinite element (flat and per-axis index).
FloatRange measure_range(const Tensor& x, std::string_view source);

// Scale and zero point for one tensor. Symmetric requires dtype int8; asymmetric takes int8 or uint8.
QuantParams choose_params(const FloatRange& range, QuantScheme scheme, DType dtype);

// float32 -> int8/uint8 with given parameters; non-finite elements are refused as in measure_range.
Tensor quantize(const Tensor& x, const QuantParams& params, std::string_view source);
// int8/uint8 -> float32.
Tensor dequantize(const Tensor& q, const QuantParams& params);

struct QuantResult {
    Tensor values;
    QuantParams params;
    bool all_zero = false;
};

// measure_range, choose_params and quantize in one call.
QuantResult quantize(const Tensor& x, QuantScheme scheme, DType dtype, std::string_view source);

}  // namespace spark::tensor
