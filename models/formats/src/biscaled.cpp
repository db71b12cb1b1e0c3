// SPDX-License-Identifier: Apache-2.0
// biscaled: 6-bit BiScaled fixed point. Every value is a 6-bit two's complement code (-31..31) on one of two
// per-tensor scales: the fine one for the bulk, the wide one (max|x| / 31) for the long tail. A value whose fine
// code would pass 31 takes the wide scale; the positions of those values are kept in a block-sparse index (per
// block of 64 values, a 7-bit count and a 6-bit offset for each). The fine range is searched: the
// (100 - w)-th percentile of |x| for w in kWideShares, lowest squared error wins.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats::detail {

namespace {

constexpr std::string_view kName = "biscaled";
constexpr int kQmax = 31;
constexpr std::size_t kBlock = 64;
constexpr double kWideShares[] = {0.0, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1};

bool is_wide(float x, float fine) {
    if (fine == 0.0f) return x != 0.0f;
    return std::fabs(std::nearbyint(double(x) / fine)) > kQmax;
}

double squared_error(const float* x, std::size_t n, float fine, float wide) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const float s = is_wide(x[i], fine) ? wide : fine;
        const double d = double(x[i]) - quantize_symmetric(x[i], s, kQmax) * double(s);
        total += d * d;
    }
    return total;
}

// Percentile of the sorted magnitudes, linear interpolation as NumPy's default.
double percentile_sorted(const std::vector<float>& a, double p) {
    if (a.empty()) return 0.0;
    const double pos = p / 100.0 * double(a.size() - 1);
    const auto lo = std::size_t(std::floor(pos));
    if (lo + 1 >= a.size()) return a.back();
    return a[lo] + (double(a[lo + 1]) - a[lo]) * (pos - double(lo));
}

class Biscaled final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "BiScaled-FxP: 6-bit values on a fine or a wide scale, block-sparse index of the wide ones";
    }

    Encoded encode(const float* x, std::size_t n, const Options& options) const override {
        check_finite(kName, x, n);
        const float wide = symmetric_scale(max_abs(x, n), kQmax);
        float fine = wide;
        if (options.biscaled_threshold) {
            const double t = *options.biscaled_threshold;
            if (!(std::isfinite(t) && t >= 0.0))
                throw Error(fmt::format("{}: threshold {} is not a finite non-negative number", kName, t));
            fine = symmetric_scale(t, kQmax);
        } else if (n > 0) {
            std::vector<float> mags(n);
            for (std::size_t i = 0; i < n; ++i) mags[i] = std::fabs(x[i]);
            std::sort(mags.begin(), mags.end());
            double best = INFINITY;
            for (const double w : kWideShares) {
                const float candidate = symmetric_scale(percentile_sorted(mags, 100.0 * (1.0 - w)), kQmax);
                const double err = squared_error(x, n, candidate, wide);
                if (err < best) {
                    best = err;
                    fine = candidate;
                }
            }
        }

        // Codes first, then the index of every block.
        BitWriter bits;
        std::vector<std::vector<std::uint8_t>> blocks((n + kBlock - 1) / kBlock);
        std::uint64_t wide_count = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const bool w = is_wide(x[i], fine);
            if (w) {
                blocks[i / kBlock].push_back(static_cast<std::uint8_t>(i % kBlock));
                ++wide_count;
            }
            bits.put(static_cast<std::uint32_t>(quantize_symmetric(x[i], w ? wide : fine, kQmax)) & 0x3F, 6);
        }
        for (const auto& block : blocks) {
            bits.put(static_cast<std::uint32_t>(block.size()), 7);
            for (const std::uint8_t offset : block) bits.put(offset, 6);
        }
        const std::uint64_t stream_bits = bits.bit_count();

        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        put_f32(e.bytes, fine);
        put_f32(e.bytes, wide);
        const auto stream = bits.finish();
        e.bytes.insert(e.bytes.end(), stream.begin(), stream.end());
        e.metadata_bits = 64 + 7 * blocks.size() + 6 * wide_count + (8 * stream.size() - stream_bits);
        e.outliers = wide_count;
        e.detail = fmt::format("fine scale {:.6g}, wide scale {:.6g}, {} wide", fine, wide, wide_count);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const float fine = r.f32("fine scale");
        check_scale(e, fine, "fine scale");
        const float wide = r.f32("wide scale");
        check_scale(e, wide, "wide scale");
        BitReader bits(e.bytes.data() + r.position(), r.remaining());
        // The codes and the block counts alone set a lower bound: check it before sizing anything by the count.
        const std::uint64_t blocks = (e.values + kBlock - 1) / kBlock;
        if (e.values > bits.size_bits() / 6 || 6 * e.values + 7 * blocks > bits.size_bits())
            throw Error(fmt::format("{}: truncated: {} bytes cannot hold {} 6-bit codes and their index", kName,
                                    e.bytes.size(), e.values));
        std::vector<int> codes(e.values);
        for (auto& c : codes) {
            c = int(bits.get(6, kName));
            if (c & 0x20) c -= 64;
            if (c < -kQmax) throw Error(fmt::format("{}: code -32 is outside the symmetric range", kName));
        }
        std::vector<float> out(e.values);
        std::vector<bool> is_wide_value(e.values, false);
        for (std::uint64_t start = 0; start < e.values; start += kBlock) {
            const std::uint64_t len = std::min<std::uint64_t>(kBlock, e.values - start);
            const std::uint32_t count = bits.get(7, kName);
            if (count > len)
                throw Error(fmt::format("{}: block at value {} lists {} wide values in {}", kName, start, count, len));
            std::int64_t previous = -1;
            for (std::uint32_t k = 0; k < count; ++k) {
                const std::uint32_t offset = bits.get(6, kName);
                if (offset >= len || std::int64_t(offset) <= previous)
                    throw Error(fmt::format("{}: block at value {}: offset {} is out of order or past the block",
                                            kName, start, offset));
                previous = offset;
                is_wide_value[start + offset] = true;
            }
        }
        if (bits.size_bits() - bits.position() >= 8 || !bits.rest_is_zero())
            throw Error(fmt::format("{}: {} bytes after the index, or a non-zero pad", kName,
                                    (bits.size_bits() - bits.position()) / 8));
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = to_float(codes[i] * double(is_wide_value[i] ? wide : fine));
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_biscaled() { return std::make_unique<Biscaled>(); }

}  // namespace spark::formats::detail
