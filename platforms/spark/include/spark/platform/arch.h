// SPDX-License-Identifier: Apache-2.0
// An architecture to simulate: array, buffers, DMA, DRAM, clock, storage format and energy table, read from a
// JSON file (docs/platform.md lists every field) or built in.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "spark/accelerator/accelerator.h"
#include "spark/buffer/sram_core.h"
#include "spark/dram/config.h"
#include "spark/energy/core_energy.h"

namespace spark::platform {

struct ArchConfig {
    std::string name = "spark";
    bool spark_storage = true;  // SPARK codes in DRAM and buffers; false: raw INT8
    accelerator::AcceleratorConfig accelerator;
    buffer::SramConfig weight_buffer, activation_buffer, output_buffer;
    dram::DramConfig dram;
    energy::CoreEnergyConfig energy;

    // The paper's budget: 4096 4-bit MAC units (32 x 32 mixed-width PEs), 5 MB of buffers (2 MB weights, 2 MB
    // activations, 1 MB outputs, double-buffered), 500 MHz, DDR4-3200.
    static ArchConfig spark_default();
    // Reads a file; fields absent from it keep spark_default()'s values. Errors name the file and the field.
    // Relative "dram" and "energy" file paths resolve against the architecture file's folder.
    static ArchConfig from_file(const std::string& path);
    // Relative file paths in the object resolve against base_dir (the working directory when empty).
    static ArchConfig from_json(const nlohmann::json& object, const std::string& source,
                                const std::string& base_dir = "");

    // The same platform without SPARK: raw INT8 in DRAM and buffers, conventional INT8 PEs with the mixed-width
    // array's peak 8-bit throughput, no decoders or encoders.
    ArchConfig baseline() const;

    nlohmann::json to_json() const;
    void sync_datapath();  // copies the buffers, their capacities and the clock into the accelerator settings
};

}  // namespace spark::platform
