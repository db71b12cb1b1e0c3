// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/common/error.h"
#include "spark/energy/core_energy.h"

using namespace spark::energy;

TEST_CASE("the shipped 28 nm table equals the built-in defaults", "[energy]") {
    const CoreEnergyConfig file = CoreEnergyConfig::from_file(SPARK_ENERGY_CONFIG_DIR "/core-28nm.json");
    CHECK(file.to_json() == CoreEnergyConfig{}.to_json());
}

TEST_CASE("fields override defaults, bad values and unknown keys name the field", "[energy]") {
    const auto c = CoreEnergyConfig::from_json(nlohmann::json{{"mac_8x8_pj", 0.5}}, "e.json");
    CHECK(c.mac_8x8_pj == 0.5);
    CHECK(c.mac_4x4_pj == CoreEnergyConfig{}.mac_4x4_pj);
    CHECK_THROWS_WITH(CoreEnergyConfig::from_json(nlohmann::json{{"mac_8x8_pj", -1}}, "e.json"),
                      Catch::Contains("e.json: mac_8x8_pj: must be a non-negative"));
    CHECK_THROWS_WITH(CoreEnergyConfig::from_json(nlohmann::json{{"mac_pj", 1}}, "e.json"),
                      Catch::Contains("unknown field(s): mac_pj"));
}

TEST_CASE("static energy is power times time", "[energy]") {
    CHECK(static_energy_pj(20.0, 500, 500.0) == Approx(20.0 * 1000.0));  // 20 mW for 1 us = 20 nJ
    CHECK_THROWS_AS(static_energy_pj(1.0, 1, 0.0), spark::Error);
}

TEST_CASE("breakdowns add up", "[energy]") {
    EnergyBreakdown a{1, 2, 3, 4, 5, 6};
    a += EnergyBreakdown{1, 1, 1, 1, 1, 1};
    CHECK(a.core_pj() == Approx(4 + 5 + 6 + 7));
    CHECK(a.total_pj() == Approx(2 + 3 + 4 + 5 + 6 + 7));
}
