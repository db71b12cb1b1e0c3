// SPDX-License-Identifier: Apache-2.0
// olive: OliVe's outlier-victim pairs at 4 bits. In grid units, normal values are int4 levels 4k (|k| <= 7, up to 28);
// a value nearer an abfloat level (48..384, kOliveAbfloatUnits) is an outlier. Values pair up as (even, odd)
// elements; a pair with an outlier stores it as abfloat and gives up its other element, the victim, whose nibble
// becomes the identifier 1000 (int4's unused -8) and which decodes to 0. The even element wins when both are
// outliers. No index: 4 bits per value plus one scale.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats::detail {

namespace {

constexpr std::string_view kName = "olive";
constexpr double kNormalMax = 28.0;           // int4 level 7 in grid units
constexpr double kNormalOutlierMid = 38.0;    // between 28 and the smallest outlier, 48

struct Quantised {
    bool outlier = false;
    std::uint8_t nibble = 0;
    double level = 0.0;  // in grid units
};

// Round half to even for |v| < 2^51 without a libm call (the search evaluates this about 10^9 times on a large
// network): adding and removing 1.5 * 2^52 leaves no fraction bits under the default rounding mode.
inline double round_even(double v) {
    constexpr double kShift = 6755399441055744.0;
    return (v + kShift) - kShift;
}

Quantised quantise(double v) {
    Quantised q;
    const double a = std::fabs(v);
    if (a <= kNormalOutlierMid) {
        const int k = static_cast<int>(std::clamp(round_even(v * 0.25), -7.0, 7.0));
        q.nibble = static_cast<std::uint8_t>(k & 0x0F);
        q.level = 4.0 * k;
        return q;
    }
    // Nearest abfloat magnitude, ties to the smaller one.
    int idx = 1;
    while (idx < 7 && a > 0.5 * (kOliveAbfloatUnits[idx] + kOliveAbfloatUnits[idx + 1])) ++idx;
    q.outlier = true;
    q.nibble = static_cast<std::uint8_t>((v < 0 ? 0x8 : 0x0) | idx);
    q.level = (v < 0 ? -1.0 : 1.0) * kOliveAbfloatUnits[idx];
    return q;
}

// The pairs of x at grid unit `unit`: calls emit(index, nibble, level in units) for every element, the victim
// with the identifier and level 0, and returns the outlier count.
template <typename Emit>
std::uint64_t encode_pairs(const float* x, std::size_t n, double unit, Emit&& emit) {
    std::uint64_t outliers = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        const Quantised a = quantise(unit > 0.0 ? x[i] / unit : 0.0);
        if (i + 1 == n) {  // an unpaired last element: the pad nibble is its victim
            emit(i, a.nibble, a.level);
            outliers += a.outlier;
            break;
        }
        const Quantised b = quantise(unit > 0.0 ? x[i + 1] / unit : 0.0);
        if (a.outlier) {
            emit(i, a.nibble, a.level);
            emit(i + 1, kOliveVictimCode, 0.0);
            ++outliers;
        } else if (b.outlier) {
            emit(i, kOliveVictimCode, 0.0);
            emit(i + 1, b.nibble, b.level);
            ++outliers;
        } else {
            emit(i, a.nibble, a.level);
            emit(i + 1, b.nibble, b.level);
        }
    }
    return outliers;
}

// The search's inner loop: the same pairs as encode_pairs, without the codes.
double squared_error(const float* x, std::size_t n, float unit) {
    const double inv = unit > 0.0f ? 1.0 / double(unit) : 0.0;
    const auto error = [&](double v, const Quantised& q) {
        const double d = v - q.level * unit;
        return d * d;
    };
    double total = 0.0;
    for (std::size_t i = 0; i < n; i += 2) {
        const double a = x[i];
        const Quantised qa = quantise(a * inv);
        if (i + 1 == n) {
            total += error(a, qa);
            break;
        }
        const double b = x[i + 1];
        const Quantised qb = quantise(b * inv);
        if (qa.outlier) total += error(a, qa) + b * b;
        else if (qb.outlier) total += a * a + error(b, qb);
        else total += error(a, qa) + error(b, qb);
    }
    return total;
}

// OliVe's search: alpha = r * bound, r = 0.75, 0.77 .. 2.49, where bound = max(|mean +- 3 sigma|) rather than
// max|x| (outliers lie beyond it); the unit is alpha / 28.
float search_unit(const float* x, std::size_t n) {
    if (n == 0) return 0.0f;
    double mean = 0.0;
    for (std::size_t i = 0; i < n; ++i) mean += x[i];
    mean /= double(n);
    double var = 0.0;
    for (std::size_t i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
    const double sigma = n > 1 ? std::sqrt(var / double(n - 1)) : 0.0;
    const double bound = std::max(std::fabs(mean + 3.0 * sigma), std::fabs(mean - 3.0 * sigma));
    float best_unit = to_float(bound / kNormalMax);
    double best_error = INFINITY;
    for (int percent = 75; percent < 250; percent += 2) {
        const float unit = to_float(bound * percent / 100.0 / kNormalMax);
        const double err = squared_error(x, n, unit);
        if (err < best_error) {
            best_error = err;
            best_unit = unit;
        }
    }
    return best_unit;
}

class Olive final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "OliVe: int4 with abfloat outliers in outlier-victim pairs, 4 bits per value";
    }

    Encoded encode(const float* x, std::size_t n, const Options& options) const override {
        check_finite(kName, x, n);
        if (options.scale && !(std::isfinite(*options.scale) && *options.scale >= 0.0))
            throw Error(fmt::format("{}: scale {} is not a finite non-negative number", kName, *options.scale));
        const float unit = options.scale ? to_float(*options.scale) : search_unit(x, n);
        std::vector<std::uint8_t> nibbles(n + n % 2, 0);
        const std::uint64_t outliers =
            encode_pairs(x, n, unit, [&](std::size_t i, std::uint8_t nibble, double) { nibbles[i] = nibble; });
        if (n % 2 && quantise(unit > 0.0f ? x[n - 1] / unit : 0.0).outlier)
            nibbles[n] = kOliveVictimCode;
        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        put_f32(e.bytes, unit);
        const auto packed = pack_nibbles(nibbles);
        e.bytes.insert(e.bytes.end(), packed.begin(), packed.end());
        e.metadata_bits = 32 + 4 * (n % 2);
        e.outliers = outliers;
        e.detail = fmt::format("unit {:.6g}, {} outlier-victim pairs", unit, outliers);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const float unit = r.f32("scale");
        check_scale(e, unit, "scale");
        const std::uint64_t payload = (e.values + 1) / 2;
        r.expect_remaining(payload, fmt::format("{} 4-bit codes", e.values));
        const std::uint8_t* p = e.bytes.data() + r.position();
        std::vector<float> out(e.values);
        const auto abfloat = [&](std::uint8_t nibble, std::size_t pair) {
            const int idx = nibble & 0x7;
            if (idx == 0)
                throw Error(fmt::format("{}: pair {} holds abfloat code {}, which is unused", kName, pair, nibble));
            return to_float(((nibble & 0x8) ? -1.0 : 1.0) * kOliveAbfloatUnits[std::size_t(idx)] * unit);
        };
        for (std::size_t pair = 0; pair < payload; ++pair) {
            const std::uint8_t a = p[pair] >> 4;
            const std::uint8_t b = p[pair] & 0x0F;
            const std::size_t i = 2 * pair;
            const bool padded = i + 1 == e.values;
            if (a == kOliveVictimCode && b == kOliveVictimCode)
                throw Error(fmt::format("{}: pair {} holds two victim identifiers", kName, pair));
            if (b == kOliveVictimCode) {
                out[i] = abfloat(a, pair);
                if (!padded) out[i + 1] = 0.0f;
            } else if (a == kOliveVictimCode) {
                if (padded) throw Error(fmt::format("{}: the pad nibble of pair {} holds an outlier", kName, pair));
                out[i] = 0.0f;
                out[i + 1] = abfloat(b, pair);
            } else {
                out[i] = to_float(4.0 * nibble_to_int(a) * unit);
                if (padded) {
                    if (b != 0) throw Error(fmt::format("{}: the pad nibble is {}, not 0 or 8", kName, b));
                } else {
                    out[i + 1] = to_float(4.0 * nibble_to_int(b) * unit);
                }
            }
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_olive() { return std::make_unique<Olive>(); }

}  // namespace spark::formats::detail
