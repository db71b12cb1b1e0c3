// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/golden.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "spark/codec/codec.h"
#include "spark/common/error.h"
#include "spark/workload/reference.h"

namespace spark::platform {

using workload::Layer;
using workload::LayerKind;
using workload::QTensor;

namespace {

codec::Mode mode_of(const workload::Quant& q) {
    return q.dtype == workload::DType::int8 ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
}

void store(std::vector<std::uint8_t>& codes, const workload::Quant& q, bool spark_storage) {
    if (!spark_storage) return;
    const codec::Mode mode = mode_of(q);
    for (auto& c : codes) c = codec::approximate(c, mode);
}

// The array layers straight from the workload's definitions: NCHW tensors, plain loops, exact integer sums, and
// the requantisation rule as docs/platform.md states it. Nothing here is shared with the model (no PeArray, no
// make_requant, no weight reordering), so a fault in the model's arithmetic cannot hide in its own reference.

// The value a code stands for: the code read as int8 or uint8, less the zero point (|value| <= 383).
std::vector<std::int16_t> values_of(const std::vector<std::uint8_t>& codes, const workload::Quant& q) {
    std::vector<std::int16_t> v(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::int32_t code =
            q.dtype == workload::DType::int8 ? static_cast<std::int8_t>(codes[i]) : static_cast<std::int32_t>(codes[i]);
        v[i] = static_cast<std::int16_t>(code - q.zero_point);
    }
    return v;
}

std::int64_t largest_magnitude(const std::vector<std::int16_t>& v) {
    std::int64_t m = 0;
    for (std::int16_t x : v) m = std::max<std::int64_t>(m, x < 0 ? -std::int64_t{x} : std::int64_t{x});
    return m;
}

// Sums of `depth` products fit 32 bits unless the operands are both large and the reduction is long; then 64.
bool needs_wide_sums(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b, std::int64_t depth) {
    return largest_magnitude(a) * largest_magnitude(b) * depth > std::numeric_limits<std::int32_t>::max();
}

// out = clamp(round_half_even(sum * m) + zp_out), with m = in_scale * b_scale / out_scale held as a float and the
// product taken in double.
std::uint8_t requantise(std::int64_t sum, float multiplier, const workload::Quant& out) {
    const double r = std::nearbyint(static_cast<double>(sum) * static_cast<double>(multiplier));
    const double code = std::clamp(r + out.zero_point, static_cast<double>(out.min_code()),
                                   static_cast<double>(out.max_code()));
    return static_cast<std::uint8_t>(static_cast<std::int32_t>(code) & 0xFF);
}

float multiplier_of(const Layer& l) { return static_cast<float>(l.requant_scale()); }

template <typename Sum>
void conv2d_sums(const Layer& l, const std::vector<std::int16_t>& x, const std::vector<std::int16_t>& k,
                 std::vector<std::uint8_t>& out) {
    const workload::Shape& is = l.input_shapes[0];
    const workload::Shape& os = l.output.shape;
    const std::int64_t n = is[0], c = is[1], h = is[2], w = is[3];
    const std::int64_t oc = os[1], oh = os[2], ow = os[3];
    const std::int64_t c_per_group = c / l.groups, oc_per_group = oc / l.groups;
    const workload::Window2d& win = l.window;
    const float m = multiplier_of(l);
    std::vector<Sum> sum(static_cast<std::size_t>(oh * ow));
    for (std::int64_t b = 0; b < n; ++b) {
        for (std::int64_t o = 0; o < oc; ++o) {
            std::fill(sum.begin(), sum.end(), Sum{0});
            const std::int64_t g = o / oc_per_group;
            for (std::int64_t ci = 0; ci < c_per_group; ++ci) {
                const std::int16_t* plane = &x[static_cast<std::size_t>((b * c + g * c_per_group + ci) * h * w)];
                for (std::int64_t ky = 0; ky < win.kernel_h; ++ky) {
                    for (std::int64_t kx = 0; kx < win.kernel_w; ++kx) {
                        const Sum wv = k[static_cast<std::size_t>(
                            ((o * c_per_group + ci) * win.kernel_h + ky) * win.kernel_w + kx)];
                        if (wv == 0) continue;
                        // Output columns whose input column ix = xo * stride + offset lies inside the image;
                        // padding adds nothing.
                        const std::int64_t offset = kx * win.dilation_w - win.pad_w;
                        const std::int64_t first = offset >= 0 ? 0 : (-offset + win.stride_w - 1) / win.stride_w;
                        const std::int64_t last =
                            w - offset <= 0 ? 0 : std::min(ow, (w - offset + win.stride_w - 1) / win.stride_w);
                        for (std::int64_t y = 0; y < oh; ++y) {
                            const std::int64_t iy = y * win.stride_h - win.pad_h + ky * win.dilation_h;
                            if (iy < 0 || iy >= h) continue;
                            const std::int16_t* row = plane + iy * w;
                            Sum* s = &sum[static_cast<std::size_t>(y * ow)];
                            if (win.stride_w == 1) {
                                for (std::int64_t xo = first; xo < last; ++xo) s[xo] += wv * row[xo + offset];
                            } else {
                                for (std::int64_t xo = first; xo < last; ++xo)
                                    s[xo] += wv * row[xo * win.stride_w + offset];
                            }
                        }
                    }
                }
            }
            std::uint8_t* dst = &out[static_cast<std::size_t>((b * oc + o) * oh * ow)];
            for (std::size_t i = 0; i < sum.size(); ++i) dst[i] = requantise(sum[i], m, l.output.quant);
        }
    }
}

std::vector<std::uint8_t> conv2d(const Layer& l, const std::vector<std::uint8_t>& input,
                                 const std::vector<std::uint8_t>& weights) {
    const std::vector<std::int16_t> x = values_of(input, l.input_quants[0]);
    const std::vector<std::int16_t> k = values_of(weights, l.weight->quant);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(workload::element_count(l.output.shape)));
    const std::int64_t depth = l.input_shapes[0][1] / l.groups * l.window.kernel_h * l.window.kernel_w;
    if (needs_wide_sums(x, k, depth)) {
        conv2d_sums<std::int64_t>(l, x, k, out);
    } else {
        conv2d_sums<std::int32_t>(l, x, k, out);
    }
    return out;
}

// out[p][i][j] = requantise(sum_d a[p][i][d] * bt[p][j][d]) for `batch` products of rows x depth by depth x cols.
template <typename Sum>
void products(const Layer& l, const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& bt,
              std::int64_t batch, std::int64_t rows, std::int64_t cols, std::int64_t depth,
              std::vector<std::uint8_t>& out) {
    const float m = multiplier_of(l);
    for (std::int64_t p = 0; p < batch; ++p) {
        for (std::int64_t i = 0; i < rows; ++i) {
            const std::int16_t* ai = &a[static_cast<std::size_t>((p * rows + i) * depth)];
            for (std::int64_t j = 0; j < cols; ++j) {
                const std::int16_t* bj = &bt[static_cast<std::size_t>((p * cols + j) * depth)];
                Sum sum = 0;
                for (std::int64_t d = 0; d < depth; ++d) sum += static_cast<Sum>(ai[d]) * static_cast<Sum>(bj[d]);
                out[static_cast<std::size_t>((p * rows + i) * cols + j)] = requantise(sum, m, l.output.quant);
            }
        }
    }
}

std::vector<std::uint8_t> matrix_products(const Layer& l, const std::vector<std::int16_t>& a,
                                          const std::vector<std::int16_t>& bt, std::int64_t batch, std::int64_t rows,
                                          std::int64_t cols, std::int64_t depth) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(batch * rows * cols));
    if (needs_wide_sums(a, bt, depth)) {
        products<std::int64_t>(l, a, bt, batch, rows, cols, depth, out);
    } else {
        products<std::int32_t>(l, a, bt, batch, rows, cols, depth, out);
    }
    return out;
}

std::vector<std::uint8_t> run_array_layer(const Layer& l, const std::vector<const std::vector<std::uint8_t>*>& in,
                                          const std::vector<std::uint8_t>* weights) {
    const workload::Shape& a = l.input_shapes[0];
    if (l.kind == LayerKind::conv2d) return conv2d(l, *in[0], *weights);
    if (l.kind == LayerKind::linear) {
        // weights [out, in] are already the right operand transposed
        const std::int64_t depth = l.weight->shape[1];
        const std::int64_t rows = workload::element_count(a) / depth;
        return matrix_products(l, values_of(*in[0], l.input_quants[0]), values_of(*weights, l.weight->quant), 1,
                               rows, l.out_features, depth);
    }
    // matmul: [batch..., M, K] x [batch..., K, N], or [batch..., N, K] read transposed
    const workload::Shape& b = l.input_shapes[1];
    const std::size_t r = a.size();
    const std::int64_t rows = a[r - 2], depth = a[r - 1];
    const std::int64_t cols = l.transpose_b ? b[r - 2] : b[r - 1];
    const std::int64_t batch = workload::element_count(a) / (rows * depth);
    std::vector<std::int16_t> bt = values_of(*in[1], l.input_quants[1]);
    if (!l.transpose_b) {
        const std::vector<std::int16_t> kn = bt;
        for (std::int64_t p = 0; p < batch; ++p)
            for (std::int64_t d = 0; d < depth; ++d)
                for (std::int64_t j = 0; j < cols; ++j)
                    bt[static_cast<std::size_t>((p * cols + j) * depth + d)] =
                        kn[static_cast<std::size_t>((p * depth + d) * cols + j)];
    }
    return matrix_products(l, values_of(*in[0], l.input_quants[0]), bt, batch, rows, cols, depth);
}

}  // namespace

TensorData golden_tensors(const workload::Network& net, const TensorData& data, bool spark_storage) {
    TensorData t;
    auto stored = [&](const std::string& name, const workload::Quant& q) {
        const auto it = data.find(name);
        if (it == data.end()) throw Error(fmt::format("{}: no data for tensor '{}'", net.source, name));
        std::vector<std::uint8_t> codes = it->second;
        store(codes, q, spark_storage);
        t[name] = std::move(codes);
    };
    for (const auto& in : net.inputs) stored(in.name, in.quant);
    for (const Layer& l : net.layers) {
        if (l.weight) stored(l.weight->name, l.weight->quant);
        if (workload::is_stand_in(l.kind)) {
            stored(l.output.name, l.output.quant);
            continue;
        }
        std::vector<const std::vector<std::uint8_t>*> inputs;
        for (const auto& name : l.inputs) inputs.push_back(&t.at(name));
        std::vector<std::uint8_t> out;
        if (workload::runs_on_array(l.kind)) {
            out = run_array_layer(l, inputs, l.weight ? &t.at(l.weight->name) : nullptr);
        } else {
            std::vector<QTensor> q(l.inputs.size());
            std::vector<const QTensor*> qp;
            for (std::size_t i = 0; i < l.inputs.size(); ++i) {
                q[i].shape = l.input_shapes[i];
                q[i].quant = l.input_quants[i];
                q[i].bytes = *inputs[i];
                qp.push_back(&q[i]);
            }
            out = workload::run_reference(l, qp).bytes;
        }
        store(out, l.output.quant, spark_storage);
        t[l.output.name] = std::move(out);
    }
    return t;
}

}  // namespace spark::platform
