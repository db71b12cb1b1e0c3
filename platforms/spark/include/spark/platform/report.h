// SPDX-License-Identifier: Apache-2.0
// Per-layer and whole-network figures of a run, with the energy split DRAM / buffers / core (PE, decoders,
// encoders, static), written as CSV, JSON and a table.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spark/energy/core_energy.h"
#include "spark/platform/arch.h"
#include "spark/platform/program.h"
#include "spark/platform/system.h"
#include "spark/workload/network.h"

namespace spark::platform {

struct LayerReport {
    std::string name;
    std::string kind;
    bool stand_in = false;              // not modelled: output preloaded by the host
    std::uint64_t macs = 0, macs_short_short = 0, macs_short_long = 0, macs_long_long = 0;
    std::uint64_t cycles = 0;
    std::uint64_t stall_cycles = 0;
    double time_us = 0.0;
    double mac_utilisation = 0.0;       // MACs / (peak MACs per cycle x array-busy cycles)
    std::uint64_t dram_read_bytes = 0;
    std::uint64_t dram_written_bytes = 0;
    std::uint64_t buffer_read_bytes = 0;   // weight + activation + output buffers
    std::uint64_t buffer_write_bytes = 0;
    double bits_per_value = 0.0;        // mean stored bits of the operands and outputs moved
    double share_approximated = 0.0;    // outputs the encoders changed
    double weight_share_approximated = 0.0;  // weights the offline encoder changed
    energy::EnergyBreakdown energy;
};

struct RunReport {
    std::string config;  // "spark" or "baseline"
    std::string arch_name;
    double clock_mhz = 0.0;
    bool ok = false;
    std::vector<LayerReport> layers;  // in workload order
    LayerReport total;
};

RunReport make_report(const std::string& config, const Program& program,
                      const ArchConfig& arch, const SystemResult& result);

// One row per layer and configuration, with a header; the last rows are the totals.
void write_layers_csv(std::ostream& out, const std::vector<const RunReport*>& runs);
nlohmann::json summary_json(const workload::Network& network, const RunReport& spark, const RunReport* baseline);
void print_table(std::ostream& out, const workload::Network& network, const RunReport& spark,
                 const RunReport* baseline, std::size_t max_rows);

}  // namespace spark::platform
