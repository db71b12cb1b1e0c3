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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spark/codec/variants.h"
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

// Post-training quantisation with a choice of granularity and calibration.
//   min_max     the range is the channel's smallest and largest value (the per-tensor rule above).
//   percentile  symmetric: the clip is the given percentile of |x|; asymmetric: the range is the (100 - p)-th to
//               the p-th percentile of x. Percentiles interpolate linearly between order statistics, as
//               numpy.percentile does by default. Values beyond the range are clamped (counted in `clipped`).
//               A channel whose percentile range is empty although it holds non-zero values falls back to
//               min_max (a note says so).
//   spark_mse   SPARK-aware: the min-max range is scaled by a factor f in (0, 1.25], searched to minimise the
//               squared error against the float values of the values after the SPARK code under `spark_rounding`
//               (f = 0.01, 0.02, ... 1.25, then steps of 0.0005 within 0.01 of the best; the smallest f wins a
//               tie). f > 1 widens the range: symmetric min-max puts the largest value on 127, which the code
//               cannot represent (111 is the largest exact positive value), so widening can win. The code's mode follows the dtype: int8 -> signed, uint8 -> unsigned. The quantised
//               values are the exact INT8 values at the chosen scale; the rounding is applied by the caller
//               (spark::codec::apply_rounding), as it is for the other calibrations.
enum class Calibration : std::uint8_t { min_max, percentile, spark_mse };

std::string_view to_string(Calibration calibration);
// Accepts "min-max", "percentile" and "spark-mse"; throws spark::Error naming the text.
Calibration parse_calibration(std::string_view text);

struct QuantConfig {
    QuantScheme scheme = QuantScheme::symmetric;
    DType dtype = DType::int8;
    // Per-channel along this axis (negative counts from the end); none: one scale for the whole tensor.
    std::optional<int> axis;
    Calibration calibration = Calibration::min_max;
    double percentile = 99.99;  // percentile calibration, 50 < p <= 100
    codec::Rounding spark_rounding = codec::Rounding::nearest;  // spark_mse objective
};

// Quantisation parameters of a whole tensor: one scale and zero point per channel (one in all per tensor).
struct ChannelQuantParams {
    QuantScheme scheme = QuantScheme::symmetric;
    DType dtype = DType::int8;
    std::optional<std::size_t> axis;  // resolved, non-negative; none per tensor
    std::vector<double> scales;
    std::vector<std::int32_t> zero_points;

    std::size_t channels() const { return scales.size(); }
    QuantParams channel(std::size_t c) const { return {scheme, dtype, scales.at(c), zero_points.at(c)}; }
};

struct PtqResult {
    Tensor values;
    ChannelQuantParams params;
    std::uint64_t clipped = 0;       // values clamped because they lie beyond the calibrated range
    std::vector<std::string> notes;  // all-zero channels, percentile fall-backs; each names the tensor
};

// Throws spark::Error naming `source` for NaN/Inf (as measure_range), a bad axis, a percentile out of range,
// a symmetric uint8 target, or a tensor that is not float32.
PtqResult quantize(const Tensor& x, const QuantConfig& config, std::string_view source);
// int8/uint8 -> float32 with per-channel parameters.
Tensor dequantize(const Tensor& q, const ChannelQuantParams& params);

// The p-th percentile (0 <= p <= 100) of `values` with linear interpolation (numpy's default); reorders
// `values`. Throws spark::Error for an empty list.
double percentile(std::vector<double>& values, double p);

}  // namespace spark::tensor
