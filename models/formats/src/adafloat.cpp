// SPDX-License-Identifier: Apache-2.0
// adafloat: 8-bit AdaptivFloat. One exponent bias per tensor puts the largest exponent at floor(log2 max|x|); the
// code with exponent field 0 and mantissa 0 is zero (no denormals), so the smallest magnitude is
// 2^bias * (1 + 2^-m). Below half of it a value becomes 0, up to it that smallest magnitude; above the largest,
// 2^emax * (2 - 2^-m), it saturates. Mantissas round to nearest, ties to even.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats {

double adafloat_value(std::uint8_t code, int exponent_bits, int bias) {
    const int m = 7 - exponent_bits;
    const int field = (code >> m) & ((1 << exponent_bits) - 1);
    const int mantissa = code & ((1 << m) - 1);
    if (field == 0 && mantissa == 0) return 0.0;
    const double mag = std::ldexp(1.0 + std::ldexp(double(mantissa), -m), field + bias);
    return (code & 0x80) ? -mag : mag;
}

namespace detail {

namespace {

constexpr std::string_view kName = "adafloat";

std::uint8_t quantise(float x, int exponent_bits, int bias) {
    const int m = 7 - exponent_bits;
    const int top = (1 << exponent_bits) - 1;
    const double min_value = std::ldexp(1.0 + std::ldexp(1.0, -m), bias);
    const double max_value = std::ldexp(2.0 - std::ldexp(1.0, -m), top + bias);
    double a = std::fabs(double(x));
    if (a < 0.5 * min_value) return 0;
    a = std::clamp(a, min_value, max_value);
    int exp = 0;
    const double frac = std::frexp(a, &exp);  // a = frac * 2^exp, frac in [0.5, 1)
    --exp;
    double mant = std::nearbyint(std::ldexp(2.0 * frac, m));  // 2^m .. 2^(m+1)
    if (mant == std::ldexp(1.0, m + 1)) {  // rounded up to the next binade (never past max_value)
        mant = std::ldexp(1.0, m);
        ++exp;
    }
    const int field = exp - bias;
    const auto code = static_cast<std::uint8_t>((field << m) | (int(mant) - (1 << m)));
    return static_cast<std::uint8_t>(code | (x < 0 ? 0x80 : 0));
}

class Adafloat final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "AdaptivFloat: 8-bit float with a per-tensor exponent bias, no denormals";
    }

    Encoded encode(const float* x, std::size_t n, const Options& options) const override {
        check_finite(kName, x, n);
        const int eb = options.adafloat_exponent_bits;
        if (eb < 1 || eb > 6)
            throw Error(fmt::format("{}: {} exponent bits is outside 1..6 (the mantissa needs a bit)", kName, eb));
        const double max = max_abs(x, n);
        int bias = 0;  // an all-zero tensor keeps bias 0 and codes 0
        if (max > 0.0) {
            int exp = 0;
            std::frexp(max, &exp);
            bias = (exp - 1) - ((1 << eb) - 1);
        }
        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        e.bytes.reserve(3 + n);
        e.bytes.push_back(static_cast<std::uint8_t>(eb));
        put_u16(e.bytes, static_cast<std::uint16_t>(static_cast<std::int16_t>(bias)));
        for (std::size_t i = 0; i < n; ++i) e.bytes.push_back(max > 0.0 ? quantise(x[i], eb, bias) : 0);
        e.metadata_bits = 24;
        e.detail = fmt::format("1/{}/{} bits, exponent bias {}", eb, 7 - eb, bias);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const int eb = r.u8("exponent width");
        if (eb < 1 || eb > 6) throw Error(fmt::format("{}: exponent width {} is outside 1..6", kName, eb));
        const auto bias = static_cast<std::int16_t>(r.u16("exponent bias"));
        r.expect_remaining(e.values, fmt::format("{} 8-bit codes", e.values));
        std::vector<float> out(e.values);
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = to_float(adafloat_value(e.bytes[3 + i], eb, bias));
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_adafloat() { return std::make_unique<Adafloat>(); }

}  // namespace detail

}  // namespace spark::formats
