// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/arch.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"

namespace spark::platform {

namespace {

buffer::SramConfig default_buffer(const char* name, std::uint64_t capacity_bytes) {
    buffer::SramConfig c = accelerator::AcceleratorConfig::default_buffer(name);
    c.capacity_bytes = capacity_bytes;
    return c;
}

nlohmann::json buffer_json(const buffer::SramConfig& c) {
    return {{"capacity_bytes", c.capacity_bytes}, {"word_bits", c.word_bits}, {"banks", c.banks},
            {"ports", c.ports}, {"read_latency_cycles", c.read_latency_cycles},
            {"write_latency_cycles", c.write_latency_cycles}, {"double_buffered", c.double_buffered}};
}

}  // namespace

ArchConfig ArchConfig::spark_default() {
    ArchConfig a;
    a.accelerator.datapath.array = pe_array::ArrayConfig::defaults_for(pe::PeType::mixed_width);
    a.accelerator.datapath.clock_mhz = 500.0;
    a.weight_buffer = default_buffer("weight_buffer", 2ull << 20);
    a.activation_buffer = default_buffer("activation_buffer", 2ull << 20);
    a.output_buffer = default_buffer("output_buffer", 1ull << 20);
    a.dram = dram::DramConfig::from_preset("DDR4-3200");
    a.sync_datapath();
    return a;
}

void ArchConfig::sync_datapath() {
    for (auto* b : {&weight_buffer, &activation_buffer, &output_buffer}) b->clock_mhz = accelerator.datapath.clock_mhz;
    accelerator.datapath.weight_buffer_bytes = weight_buffer.capacity_bytes;
    accelerator.datapath.activation_buffer_bytes = activation_buffer.capacity_bytes;
    accelerator.datapath.output_buffer_bytes = output_buffer.capacity_bytes;
    accelerator.datapath.weight_double_buffered = weight_buffer.double_buffered;
    accelerator.datapath.activation_double_buffered = activation_buffer.double_buffered;
    accelerator.datapath.output_double_buffered = output_buffer.double_buffered;
    accelerator.weight_buffer = weight_buffer;
    accelerator.activation_buffer = activation_buffer;
    accelerator.output_buffer = output_buffer;
    accelerator.datapath.array.codec_enabled = spark_storage;
    accelerator.dma.clock_period = accelerator.datapath.clock_period();
}

ArchConfig ArchConfig::from_file(const std::string& path) {
    return from_json(ConfigReader::parse_file(path), path, std::filesystem::path(path).parent_path().string());
}

ArchConfig ArchConfig::from_json(const nlohmann::json& object, const std::string& source, const std::string& base_dir) {
    // Files named by an architecture file sit beside it, as .npy files beside a workload.
    auto resolve = [&](const std::string& file) {
        const std::filesystem::path p(file);
        return p.is_relative() && !base_dir.empty() ? (std::filesystem::path(base_dir) / p).string() : file;
    };
    ArchConfig a = spark_default();
    ConfigReader r(object, source);
    a.name = r.get<std::string>("name", a.name);
    const std::string storage = r.get<std::string>("storage", "spark");
    if (storage != "spark" && storage != "int8") r.fail("storage", fmt::format("'{}' is not 'spark' or 'int8'", storage));
    a.spark_storage = storage == "spark";
    a.accelerator.datapath.clock_mhz = r.get<double>("clock_mhz", a.accelerator.datapath.clock_mhz);
    if (!(a.accelerator.datapath.clock_mhz > 0)) r.fail("clock_mhz", "must be positive");
    a.accelerator.datapath.vector_lanes = r.get<unsigned>("vector_lanes", a.accelerator.datapath.vector_lanes);
    a.accelerator.datapath.weight_decoders = r.get<unsigned>("weight_decoders", a.accelerator.datapath.weight_decoders);
    a.accelerator.datapath.activation_decoders =
        r.get<unsigned>("activation_decoders", a.accelerator.datapath.activation_decoders);
    a.accelerator.datapath.encoders = r.get<unsigned>("encoders", a.accelerator.datapath.encoders);
    if (r.has("array")) {
        nlohmann::json array = r.raw("array");
        if (array.is_object() && !array.contains("codec")) array["codec"] = a.spark_storage;
        a.accelerator.datapath.array = pe_array::read_array_config(array, source + ": array");
        if (a.accelerator.datapath.array.codec_enabled != a.spark_storage)
            r.fail("array.codec", "must match storage: the decoders exist exactly when values are stored as SPARK codes");
    }
    if (r.has("buffers")) {
        ConfigReader b = r.child("buffers");
        auto read = [&](const char* key, buffer::SramConfig& c) {
            if (!b.has(key)) return;
            c = buffer::SramConfig::from_json(b.raw(key), fmt::format("{}: buffers.{}", source, key), c);
        };
        read("weight", a.weight_buffer);
        read("activation", a.activation_buffer);
        read("output", a.output_buffer);
        b.finish();
    }
    if (r.has("dma")) {
        ConfigReader d = r.child("dma");
        auto& dma = a.accelerator.dma;
        dma.burst_bytes = d.get<std::uint32_t>("burst_bytes", dma.burst_bytes);
        dma.max_outstanding = d.get<std::uint32_t>("max_outstanding", dma.max_outstanding);
        dma.issue_interval_cycles = d.get<std::uint32_t>("issue_interval_cycles", dma.issue_interval_cycles);
        const std::string protocol = d.get<std::string>("protocol", dma::to_string(dma.protocol));
        if (protocol != "lt" && protocol != "at") d.fail("protocol", fmt::format("'{}' is not lt or at", protocol));
        dma.protocol = dma::protocol_from_string(protocol);
        if (dma.burst_bytes == 0) d.fail("burst_bytes", "must be positive");
        if (dma.max_outstanding == 0) d.fail("max_outstanding", "must be positive");
        d.finish();
    }
    // Presets and files named here carry their own name in their errors; the field says where it was asked for.
    auto named = [&](const char* key, auto read) {
        try {
            read();
        } catch (const Error& e) {
            r.fail(key, e.what());
        }
    };
    if (r.has("dram")) {
        const nlohmann::json& d = r.raw("dram");
        if (d.is_string()) {
            const std::string name = d.get<std::string>();
            named("dram", [&] {
                const bool is_file = name.size() > 5 && name.substr(name.size() - 5) == ".json";
                a.dram = is_file ? dram::DramConfig::from_file(resolve(name)) : dram::DramConfig::from_preset(name);
            });
        } else {
            a.dram = dram::DramConfig::from_json(d, source + ": dram");
        }
    }
    if (r.has("energy")) {
        const nlohmann::json& e = r.raw("energy");
        if (e.is_string())
            named("energy", [&] { a.energy = energy::CoreEnergyConfig::from_file(resolve(e.get<std::string>())); });
        else
            a.energy = energy::CoreEnergyConfig::from_json(e, source + ": energy");
    }
    r.finish();
    a.sync_datapath();
    try {
        a.accelerator.datapath.validate();
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", source, e.what()));
    }
    return a;
}

ArchConfig ArchConfig::baseline() const {
    ArchConfig b = *this;
    b.name = name + "-int8-baseline";
    b.spark_storage = false;
    const auto& mine = accelerator.datapath.array;
    b.accelerator.datapath.array = pe_array::ArrayConfig::defaults_for(pe::PeType::int8);
    b.accelerator.datapath.array.dataflow = mine.dataflow;
    b.accelerator.datapath.array.sync = mine.sync;
    b.accelerator.datapath.array.fifo_depth = mine.fifo_depth;
    // Keep the array's peak 8-bit throughput: an INT8 PE does two 8-bit MACs per cycle, like a mixed-width PE.
    if (mine.pe_type == pe::PeType::mixed_width) {
        b.accelerator.datapath.array.rows = mine.rows;
        b.accelerator.datapath.array.cols = mine.cols;
    }
    b.sync_datapath();
    return b;
}

nlohmann::json ArchConfig::to_json() const {
    const auto& dp = accelerator.datapath;
    return {{"name", name},
            {"storage", spark_storage ? "spark" : "int8"},
            {"clock_mhz", dp.clock_mhz},
            {"vector_lanes", dp.vector_lanes},
            {"weight_decoders", dp.weight_decoders},
            {"activation_decoders", dp.activation_decoders},
            {"encoders", dp.encoders},
            {"array",
             {{"rows", dp.array.rows},
              {"cols", dp.array.cols},
              {"pe", std::string(pe::to_string(dp.array.pe_type))},
              {"dataflow", std::string(pe_array::to_string(dp.array.dataflow))},
              {"sync", std::string(pe_array::to_string(dp.array.sync))},
              {"fifo_depth", dp.array.fifo_depth},
              {"codec", dp.array.codec_enabled}}},
            {"buffers",
             {{"weight", buffer_json(weight_buffer)},
              {"activation", buffer_json(activation_buffer)},
              {"output", buffer_json(output_buffer)}}},
            {"dma",
             {{"burst_bytes", accelerator.dma.burst_bytes},
              {"max_outstanding", accelerator.dma.max_outstanding},
              {"issue_interval_cycles", accelerator.dma.issue_interval_cycles},
              {"protocol", dma::to_string(accelerator.dma.protocol)}}},
            {"dram", dram.name},
            {"energy", energy.to_json()}};
}

}  // namespace spark::platform
