// SPDX-License-Identifier: Apache-2.0
// Post-training quantiser: per-channel scales, percentile calibration and the SPARK-aware range search, with
// values chosen so every scale is a power of two or an exact ratio.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "spark/codec/variants.h"
#include "spark/common/error.h"
#include "spark/tensor/quantize.h"

using namespace spark::tensor;
namespace codec = spark::codec;

namespace {

std::vector<int> ints(const Tensor& t) {
    std::vector<int> out;
    if (t.dtype() == DType::int8)
        for (auto v : t.values<std::int8_t>()) out.push_back(v);
    else
        for (auto v : t.values<std::uint8_t>()) out.push_back(v);
    return out;
}

// Squared error against x of the values after the code under `rounding`, dequantised.
double coded_error(const Tensor& x, const PtqResult& q, codec::Rounding rounding) {
    Tensor stored = q.values;
    const codec::Mode mode = stored.dtype() == DType::int8 ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
    for (std::size_t i = 0; i < stored.size(); ++i)
        stored.bytes()[i] = codec::coded_value(stored.bytes()[i], mode, rounding);
    const Tensor back = dequantize(stored, q.params);
    double e = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double d = double(x.data<float>()[i]) - double(back.data<float>()[i]);
        e += d * d;
    }
    return e;
}

}  // namespace

TEST_CASE("per-tensor min-max matches the original quantiser", "[ptq]") {
    const Tensor x = Tensor::from_values<float>({2, 3}, {127.0f, -64.0f, 3.5f, -63.5f, 31.75f, 0.25f});
    const PtqResult q = quantize(x, QuantConfig{}, "x");
    const QuantResult old = quantize(x, QuantScheme::symmetric, DType::int8, "x");
    CHECK(q.params.channels() == 1);
    CHECK_FALSE(q.params.axis);
    CHECK(q.params.scales[0] == old.params.scale);
    CHECK(ints(q.values) == ints(old.values));
    CHECK(q.clipped == 0);
}

TEST_CASE("per-channel symmetric: one scale per slice of the axis", "[ptq]") {
    // Row 0 spans 127 (scale 1), row 1 spans 63.5 (scale 0.5).
    const Tensor x = Tensor::from_values<float>({2, 3}, {127.0f, -64.0f, 3.5f, -63.5f, 31.75f, 0.25f});
    QuantConfig config;
    config.axis = 0;
    const PtqResult q = quantize(x, config, "w");
    REQUIRE(q.params.axis == std::size_t{0});
    CHECK(q.params.scales == std::vector<double>{1.0, 0.5});
    CHECK(q.params.zero_points == std::vector<std::int32_t>{0, 0});
    // 3.5 -> 4 and 31.75 / 0.5 = 63.5 -> 64, 0.25 / 0.5 = 0.5 -> 0: half to even.
    CHECK(ints(q.values) == std::vector<int>{127, -64, 4, -127, 64, 0});
    CHECK(dequantize(q.values, q.params).values<float>() ==
          std::vector<float>{127.0f, -64.0f, 4.0f, -63.5f, 32.0f, 0.0f});

    SECTION("the last axis, also as -1") {
        // Columns: max |x| 127, 64, 3.5.
        for (const int axis : {1, -1}) {
            config.axis = axis;
            const PtqResult c = quantize(x, config, "w");
            CHECK(c.params.axis == std::size_t{1});
            CHECK(c.params.scales == std::vector<double>{1.0, 64.0 / 127.0, 3.5 / 127.0});
            CHECK(ints(c.values) == std::vector<int>{127, -127, 127, -64, 63, 9});
        }
    }
}

TEST_CASE("per-channel asymmetric uint8 on a middle axis", "[ptq]") {
    // Shape (2, 2, 2), axis 1: channel 0 holds x[:, 0, :] = {0, 255, 0, 51}, channel 1 holds {-51, 0, 204, 1}.
    const Tensor x = Tensor::from_values<float>({2, 2, 2}, {0.0f, 255.0f, -51.0f, 0.0f, 0.0f, 51.0f, 204.0f, 1.0f});
    QuantConfig config;
    config.scheme = QuantScheme::asymmetric;
    config.dtype = DType::uint8;
    config.axis = 1;
    const PtqResult q = quantize(x, config, "a");
    CHECK(q.params.scales == std::vector<double>{1.0, 1.0});
    CHECK(q.params.zero_points == std::vector<std::int32_t>{0, 51});
    CHECK(ints(q.values) == std::vector<int>{0, 255, 0, 51, 0, 51, 255, 52});
}

TEST_CASE("percentile: linear interpolation as numpy does it", "[ptq]") {
    std::vector<double> a{1, 2, 3, 4};
    CHECK(percentile(a, 50.0) == 2.5);
    CHECK(percentile(a, 100.0) == 4.0);
    CHECK(percentile(a, 0.0) == 1.0);
    std::vector<double> b{3, 1, 2};
    CHECK(percentile(b, 25.0) == 1.5);
    std::vector<double> c;
    for (int i = 0; i <= 200; ++i) c.push_back(200 - i);
    CHECK(percentile(c, 99.5) == 199.0);
    std::vector<double> empty;
    CHECK_THROWS_AS(percentile(empty, 50.0), spark::Error);
}

TEST_CASE("percentile calibration clips the tail", "[ptq]") {
    // 0..199 and one outlier 10000: the 99.5th percentile of |x| over 201 values is 199.
    std::vector<float> v;
    for (int i = 0; i < 200; ++i) v.push_back(float(i));
    v.push_back(10000.0f);
    const Tensor x = Tensor::from_values<float>({201}, v);
    QuantConfig config;
    config.calibration = Calibration::percentile;
    config.percentile = 99.5;
    const PtqResult q = quantize(x, config, "x");
    CHECK(q.params.scales[0] == 199.0 / 127.0);
    CHECK(q.clipped == 1);
    const auto qi = ints(q.values);
    CHECK(qi[199] == 127);
    CHECK(qi[200] == 127);
    CHECK(qi[100] == 64);  // 100 * 127 / 199 = 63.8

    SECTION("asymmetric: the (100 - p)-th to the p-th percentile") {
        config.scheme = QuantScheme::asymmetric;
        config.dtype = DType::uint8;
        const PtqResult a = quantize(x, config, "x");
        // Lower: position 0.5 * 200 / 100 = 1 -> 1.0; the range is widened to include 0.
        CHECK(a.params.scales[0] == 199.0 / 255.0);
        CHECK(a.params.zero_points[0] == 0);
        CHECK(a.clipped == 1);
    }
    SECTION("a percentile range that is empty falls back to min-max with a note") {
        std::vector<float> sparse(1000, 0.0f);
        sparse[7] = 2.0f;
        const PtqResult s = quantize(Tensor::from_values<float>({1000}, sparse), config, "sparse");
        CHECK(s.params.scales[0] == 2.0 / 127.0);
        REQUIRE(s.notes.size() == 1);
        CHECK_THAT(s.notes[0], Catch::Contains("sparse") && Catch::Contains("min-max used instead"));
    }
    SECTION("out-of-range percentiles are refused") {
        config.percentile = 50.0;
        CHECK_THROWS_WITH(quantize(x, config, "x"), Catch::Contains("x: percentile 50"));
        config.percentile = 100.5;
        CHECK_THROWS_AS(quantize(x, config, "x"), spark::Error);
    }
}

TEST_CASE("SPARK-aware calibration lowers the coded error", "[ptq]") {
    // Min-max puts 127.0 on code 127, which the code cannot represent: it becomes 111, an error of 16.
    const Tensor x = Tensor::from_values<float>({4}, {127.0f, 10.0f, -5.0f, 0.0f});
    QuantConfig config;
    const PtqResult mm = quantize(x, config, "x");
    CHECK(coded_error(x, mm, codec::Rounding::nearest) == 16.0 * 16.0);  // 10 and -5 are exact
    config.calibration = Calibration::spark_mse;
    const PtqResult sp = quantize(x, config, "x");
    CHECK(sp.params.scales[0] > 1.0);  // the range is widened so 127.0 lands on an exact value
    CHECK(coded_error(x, sp, codec::Rounding::nearest) < 2.0);

    SECTION("better than min-max on long-tailed channels, under either rounding") {
        std::vector<float> v;
        std::uint32_t state = 12345;
        for (int i = 0; i < 4 * 500; ++i) {
            state = state * 1664525u + 1013904223u;
            const double u = (double(state >> 8) + 0.5) / double(1u << 24);
            v.push_back(static_cast<float>(u < 0.5 ? 0.02 * std::log(2 * u) : -0.02 * std::log(2 * (1 - u))));
        }
        const Tensor w = Tensor::from_values<float>({4, 500}, v);
        for (const auto rounding : {codec::Rounding::truncate, codec::Rounding::nearest}) {
            QuantConfig c;
            c.axis = 0;
            const double base = coded_error(w, quantize(w, c, "w"), rounding);
            c.calibration = Calibration::spark_mse;
            c.spark_rounding = rounding;
            const double searched = coded_error(w, quantize(w, c, "w"), rounding);
            CHECK(searched < base);  // f = 1 is on the grid, and a long-tailed channel gains from another f
        }
    }
}

TEST_CASE("quantiser faults name the tensor", "[ptq]") {
    QuantConfig config;
    const Tensor bad = Tensor::from_values<float>({2, 2}, {1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f});
    CHECK_THROWS_WITH(quantize(bad, config, "conv1.weight"),
                      Catch::Contains("conv1.weight: element 2 (index [1, 0]) is NaN"));
    const Tensor inf = Tensor::from_values<float>({2}, {1.0f, -std::numeric_limits<float>::infinity()});
    CHECK_THROWS_WITH(quantize(inf, config, "fc.weight"), Catch::Contains("fc.weight: element 1") &&
                                                              Catch::Contains("-Inf"));
    config.axis = 2;
    CHECK_THROWS_WITH(quantize(Tensor::from_values<float>({2, 2}, {1, 2, 3, 4}), config, "w"),
                      Catch::Contains("w: axis 2 is out of range for shape (2, 2)"));
    config.axis = std::nullopt;
    config.dtype = DType::uint8;
    CHECK_THROWS_WITH(quantize(Tensor::from_values<float>({1}, {1}), config, "u"),
                      Catch::Contains("u: symmetric quantisation produces int8"));
    CHECK_THROWS_WITH(quantize(Tensor::from_values<std::int8_t>({1}, {1}), QuantConfig{}, "i"),
                      Catch::Contains("i: quantisation needs a float32 tensor, not int8"));
    CHECK_THROWS_WITH(parse_calibration("mse"), Catch::Contains("unknown calibration 'mse'"));
}

TEST_CASE("all-zero tensors and channels quantise to 0 with a note", "[ptq]") {
    QuantConfig config;
    config.axis = 0;
    const Tensor x = Tensor::from_values<float>({2, 2}, {0.0f, 0.0f, 1.0f, -127.0f});
    const PtqResult q = quantize(x, config, "w");
    CHECK(q.params.scales == std::vector<double>{1.0, 1.0});
    CHECK(ints(q.values) == std::vector<int>{0, 0, 1, -127});
    REQUIRE(q.notes.size() == 1);
    CHECK_THAT(q.notes[0], Catch::Contains("w: channel 0 (axis 0): every value is 0.0"));
    config.calibration = Calibration::spark_mse;
    CHECK(quantize(x, config, "w").notes.size() == 1);
}
