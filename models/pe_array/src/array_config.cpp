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

std::string_view to_string(SyncMode mode) {
    switch (mode) {
        case SyncMode::array: return "array";
        case SyncMode::row: return "row";
        case SyncMode::column: return "column";
        case SyncMode::elastic: return "elastic";
    }
    return "?";
}

SyncMode parse_sync_mode(std::string_view text) {
    if (text == "array") return SyncMode::array;
    if (text == "row") return SyncMode::row;
    if (text == "column") return SyncMode::column;
    if (text == "elastic") return SyncMode::elastic;
    throw Error(fmt::format("unknown sync '{}' (expected 'array', 'row', 'column' or 'elastic')", text));
}

SyncShape SyncShape::of(SyncMode mode, std::size_t rows, std::size_t cols, std::size_t stream) {
    SyncShape s;
    s.per_row = mode == SyncMode::row || mode == SyncMode::elastic;
    s.per_col = mode == SyncMode::column || mode == SyncMode::elastic;
    s.rows = rows;
    s.cols = cols;
    s.stream = stream;
    return s;
}

ArrayConfig ArrayConfig::defaults_for(pe::PeType type) {
    ArrayConfig cfg;
    cfg.pe_type = type;
    if (type == pe::PeType::int4_shift) cfg.rows = cfg.cols = 64;
    if (type == pe::PeType::int8 || type == pe::PeType::unit) cfg.codec_enabled = false;
    return cfg;
}

void ArrayConfig::validate() const {
    if (rows == 0 || rows > MAX_SIDE)
        throw Error(fmt::format("array config: rows must be in 1..{}, got {}", MAX_SIDE, rows));
    if (cols == 0 || cols > MAX_SIDE)
        throw Error(fmt::format("array config: cols must be in 1..{}, got {}", MAX_SIDE, cols));
    if (fifo_depth == 0 || fifo_depth > MAX_FIFO_DEPTH)
        throw Error(fmt::format("array config: fifo_depth must be in 1..{}, got {}", MAX_FIFO_DEPTH, fifo_depth));
    if (pe_type == pe::PeType::unit) unit.validate();
    if (fault && fault->bit > 31)
        throw Error(fmt::format("array config: fault.bit must be in 0..31, got {}", fault->bit));
}

ArrayConfig read_array_config(const nlohmann::json& object, const std::string& source) {
    ConfigReader reader(object, source);
    const pe::PeType type = reader.get_named("pe", "mixed", [](const std::string& t) { return pe::parse_pe_type(t); });
    ArrayConfig cfg = ArrayConfig::defaults_for(type);
    cfg.rows = reader.get<unsigned>("rows", cfg.rows);
    cfg.cols = reader.get<unsigned>("cols", cfg.cols);
    cfg.dataflow = reader.get_named("dataflow", "ws", [](const std::string& t) { return parse_dataflow(t); });
    cfg.codec_enabled = reader.get<bool>("codec", cfg.codec_enabled);
    cfg.sync = reader.get_named("sync", "array", [](const std::string& t) { return parse_sync_mode(t); });
    cfg.fifo_depth = reader.get<unsigned>("fifo_depth", cfg.fifo_depth);
    if (reader.has("unit")) {
        if (type != pe::PeType::unit) reader.fail("unit", "only a 'unit' PE has unit widths");
        ConfigReader u = reader.child("unit");
        cfg.unit.pmax_bits = u.get<unsigned>("pmax_bits", cfg.unit.pmax_bits);
        cfg.unit.pmin_bits = u.get<unsigned>("pmin_bits", cfg.unit.pmin_bits);
        cfg.unit.bits = u.get<unsigned>("bits", cfg.unit.pmax_bits);
        u.finish();
    }
    if (reader.has("fault")) {
        ConfigReader fault = reader.child("fault");
        cfg.fault = ArrayConfig::AccumulatorFault{fault.require<std::uint64_t>("accumulator"),
                                                  fault.require<unsigned>("bit")};
        fault.finish();
    }
    reader.finish();
    try {
        cfg.validate();
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", source, e.what()));
    }
    return cfg;
}

}  // namespace spark::pe_array
