// SPDX-License-Identifier: Apache-2.0
// What the format tests share: reading a stored float32 back from an encoding, and long-tailed test tensors.
#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace spark::formats::test {

// The little-endian float32 at byte `off` of an encoding (a stored scale).
inline float f32_at(const std::vector<std::uint8_t>& b, std::size_t off) {
    std::uint32_t u = 0;
    for (int i = 0; i < 4; ++i) u |= std::uint32_t(b.at(off + std::size_t(i))) << (8 * i);
    float v = 0.0f;
    std::memcpy(&v, &u, 4);
    return v;
}

// n Laplace-distributed values of diversity b, the shape of trained weights.
inline std::vector<float> laplace(std::size_t n, double b, unsigned seed) {
    std::mt19937 rng(seed);
    std::exponential_distribution<double> e(1.0 / b);
    std::vector<float> x(n);
    for (auto& v : x) v = static_cast<float>((rng() & 1) ? e(rng) : -e(rng));
    return x;
}

}  // namespace spark::formats::test
