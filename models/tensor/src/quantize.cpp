// SPDX-License-Identifier: Apache-2.0
#include "spark/tensor/quantize.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::tensor {

namespace {

struct IntRange {
    int min;
    int max;
};

IntRange int_range(DType dtype) {
    if (dtype == DType::int8) return {-128, 127};
    if (dtype == DType::uint8) return {0, 255};
    throw Error(fmt::format("quantisation target must be int8 or uint8, not {}", to_string(dtype)));
}

std::string unravel(const Shape& shape, std::uint64_t flat) {
    std::vector<std::uint64_t> index(shape.size());
    for (std::size_t axis = shape.size(); axis-- > 0;) {
        index[axis] = flat % shape[axis];
        flat /= shape[axis];
    }
    return fmt::format("[{}]", fmt::join(index, ", "));
}

[[noreturn]] void non_finite(const Tensor& x, std::size_t i, float value, std::string_view source) {
    throw Error(fmt::format("{}: element {} (index {}) is {}; quantisation needs finite values", source, i,
                            unravel(x.shape(), i), std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf")));
}

}  // namespace

std::string_view to_string(QuantScheme scheme) {
    return scheme == QuantScheme::symmetric ? "symmetric" : "asymmetric";
}

QuantScheme parse_quant_scheme(std::string_view text) {
    if (text == "symmetric") return QuantScheme::symmetric;
    if (text == "asymmetric") return QuantScheme::asymmetric;
    throw Error(fmt::format("unknown quantisation scheme '{}' (expected 'symmetric' or 'asymmetric')", text));
}

FloatRange measure_range(const Tensor& x, std::string_view source) {
    const float* p = x.data<float>();
    const std::size_t n = x.size();
    FloatRange range;
    for (std::size_t i = 0; i < n; ++i) {
        const float v = p[i];
        if (!std::isfinite(v)) non_finite(x, i, v, source);
        range.min = i == 0 ? v : std::min(range.min, v);
        range.max = i == 0 ? v : std::max(range.max, v);
    }
    return range;
}

QuantParams choose_params(const FloatRange& range, QuantScheme scheme, DType dtype) {
    const IntRange q = int_range(dtype);
    QuantParams params;
    params.scheme = scheme;
    params.dtype = dtype;
    if (scheme == QuantScheme::symmetric && dtype != DType::int8)
        throw Error(fmt::format("symmetric quantisation produces int8, not {} (use asymmetric for uint8)",
                                to_string(dtype)));
    if (range.all_zero()) return params;  // scale 1.0, zero point 0: see the header
    if (scheme == QuantScheme::symmetric) {
        const double max_abs = std::max(std::fabs(double{range.min}), std::fabs(double{range.max}));
        params.scale = max_abs / 127.0;
        return params;
    }
    const double lo = std::min(double{range.min}, 0.0);
    const double hi = std::max(double{range.max}, 0.0);
    params.scale = (hi - lo) / double(q.max - q.min);
    const double zero_point = std::nearbyint(double(q.min) - lo / params.scale);
    params.zero_point = static_cast<std::int32_t>(std::clamp(zero_point, double(q.min), double(q.max)));
    return params;
}

Tensor quantize(const Tensor& x, const QuantParams& params, std::string_view source) {
    const IntRange q = int_range(params.dtype);
    if (!(params.scale > 0.0) || !std::isfinite(params.scale))
        throw Error(fmt::format("{}: quantisation scale {} is not a positive finite number", source, params.scale));
    const int q_min = params.scheme == QuantScheme::symmetric ? -127 : q.min;
    const float* in = x.data<float>();
    Tensor out(x.shape(), params.dtype);
    std::uint8_t* raw = out.bytes();
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(in[i])) non_finite(x, i, in[i], source);
        const double level = std::nearbyint(double{in[i]} / params.scale) + params.zero_point;
        const int v = static_cast<int>(std::clamp(level, double(q_min), double(q.max)));
        raw[i] = static_cast<std::uint8_t>(v);  // int8 keeps its two's-complement bits
    }
    return out;
}

Tensor dequantize(const Tensor& q, const QuantParams& params) {
    if (q.dtype() != params.dtype)
        throw Error(fmt::format("cannot dequantise a {} tensor with {} parameters", to_string(q.dtype()),
                                to_string(params.dtype)));
    Tensor out(q.shape(), DType::float32);
    float* x = out.data<float>();
    const std::uint8_t* raw = q.bytes();
    for (std::size_t i = 0; i < q.size(); ++i) {
        const int v = params.dtype == DType::int8 ? static_cast<int>(static_cast<std::int8_t>(raw[i])) : raw[i];
        x[i] = static_cast<float>(double(v - params.zero_point) * params.scale);
    }
    return out;
}

QuantResult quantize(const Tensor& x, QuantScheme scheme, DType dtype, std::string_view source) {
    const FloatRange range = measure_range(x, source);
    QuantResult result;
    result.params = choose_params(range, scheme, dtype);
    result.values = quantize(x, result.params, source);
    result.all_zero = range.all_zero();
    return result;
}

}  // namespace spark::tensor
