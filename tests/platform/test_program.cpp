// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <fstream>

#include "spark/common/error.h"
#include "spark/platform/program.h"
#include "spark/workload/network.h"

using namespace spark;

TEST_CASE("the smoke network maps onto the accelerator", "[program]") {
    const workload::Network net = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const platform::TensorData data = platform::load_tensor_data(net);
    const platform::Program p = platform::build_program(net, data, true, 0, 1ull << 30);
    CHECK(p.descriptor_count == net.layers.size());
    // A convolution's tensors are feature maps; what the linear classifier reads is one chunk per image.
    CHECK(p.tensors.at("conv1").layout == accelerator::Layout::feature_map);
    CHECK(p.tensors.at("gap").layout == accelerator::Layout::matrix);
    CHECK(p.tensors.at("gap").chunks() == 1);
    CHECK(p.tensors.at("gap").chunk_values() == 16);
    // Everything is placed inside the memory, 64-byte aligned, without overlaps.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
    for (const auto& w : p.image) spans.emplace_back(w.address, w.address + w.bytes.size());
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) CHECK(spans[i].first >= spans[i - 1].second);
    for (const auto& [name, t] : p.tensors) {
        INFO(name);
        CHECK(t.data_address % 64 == 0);
        CHECK(t.data_address + t.elements() <= p.end_address);
    }
}

TEST_CASE("SPARK storage takes fewer bytes for the preloaded weights", "[program]") {
    const workload::Network net = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const platform::TensorData data = platform::load_tensor_data(net);
    auto image_bytes = [&](bool spark) {
        std::uint64_t n = 0;
        for (const auto& w : platform::build_program(net, data, spark, 0, 1ull << 30).image) n += w.bytes.size();
        return n;
    };
    CHECK(image_bytes(true) < image_bytes(false));
}

TEST_CASE("a network that needs more memory than there is is refused", "[program]") {
    const workload::Network net = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const platform::TensorData data = platform::load_tensor_data(net);
    CHECK_THROWS_WITH(platform::build_program(net, data, true, 0, 4096), Catch::Contains("bytes of memory"));
}

TEST_CASE("the memory footprint is checked before any tensor is drawn", "[program]") {
    const workload::Network net = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    CHECK_NOTHROW(platform::check_memory_footprint(net, 1ull << 30));
    CHECK_THROWS_WITH(platform::check_memory_footprint(net, 1000),
                      Catch::Contains("smoke.yaml") && Catch::Contains("does not fit"));
}

TEST_CASE("an input zero point the array cannot take is refused with the layer's name", "[program]") {
    const std::string path = "bad_zero_point.yaml";
    std::ofstream(path) << R"(network: zp
seed: 1
inputs:
  - {name: x, shape: [1, 4, 4, 4], dtype: uint8, scale: 0.1, zero_point: 12}
layers:
  - {name: c, kind: conv2d, out_channels: 4, kernel: 1}
)";
    const workload::Network net = workload::load_workload(path);
    const platform::TensorData data = platform::load_tensor_data(net);
    CHECK_THROWS_WITH(platform::build_program(net, data, true, 0, 1ull << 30),
                      Catch::Contains("layer 'c'") && Catch::Contains("zero point 12"));
}
