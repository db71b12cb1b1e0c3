// SPDX-License-Identifier: Apache-2.0
// Naive references for the PE array: plain loops straight from the definitions, deliberately separate from the
// fast code (no im2col, no blocking, no row/column counting). Used by tb-pe-array and the tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "spark/codec/codec.h"
#include "spark/pe/pe.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/layer.h"
#include "spark/pe_array/prepared.h"

namespace spark::pe_array::golden {

inline int delivered(std::uint8_t raw, codec::Mode mode, bool codec_enabled) {
    return codec::to_int(codec_enabled ? codec::approximate(raw, mode) : raw, mode);
}

// int32 accumulators in the layer's output layout.
inline std::vector<std::int32_t> accumulate(const Layer& l, const std::vector<std::uint8_t>& w,
                                            const std::vector<std::uint8_t>& a, bool codec_enabled) {
    const auto W = [&](std::size_t i) { return delivered(w[i], l.weight_mode, codec_enabled); };
    const auto A = [&](std::size_t i) { return delivered(a[i], l.activation_mode, codec_enabled); };
    std::vector<std::int32_t> out;
    if (l.kind == LayerKind::conv2d) {
        const std::int64_t oh = l.out_h(), ow = l.out_w(), cg = l.in_c / l.groups, ng = l.out_c / l.groups;
        for (std::int64_t b = 0; b < l.batch; ++b)
            for (std::int64_t oy = 0; oy < oh; ++oy)
                for (std::int64_t ox = 0; ox < ow; ++ox)
                    for (std::int64_t oc = 0; oc < l.out_c; ++oc) {
                        const std::int64_t g = oc / ng;
                        std::int64_t sum = 0;
                        for (std::int64_t ky = 0; ky < l.kernel_h; ++ky)
                            for (std::int64_t kx = 0; kx < l.kernel_w; ++kx)
                                for (std::int64_t c = 0; c < cg; ++c) {
                                    const std::int64_t iy = oy * l.stride_h - l.pad_h + ky * l.dilation_h;
                                    const std::int64_t ix = ox * l.stride_w - l.pad_w + kx * l.dilation_w;
                                    if (iy < 0 || iy >= l.in_h || ix < 0 || ix >= l.in_w) continue;
                                    const auto ai = static_cast<std::size_t>(((b * l.in_h + iy) * l.in_w + ix) * l.in_c + g * cg + c);
                                    const auto wi = static_cast<std::size_t>(((oc * l.kernel_h + ky) * l.kernel_w + kx) * cg + c);
                                    sum += static_cast<std::int64_t>(A(ai)) * W(wi);
                                }
                        out.push_back(static_cast<std::int32_t>(sum));
                    }
        return out;
    }
    const std::int64_t batches = l.kind == LayerKind::batched_matmul ? l.batch : 1;
    for (std::int64_t b = 0; b < batches; ++b)
        for (std::int64_t i = 0; i < l.m; ++i)
            for (std::int64_t j = 0; j < l.n; ++j) {
                std::int64_t sum = 0;
                for (std::int64_t k = 0; k < l.k; ++k)
                    sum += static_cast<std::int64_t>(A(static_cast<std::size_t>((b * l.m + i) * l.k + k))) *
                           W(static_cast<std::size_t>((b * l.n + j) * l.k + k));
                out.push_back(static_cast<std::int32_t>(sum));
            }
    return out;
}

inline std::vector<std::uint8_t> requantise(const Layer& l, const std::vector<std::int32_t>& acc) {
    const Requant& q = l.requant;
    const auto channels = static_cast<std::size_t>(l.output_channels());
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < acc.size(); ++i) {
        const std::size_t c = i % channels;
        double v = static_cast<double>(acc[i]) + (q.bias.empty() ? 0.0 : static_cast<double>(q.bias[c]));
        long long r;
        if (q.kind == Requant::Scale::float_multiplier) {
            r = std::llrint(v * static_cast<double>(q.scale.size() == 1 ? q.scale[0] : q.scale[c]));
        } else {
            const double mul = q.multiplier.size() == 1 ? q.multiplier[0] : q.multiplier[c];
            const int sh = q.shift.size() == 1 ? q.shift[0] : q.shift[c];
            r = static_cast<long long>(std::floor(v * mul / std::ldexp(1.0, sh) + 0.5));
        }
        r += q.zero_point;
        long long lo = q.output_mode == codec::Mode::signed_i8 ? -128 : 0;
        const long long hi = q.output_mode == codec::Mode::signed_i8 ? 127 : 255;
        if (q.relu) lo = std::max<long long>(lo, q.zero_point);
        r = std::min(std::max(r, lo), hi);
        out.push_back(static_cast<std::uint8_t>(r & 0xFF));
    }
    return out;
}

struct Timing {
    std::uint64_t cycles = 0;
    std::uint64_t busy_pe_cycles = 0;
    std::uint64_t stalled_pe_cycles = 0;
};

// Plays every step of every tile PE by PE from the raw operand bytes of the lowered layer.
inline Timing time_layer(const ArrayConfig& cfg, const pe::ProcessingElement& pe, const PreparedLayer& p) {
    Timing t;
    const std::size_t L = pe.lanes();
    const auto& modes = p.modes;
    for (const GemmInstance& g : p.instances) {
        const std::size_t groups = (g.k + L - 1) / L;
        const auto group_long = [&](const std::vector<std::uint8_t>& raw, std::size_t row, std::size_t group,
                                    codec::Mode mode) {
            bool any = false;
            for (std::size_t k = group * L; k < std::min(g.k, (group + 1) * L); ++k)
                any |= pe::is_long(raw[row * g.k + k], mode, modes.codec_enabled);
            return any;
        };
        const bool os = cfg.dataflow == Dataflow::output_stationary;
        const std::size_t outer = os ? g.m : groups;  // tiled along rows of the array
        for (std::size_t n0 = 0; n0 < g.n; n0 += cfg.cols)
            for (std::size_t r0 = 0; r0 < outer; r0 += cfg.rows) {
                const std::size_t r = std::min<std::size_t>(cfg.rows, outer - r0);
                const std::size_t c = std::min<std::size_t>(cfg.cols, g.n - n0);
                const std::size_t stream = os ? groups : g.m;
                t.cycles += r;  // drain (OS) or weight load (WS)
                for (std::size_t s = 0;; ++s) {
                    unsigned worst = 0;
                    std::vector<unsigned> own;
                    for (std::size_t i = 0; i < r; ++i)
                        for (std::size_t j = 0; j < c; ++j) {
                            if (s < i + j || s - i - j >= stream) continue;
                            const std::size_t e = s - i - j;
                            const bool wl = os ? group_long(g.w_raw, n0 + j, e, modes.weight)
                                               : group_long(g.w_raw, n0 + j, r0 + i, modes.weight);
                            const bool al = os ? group_long(g.a_raw, r0 + i, e, modes.activation)
                                               : group_long(g.a_raw, e, r0 + i, modes.activation);
                            own.push_back(pe.step_cycles(wl, al));
                            worst = std::max(worst, own.back());
                        }
                    if (own.empty()) {
                        if (s > stream + r + c) break;
                        continue;
                    }
                    t.cycles += worst;
                    for (unsigned o : own) {
                        t.busy_pe_cycles += o;
                        t.stalled_pe_cycles += worst - o;
                    }
                }
            }
    }
    return t;
}

}  // namespace spark::pe_array::golden
