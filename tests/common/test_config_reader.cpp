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
