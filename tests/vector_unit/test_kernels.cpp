// SPDX-License-Identifier: Apache-2.0
// The vector unit's kernels on hand-computed cases: the rounding rule, padding, zero points, saturation.
#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "spark/vector_unit/kernels.h"

using namespace spark::vector_unit;

namespace {

QTensor tensor(const Shape& shape, const Quant& q, const std::vector<int>& codes) {
    QTensor t;
    t.shape = shape;
    t.quant = q;
    for (int c : codes) t.bytes.push_back(static_cast<std::uint8_t>(c & 0xFF));
    REQUIRE(static_cast<std::int64_t>(t.bytes.size()) == element_count(shape));
    return t;
}

std::vector<int> codes(const QTensor& t) {
    std::vector<int> v;
    for (std::size_t i = 0; i < t.bytes.size(); ++i) v.push_back(t.code(i));
    return v;
}

Window2d window(std::int64_t k, std::int64_t s, std::int64_t p) {
    Window2d w;
    w.kernel_h = w.kernel_w = k;
    w.stride_h = w.stride_w = s;
    w.pad_h = w.pad_w = p;
    return w;
}

const Quant kI8{DType::int8, 1.0, 0};

}  // namespace

TEST_CASE("fixed-point multipliers and rounding", "[vector_unit][kernels]") {
    const FixedMultiplier one = make_multiplier(1.0);
    CHECK(one.mantissa == (1 << 30));
    CHECK(one.shift == 30);
    const FixedMultiplier half = make_multiplier(0.5);
    CHECK(half.mantissa == (1 << 30));
    CHECK(half.shift == 31);
    CHECK(apply(3, half) == 2);   // 1.5 -> 2
    CHECK(apply(-3, half) == -2); // -1.5 -> -2
    CHECK(apply(5, make_multiplier(0.25)) == 1);  // 1.25 -> 1
    CHECK(rounding_shift(6, 2) == 2);  // 1.5 -> 2
    CHECK(rounding_shift(-6, 2) == -2);
    CHECK(rounding_shift(5, 2) == 1);
    // Scales are descriptor fields: the smallest positive double is a multiplier that takes every input to 0.
    CHECK(rounding_shift(std::int64_t{1} << 61, 62) == 1);
    CHECK(rounding_shift(std::int64_t{1} << 61, 63) == 0);
    CHECK(rounding_shift(-(std::int64_t{1} << 61), 1000) == 0);
    const FixedMultiplier tiny = make_multiplier(4.9e-324);
    CHECK(tiny.shift == 62);
    CHECK(apply((std::int64_t{1} << 31) - 1, tiny) == 0);
    CHECK_THROWS(make_multiplier(0.0));
    CHECK_THROWS(make_multiplier(3e9));
}

TEST_CASE("max pool takes the window maximum, padding ignored", "[vector_unit][kernels]") {
    const QTensor in = tensor({1, 1, 4, 4}, kI8, {1, -5, 3, 2,  //
                                                   4, 0, -1, -2,  //
                                                   -7, -8, 9, 1,  //
                                                   -3, -4, 0, 5});
    CHECK(codes(max_pool(in, window(2, 2, 0), kI8)) == std::vector<int>{4, 3, -3, 9});
    // 3x3 windows, stride 2, padding 1: the negative corner is not lifted to 0 by the padding.
    const QTensor neg = tensor({1, 1, 2, 2}, kI8, {-5, -6, -7, -8});
    CHECK(codes(max_pool(neg, window(3, 2, 1), kI8)) == std::vector<int>{-5});
    // Requantised to a coarser uint8 output: 9 * 1.0 / 2.0 = 4.5 -> 5.
    CHECK(codes(max_pool(in, window(4, 4, 0), Quant{DType::uint8, 2.0, 0})) == std::vector<int>{5});
}

TEST_CASE("avg pool rounds half away from zero and does not count padding", "[vector_unit][kernels]") {
    const QTensor in = tensor({1, 2, 2, 2}, kI8, {1, 2, 2, 2,  // mean 1.75 -> 2
                                                  -1, -1, -2, -2});  // mean -1.5 -> -2
    CHECK(codes(avg_pool(in, window(2, 2, 0), kI8)) == std::vector<int>{2, -2});
    const QTensor ties = tensor({1, 2, 2, 2}, kI8, {1, 1, 2, 2,  // 1.5 -> 2
                                                    1, 1, 1, 2});  // 1.25 -> 1
    CHECK(codes(avg_pool(ties, window(2, 2, 0), kI8)) == std::vector<int>{2, 1});
    // 3x3 windows with padding 1 on a 2x2 map: every window sees the four values only.
    const QTensor small = tensor({1, 1, 2, 2}, kI8, {4, 4, 4, 5});
    CHECK(codes(avg_pool(small, window(3, 1, 1), kI8)) == std::vector<int>{4, 4, 4, 4});  // 17/4 = 4.25
    // uint8 with zero points: in (code - 10) * 0.5, out code = 3 + real / 0.25.
    const QTensor u = tensor({1, 1, 2, 2}, Quant{DType::uint8, 0.5, 10}, {10, 11, 12, 14});  // reals 0, .5, 1, 2
    CHECK(codes(global_avg_pool(u, Quant{DType::uint8, 0.25, 3})) == std::vector<int>{3 + 4});  // 0.875/0.25 = 3.5 -> 4
}

TEST_CASE("pooling rows from the input rows they read equal the whole pool's rows", "[vector_unit][kernels]") {
    // 6 rows of 3 in 2 channels, 3x3 windows, stride 2, padding 1: output rows 0..2.
    std::vector<int> all;
    for (int i = 0; i < 36; ++i) all.push_back((i * 37) % 23 - 11);
    const QTensor in = tensor({1, 2, 6, 3}, kI8, all);
    const Window2d w = window(3, 2, 1);
    auto rows_of = [](const QTensor& t, std::int64_t r0, std::int64_t n) {
        // Rows [r0, r0 + n) of every channel.
        QTensor o = t;
        o.shape[2] = n;
        o.bytes.clear();
        for (std::int64_t c = 0; c < t.shape[1]; ++c)
            for (std::int64_t y = r0; y < r0 + n; ++y)
                for (std::int64_t x = 0; x < t.shape[3]; ++x)
                    o.bytes.push_back(t.bytes[static_cast<std::size_t>((c * t.shape[2] + y) * t.shape[3] + x)]);
        return o;
    };
    for (const bool avg : {false, true}) {
        const QTensor whole = avg ? avg_pool(in, w, kI8) : max_pool(in, w, kI8);
        // Output row 1 reads input rows 1..3; rows 1..2 read 1..5; row 2 alone reads 3..5.
        for (const auto& [out_row, out_rows, in_row, in_rows] :
             std::vector<std::array<std::int64_t, 4>>{{1, 1, 1, 3}, {1, 2, 1, 5}, {2, 1, 3, 3}, {0, 3, 0, 6}}) {
            const PoolRows span{in_row, 6, out_row, out_rows};
            const QTensor part = rows_of(in, in_row, in_rows);
            const QTensor got = avg ? avg_pool_rows(part, span, w, kI8) : max_pool_rows(part, span, w, kI8);
            CHECK(codes(got) == codes(rows_of(whole, out_row, out_rows)));
        }
        // A window reading a row the part does not hold, and output rows past the pool's, are errors.
        CHECK_THROWS(max_pool_rows(rows_of(in, 2, 2), PoolRows{2, 6, 1, 1}, w, kI8));
        CHECK_THROWS(max_pool_rows(in, PoolRows{0, 6, 2, 2}, w, kI8));
        // The image's height is a descriptor field: a huge one costs nothing here, and the first row is the same.
        const QTensor tall = avg ? avg_pool_rows(rows_of(in, 0, 2), PoolRows{0, std::int64_t{1} << 40, 0, 1}, w, kI8)
                                 : max_pool_rows(rows_of(in, 0, 2), PoolRows{0, std::int64_t{1} << 40, 0, 1}, w, kI8);
        CHECK(codes(tall) == codes(rows_of(whole, 0, 1)));
    }
}

TEST_CASE("element-wise add requantises both inputs to the output scale", "[vector_unit][kernels]") {
    // real = 0.5 * a + 1.0 * (b - 2), out code = round(real / 1.0) + 1 in int8.
    const QTensor a = tensor({4}, Quant{DType::int8, 0.5, 0}, {1, -1, 3, 127});
    const QTensor b = tensor({4}, Quant{DType::uint8, 1.0, 2}, {2, 2, 5, 255});
    const Quant out{DType::int8, 1.0, 1};
    CHECK(codes(add(a, b, out)) == std::vector<int>{2, 0, 6, 127});  // 0.5->1, -0.5->-1, 4.5->5, saturated
    // Scales that are not powers of two: 0.1 * 7 + 0.2 * (12 - 10) = 1.1, / 0.3 = 3.67 -> 4, + 5 = 9.
    const QTensor c = tensor({1}, Quant{DType::uint8, 0.1, 0}, {7});
    const QTensor d = tensor({1}, Quant{DType::uint8, 0.2, 10}, {12});
    CHECK(codes(add(c, d, Quant{DType::uint8, 0.3, 5})) == std::vector<int>{9});
    CHECK_THROWS(add(a, tensor({2}, kI8, {0, 0}), out));
}

TEST_CASE("relu clips at the input zero point", "[vector_unit][kernels]") {
    const QTensor in = tensor({5}, Quant{DType::int8, 0.1, -2}, {-128, -3, -2, 0, 50});
    CHECK(codes(relu(in, Quant{DType::int8, 0.1, -2})) == std::vector<int>{-2, -2, -2, 0, 50});
    CHECK(codes(relu(in, Quant{DType::uint8, 0.2, 0})) == std::vector<int>{0, 0, 0, 1, 26});  // 2*0.1/0.2 = 1, 52/2
}

TEST_CASE("a zero point outside its type's codes is refused, never wraps an int", "[vector_unit][kernels]") {
    // Zero points come from descriptors: INT32_MIN would overflow code - zero point.
    const Quant far{DType::int8, 1.0, -2147483647 - 1};
    const QTensor a = tensor({1, 1, 2, 2}, far, {1, 2, 3, 4});
    const QTensor b = tensor({1, 1, 2, 2}, kI8, {1, 2, 3, 4});
    CHECK_THROWS_WITH(relu(a, kI8), Catch::Contains("zero point -2147483648 outside the int8 codes"));
    CHECK_THROWS(add(a, b, kI8));
    CHECK_THROWS(add(b, a, kI8));
    CHECK_THROWS(requantize(a, kI8));
    CHECK_THROWS(max_pool(a, window(2, 2, 0), kI8));
    CHECK_THROWS(avg_pool(b, window(2, 2, 0), Quant{DType::uint8, 1.0, 256}));
    CHECK_THROWS(concat({&b, &a}, 1, kI8));
    CHECK(codes(relu(b, Quant{DType::uint8, 1.0, 255})) == std::vector<int>{255, 255, 255, 255});
}

TEST_CASE("reshape, transpose and concat move codes", "[vector_unit][kernels]") {
    const QTensor in = tensor({1, 2, 3}, kI8, {0, 1, 2, 3, 4, 5});
    CHECK(codes(transpose(in, {0, 2, 1})) == std::vector<int>{0, 3, 1, 4, 2, 5});
    CHECK(transpose(in, {0, 2, 1}).shape == Shape{1, 3, 2});
    CHECK(reshape(in, {3, 2}).shape == Shape{3, 2});
    CHECK_THROWS(reshape(in, {4, 2}));
    const QTensor x = tensor({2, 1}, kI8, {7, 8});
    const QTensor y = tensor({2, 2}, Quant{DType::int8, 0.5, 0}, {2, 4, 6, -8});
    CHECK(codes(concat({&x, &y}, 1, kI8)) == std::vector<int>{7, 1, 2, 8, 3, -4});
    // Inputs that differ off the axis (or in rank) are refused, not read past their end.
    const QTensor short_rows = tensor({1, 2}, kI8, {1, 2});
    const QTensor flat = tensor({4}, kI8, {1, 2, 3, 4});
    CHECK_THROWS_WITH(concat({&x, &short_rows}, 1, kI8), Catch::Contains("differ off axis 1"));
    CHECK_THROWS(concat({&y, &flat}, 0, kI8));
    CHECK_THROWS(concat({&flat, &y}, 0, kI8));
}
