// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/layer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::pe_array {

std::string_view to_string(LayerKind kind) {
    switch (kind) {
        case LayerKind::gemm: return "gemm";
        case LayerKind::conv2d: return "conv2d";
        case LayerKind::batched_matmul: return "batched_matmul";
    }
    return "?";
}

LayerKind parse_layer_kind(std::string_view text) {
    if (text == "gemm") return LayerKind::gemm;
    if (text == "conv" || text == "conv2d") return LayerKind::conv2d;
    if (text == "bmm" || text == "batched_matmul") return LayerKind::batched_matmul;
    throw Error(fmt::format("unknown layer kind '{}' (expected 'gemm', 'conv' or 'bmm')", text));
}

std::uint8_t Requant::apply(std::int32_t acc, std::size_t channel) const {
    const auto pick = [channel](const auto& table) { return table.size() == 1 ? table[0] : table[channel]; };
    std::int64_t v = acc;
    if (!bias.empty()) v += bias[channel];
    std::int64_t r;
    if (kind == Scale::float_multiplier) {
        r = static_cast<std::int64_t>(std::nearbyint(static_cast<double>(v) * static_cast<double>(pick(scale))));
    } else {
        const int s = pick(shift);
        const std::int64_t prod = v * static_cast<std::int64_t>(pick(multiplier));
        r = s == 0 ? prod : (prod + (std::int64_t{1} << (s - 1))) >> s;
    }
    r += zero_point;
    std::int64_t lo = output_mode == codec::Mode::signed_i8 ? -128 : 0;
    const std::int64_t hi = output_mode == codec::Mode::signed_i8 ? 127 : 255;
    if (relu) lo = std::max<std::int64_t>(lo, zero_point);
    r = std::clamp(r, lo, hi);
    return static_cast<std::uint8_t>(static_cast<std::int32_t>(r) & 0xFF);
}

Layer Layer::gemm(std::string name, std::int64_t m, std::int64_t n, std::int64_t k) {
    Layer l;
    l.name = std::move(name);
    l.kind = LayerKind::gemm;
    l.m = m;
    l.n = n;
    l.k = k;
    return l;
}

Layer Layer::batched_matmul(std::string name, std::int64_t batch, std::int64_t m, std::int64_t n, std::int64_t k) {
    Layer l = gemm(std::move(name), m, n, k);
    l.kind = LayerKind::batched_matmul;
    l.batch = batch;
    l.activation_mode = codec::Mode::signed_i8;
    return l;
}

Layer Layer::conv2d(std::string name, std::int64_t batch, std::int64_t in_h, std::int64_t in_w, std::int64_t in_c,
                    std::int64_t out_c, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                    std::int64_t dilation, std::int64_t groups) {
    Layer l;
    l.name = std::move(name);
    l.kind = LayerKind::conv2d;
    l.batch = batch;
    l.in_h = in_h;
    l.in_w = in_w;
    l.in_c = in_c;
    l.out_c = out_c;
    l.kernel_h = l.kernel_w = kernel;
    l.stride_h = l.stride_w = stride;
    l.pad_h = l.pad_w = pad;
    l.dilation_h = l.dilation_w = dilation;
    l.groups = groups;
    return l;
}

namespace {

// Keeps every tensor and accumulator index inside 63 bits and every tensor addressable.
constexpr std::int64_t kMaxExtent = std::int64_t{1} << 24;
constexpr std::int64_t kMaxReduction = std::int64_t{1} << 16;

}  // namespace

void Layer::validate() const {
    const auto fail = [this](std::string_view field, const std::string& msg) {
        throw Error(fmt::format("layer '{}': {}: {}", name, field, msg));
    };
    const auto positive = [&](std::string_view field, std::int64_t v) {
        if (v <= 0) fail(field, fmt::format("must be positive, got {}", v));
        if (v > kMaxExtent) fail(field, fmt::format("must be at most {}, got {}", kMaxExtent, v));
    };
    if (kind == LayerKind::gemm || kind == LayerKind::batched_matmul) {
        if (kind == LayerKind::batched_matmul) positive("batch", batch);
        positive("m", m);
        positive("n", n);
        positive("k", k);
    } else {
        positive("batch", batch);
        positive("in_h", in_h);
        positive("in_w", in_w);
        positive("in_c", in_c);
        positive("out_c", out_c);
        positive("kernel_h", kernel_h);
        positive("kernel_w", kernel_w);
        positive("stride_h", stride_h);
        positive("stride_w", stride_w);
        positive("dilation_h", dilation_h);
        positive("dilation_w", dilation_w);
        positive("groups", groups);
        if (pad_h < 0) fail("pad_h", fmt::format("must be non-negative, got {}", pad_h));
        if (pad_w < 0) fail("pad_w", fmt::format("must be non-negative, got {}", pad_w));
        if (pad_h > kMaxExtent) fail("pad_h", fmt::format("must be at most {}, got {}", kMaxExtent, pad_h));
        if (pad_w > kMaxExtent) fail("pad_w", fmt::format("must be at most {}, got {}", kMaxExtent, pad_w));
        const std::int64_t eff_h = dilation_h * (kernel_h - 1) + 1;
        const std::int64_t eff_w = dilation_w * (kernel_w - 1) + 1;
        if (eff_h > in_h + 2 * pad_h)
            fail("kernel_h", fmt::format("dilated kernel height {} exceeds the padded input height {}", eff_h,
                                         in_h + 2 * pad_h));
        if (eff_w > in_w + 2 * pad_w)
            fail("kernel_w", fmt::format("dilated kernel width {} exceeds the padded input width {}", eff_w,
                                         in_w + 2 * pad_w));
        if (in_c % groups != 0)
            fail("in_c", fmt::format("{} input channels are not divisible by {} groups", in_c, groups));
        if (out_c % groups != 0)
            fail("out_c", fmt::format("{} output channels are not divisible by {} groups", out_c, groups));
    }
    // |a x w| <= 255 x 128 with a signed operand, so 65 536 terms always fit the int32 accumulator exactly;
    // with both operands unsigned |a x w| <= 255 x 255 and only 33 025 do.
    const bool both_unsigned =
        weight_mode == codec::Mode::unsigned_u8 && activation_mode == codec::Mode::unsigned_u8;
    const std::int64_t max_reduction = both_unsigned ? std::numeric_limits<std::int32_t>::max() / (255 * 255)
                                                     : kMaxReduction;
    if (gemm_k() > max_reduction)
        fail(kind == LayerKind::conv2d ? "in_c" : "k",
             fmt::format("reduction length {} exceeds {}{}, beyond what the int32 accumulators hold exactly",
                         gemm_k(), max_reduction, both_unsigned ? " (both operands unsigned)" : ""));
    // Element counts must stay addressable; the products of extents are the real limit.
    const long double total = static_cast<long double>(gemm_count()) * static_cast<long double>(gemm_m()) *
                              static_cast<long double>(gemm_n()) * static_cast<long double>(gemm_k());
    if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max() / 4))
        fail("shape", "too many MACs to count in 64 bits");
    if (static_cast<long double>(gemm_m()) * static_cast<long double>(gemm_k()) > 1e10L ||
        static_cast<long double>(gemm_m()) * static_cast<long double>(gemm_n()) * gemm_count() > 1e10L)
        fail("shape", "tensors larger than 10^10 elements are not supported");

    const std::size_t channels = static_cast<std::size_t>(output_channels());
    const auto table = [&](std::string_view field, std::size_t size, bool allow_empty) {
        if (size == 0 && allow_empty) return;
        if (size != 1 && size != channels)
            fail(field, fmt::format("needs 1 or {} entries (one per output channel), got {}", channels, size));
    };
    if (requant.kind == Requant::Scale::float_multiplier) {
        table("requant.scale", requant.scale.size(), false);
        for (float s : requant.scale)
            if (!(s > 0.0f) || !std::isfinite(s)) fail("requant.scale", fmt::format("must be positive, got {}", s));
    } else {
        table("requant.multiplier", requant.multiplier.size(), false);
        table("requant.shift", requant.shift.size(), false);
        for (int s : requant.shift)
            if (s < 0 || s > 62) fail("requant.shift", fmt::format("must be in 0..62, got {}", s));
    }
    if (!requant.bias.empty() && requant.bias.size() != channels)
        fail("requant.bias", fmt::format("needs {} entries (one per output channel), got {}", channels,
                                         requant.bias.size()));
    const int zlo = requant.output_mode == codec::Mode::signed_i8 ? -128 : 0;
    const int zhi = requant.output_mode == codec::Mode::signed_i8 ? 127 : 255;
    if (requant.zero_point < zlo || requant.zero_point > zhi)
        fail("requant.zero_point", fmt::format("must be in {}..{} for {} output, got {}", zlo, zhi,
                                               codec::to_string(requant.output_mode), requant.zero_point));
}

std::int64_t Layer::out_h() const {
    return (in_h + 2 * pad_h - dilation_h * (kernel_h - 1) - 1) / stride_h + 1;
}
std::int64_t Layer::out_w() const {
    return (in_w + 2 * pad_w - dilation_w * (kernel_w - 1) - 1) / stride_w + 1;
}
std::int64_t Layer::output_channels() const { return kind == LayerKind::conv2d ? out_c : n; }

std::size_t Layer::weight_count() const {
    switch (kind) {
        case LayerKind::gemm: return static_cast<std::size_t>(n * k);
        case LayerKind::batched_matmul: return static_cast<std::size_t>(batch * n * k);
        case LayerKind::conv2d: return static_cast<std::size_t>(out_c * kernel_h * kernel_w * (in_c / groups));
    }
    return 0;
}

std::size_t Layer::activation_count() const {
    switch (kind) {
        case LayerKind::gemm: return static_cast<std::size_t>(m * k);
        case LayerKind::batched_matmul: return static_cast<std::size_t>(batch * m * k);
        case LayerKind::conv2d: return static_cast<std::size_t>(batch * in_h * in_w * in_c);
    }
    return 0;
}

std::size_t Layer::output_count() const {
    return static_cast<std::size_t>(gemm_count() * gemm_m() * gemm_n());
}

std::int64_t Layer::gemm_count() const {
    switch (kind) {
        case LayerKind::gemm: return 1;
        case LayerKind::batched_matmul: return batch;
        case LayerKind::conv2d: return groups;
    }
    return 1;
}
std::int64_t Layer::gemm_m() const { return kind == LayerKind::conv2d ? batch * out_h() * out_w() : m; }
std::int64_t Layer::gemm_n() const { return kind == LayerKind::conv2d ? out_c / groups : n; }
std::int64_t Layer::gemm_k() const { return kind == LayerKind::conv2d ? kernel_h * kernel_w * (in_c / groups) : k; }
std::uint64_t Layer::macs() const {
    return static_cast<std::uint64_t>(gemm_count() * gemm_m() * gemm_n() * gemm_k());
}

}  // namespace spark::pe_array
