// SPDX-License-Identifier: Apache-2.0
#include "spark/workload/generator.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::workload {

std::uint64_t SplitMix64::next() {
    m_state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = m_state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double SplitMix64::next_open01() {
    return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
}

double portable_log(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // exact: x = m * 2^e, m in [0.5, 1)
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        --e;
    }
    // log(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716, so 13 terms reach below one ulp.
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double p = 1.0 / 25.0;
    for (int k = 11; k >= 0; --k) p = p * s2 + 1.0 / (2.0 * k + 1.0);
    const double log_m = 2.0 * s * p;
    // ln 2 split so that e * ln2_hi is exact for any exponent of a double.
    constexpr double ln2_hi = 6.93147180369123816490e-01;
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    const double de = static_cast<double>(e);
    return de * ln2_hi + (de * ln2_lo + log_m);
}

double draw(const Synthetic& dist, SplitMix64& rng) {
    switch (dist.distribution) {
    case Distribution::laplace: {
        const double u = rng.next_open01();
        return u < 0.5 ? dist.mean + dist.scale * portable_log(2.0 * u)
                       : dist.mean - dist.scale * portable_log(2.0 * (1.0 - u));
    }
    case Distribution::gaussian:
        while (true) {
            const double u = 2.0 * rng.next_open01() - 1.0;
            const double v = 2.0 * rng.next_open01() - 1.0;
            const double s = u * u + v * v;
            if (s >= 1.0 || s == 0.0) continue;
            return dist.mean + dist.scale * u * std::sqrt(-2.0 * portable_log(s) / s);
        }
    case Distribution::uniform: return dist.low + (dist.high - dist.low) * rng.next_open01();
    }
    return 0.0;
}

std::int32_t quantize(double x, const Quant& quant) {
    const double q = std::round(x / quant.scale) + quant.zero_point;  // std::round: half away from zero, exact
    const double clipped = std::clamp(q, static_cast<double>(quant.min_code()), static_cast<double>(quant.max_code()));
    return static_cast<std::int32_t>(clipped);
}

std::vector<std::uint8_t> generate_codes(const Synthetic& dist, const Quant& quant, std::size_t count) {
    SplitMix64 rng(dist.seed);
    std::vector<std::uint8_t> bytes(count);
    for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(quantize(draw(dist, rng), quant) & 0xFF);
    return bytes;
}

QTensor generate(const TensorSpec& spec) {
    if (spec.data.kind != DataSource::Kind::synthetic)
        throw Error(fmt::format("tensor '{}': its data comes from '{}', not from the generator", spec.name,
                                spec.data.npy_path));
    QTensor t;
    t.shape = spec.shape;
    t.quant = spec.quant;
    t.bytes = generate_codes(spec.data.synthetic, spec.quant, static_cast<std::size_t>(element_count(spec.shape)));
    return t;
}

}  // namespace spark::workload
