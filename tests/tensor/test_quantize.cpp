// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <limits>

#include "spark/common/error.h"
#include "spark/tensor/quantize.h"

using namespace spark::tensor;

namespace {

template <typename T>
std::vector<int> as_ints(const Tensor& t) {
    std::vector<int> out;
    for (T v : t.values<T>()) out.push_back(v);
    return out;
}

}  // namespace

TEST_CASE("symmetric quantisation: scale max|x|/127, zero point 0, round half to even", "[quantize]") {
    const Tensor x = Tensor::from_values<float>({6}, {127.0f, -63.5f, 0.5f, 1.5f, -2.5f, 2.6f});
    const QuantResult q = quantize(x, QuantScheme::symmetric, DType::int8, "x");
    CHECK(q.params.scale == 1.0);
    CHECK(q.params.zero_point == 0);
    CHECK_FALSE(q.all_zero);
    CHECK(as_ints<std::int8_t>(q.values) == std::vector<int>{127, -64, 0, 2, -2, 3});
    CHECK(dequantize(q.values, q.params).values<float>() ==
          std::vector<float>{127.0f, -64.0f, 0.0f, 2.0f, -2.0f, 3.0f});

    // The largest magnitude maps to +-127 whatever its sign; -128 is never produced.
    const Tensor y = Tensor::from_values<float>({3}, {-0.5f, 0.125f, 0.0f});
    const QuantResult qy = quantize(y, QuantScheme::symmetric, DType::int8, "y");
    CHECK(qy.params.scale == 0.5 / 127.0);
    CHECK(as_ints<std::int8_t>(qy.values) == std::vector<int>{-127, 32, 0});
}

TEST_CASE("asymmetric quantisation spans the target range and keeps 0.0 exact", "[quantize]") {
    SECTION("uint8") {
        const Tensor x = Tensor::from_values<float>({3}, {-1.0f, 0.0f, 3.0f});
        const QuantResult q = quantize(x, QuantScheme::asymmetric, DType::uint8, "x");
        CHECK(q.params.scale == 4.0 / 255.0);
        CHECK(q.params.zero_point == 64);  // round(63.75)
        CHECK(as_ints<std::uint8_t>(q.values) == std::vector<int>{0, 64, 255});
    }
    SECTION("uint8 with an integer scale") {
        const Tensor x = Tensor::from_values<float>({3}, {-51.0f, 0.0f, 204.0f});
        const QuantResult q = quantize(x, QuantScheme::asymmetric, DType::uint8, "x");
        CHECK(q.params.scale == 1.0);
        CHECK(q.params.zero_point == 51);
        CHECK(as_ints<std::uint8_t>(q.values) == std::vector<int>{0, 51, 255});
        CHECK(dequantize(q.values, q.params).values<float>() == std::vector<float>{-51.0f, 0.0f, 204.0f});
    }
    SECTION("int8 with a zero point") {
        const Tensor x = Tensor::from_values<float>({3}, {-51.0f, 0.0f, 204.0f});
        const QuantResult q = quantize(x, QuantScheme::asymmetric, DType::int8, "x");
        CHECK(q.params.scale == 1.0);
        CHECK(q.params.zero_point == -77);
        CHECK(as_ints<std::int8_t>(q.values) == std::vector<int>{-128, -77, 127});
        CHECK(dequantize(q.values, q.params).values<float>() == std::vector<float>{-51.0f, 0.0f, 204.0f});
    }
    SECTION("a positive-only range still includes 0") {
        const Tensor x = Tensor::from_values<float>({2}, {2.0f, 4.0f});
        const QuantResult q = quantize(x, QuantScheme::asymmetric, DType::uint8, "x");
        CHECK(q.params.zero_point == 0);
        CHECK(as_ints<std::uint8_t>(q.values) == std::vector<int>{128, 255});  // 127.5 rounds to even
    }
}

TEST_CASE("NaN and Inf are refused with the element named", "[quantize]") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor x = Tensor::from_values<float>({2, 3}, {0.0f, 1.0f, 2.0f, 3.0f, nan, 5.0f});
    CHECK_THROWS_WITH(quantize(x, QuantScheme::symmetric, DType::int8, "w.npy"),
                      Catch::Contains("w.npy: element 4 (index [1, 1]) is NaN"));
    const Tensor y = Tensor::from_values<float>({2}, {-inf, 1.0f});
    CHECK_THROWS_WITH(quantize(y, QuantScheme::asymmetric, DType::uint8, "a.npy"),
                      Catch::Contains("a.npy: element 0 (index [0]) is -Inf"));
    const Tensor z = Tensor::from_values<float>({1}, {inf});
    CHECK_THROWS_WITH(measure_range(z, "z"), Catch::Contains("is +Inf"));
}

TEST_CASE("an all-zero tensor gets scale 1 and zero point 0", "[quantize]") {
    const Tensor x(Shape{4}, DType::float32);
    for (QuantScheme scheme : {QuantScheme::symmetric, QuantScheme::asymmetric}) {
        for (DType dtype : {DType::int8, DType::uint8}) {
            if (scheme == QuantScheme::symmetric && dtype == DType::uint8) continue;
            const QuantResult q = quantize(x, scheme, dtype, "zeros");
            CHECK(q.all_zero);
            CHECK(q.params.scale == 1.0);
            CHECK(q.params.zero_point == 0);
            CHECK(q.values.dtype() == dtype);
            CHECK(q.values.size() == 4);
            for (std::size_t i = 0; i < q.values.size(); ++i) CHECK(q.values.bytes()[i] == 0);
        }
    }
}

TEST_CASE("invalid quantisation requests are refused", "[quantize]") {
    const Tensor x = Tensor::from_values<float>({1}, {1.0f});
    CHECK_THROWS_WITH(quantize(x, QuantScheme::symmetric, DType::uint8, "x"),
                      Catch::Contains("symmetric quantisation produces int8"));
    CHECK_THROWS_WITH(quantize(x, QuantScheme::asymmetric, DType::int32, "x"), Catch::Contains("int8 or uint8"));
    CHECK_THROWS_WITH(parse_quant_scheme("minmax"), Catch::Contains("'minmax'"));
    QuantParams bad;
    bad.scale = 0.0;
    CHECK_THROWS_WITH(quantize(x, bad, "x"), Catch::Contains("not a positive finite number"));
}
