// SPDX-License-Identifier: Apache-2.0
// An accelerator to compare SPARK with, as the ANT/BitFusion cost model sees it: an N x M array of units that
// each do one pmax-bit MAC or (pmax/p)^2 narrower ones per cycle, the numeric formats its weights and activations
// are stored in, the precision each layer runs at, and the energy of one unit per cycle. Read from the files in
// platforms/spark/arch/ (docs/baselines.md lists every field).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spark/workload/network.h"

namespace spark::compare {

struct UnitArray {
    unsigned rows = 32;       // N: output rows (im2col pixels) across
    unsigned cols = 32;       // M: output channels across
    unsigned pmax_bits = 8;   // widest operand a unit takes in one cycle
    unsigned pmin_bits = 4;   // narrowest it packs
    // Operands of width p packed per unit side: floor(pmax / max(p, pmin)); 0 when p is wider than pmax.
    unsigned packing(unsigned bits) const;
};

// What one unit costs per cycle (pJ): dynamic while computing, leakage every cycle.
struct UnitEnergy {
    double dynamic_pj = 0.0;
    double leakage_pj = 0.0;
};

// Which precision each layer runs at. A table (per network, by layer name) wins; otherwise the first and last
// array layers of a CNN take first_last_bits (when set) and every other layer takes `bits`.
struct PrecisionRule {
    unsigned bits = 8;
    unsigned first_last_bits = 0;  // 0: no exception
    std::map<std::string, std::map<std::string, unsigned>> tables;  // network -> layer -> bits
    std::map<std::string, std::string> table_sources;               // network -> file, for messages
};

// SPARK's array in the cost model: 4-bit operands packed like ANT's, each layer's compute stretched by the
// stalls long codes cause in the project's own array model (measured), or not at all (`none`, the assumption
// under which the paper's speedups hold; docs/baselines.md).
enum class SparkStall : unsigned char { measured, none };

struct Design {
    std::string name;    // the --compare name: "ant", "bitfusion", ...
    std::string title;   // "ANT (MICRO'22)"
    std::string source;  // the file it came from
    UnitArray array;
    std::string weight_format = "int8";      // spark-codec report --format names
    std::string activation_format = "int8";
    PrecisionRule precision;
    UnitEnergy energy;
    bool weight_stationary = false;          // the cost model's WS loop nest instead of OS (ANT-WS)
    bool spark = false;                      // the design under study: codes and stalls come from the run
    SparkStall spark_stall = SparkStall::measured;
    std::string calibration;                 // how far its numbers can be trusted against the paper's, one line

    static Design from_file(const std::string& path);
    static Design from_json(const nlohmann::json& object, const std::string& source, const std::string& base_dir);
    nlohmann::json to_json() const;

    // The bits `layer` runs at on this design; throws spark::Error naming the design and the layer when the
    // array cannot run that precision.
    unsigned layer_bits(const workload::Network& network, const workload::Layer& layer) const;
};

// The folder holding the shipped design files (the source tree's platforms/spark/arch, or the installed copy).
std::string default_design_dir();
// The designs --compare accepts, in the order the paper lists them.
const std::vector<std::string>& known_designs();
// "ant,olive" or "all" into design files under `dir`; throws spark::Error naming an unknown design.
std::vector<Design> load_designs(const std::string& list, const std::string& dir);

}  // namespace spark::compare
