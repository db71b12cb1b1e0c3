// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/common/config_reader.h"

using spark::ConfigReader;
using nlohmann::json;

TEST_CASE("fields are read with their types and defaults", "[config]") {
    const json j = json::parse(R"({"rows": 32, "name": "spark", "clock_mhz": 500.5, "dram": {"preset": "DDR4-3200"}})");
    ConfigReader r(j, "arch.json");
    CHECK(r.require<int>("rows") == 32);
    CHECK(r.get<std::string>("name", "x") == "spark");
    CHECK(r.get<double>("clock_mhz", 0.0) == Approx(500.5));
    CHECK(r.get<int>("cols", 7) == 7);
    CHECK_FALSE(r.optional<int>("banks").has_value());
    ConfigReader dram = r.child("dram");
    CHECK(dram.require<std::string>("preset") == "DDR4-3200");
    CHECK_NOTHROW(dram.finish());
    CHECK_NOTHROW(r.finish());
}

TEST_CASE("errors name the file and the dotted field path", "[config]") {
    const json j = json::parse(R"({"dram": {"tRCD_cycles": -3, "typo": 1}, "rows": "many"})");
    ConfigReader r(j, "arch.json");
    CHECK_THROWS_WITH(r.require<int>("rows"), Catch::Contains("arch.json: rows: expected an integer"));
    CHECK_THROWS_WITH(r.require<int>("cols"), Catch::Contains("cols: required field is missing"));
    ConfigReader dram = r.child("dram");
    CHECK_THROWS_WITH(dram.require<unsigned>("tRCD_cycles"), Catch::Contains("dram.tRCD_cycles: expected a non-negative"));
    CHECK_THROWS_WITH(dram.require_positive<int>("tRCD_cycles"), Catch::Contains("must be positive, got -3"));
    CHECK_THROWS_WITH(dram.finish(), Catch::Contains("unknown field(s): dram.typo"));
}

TEST_CASE("a non-object and bad JSON are rejected with the file name", "[config]") {
    CHECK_THROWS_WITH(ConfigReader(json::array(), "x.json"), Catch::Contains("x.json: expected an object"));
    CHECK_THROWS_WITH(ConfigReader::parse_file("/nonexistent/arch.json"), Catch::Contains("/nonexistent/arch.json: cannot open"));
}

TEST_CASE("an integer the field cannot hold is an error, never truncated", "[config]") {
    const json j = json::parse(R"({"banks": 4294967300, "big": 18446744073709551615, "neg": -129, "ok": 4294967295})");
    ConfigReader r(j, "sram.json");
    CHECK_THROWS_WITH(r.require<unsigned>("banks"),
                      Catch::Contains("sram.json: banks: out of range: must be 0 to 4294967295, got 4294967300"));
    CHECK(r.require<std::uint64_t>("banks") == 4294967300ull);
    CHECK(r.require<std::uint64_t>("big") == 18446744073709551615ull);
    CHECK_THROWS_WITH(r.require<std::int64_t>("big"), Catch::Contains("big: out of range"));
    CHECK_THROWS_WITH(r.require<std::uint64_t>("neg"), Catch::Contains("neg: expected a non-negative integer, got -129"));
    CHECK_THROWS_WITH(r.require<std::int8_t>("neg"), Catch::Contains("neg: out of range: must be -128 to 127"));
    CHECK(r.require<std::int16_t>("neg") == -129);
    CHECK(r.require<unsigned>("ok") == 4294967295u);
    CHECK_THROWS_WITH(r.require<int>("ok"), Catch::Contains("ok: out of range: must be -2147483648 to 2147483647"));
    // Integers built in C++ (signed storage) take the same checks.
    const json k{{"n", std::int64_t{1} << 40}, {"m", -1}};
    ConfigReader c(k, "built");
    CHECK_THROWS_WITH(c.require<unsigned>("n"), Catch::Contains("n: out of range"));
    CHECK(c.require<std::uint64_t>("n") == (std::uint64_t{1} << 40));
    CHECK_THROWS_WITH(c.require<unsigned>("m"), Catch::Contains("m: expected a non-negative integer"));
}
