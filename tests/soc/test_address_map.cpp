// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spark/common/error.h"
#include "spark/interconnect/address_map.h"

using spark::interconnect::AddressMap;
using spark::interconnect::Region;

namespace {

AddressMap example() {
    return AddressMap({{"dram", 0x8000'0000, 0x1000'0000, 0, 0}, {"csr", 0x4000'0000, 0x200, 1, 0},
                       {"sram", 0x1000, 0x1000, 2, 0x100}});
}

}  // namespace

TEST_CASE("decode finds the region holding the whole access and translates") {
    const AddressMap map = example();
    const Region* r = map.decode(0x8000'0010, 64);
    REQUIRE(r != nullptr);
    CHECK(r->name == "dram");
    CHECK(r->to_target(0x8000'0010) == 0x10);
    CHECK(r->from_target(0x10) == 0x8000'0010);
    const Region* s = map.decode(0x1010, 4);
    REQUIRE(s != nullptr);
    CHECK(s->to_target(0x1010) == 0x110);
    CHECK(map.decode(0x4000'01FC, 4) != nullptr);
    CHECK(map.decode(0x4000'01FC, 8) == nullptr);  // runs past the region's end
    CHECK(map.decode(0x4000'0200, 4) == nullptr);
    CHECK(map.decode(0x0, 4) == nullptr);
    CHECK(map.decode(0x8FFF'FFFF, 1) != nullptr);
    CHECK(map.decode(0x9000'0000, 1) == nullptr);
}

TEST_CASE("the gap around an unmapped address ends at the neighbouring regions") {
    const AddressMap map = example();
    const auto [first, last] = map.gap_around(0x5000'0000);
    CHECK(first == 0x4000'0200);
    CHECK(last == 0x7FFF'FFFF);
    const auto [low, high] = map.gap_around(0x10);
    CHECK(low == 0);
    CHECK(high == 0xFFF);
}

TEST_CASE("overlapping, empty and wrapping regions are rejected with their names") {
    CHECK_THROWS_WITH(AddressMap({{"a", 0x1000, 0x100, 0, 0}, {"b", 0x10FF, 0x10, 1, 0}}),
                      Catch::Contains("'b'") && Catch::Contains("overlaps 'a'"));
    CHECK_THROWS_WITH(AddressMap({{"empty", 0x1000, 0, 0, 0}}), Catch::Contains("'empty' has size 0"));
    CHECK_THROWS_WITH(AddressMap({{"top", 0xFFFF'FFFF'FFFF'FF00, 0x200, 0, 0}}),
                      Catch::Contains("'top'") && Catch::Contains("past the end"));
    CHECK_NOTHROW(AddressMap({{"top", 0xFFFF'FFFF'FFFF'FF00, 0x100, 0, 0}}));
}

TEST_CASE("address maps read from JSON accept hex strings and name bad fields") {
    const auto j = nlohmann::json::parse(R"({"regions": [
        {"name": "dram", "base": "0x80000000", "size_bytes": 268435456, "target": 0},
        {"name": "csr", "base": 1073741824, "size_bytes": "0x200", "target": 1, "offset": 0}]})");
    const AddressMap map = AddressMap::from_json(j, "map.json");
    REQUIRE(map.regions().size() == 2);
    CHECK(map.regions()[0].name == "csr");
    CHECK(map.regions()[1].base == 0x8000'0000);

    auto bad = [](const char* text) { return AddressMap::from_json(nlohmann::json::parse(text), "map.json"); };
    CHECK_THROWS_WITH(bad(R"({"regions": [{"name": "x", "base": "0xZZ", "size_bytes": 4, "target": 0}]})"),
                      Catch::Contains("map.json: regions[0].base"));
    CHECK_THROWS_WITH(bad(R"({"regions": [{"name": "x", "base": 0, "size_bytes": 4, "target": 0, "colour": 1}]})"),
                      Catch::Contains("regions[0].colour"));
    CHECK_THROWS_WITH(bad(R"({"regions": [{"name": "x", "base": 0, "size_bytes": 4}]})"),
                      Catch::Contains("regions[0].target"));
    CHECK_THROWS_WITH(bad(R"({"regions": [{"name": "a", "base": 0, "size_bytes": 8, "target": 0},
                                          {"name": "b", "base": 4, "size_bytes": 8, "target": 1}]})"),
                      Catch::Contains("map.json") && Catch::Contains("overlaps"));
    CHECK_THROWS_WITH(bad(R"({"regions": {}})"), Catch::Contains("regions: expected an array"));
}
