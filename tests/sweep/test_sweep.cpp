// SPDX-License-Identifier: Apache-2.0
// The sweep file, its expansion into points, constraints and the errors bad input gets.
#include <catch2/catch.hpp>

#include "spark/common/error.h"
#include "sweep.h"

using namespace spark::sweep;
using Catch::Matchers::Contains;

namespace {

const std::string traces = SPARK_TRACES_DIR;

Sweep parse(const std::string& body) {
    return parse_sweep("sweep: t\nworkloads: [smoke.yaml]\n" + body, "t.yaml", traces);
}

std::string error_of(const std::string& body) {
    try {
        expand(parse(body));
    } catch (const spark::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a grid expands every combination, the last axis fastest") {
    const Plan p = expand(parse("axes:\n  array.rows: [8, 16, 32]\n  dram: [DDR4-3200, HBM2]\n"));
    REQUIRE(p.points.size() == 6);
    const Sweep s = parse("axes:\n  array.rows: [8, 16, 32]\n  dram: [DDR4-3200, HBM2]\n");
    CHECK(p.points[0].describe(s) == "array.rows=8, dram=DDR4-3200");
    CHECK(p.points[1].describe(s) == "array.rows=8, dram=HBM2");
    CHECK(p.points[5].describe(s) == "array.rows=32, dram=HBM2");
    CHECK(p.points[3].arch["array"]["rows"] == 16);
    CHECK(p.points[3].arch["dram"] == "HBM2");
    CHECK(p.points[3].pes == 16 * 32);
    // No reference given: the first point.
    REQUIRE(p.reference_index);
    CHECK(*p.reference_index == 0);
    // Ids follow the architecture, not the position.
    CHECK(p.points[0].id != p.points[1].id);
    CHECK(p.points[0].id == expand(parse("axes:\n  array.rows: [8]\n  dram: [DDR4-3200]\n")).points[0].id);
}

TEST_CASE("a named axis sets several fields, and the reference may lie outside the grid") {
    const Sweep s = parse(
        "axes:\n"
        "  design:\n"
        "    spark: {storage: spark, array.pe: mixed}\n"
        "    int8: {storage: int8, array.pe: int8}\n"
        "  buffers.weight.capacity_bytes: [1048576, 2097152]\n"
        "constraints:\n  small: buffers.weight.capacity_bytes < 2 MiB\n"
        "reference: {design: int8, buffers.weight.capacity_bytes: 2097152}\n");
    const Plan p = expand(s);
    REQUIRE(p.points.size() == 2);
    CHECK(p.points[1].arch["storage"] == "int8");
    CHECK(p.points[1].arch["array"]["pe"] == "int8");
    CHECK(p.points[1].pe == "int8");
    REQUIRE(p.dropped.size() == 2);
    CHECK(p.dropped[0].constraint == "small");
    CHECK(p.dropped[0].index == 1);
    CHECK_FALSE(p.reference_index);
    CHECK(p.reference.label == "ref");
    CHECK(p.reference.describe(s) == "design=int8, buffers.weight.capacity_bytes=2097152");
}

TEST_CASE("constraints see derived quantities and every architecture field, defaults included") {
    const Plan p = expand(parse("axes:\n  array.rows: [16, 32, 64]\n  array.cols: [16, 32, 64]\n"
                                "constraints:\n  square: array.rows == array.cols\n"
                                "  budget: pes * 320 + buffer_bytes <= 5 MiB + 1024 * 320\n"
                                "  ddr4: dram == \"DDR4-3200\" && !(clock_mhz > 500)\n"));
    REQUIRE(p.points.size() == 2);
    CHECK(p.points[1].pes == 32 * 32);
    CHECK(p.points[1].area == Approx(1024 * 320.0 + 5 * 1048576.0));
}

TEST_CASE("explicit points instead of the grid") {
    const Plan p = expand(parse("axes:\n  array.rows: [16, 32]\n  array.cols: [16, 32]\n"
                                "points:\n  - {array.rows: 16, array.cols: 32}\n  - {array.rows: 32, array.cols: 32}\n"));
    REQUIRE(p.points.size() == 2);
    CHECK(p.points[0].pes == 16 * 32);
    CHECK_THAT(error_of("axes:\n  array.rows: [16, 32]\npoints:\n  - {array.rows: 8}\n"),
               Contains("points[0]: axis 'array.rows' has no value 8"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16, 32]\n  array.cols: [16]\npoints:\n  - {array.rows: 16}\n"),
               Contains("no value for axis 'array.cols'"));
}

TEST_CASE("bad input names the file and the axis, constraint or point") {
    // An axis naming a field the architecture does not have: the loader's own message.
    CHECK_THAT(error_of("axes:\n  array.rowz: [16]\n"), Contains("t.yaml: axis 'array.rowz' value 16"));
    CHECK_THAT(error_of("axes:\n  array.rowz: [16]\n"), Contains("array: unknown field(s): rowz"));
    CHECK_THAT(error_of("axes:\n  storagee: [spark]\n"), Contains("unknown field(s): storagee"));
    // A value the field refuses.
    CHECK_THAT(error_of("axes:\n  array.rows: [16, 0]\n"), Contains("t.yaml: axis 'array.rows' value 0"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16, 0]\n"), Contains("rows must be in 1..4096, got 0"));
    CHECK_THAT(error_of("axes:\n  dram: [DDR5]\n"), Contains("axis 'dram' value DDR5: dram: unknown DRAM preset"));
    CHECK_THAT(error_of("axes:\n  storage: [spark, fp8]\n"), Contains("'fp8' is not 'spark' or 'int8'"));
    // A field inside one that is not an object.
    CHECK_THAT(error_of("axes:\n  dram.channels: [2]\n"), Contains("axis 'dram.channels'"));
    // Values that each pass alone but not together: the point is named.
    CHECK_THAT(error_of("axes:\n  storage: [spark, int8]\n  array.codec: [true]\n"),
               Contains("t.yaml: point 1 (storage=int8, array.codec=true)"));
    // Empty grids.
    CHECK_THAT(error_of("axes: {}\n"), Contains("the grid is empty"));
    CHECK_THAT(error_of(""), Contains("the grid is empty"));
    CHECK_THAT(error_of("axes:\n  array.rows: []\n"), Contains("axis 'array.rows': the axis has no values"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\npoints: []\n"), Contains("the grid is empty"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16, 32]\nconstraints:\n  none: array.rows > 64\n"),
               Contains("every one of the 2 point(s) is dropped"));
    // Constraints.
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\nconstraints:\n  c: array.rows >\n"),
               Contains("constraint 'c': expression ends early"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\nconstraints:\n  c: array.height > 3\n"),
               Contains("point 0 (array.rows=16): constraint 'c' (array.height > 3): 'array.height' is not a field"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\nconstraints:\n  c: dram > 3\n"), Contains("needs numbers"));
    // The file itself.
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\nbogus: 1\n"), Contains("unknown key 'bogus'"));
    CHECK_THAT(error_of("axes:\n  array.rows: [16]\nreference: {array.cols: 3}\n"),
               Contains("'array.cols' is not an axis of this sweep"));
    CHECK_THROWS_WITH(parse_sweep("sweep: t\nworkloads: [nope.yaml]\naxes: {array.rows: [1]}\n", "t.yaml", traces),
                      Contains("t.yaml:2: workloads:") && Contains("nope.yaml is not a file"));
    CHECK_THROWS_WITH(load_sweep("/nonexistent/s.yaml"), Contains("/nonexistent/s.yaml: cannot open"));
}

TEST_CASE("expressions") {
    auto eval = [](const std::string& text) {
        return std::get<double>(Expr::parse(text, "e").evaluate([](const std::string& p) -> Value {
            if (p == "a") return 3.0;
            return std::string("x");
        }));
    };
    CHECK(eval("1 + 2 * 3") == 7);
    CHECK(eval("(1 + 2) * 3") == 9);
    CHECK(eval("-a + 10 / 2") == 2);
    CHECK(eval("a <= 3 && a >= 3 && !(a < 3) && a != 4") == 1);
    CHECK(eval("b == \"x\" || a > 5") == 1);
    CHECK(eval("2 KiB") == 2048);
    CHECK_THROWS_WITH(eval("1 / 0"), Contains("division by zero"));
    CHECK_THROWS_WITH(Expr::parse("a + (b", "c"), Contains("c: expected ')'"));
    CHECK_THROWS_WITH(Expr::parse("a # b", "c"), Contains("unexpected '# b' at column 3"));
}
