// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/common/error.h"
#include "spark/platform/arch.h"

using spark::platform::ArchConfig;
using nlohmann::json;

TEST_CASE("the built-in architecture is the paper's budget", "[arch]") {
    const ArchConfig a = ArchConfig::spark_default();
    const auto& array = a.accelerator.datapath.array;
    CHECK(array.rows * array.cols * 4 == 4096);  // 4-bit MAC units
    CHECK(a.weight_buffer.capacity_bytes + a.activation_buffer.capacity_bytes + a.output_buffer.capacity_bytes ==
          5ull << 20);
    CHECK(a.accelerator.datapath.clock_mhz == 500.0);
    CHECK(a.spark_storage);
    CHECK(array.codec_enabled);
}

TEST_CASE("the baseline keeps the peak 8-bit throughput and drops the codec", "[arch]") {
    const ArchConfig b = ArchConfig::spark_default().baseline();
    CHECK_FALSE(b.spark_storage);
    CHECK_FALSE(b.accelerator.datapath.array.codec_enabled);
    CHECK(b.accelerator.datapath.array.pe_type == spark::pe::PeType::int8);
    CHECK(b.accelerator.datapath.array.rows == 32);
    CHECK(b.weight_buffer.capacity_bytes == ArchConfig::spark_default().weight_buffer.capacity_bytes);
}

TEST_CASE("the shipped example architecture loads", "[arch]") {
    const ArchConfig a = ArchConfig::from_file(SPARK_PLATFORM_CONFIG_DIR "/spark-int4-lpddr4.json");
    CHECK(a.accelerator.datapath.array.pe_type == spark::pe::PeType::int4_shift);
    CHECK(a.accelerator.datapath.array.rows == 64);
    CHECK(a.dram.name == "LPDDR4-4266");
}

TEST_CASE("a buffer field given alone keeps the other defaults", "[arch]") {
    const ArchConfig def = ArchConfig::spark_default();
    const ArchConfig a = ArchConfig::from_json(json{{"buffers", {{"weight", {{"banks", 8}}}}}}, "a.json");
    CHECK(a.weight_buffer.banks == 8);
    CHECK(a.weight_buffer.capacity_bytes == def.weight_buffer.capacity_bytes);
    CHECK(a.weight_buffer.word_bits == def.weight_buffer.word_bits);
    CHECK(a.weight_buffer.double_buffered == def.weight_buffer.double_buffered);
    CHECK(a.weight_buffer.name == def.weight_buffer.name);
}

TEST_CASE("files named by an architecture file resolve beside it", "[arch]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / fmt::format("spark-arch-{}", ::getpid());
    fs::create_directories(dir / "sub");
    auto write = [](const fs::path& p, const json& j) { std::ofstream(p) << j.dump(); };
    write(dir / "sub" / "energy.json", json{{"mac_4x4_pj", 0.5}});
    write(dir / "arch.json", json{{"energy", "sub/energy.json"}});
    const ArchConfig a = ArchConfig::from_file((dir / "arch.json").string());
    CHECK(a.energy.mac_4x4_pj == 0.5);
    // The same relative path from a file elsewhere is looked up beside that file, and the error names it.
    fs::create_directories(dir / "other");
    write(dir / "other" / "arch.json", json{{"energy", "sub/energy.json"}});
    CHECK_THROWS_WITH(ArchConfig::from_file((dir / "other" / "arch.json").string()),
                      Catch::Contains("energy") && Catch::Contains("other/sub/energy.json"));
    fs::remove_all(dir);
}

TEST_CASE("the codec banks' sizes are read, written back and reach the accelerator", "[arch]") {
    const ArchConfig a = ArchConfig::from_json(json{{"activation_decoders", 16}, {"encoders", 8}}, "a.json");
    CHECK(a.accelerator.datapath.weight_decoders == 64);
    CHECK(a.accelerator.datapath.activation_decoders == 16);
    CHECK(a.accelerator.datapath.encoders == 8);
    CHECK(ArchConfig::from_json(a.to_json(), "b.json").accelerator.datapath.encoders == 8);
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"weight_decoders", 0}}, "a.json"),
                      Catch::Contains("a.json") && Catch::Contains("weight_decoders"));
}

TEST_CASE("architecture errors name the file and the field", "[arch]") {
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"clock_mhz", 0}}, "a.json"), Catch::Contains("a.json: clock_mhz"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"vector_lane", 4}}, "a.json"), Catch::Contains("vector_lane"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"storage", "fp8"}}, "a.json"), Catch::Contains("storage"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"storage", "int8"}, {"array", {{"codec", true}}}}, "a.json"),
                      Catch::Contains("array.codec"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"dram", "DDR9-9999"}}, "a.json"),
                      Catch::StartsWith("a.json: dram: ") && Catch::Contains("DDR9-9999"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"array", {{"pe", "int3"}}}}, "a.json"),
                      Catch::StartsWith("a.json: array: pe: ") && Catch::Contains("int3"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"array", {{"dataflow", "xs"}}}}, "a.json"),
                      Catch::StartsWith("a.json: array: dataflow: ") && Catch::Contains("xs"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"energy", "/nonexistent.json"}}, "a.json"),
                      Catch::StartsWith("a.json: energy: "));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"buffers", {{"weight", {{"capacity_bytes", 0}}}}}}, "a.json"),
                      Catch::Contains("buffers.weight"));
    CHECK_THROWS_WITH(ArchConfig::from_json(json{{"dma", {{"burst_bytes", 0}}}}, "a.json"),
                      Catch::Contains("burst_bytes"));
}
