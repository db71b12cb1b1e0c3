// SPDX-License-Identifier: Apache-2.0
// SPARK side by side with other accelerators on one network: per design, per-layer and total cycles, the energy
// split (DRAM, buffers, core, static apart), bits per value, and SPARK's speedup and energy ratio against each.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spark/compare/calibration.h"
#include "spark/compare/design.h"
#include "spark/workload/network.h"

namespace spark::compare {

// What the SPARK run measured of one array layer: how much longer its lock-step array computed than with every
// code short (compute cycles / steps), and the stored bits per value it moved.
struct SparkLayerFacts {
    double stall_factor = 1.0;
    double stored_bits = 8.0;
};

struct DesignRun {
    Design design;
    std::vector<LayerCost> layers;  // the network's array layers, in order
    LayerCost total;
    double time_us() const;
    double clock_mhz = 0.0;
};

struct Comparison {
    std::string network;
    std::string mode;  // "calibration"
    std::uint64_t batch = 1;
    std::vector<DesignRun> runs;  // SPARK first
    std::uint64_t skipped_macs = 0;  // MACs of layers the mode leaves out (attention matmuls)
};

// Calibration mode: every design (SPARK first, then `designs`) through the ANT simulator's cost model. `facts`
// holds the SPARK run's measurements by layer name; a layer missing from it is an error naming the layer.
Comparison compare_calibration(const workload::Network& network, const Design& spark,
                               const std::map<std::string, SparkLayerFacts>& facts, const std::vector<Design>& designs,
                               const CalibrationSetup& setup = {});

void print_comparison(std::ostream& out, const Comparison& c);
// One row per design and layer, then one total row per design.
void write_comparison_csv(std::ostream& out, const Comparison& c);
nlohmann::json comparison_json(const Comparison& c);

}  // namespace spark::compare
