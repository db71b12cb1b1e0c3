// SPDX-License-Identifier: Apache-2.0
#include "spark/energy/core_energy.h"

#include <fmt/format.h>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"

namespace spark::energy {

CoreEnergyConfig CoreEnergyConfig::from_json(const nlohmann::json& object, const std::string& source) {
    ConfigReader r(object, source);
    CoreEnergyConfig c;
    auto non_negative = [&r](const char* key, double fallback) {
        const double v = r.get<double>(key, fallback);
        if (!(v >= 0.0)) r.fail(key, fmt::format("must be a non-negative energy, got {}", v));
        return v;
    };
    c.mac_4x4_pj = non_negative("mac_4x4_pj", c.mac_4x4_pj);
    c.mac_4x8_pj = non_negative("mac_4x8_pj", c.mac_4x8_pj);
    c.mac_8x8_pj = non_negative("mac_8x8_pj", c.mac_8x8_pj);
    c.decoder_pj_per_nibble = non_negative("decoder_pj_per_nibble", c.decoder_pj_per_nibble);
    c.encoder_pj_per_value = non_negative("encoder_pj_per_value", c.encoder_pj_per_value);
    c.core_static_mw = non_negative("core_static_mw", c.core_static_mw);
    c.unit_dynamic_pj = non_negative("unit_dynamic_pj", c.unit_dynamic_pj);
    c.unit_leakage_pj = non_negative("unit_leakage_pj", c.unit_leakage_pj);
    r.get<std::string>("source", "");  // free text: where the numbers come from
    r.finish();
    return c;
}

CoreEnergyConfig CoreEnergyConfig::from_file(const std::string& path) {
    return from_json(ConfigReader::parse_file(path), path);
}

nlohmann::json CoreEnergyConfig::to_json() const {
    return {{"mac_4x4_pj", mac_4x4_pj},
            {"mac_4x8_pj", mac_4x8_pj},
            {"mac_8x8_pj", mac_8x8_pj},
            {"decoder_pj_per_nibble", decoder_pj_per_nibble},
            {"encoder_pj_per_value", encoder_pj_per_value},
            {"core_static_mw", core_static_mw},
            {"unit_dynamic_pj", unit_dynamic_pj},
            {"unit_leakage_pj", unit_leakage_pj}};
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
    dram_pj += o.dram_pj;
    buffer_pj += o.buffer_pj;
    pe_pj += o.pe_pj;
    decoder_pj += o.decoder_pj;
    encoder_pj += o.encoder_pj;
    static_pj += o.static_pj;
    return *this;
}

double static_energy_pj(double static_mw, double cycles, double clock_mhz) {
    if (clock_mhz <= 0) throw Error(fmt::format("clock must be positive, got {} MHz", clock_mhz));
    const double ns = cycles * 1000.0 / clock_mhz;
    return static_mw * ns;  // mW * ns = 1e-3 W * 1e-9 s = 1e-12 J
}

}  // namespace spark::energy
