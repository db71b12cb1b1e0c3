// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "spark/workload/generator.h"

using namespace spark::workload;

// The expected values below were computed by hand from the definitions in docs/workload.md (splitmix64, the
// (k + 0.5) / 2^53 uniform, the inverse-CDF Laplace, the polar Gaussian, round half away from zero), with an
// independent implementation outside this library.

TEST_CASE("splitmix64 gives the reference sequence", "[workload][generator]") {
    SplitMix64 rng(0);
    CHECK(rng.next() == 0xE220A8397B1DCDAFull);
    CHECK(rng.next() == 0x6E789E6AA1B965F4ull);
    CHECK(rng.next() == 0x06C45D188009454Full);
    SplitMix64 u(0);
    CHECK(u.next_open01() == (static_cast<double>(0xE220A8397B1DCDAFull >> 11) + 0.5) / 9007199254740992.0);
}

TEST_CASE("a fixed seed gives fixed codes for each distribution", "[workload][generator]") {
    const Quant q8{DType::int8, 0.01, 0};
    Synthetic laplace{Distribution::laplace, 0.0, 0.03, 0.0, 1.0, 7};
    const std::vector<std::uint8_t> l = generate_codes(laplace, q8, 12);
    const int expected_l[] = {-1, -10, 5, 1, 0, -2, 0, -1, -4, -1, -5, 8};
    for (std::size_t i = 0; i < 12; ++i) CHECK(static_cast<std::int8_t>(l[i]) == expected_l[i]);

    Synthetic uniform{Distribution::uniform, 0.0, 1.0, -1.0, 1.0, 7};
    const std::vector<std::uint8_t> u = generate_codes(uniform, q8, 8);
    const int expected_u[] = {-22, -97, 80, 17, -10, -50, -6, -34};
    for (std::size_t i = 0; i < 8; ++i) CHECK(static_cast<std::int8_t>(u[i]) == expected_u[i]);

    Synthetic gaussian{Distribution::gaussian, 0.0, 0.2, 0.0, 1.0, 9};
    const std::vector<std::uint8_t> g = generate_codes(gaussian, Quant{DType::uint8, 0.05, 10}, 8);
    const int expected_g[] = {13, 7, 9, 7, 12, 11, 11, 14};
    for (std::size_t i = 0; i < 8; ++i) CHECK(g[i] == expected_g[i]);
}

TEST_CASE("quantisation rounds half away from zero and clips", "[workload][generator]") {
    const Quant q{DType::int8, 0.5, 0};
    CHECK(quantize(0.25, q) == 1);
    CHECK(quantize(-0.25, q) == -1);
    CHECK(quantize(0.2, q) == 0);
    CHECK(quantize(1000.0, q) == 127);
    CHECK(quantize(-1000.0, q) == -128);
    CHECK(quantize(-1000.0, Quant{DType::uint8, 0.5, 3}) == 0);
    CHECK(quantize(1.0, Quant{DType::uint8, 0.5, 3}) == 5);
}

TEST_CASE("portable_log agrees with the library logarithm to about one ulp", "[workload][generator]") {
    SplitMix64 rng(3);
    for (int i = 0; i < 10000; ++i) {
        const double x = std::ldexp(rng.next_open01() + 0.5, static_cast<int>(rng.next() % 200) - 100);
        const double ours = portable_log(x);
        const double ref = std::log(x);
        CHECK(std::abs(ours - ref) <= 4e-16 * std::max(1.0, std::abs(ref)));
    }
    CHECK(portable_log(1.0) == 0.0);
}

TEST_CASE("the distributions have their expected shape", "[workload][generator]") {
    const std::size_t n = 200000;
    const Quant q8{DType::int8, 0.01, 0};
    // Laplace with b = 3 steps: P(|code| <= 3) = P(|x| < 3.5 steps) = 1 - exp(-3.5 / 3) = 0.6886; the long tail
    // P(|code| >= 16) = exp(-15.5 / 3) = 0.0057.
    const auto l = generate_codes(Synthetic{Distribution::laplace, 0.0, 0.03, 0.0, 1.0, 11}, q8, n);
    std::size_t small = 0, tail = 0;
    double sum = 0;
    for (std::uint8_t b : l) {
        const int c = static_cast<std::int8_t>(b);
        small += std::abs(c) <= 3;
        tail += std::abs(c) >= 16;
        sum += c;
    }
    CHECK(static_cast<double>(small) / n == Approx(1 - std::exp(-3.5 / 3)).margin(0.005));
    CHECK(static_cast<double>(tail) / n == Approx(std::exp(-15.5 / 3)).margin(0.001));
    CHECK(sum / n == Approx(0.0).margin(0.05));
    // Gaussian with sigma = 20 steps: P(|code| <= 20) = P(|z| < 20.5 / 20) = 0.6946.
    const auto g = generate_codes(Synthetic{Distribution::gaussian, 0.0, 0.2, 0.0, 1.0, 12}, q8, n);
    std::size_t within = 0;
    for (std::uint8_t b : g) within += std::abs(static_cast<std::int8_t>(b)) <= 20;
    CHECK(static_cast<double>(within) / n == Approx(std::erf(20.5 / 20 / std::sqrt(2.0))).margin(0.005));
    // Uniform on [-1, 1) at 0.01 steps: each interior code has probability 1/200.
    const auto u = generate_codes(Synthetic{Distribution::uniform, 0.0, 1.0, -1.0, 1.0, 13}, q8, n);
    std::size_t zeros = 0;
    for (std::uint8_t b : u) zeros += b == 0;
    CHECK(static_cast<double>(zeros) / n == Approx(1.0 / 200).margin(0.001));
}

TEST_CASE("generate() fills a tensor spec and refuses .npy sources", "[workload][generator]") {
    TensorSpec t;
    t.name = "w";
    t.shape = {2, 3, 4};
    t.quant = {DType::uint8, 0.1, 0};
    t.data.synthetic = {Distribution::laplace, 0.0, 0.3, 0.0, 1.0, 5};
    const QTensor a = generate(t);
    CHECK(a.bytes.size() == 24);
    CHECK(a.bytes == generate_codes(t.data.synthetic, t.quant, 24));
    t.data.synthetic.seed = 6;
    CHECK(generate(t).bytes != a.bytes);
    t.data.kind = DataSource::Kind::npy;
    t.data.npy_path = "w.npy";
    CHECK_THROWS_WITH(generate(t), Catch::Contains("tensor 'w': its data comes from 'w.npy'"));
}
