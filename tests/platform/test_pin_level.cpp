// SPDX-License-Identifier: Apache-2.0
// Choosing a pin-level window: the layer, the tile and the size limit are checked before anything runs.
#include <catch2/catch.hpp>

#include "spark/common/error.h"
#include "spark/platform/pin_level.h"

using namespace spark;

namespace {

struct Smoke {
    workload::Network net = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    platform::TensorData data = platform::load_tensor_data(net);
    platform::ArchConfig arch = platform::ArchConfig::spark_default();
    platform::Program program = platform::build_program(net, data, true, 0, arch.dram.size_bytes());
};

}  // namespace

TEST_CASE("a window names a layer, and optionally a tile") {
    CHECK(platform::parse_pin_level("conv1").layer == "conv1");
    CHECK_FALSE(platform::parse_pin_level("conv1").tile);
    CHECK(*platform::parse_pin_level("layer4.1.conv2:12").tile == 12);
    CHECK(platform::parse_pin_level("layer4.1.conv2:12").layer == "layer4.1.conv2");
    CHECK_THROWS_WITH(platform::parse_pin_level("conv1:"), Catch::Contains("is not a number"));
    CHECK_THROWS_WITH(platform::parse_pin_level("conv1:-1"), Catch::Contains("is not a number"));
    CHECK_THROWS_WITH(platform::parse_pin_level(":3"), Catch::Contains("a layer name is needed"));
}

TEST_CASE("the window takes the layer's descriptor and operand modes") {
    const Smoke s;
    const accelerator::PinLevelWindow w = platform::resolve_pin_level({"conv2_pw", std::nullopt}, s.net, s.program, s.arch);
    CHECK(w.enabled);
    CHECK(w.layer_id == platform::program_descriptor(s.program, w.layer_id).layer_id);
    CHECK(w.weight_mode == codec::Mode::signed_i8);
}

TEST_CASE("a window too large for the cycle-level array says what the limit is") {
    const Smoke s;
    // conv1 holds 294912 MACs.
    CHECK_NOTHROW(platform::resolve_pin_level({"conv1", 0}, s.net, s.program, s.arch, 294912));
    CHECK_THROWS_WITH(platform::resolve_pin_level({"conv1", std::nullopt}, s.net, s.program, s.arch, 1000),
                      Catch::Contains("layer 'conv1' as a whole holds 294912 MACs") &&
                          Catch::Contains("at most 1000") && Catch::Contains("'conv1:0'..'conv1:0'"));
    CHECK_THROWS_WITH(platform::resolve_pin_level({"conv1", 0}, s.net, s.program, s.arch, 1000),
                      Catch::Contains("tile 0 of layer 'conv1' holds 294912 MACs"));
}
