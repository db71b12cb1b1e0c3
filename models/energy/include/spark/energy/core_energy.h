// SPDX-License-Identifier: Apache-2.0
// Per-event energies of the accelerator core (PE array, decoders, encoders) and its static power. DRAM energy
// comes from the DRAM model and SRAM energy from the buffer model; this table covers what neither models.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace spark::energy {

struct CoreEnergyConfig {
    // One multiply-accumulate by operand widths after decoding: 4-bit x 4-bit, 4-bit x 8-bit, 8-bit x 8-bit.
    double mac_4x4_pj = 0.093;
    double mac_4x8_pj = 0.124;
    double mac_8x8_pj = 0.186;
    double decoder_pj_per_nibble = 0.02;   // one nibble through one decoder
    double encoder_pj_per_value = 0.02;    // one value through one encoder
    double core_static_mw = 20.0;          // leakage of the array, decoders and encoders, per active cycle
    // Per-unit energies instead of per-MAC ones (the designs compared with SPARK, and SPARK beside them): a PE
    // costs unit_dynamic_pj for every cycle it works on its own step and unit_leakage_pj for every cycle of a
    // layer. Both 0 (the default): the per-MAC table above.
    double unit_dynamic_pj = 0.0;
    double unit_leakage_pj = 0.0;
    bool per_unit() const { return unit_dynamic_pj > 0.0 || unit_leakage_pj > 0.0; }

    // Reads a JSON object; absent fields keep the defaults above, unknown ones are errors naming `source`.
    static CoreEnergyConfig from_json(const nlohmann::json& object, const std::string& source);
    static CoreEnergyConfig from_file(const std::string& path);
    nlohmann::json to_json() const;
};

// Where the energy of a run went, in pJ.
struct EnergyBreakdown {
    double dram_pj = 0;
    double buffer_pj = 0;
    double pe_pj = 0;
    double decoder_pj = 0;
    double encoder_pj = 0;
    double static_pj = 0;

    double core_pj() const { return pe_pj + decoder_pj + encoder_pj + static_pj; }
    double total_pj() const { return dram_pj + buffer_pj + core_pj(); }
    EnergyBreakdown& operator+=(const EnergyBreakdown& o);
};

// Static energy over `cycles` at `clock_mhz`: mW x ns = pJ.
double static_energy_pj(double static_mw, double cycles, double clock_mhz);

}  // namespace spark::energy
