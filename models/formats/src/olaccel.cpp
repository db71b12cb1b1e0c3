// SPDX-License-Identifier: Apache-2.0
// olaccel: OLAccel's dense 4-bit values with a list of 16-bit outliers, after ANT's emulation of it: values with
// |x| up to the p-th percentile T of |x| are int4 at step T / 7; the others are outliers stored as sign and
// magnitude (|x| - T) / ((max|x| - T) / 32767) in 16 bits, each with its position as a one-byte gap from the
// previous outlier (255 is an escape that skips 255 positions).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats::detail {

namespace {

constexpr std::string_view kName = "olaccel";
constexpr std::uint8_t kEscape = 255;
constexpr int kMagnitudeMax = 32767;

// NumPy's default percentile: linear interpolation between the order statistics around p / 100 * (n - 1).
double percentile_abs(const float* x, std::size_t n, double p) {
    if (n == 0) return 0.0;
    std::vector<float> a(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = std::fabs(x[i]);
    const double pos = p / 100.0 * double(n - 1);
    const auto lo = std::size_t(std::floor(pos));
    std::nth_element(a.begin(), a.begin() + std::ptrdiff_t(lo), a.end());
    const double low = a[lo];
    if (lo + 1 >= n) return low;
    const double high = *std::min_element(a.begin() + std::ptrdiff_t(lo) + 1, a.end());
    return low + (high - low) * (pos - double(lo));
}

class Olaccel final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "OLAccel: int4 below a percentile of |x|, 16-bit outliers with a gap-coded position list";
    }

    Encoded encode(const float* x, std::size_t n, const Options& options) const override {
        check_finite(kName, x, n);
        const double p = options.olaccel_percentile;
        if (!(p > 50.0 && p <= 100.0))
            throw Error(fmt::format("{}: outlier percentile {} is outside 50 < p <= 100", kName, p));
        const float threshold = to_float(percentile_abs(x, n, p));
        const double max = max_abs(x, n);
        const float outlier_step = to_float(std::max(0.0, max - threshold) / kMagnitudeMax);
        const double dense_step = threshold / 7.0;

        std::vector<std::uint8_t> dense(n, 0);
        std::vector<std::uint8_t> records;
        std::uint64_t outliers = 0, escapes = 0;
        std::size_t cursor = 0;  // the position after the previous outlier
        for (std::size_t i = 0; i < n; ++i) {
            const float a = std::fabs(x[i]);
            if (a <= threshold) {
                dense[i] = static_cast<std::uint8_t>(quantize_symmetric(x[i], dense_step, 7) & 0x0F);
                continue;
            }
            for (; i - cursor >= kEscape; cursor += kEscape, ++escapes) records.push_back(kEscape);
            records.push_back(static_cast<std::uint8_t>(i - cursor));
            const int mag = quantize_symmetric(double(a) - threshold, outlier_step, kMagnitudeMax);
            put_u16(records, static_cast<std::uint16_t>((x[i] < 0 ? 0x8000 : 0) | mag));
            cursor = i + 1;
            ++outliers;
        }
        if (outliers > UINT32_MAX) throw Error(fmt::format("{}: {} outliers exceed the 32-bit count", kName, outliers));

        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        put_f32(e.bytes, threshold);
        put_f32(e.bytes, outlier_step);
        put_u32(e.bytes, static_cast<std::uint32_t>(outliers));
        const auto packed = pack_nibbles(dense);
        e.bytes.insert(e.bytes.end(), packed.begin(), packed.end());
        e.bytes.insert(e.bytes.end(), records.begin(), records.end());
        e.metadata_bits = 96 + 4 * (n % 2) + 8 * (outliers + escapes);
        e.outliers = outliers;
        e.detail = fmt::format("threshold {:.6g} (p{:g}), {} outliers, {} escapes", threshold, p, outliers, escapes);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const float threshold = r.f32("threshold");
        check_scale(e, threshold, "threshold");
        const float outlier_step = r.f32("outlier step");
        check_scale(e, outlier_step, "outlier step");
        const std::uint32_t outliers = r.u32("outlier count");
        if (outliers > e.values)
            throw Error(fmt::format("{}: {} outliers among {} values", kName, outliers, e.values));
        const std::uint64_t dense_bytes = (e.values + 1) / 2;
        if (r.remaining() < dense_bytes)
            throw Error(fmt::format("{}: truncated: {} bytes end inside the dense values", kName, e.bytes.size()));
        const std::uint8_t* p = e.bytes.data() + r.position();
        if (e.values % 2 && (p[dense_bytes - 1] & 0x0F))
            throw Error(fmt::format("{}: the pad nibble is {}, not 0", kName, p[dense_bytes - 1] & 0x0F));
        const double dense_step = threshold / 7.0;
        std::vector<float> out(e.values);
        for (std::size_t i = 0; i < out.size(); ++i) {
            const int q = nibble_to_int(nibble_at(p, i));
            if (q < -7) throw Error(fmt::format("{}: value {} holds dense code -8, outside the range", kName, i));
            out[i] = to_float(q * dense_step);
        }
        for (std::uint64_t skip = 0; skip < dense_bytes; ++skip) r.u8("dense values");

        std::uint64_t cursor = 0;
        for (std::uint32_t k = 0; k < outliers;) {
            const std::uint8_t gap = r.u8("outlier list");
            cursor += gap;
            if (gap == kEscape) continue;
            if (cursor >= e.values)
                throw Error(fmt::format("{}: outlier {} at position {}, past the {} values", kName, k, cursor,
                                        e.values));
            const std::uint16_t v = r.u16("outlier value");
            const double mag = double(threshold) + (v & 0x7FFF) * double(outlier_step);
            out[cursor] = to_float((v & 0x8000) ? -mag : mag);
            ++cursor;
            ++k;
        }
        r.expect_remaining(0, "the outlier list");
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_olaccel() { return std::make_unique<Olaccel>(); }

}  // namespace spark::formats::detail
