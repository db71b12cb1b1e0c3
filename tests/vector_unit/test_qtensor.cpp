// SPDX-License-Identifier: Apache-2.0
// The vector unit's value types: shape sizes and names, element types, quantised codes.
#include <catch2/catch.hpp>

#include <cstdint>

#include "spark/vector_unit/qtensor.h"

using namespace spark::vector_unit;
using Catch::Contains;

TEST_CASE("shapes count their elements and print as lists", "[vector_unit][types]") {
    CHECK(element_count(Shape{}) == 1);
    CHECK(element_count(Shape{1, 3, 224, 224}) == 150528);
    CHECK(element_count(Shape{4, 0, 2}) == 0);
    CHECK(to_string(Shape{1, 3, 224, 224}) == "[1, 3, 224, 224]");
    CHECK(to_string(Shape{}) == "[]");
    const Shape huge{std::int64_t{1} << 32, std::int64_t{1} << 32};
    CHECK_THROWS_AS(element_count(huge), ShapeOverflow);
    CHECK_THROWS_WITH(element_count(huge), Contains("[4294967296, 4294967296] has more elements than 64 bits"));
}

TEST_CASE("element types parse and print, quantised codes keep their sign", "[vector_unit][types]") {
    CHECK(parse_dtype("int8") == DType::int8);
    CHECK(parse_dtype("uint8") == DType::uint8);
    CHECK(to_string(DType::uint8) == "uint8");
    CHECK_THROWS_AS(parse_dtype("int4"), spark::Error);
    CHECK_THROWS_WITH(parse_dtype("int4"), Contains("unknown dtype 'int4'"));

    const Quant i8{DType::int8, 0.5, -3};
    CHECK(i8.min_code() == -128);
    CHECK(i8.max_code() == 127);
    CHECK(Quant{DType::uint8, 1.0, 0}.max_code() == 255);
    CHECK(i8 == Quant{DType::int8, 0.5, -3});
    CHECK_FALSE(i8 == Quant{DType::int8, 0.5, 0});

    QTensor t;
    t.shape = {3};
    t.quant = i8;
    t.bytes.assign(3, 0);
    t.set_code(0, -128);
    t.set_code(1, 127);
    t.set_code(2, -1);
    CHECK(t.bytes == std::vector<std::uint8_t>{0x80, 0x7F, 0xFF});
    CHECK(t.code(0) == -128);
    CHECK(t.code(2) == -1);
    t.quant.dtype = DType::uint8;  // the same bytes read unsigned
    CHECK(t.code(0) == 128);
    CHECK(t.code(2) == 255);
}
