// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/prepared.h"

#include <array>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::pe_array {

namespace {

constexpr std::size_t kKernelAlign = 16;

struct ValueTable {
    std::array<std::int16_t, 256> value{};
    std::array<std::uint8_t, 256> is_long{};
};

ValueTable make_table(codec::Mode mode, bool codec_enabled) {
    ValueTable t;
    for (unsigned raw = 0; raw < 256; ++raw) {
        const auto r = static_cast<std::uint8_t>(raw);
        t.value[raw] = static_cast<std::int16_t>(codec::to_int(codec_enabled ? codec::approximate(r, mode) : r, mode));
        t.is_long[raw] = pe::is_long(r, mode, codec_enabled) ? 1 : 0;
    }
    return t;
}

void im2col(const Layer& l, const std::uint8_t* in, std::int64_t group, std::vector<std::uint8_t>& a) {
    const std::int64_t oh = l.out_h(), ow = l.out_w();
    const std::int64_t cg = l.in_c / l.groups;
    const std::int64_t k = l.kernel_h * l.kernel_w * cg;
    a.assign(static_cast<std::size_t>(l.batch * oh * ow * k), 0);
    std::uint8_t* row = a.data();
    for (std::int64_t b = 0; b < l.batch; ++b)
        for (std::int64_t oy = 0; oy < oh; ++oy)
            for (std::int64_t ox = 0; ox < ow; ++ox, row += k) {
                std::uint8_t* dst = row;
                for (std::int64_t ky = 0; ky < l.kernel_h; ++ky) {
                    const std::int64_t iy = oy * l.stride_h - l.pad_h + ky * l.dilation_h;
                    for (std::int64_t kx = 0; kx < l.kernel_w; ++kx, dst += cg) {
                        const std::int64_t ix = ox * l.stride_w - l.pad_w + kx * l.dilation_w;
                        if (iy < 0 || iy >= l.in_h || ix < 0 || ix >= l.in_w) continue;
                        const std::uint8_t* src = in + ((b * l.in_h + iy) * l.in_w + ix) * l.in_c + group * cg;
                        std::copy(src, src + cg, dst);
                    }
                }
            }
}

// Values, per-group long counts and per-column long counts of one operand matrix [rows][k].
void classify(const std::vector<std::uint8_t>& raw, std::size_t rows, std::size_t k, std::size_t k_padded,
              unsigned lanes, std::size_t groups, const ValueTable& table, std::vector<std::int16_t>& value,
              std::vector<std::uint8_t>& longs, std::vector<std::uint32_t>& long_per_k) {
    value.assign(rows * k_padded, 0);
    longs.assign(groups * rows, 0);
    long_per_k.assign(k, 0);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::uint8_t* src = raw.data() + r * k;
        std::int16_t* dst = value.data() + r * k_padded;
        for (std::size_t i = 0; i < k; ++i) {
            dst[i] = table.value[src[i]];
            const std::uint8_t l = table.is_long[src[i]];
            long_per_k[i] += l;
            longs[(i / lanes) * rows + r] = static_cast<std::uint8_t>(longs[(i / lanes) * rows + r] + l);
        }
    }
}

}  // namespace

std::size_t output_index(const Layer& layer, std::size_t g, std::size_t m, std::size_t n) {
    const auto N = static_cast<std::size_t>(layer.gemm_n());
    if (layer.kind == LayerKind::conv2d) return m * static_cast<std::size_t>(layer.out_c) + g * N + n;
    return (g * static_cast<std::size_t>(layer.gemm_m()) + m) * N + n;
}

PreparedLayer prepare_layer(const Layer& layer, ConstBytes weights, ConstBytes activations, unsigned lanes,
                            bool codec_enabled) {
    layer.validate();
    if (lanes == 0) throw Error("prepare_layer: lanes must be positive");
    if (weights.size != layer.weight_count())
        throw Error(fmt::format("layer '{}': weights: expected {} bytes, got {}", layer.name, layer.weight_count(),
                                weights.size));
    if (activations.size != layer.activation_count())
        throw Error(fmt::format("layer '{}': activations: expected {} bytes, got {}", layer.name,
                                layer.activation_count(), activations.size));

    PreparedLayer p;
    p.layer = layer;
    p.modes = pe::OperandModes{layer.weight_mode, layer.activation_mode, codec_enabled};
    p.lanes = lanes;
    const ValueTable wt = make_table(layer.weight_mode, codec_enabled);
    const ValueTable at = make_table(layer.activation_mode, codec_enabled);

    const auto count = static_cast<std::size_t>(layer.gemm_count());
    const auto M = static_cast<std::size_t>(layer.gemm_m());
    const auto N = static_cast<std::size_t>(layer.gemm_n());
    const auto K = static_cast<std::size_t>(layer.gemm_k());
    p.instances.resize(count);
    std::vector<std::uint32_t> a_long_k, w_long_k;
    for (std::size_t g = 0; g < count; ++g) {
        GemmInstance& inst = p.instances[g];
        inst.m = M;
        inst.n = N;
        inst.k = K;
        inst.k_padded = (K + kKernelAlign - 1) / kKernelAlign * kKernelAlign;
        inst.groups = (K + lanes - 1) / lanes;
        if (layer.kind == LayerKind::conv2d) {
            im2col(layer, activations.data, static_cast<std::int64_t>(g), inst.a_raw);
        } else {
            inst.a_raw.assign(activations.data + g * M * K, activations.data + (g + 1) * M * K);
        }
        inst.w_raw.assign(weights.data + g * N * K, weights.data + (g + 1) * N * K);
        classify(inst.a_raw, M, K, inst.k_padded, lanes, inst.groups, at, inst.a_value, inst.a_long, a_long_k);
        classify(inst.w_raw, N, K, inst.k_padded, lanes, inst.groups, wt, inst.w_value, inst.w_long, w_long_k);
        // A MAC (m, n, k) is long x long iff both operands are long: per k the classes multiply out.
        for (std::size_t i = 0; i < K; ++i) {
            const std::uint64_t la = a_long_k[i], lw = w_long_k[i];
            inst.macs.long_long += la * lw;
            inst.macs.short_short += (M - la) * (N - lw);
            inst.macs.short_long += la * (N - lw) + (M - la) * lw;
        }
    }
    return p;
}

}  // namespace spark::pe_array
