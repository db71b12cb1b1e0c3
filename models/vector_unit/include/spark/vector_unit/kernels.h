// SPDX-License-Identifier: Apache-2.0
// The vector unit's kernels: a bit-exact int8/uint8 implementation of the layers that do not run on the PE array
// (pooling, element-wise add, relu, requantisation, reshape, transpose, concat). The accelerator's datapath runs
// them for its vector unit and the workload reference chains layer outputs with them. All arithmetic is integer;
// every scale change goes through one FixedMultiplier with round half away from zero (docs/vector_unit.md).
#pragma once

#include <cstdint>
#include <vector>

#include "spark/vector_unit/qtensor.h"

namespace spark::vector_unit {

// A positive real multiplier as mantissa * 2^-shift with mantissa in [2^30, 2^31) and shift in [0, 62]
// (multipliers below 2^-32 lose mantissa bits; at or above 2^31 are rejected).
struct FixedMultiplier {
    std::int64_t mantissa = 0;
    int shift = 0;
};
FixedMultiplier make_multiplier(double real);
// Two multipliers on a common shift (the larger one normalised), for sums such as add.
void make_multiplier_pair(double real_a, double real_b, FixedMultiplier& a, FixedMultiplier& b);
// round_half_away_from_zero(x / 2^shift), for |x| < 2^62 and any shift (0 past 62).
std::int64_t rounding_shift(std::int64_t x, int shift);
// round_half_away_from_zero(x * multiplier); |x| must be below 2^31.
std::int64_t apply(std::int64_t x, const FixedMultiplier& m);

// Throws spark::Error naming `what` when q's zero point lies outside its type's codes. Every kernel checks its
// inputs' and output's: zero points come from descriptors, and one inside the codes keeps every code - zero point
// difference within 9 bits.
void require_zero_point(const Quant& q, const char* what);

// Output code = clamp(zp_out + apply(x, m)).
std::int32_t requantize(std::int64_t x, const FixedMultiplier& m, const Quant& out);

// NCHW, padding ignored (max over in-bounds elements; a window wholly in padding is an error at validation).
QTensor max_pool(const QTensor& in, const Window2d& w, const Quant& out);
// NCHW; sum of (code - zp_in) over in-bounds elements, times in_scale / (out_scale * count) with count the
// number of in-bounds elements (padding is not counted).
QTensor avg_pool(const QTensor& in, const Window2d& w, const Quant& out);
// Rows of a pooling's output without the whole input: output rows [out_row0, out_row0 + out_rows) of the pool over
// an image `image_h` rows high, from `in` holding its input rows [in_row0, in_row0 + in.shape[2]) (every row those
// windows read; an error otherwise). The same values as the whole pool's rows; the datapath's pooling strips.
struct PoolRows {
    std::int64_t in_row0 = 0, image_h = 0, out_row0 = 0, out_rows = 0;
};
QTensor max_pool_rows(const QTensor& in, const PoolRows& rows, const Window2d& w, const Quant& out);
QTensor avg_pool_rows(const QTensor& in, const PoolRows& rows, const Window2d& w, const Quant& out);
QTensor global_avg_pool(const QTensor& in, const Quant& out);
// out = zp_out + round(sa/so*(a - zpa) + sb/so*(b - zpb)), both terms on one fixed-point shift.
QTensor add(const QTensor& a, const QTensor& b, const Quant& out);
// out = requantise(max(code, zp_in) - zp_in).
QTensor relu(const QTensor& in, const Quant& out);
// Changes the quantisation of every element (also the identity when in and out quant are equal).
QTensor requantize(const QTensor& in, const Quant& out);
QTensor reshape(const QTensor& in, const Shape& shape);
QTensor transpose(const QTensor& in, const std::vector<std::int64_t>& perm);
QTensor concat(const std::vector<const QTensor*>& inputs, std::int64_t axis, const Quant& out);

}  // namespace spark::vector_unit
