// SPDX-License-Identifier: Apache-2.0
// Platform mode of the comparison: how a design is laid onto the platform.
#include <catch2/catch.hpp>

#include "spark/common/error.h"
#include "spark/compare/design.h"
#include "spark/platform/compare_platform.h"
#include "spark/workload/network.h"

using namespace spark;

namespace {
compare::Design design(const std::string& name) {
    return compare::Design::from_file(std::string(SPARK_DESIGN_DIR) + "/" + name + ".json");
}
}  // namespace

TEST_CASE("storage plan: weights at their layer's precision, activations at their widest reader's", "[compare]") {
    const workload::Network net = workload::load_workload(std::string(SPARK_TRACES_DIR) + "/smoke.yaml");
    const platform::StoragePlan ant = platform::storage_plan(net, design("ant"));
    // smoke: conv1 -> relu1 -> pool1 -> conv2_dw -> conv2_pw -> res(pool1, conv2_pw) -> gap -> fc. ANT keeps a CNN's
    // first and last array layers at 8 bits and the rest at 4.
    CHECK(ant.precision("conv1") == 8);
    CHECK(ant.precision("conv2_dw") == 4);
    CHECK(ant.precision("fc") == 8);
    CHECK(ant.precision("relu1") == 0);
    CHECK(ant.bits("image") == 8);          // read by conv1
    CHECK(ant.bits("conv1.weight") == 8);
    CHECK(ant.bits("conv2_pw.weight") == 4);
    CHECK(ant.bits("pool1") == 4);          // read by conv2_dw (and by the add)
    CHECK(ant.bits("conv1") == 8);          // read by relu1 only: its producer's precision
    CHECK(ant.bits("relu1") == 4);          // read by the pool only: the design's usual precision
    CHECK(ant.bits("gap") == 8);            // read by fc
    const platform::StoragePlan eyeriss = platform::storage_plan(net, design("eyeriss"));
    for (const char* t : {"image", "conv1", "relu1", "pool1", "res", "gap", "fc", "fc.weight"}) CHECK(eyeriss.bits(t) == 16);
}

TEST_CASE("design arch: the design's array of units on SPARK's platform", "[compare]") {
    const platform::ArchConfig spark = platform::ArchConfig::spark_default();
    const platform::ArchConfig a = platform::design_arch(spark, design("olaccel"));
    const auto& array = a.accelerator.datapath.array;
    CHECK(array.pe_type == pe::PeType::unit);
    CHECK(array.rows == 16);
    CHECK(array.cols == 18);
    CHECK(array.unit.pmax_bits == 8);
    CHECK(array.unit.pmin_bits == 4);
    CHECK_FALSE(a.spark_storage);
    CHECK_FALSE(array.codec_enabled);
    CHECK(a.dram.name == spark.dram.name);
    CHECK(a.weight_buffer.capacity_bytes == spark.weight_buffer.capacity_bytes);
    CHECK(a.accelerator.datapath.clock_mhz == spark.accelerator.datapath.clock_mhz);
    CHECK(a.energy.unit_dynamic_pj == Approx(0.5599));
    // SPARK's own design keeps its platform; only its core is costed per unit like the others.
    const platform::ArchConfig s = platform::design_arch(spark, design("spark"));
    CHECK(s.spark_storage);
    CHECK(s.accelerator.datapath.array.pe_type == pe::PeType::mixed_width);
    CHECK(s.energy.per_unit());
}
