// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/golden.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "spark/codec/chunked.h"
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

void store(std::vector<std::uint8_t>& codes, const workload::Quant& q, bool spark_storage, unsigned raw_bits) {
    const codec::Mode mode = mode_of(q);
    if (spark_storage) {
        for (auto& c : codes) c = codec::approximate(c, mode);
    } else if (raw_bits < 8) {
        for (auto& c : codes) c = codec::raw_store(c, mode, raw_bits);
    }
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

std::int64_t largest_magnitude(const std::int16_t* v, std::size_t n) {
    std::int64_t m = 0;
    for (std::size_t i = 0; i < n; ++i) m = std::max<std::int64_t>(m, v[i] < 0 ? -std::int64_t{v[i]} : v[i]);
    return m;
}

// out = clamp(round_half_even(sum * m) + zp_out), with m = in_scale * b_scale / out_scale held as a float and the
// product taken in double.
std::uint8_t requantise(std::int64_t sum, float multiplier, const workload::Quant& out) {
    const double r = std::nearbyint(static_cast<double>(sum) * static_cast<double>(multiplier));
    const double code = std::clamp(r + out.zero_point, static_cast<double>(out.min_code()),
                                   static_cast<double>(out.max_code()));
    return static_cast<std::uint8_t>(static_cast<std::int32_t>(code) & 0xFF);
}

template <typename Sum>
Sum dot(const std::int16_t* a, const std::int16_t* b, std::int64_t depth) {
    Sum s = 0;
    for (std::int64_t d = 0; d < depth; ++d) s += static_cast<Sum>(a[d]) * static_cast<Sum>(b[d]);
    return s;
}

// store(i, j, sum_d a[i][d] * bt[j][d]) for every i < rows, j < cols: four rows of a against one row of bt at a
// time, so each value of bt loaded serves four sums.
template <typename Sum, typename Store>
void products(const std::int16_t* a, std::int64_t rows, const std::int16_t* bt, std::int64_t cols,
              std::int64_t depth, Store store) {
    std::int64_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const std::int16_t* a0 = a + i * depth;
        const std::int16_t* a1 = a0 + depth;
        const std::int16_t* a2 = a1 + depth;
        const std::int16_t* a3 = a2 + depth;
        for (std::int64_t j = 0; j < cols; ++j) {
            const std::int16_t* b = bt + j * depth;
            Sum s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (std::int64_t d = 0; d < depth; ++d) {
                const Sum v = b[d];
                s0 += static_cast<Sum>(a0[d]) * v;
                s1 += static_cast<Sum>(a1[d]) * v;
                s2 += static_cast<Sum>(a2[d]) * v;
                s3 += static_cast<Sum>(a3[d]) * v;
            }
            store(i, j, s0);
            store(i + 1, j, s1);
            store(i + 2, j, s2);
            store(i + 3, j, s3);
        }
    }
    for (; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j) store(i, j, dot<Sum>(a + i * depth, bt + j * depth, depth));
}

// Sums of `depth` products fit 32 bits unless the operands are both large and the reduction long; then 64.
template <typename Store>
void exact_products(const std::int16_t* a, std::int64_t rows, const std::int16_t* bt, std::int64_t cols,
                    std::int64_t depth, Store store) {
    const std::int64_t bound = largest_magnitude(a, static_cast<std::size_t>(rows * depth)) *
                               largest_magnitude(bt, static_cast<std::size_t>(cols * depth)) * depth;
    if (bound > std::numeric_limits<std::int32_t>::max()) {
        products<std::int64_t>(a, rows, bt, cols, depth, store);
    } else {
        products<std::int32_t>(a, rows, bt, cols, depth, store);
    }
}

std::vector<std::uint8_t> conv2d(const Layer& l, const std::vector<std::uint8_t>& input,
                                 const std::vector<std::uint8_t>& weights) {
    const workload::Shape& is = l.input_shapes[0];
    const workload::Shape& os = l.output.shape;
    const std::int64_t n = is[0], c = is[1], h = is[2], w = is[3];
    const std::int64_t oc = os[1], oh = os[2], ow = os[3];
    const std::int64_t c_per_group = c / l.groups, oc_per_group = oc / l.groups;
    const workload::Window2d& win = l.window;
    const std::int64_t pixels = oh * ow, depth = c_per_group * win.kernel_h * win.kernel_w;
    const std::vector<std::int16_t> x = values_of(input, l.input_quants[0]);
    // [OC][C/groups][KH][KW]: each output channel's weights are already one row of the reduction.
    const std::vector<std::int16_t> k = values_of(weights, l.weight->quant);
    const auto m = static_cast<float>(l.requant_scale());
    std::vector<std::uint8_t> out(static_cast<std::size_t>(n * oc * pixels));
    // One output pixel's receptive field per row, in the weights' (channel, ky, kx) order; padding is zero.
    std::vector<std::int16_t> patches(static_cast<std::size_t>(pixels * depth));
    for (std::int64_t b = 0; b < n; ++b) {
        for (std::int64_t g = 0; g < l.groups; ++g) {
            std::int16_t* p = patches.data();
            for (std::int64_t y = 0; y < oh; ++y)
                for (std::int64_t xo = 0; xo < ow; ++xo)
                    for (std::int64_t ci = 0; ci < c_per_group; ++ci) {
                        const std::int16_t* plane = &x[static_cast<std::size_t>((b * c + g * c_per_group + ci) * h * w)];
                        for (std::int64_t ky = 0; ky < win.kernel_h; ++ky) {
                            const std::int64_t iy = y * win.stride_h - win.pad_h + ky * win.dilation_h;
                            for (std::int64_t kx = 0; kx < win.kernel_w; ++kx) {
                                const std::int64_t ix = xo * win.stride_w - win.pad_w + kx * win.dilation_w;
                                *p++ = iy >= 0 && iy < h && ix >= 0 && ix < w ? plane[iy * w + ix] : std::int16_t{0};
                            }
                        }
                    }
            const std::int16_t* group_weights = &k[static_cast<std::size_t>(g * oc_per_group * depth)];
            std::uint8_t* dst = &out[static_cast<std::size_t>((b * oc + g * oc_per_group) * pixels)];
            exact_products(patches.data(), pixels, group_weights, oc_per_group, depth,
                           [&](std::int64_t pixel, std::int64_t o, std::int64_t sum) {
                               dst[o * pixels + pixel] = requantise(sum, m, l.output.quant);
                           });
        }
    }
    return out;
}

// [batch][rows][depth] x [batch][cols][depth] (the right operand transposed) -> [batch][rows][cols].
std::vector<std::uint8_t> matrix_products(const Layer& l, const std::vector<std::int16_t>& a,
                                          const std::vector<std::int16_t>& bt, std::int64_t batch, std::int64_t rows,
                                          std::int64_t cols, std::int64_t depth) {
    const auto m = static_cast<float>(l.requant_scale());
    std::vector<std::uint8_t> out(static_cast<std::size_t>(batch * rows * cols));
    for (std::int64_t p = 0; p < batch; ++p) {
        std::uint8_t* dst = &out[static_cast<std::size_t>(p * rows * cols)];
        exact_products(&a[static_cast<std::size_t>(p * rows * depth)], rows,
                       &bt[static_cast<std::size_t>(p * cols * depth)], cols, depth,
                       [&](std::int64_t i, std::int64_t j, std::int64_t sum) {
                           dst[i * cols + j] = requantise(sum, m, l.output.quant);
                       });
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

TensorData golden_tensors(const workload::Network& net, const TensorData& data, bool spark_storage,
                          const StoragePlan& plan) {
    TensorData t;
    auto stored = [&](const std::string& name, const workload::Quant& q) {
        const auto it = data.find(name);
        if (it == data.end()) throw Error(fmt::format("{}: no data for tensor '{}'", net.source, name));
        std::vector<std::uint8_t> codes = it->second;
        store(codes, q, spark_storage, plan.bits(name));
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
        store(out, l.output.quant, spark_storage, plan.bits(l.output.name));
        t[l.output.name] = std::move(out);
    }
    return t;
}

}  // namespace spark::platform
