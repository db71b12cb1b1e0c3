// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/array_config.h"

#include <fmt/format.h>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"

namespace spark::pe_array {

std::string_view to_string(Dataflow dataflow) {
    return dataflow == Dataflow::weight_stationary ? "weight_stationary" : "output_stationary";
}

Dataflow parse_dataflow(std::string_view text) {
    if (text == "ws" || text == "weight_stationary") return Dataflow::weight_stationary;
    if (text == "os" || text == "output_stationary") return Dataflow::output_stationary;
    throw Error(fmt::format("unknown dataflow '{}' (expected 'ws' or 'os')", text));
}

ArrayConfig ArrayConfig::defaults_for(pe::PeType type) {
    ArrayConfig cfg;
    cfg.pe_type = type;
    if (type == pe::PeType::int4_shift) cfg.rows = cfg.cols = 64;
    if (type == pe::PeType::int8) cfg.codec_enabled = false;
    return cfg;
}

void ArrayConfig::validate() const {
    if (rows == 0 || rows > MAX_SIDE)
        throw Error(fmt::format("array config: rows must be in 1..{}, got {}", MAX_SIDE, rows));
    if (cols == 0 || cols > MAX_SIDE)
        throw Error(fmt::format("array config: cols must be in 1..{}, got {}", MAX_SIDE, cols));
}

ArrayConfig read_array_config(const nlohmann::json& object, const std::string& source) {
    ConfigReader reader(object, source);
    const pe::PeType type = pe::parse_pe_type(reader.get<std::string>("pe", "mixed"));
    ArrayConfig cfg = ArrayConfig::defaults_for(type);
    cfg.rows = reader.get<unsigned>("rows", cfg.rows);
    cfg.cols = reader.get<unsigned>("cols", cfg.cols);
    cfg.dataflow = parse_dataflow(reader.get<std::string>("dataflow", "ws"));
    cfg.codec_enabled = reader.get<bool>("codec", cfg.codec_enabled);
    reader.finish();
    try {
        cfg.validate();
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", source, e.what()));
    }
    return cfg;
}

}  // namespace spark::pe_array
