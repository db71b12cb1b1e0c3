// SPDX-License-Identifier: Apache-2.0
#include "spark/tensor/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

namespace spark::tensor {

namespace {

// One channel's float values, gathered out of the C-order tensor.
struct ChannelLayout {
    std::size_t outer = 1;     // product of the extents before the axis
    std::size_t channels = 1;  // extent of the axis
    std::size_t inner = 1;     // product of the extents after the axis
};

ChannelLayout layout_of(const Shape& shape, std::optional<std::size_t> axis) {
    ChannelLayout l;
    if (!axis) {
        l.inner = static_cast<std::size_t>(element_count(shape));
        return l;
    }
    for (std::size_t d = 0; d < shape.size(); ++d) {
        const auto extent = static_cast<std::size_t>(shape[d]);
        if (d < *axis) l.outer *= extent;
        else if (d == *axis) l.channels = extent;
        else l.inner *= extent;
    }
    return l;
}

std::vector<double> gather(const float* x, const ChannelLayout& l, std::size_t c) {
    std::vector<double> out;
    out.reserve(l.outer * l.inner);
    for (std::size_t o = 0; o < l.outer; ++o) {
        const float* p = x + (o * l.channels + c) * l.inner;
        for (std::size_t j = 0; j < l.inner; ++j) out.push_back(p[j]);
    }
    return out;
}

std::string channel_name(std::string_view source, std::optional<std::size_t> axis, std::size_t c) {
    return axis ? fmt::format("{}: channel {} (axis {})", source, c, *axis) : std::string(source);
}

double squared_error(const std::vector<double>& x, const QuantParams& p, codec::Mode mode, codec::Rounding r) {
    const int q_min = p.scheme == QuantScheme::symmetric ? -127 : (p.dtype == DType::int8 ? -128 : 0);
    const int q_max = p.dtype == DType::int8 ? 127 : 255;
    double error = 0.0;
    for (const double v : x) {
        const double level = std::nearbyint(v / p.scale) + p.zero_point;
        const int q = static_cast<int>(std::clamp(level, double(q_min), double(q_max)));
        const std::uint8_t coded = codec::coded_value(static_cast<std::uint8_t>(q), mode, r);
        const double back = double(codec::to_int(coded, mode) - p.zero_point) * p.scale;
        error += (v - back) * (v - back);
    }
    return error;
}

FloatRange scaled(const FloatRange& r, double f) {
    return {static_cast<float>(double{r.min} * f), static_cast<float>(double{r.max} * f)};
}

FloatRange search_spark_range(const std::vector<double>& x, const FloatRange& full, const QuantConfig& config) {
    const codec::Mode mode = config.dtype == DType::int8 ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
    double best_f = 1.0;
    double best_error = std::numeric_limits<double>::infinity();
    auto consider = [&](double f) {
        if (!(f > 0.0) || f > 1.25) return;
        const FloatRange r = scaled(full, f);
        if (r.all_zero()) return;
        const double e = squared_error(x, choose_params(r, config.scheme, config.dtype), mode, config.spark_rounding);
        if (e < best_error || (e == best_error && f < best_f)) {
            best_error = e;
            best_f = f;
        }
    };
    for (int k = 1; k <= 125; ++k) consider(k / 100.0);
    const double centre = best_f;
    for (int k = -20; k <= 20; ++k) consider(centre + k * 0.0005);
    return scaled(full, best_f);
}

}  // namespace

std::string_view to_string(Calibration calibration) {
    switch (calibration) {
    case Calibration::min_max: return "min-max";
    case Calibration::percentile: return "percentile";
    case Calibration::spark_mse: return "spark-mse";
    }
    return "?";
}

Calibration parse_calibration(std::string_view text) {
    if (text == "min-max") return Calibration::min_max;
    if (text == "percentile") return Calibration::percentile;
    if (text == "spark-mse") return Calibration::spark_mse;
    throw Error(fmt::format("unknown calibration '{}' (expected 'min-max', 'percentile' or 'spark-mse')", text));
}

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) throw Error("percentile of an empty list");
    if (!(p >= 0.0 && p <= 100.0)) throw Error(fmt::format("percentile {} is outside 0..100", p));
    // p * (n - 1) / 100 rather than p / 100 * (n - 1): exact for integer products (99.5 of 201 values -> 199).
    const double position = p * double(values.size() - 1) / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(position));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
    const double a = values[lo];
    double b = a;
    if (hi != lo) b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
    return a + (b - a) * (position - double(lo));
}

PtqResult quantize(const Tensor& x, const QuantConfig& config, std::string_view source) {
    if (x.dtype() != DType::float32)
        throw Error(fmt::format("{}: quantisation needs a float32 tensor, not {}", source, to_string(x.dtype())));
    if (config.scheme == QuantScheme::symmetric && config.dtype != DType::int8)
        throw Error(fmt::format("{}: symmetric quantisation produces int8, not {} (use asymmetric for uint8)", source,
                                to_string(config.dtype)));
    (void)int_range(config.dtype);  // names a dtype that is not int8 or uint8
    if (config.calibration == Calibration::percentile && !(config.percentile > 50.0 && config.percentile <= 100.0))
        throw Error(fmt::format("{}: percentile {} is outside 50 < p <= 100", source, config.percentile));
    measure_range(x, source);  // names the first NaN or Inf

    PtqResult result;
    result.params.scheme = config.scheme;
    result.params.dtype = config.dtype;
    if (config.axis) {
        const auto rank = static_cast<int>(x.shape().size());
        const int axis = *config.axis < 0 ? *config.axis + rank : *config.axis;
        if (axis < 0 || axis >= rank)
            throw Error(fmt::format("{}: axis {} is out of range for shape {}", source, *config.axis,
                                    shape_to_string(x.shape())));
        result.params.axis = static_cast<std::size_t>(axis);
    }
    const ChannelLayout layout = layout_of(x.shape(), result.params.axis);
    const float* in = x.data<float>();
    result.values = Tensor(x.shape(), config.dtype);
    std::uint8_t* raw = result.values.bytes();

    for (std::size_t c = 0; c < layout.channels; ++c) {
        std::vector<double> values = gather(in, layout, c);
        FloatRange full;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const auto v = static_cast<float>(values[i]);
            full.min = i == 0 ? v : std::min(full.min, v);
            full.max = i == 0 ? v : std::max(full.max, v);
        }
        FloatRange range = full;
        if (full.all_zero()) {
            result.notes.push_back(fmt::format("{}: every value is 0.0; scale set to 1.0, zero point 0",
                                               channel_name(source, result.params.axis, c)));
        } else if (config.calibration == Calibration::percentile) {
            std::vector<double> work = values;
            if (config.scheme == QuantScheme::symmetric) {
                for (double& v : work) v = std::fabs(v);
                const double clip = percentile(work, config.percentile);
                range = {static_cast<float>(-clip), static_cast<float>(clip)};
            } else {
                const double hi = percentile(work, config.percentile);
                const double lo = percentile(work, 100.0 - config.percentile);
                range = {static_cast<float>(lo), static_cast<float>(hi)};
            }
            if (range.all_zero()) {
                result.notes.push_back(fmt::format("{}: the {} percentile range is empty; min-max used instead",
                                                   channel_name(source, result.params.axis, c), config.percentile));
                range = full;
            }
        } else if (config.calibration == Calibration::spark_mse) {
            range = search_spark_range(values, full, config);
        }
        const QuantParams p = choose_params(range, config.scheme, config.dtype);
        result.params.scales.push_back(p.scale);
        result.params.zero_points.push_back(p.zero_point);

        const IntRange q = int_range(config.dtype);
        const int q_min = config.scheme == QuantScheme::symmetric ? -127 : q.min;
        for (std::size_t o = 0; o < layout.outer; ++o) {
            const std::size_t base = (o * layout.channels + c) * layout.inner;
            for (std::size_t j = 0; j < layout.inner; ++j) {
                const double level = std::nearbyint(double{in[base + j]} / p.scale) + p.zero_point;
                if (level < q_min || level > q.max) ++result.clipped;
                const int v = static_cast<int>(std::clamp(level, double(q_min), double(q.max)));
                raw[base + j] = static_cast<std::uint8_t>(v);
            }
        }
    }
    return result;
}

Tensor dequantize(const Tensor& q, const ChannelQuantParams& params) {
    if (q.dtype() != params.dtype)
        throw Error(fmt::format("cannot dequantise a {} tensor with {} parameters", to_string(q.dtype()),
                                to_string(params.dtype)));
    const ChannelLayout layout = layout_of(q.shape(), params.axis);
    if (params.channels() != layout.channels || params.zero_points.size() != layout.channels)
        throw Error(fmt::format("cannot dequantise shape {} with {} scale(s)", shape_to_string(q.shape()),
                                params.channels()));
    Tensor out(q.shape(), DType::float32);
    float* x = out.data<float>();
    const std::uint8_t* raw = q.bytes();
    for (std::size_t o = 0; o < layout.outer; ++o)
        for (std::size_t c = 0; c < layout.channels; ++c) {
            const std::size_t base = (o * layout.channels + c) * layout.inner;
            for (std::size_t j = 0; j < layout.inner; ++j) {
                const std::uint8_t r = raw[base + j];
                const int v = params.dtype == DType::int8 ? static_cast<int>(static_cast<std::int8_t>(r)) : r;
                x[base + j] = static_cast<float>(double(v - params.zero_points[c]) * params.scales[c]);
            }
        }
    return out;
}

}  // namespace spark::tensor
