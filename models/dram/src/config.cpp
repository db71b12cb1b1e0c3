// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/config.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"
#include "presets_embedded.h"

namespace spark::dram {
namespace {

bool is_power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

const std::map<std::string, AddressField>& field_names() {
    static const std::map<std::string, AddressField> names = {
        {"channel", AddressField::channel}, {"rank", AddressField::rank}, {"bank_group", AddressField::bank_group},
        {"bank", AddressField::bank},       {"row", AddressField::row},   {"column", AddressField::column}};
    return names;
}

// `max` is far beyond any device; it keeps a typo from sizing per-bank state for millions of banks.
unsigned geometry_field(ConfigReader& r, const std::string& key, bool power_of_two, unsigned max) {
    const auto v = r.require<unsigned>(key);
    if (v == 0) r.fail(key, "must be positive, got 0");
    if (v > max) r.fail(key, fmt::format("must be at most {}, got {}", max, v));
    if (power_of_two && !is_power_of_two(v)) r.fail(key, fmt::format("must be a power of two, got {}", v));
    return v;
}

Geometry read_geometry(ConfigReader r) {
    Geometry g;
    g.channels = geometry_field(r, "channels", true, 64);
    g.ranks = geometry_field(r, "ranks", true, 16);
    g.bank_groups = geometry_field(r, "bank_groups", true, 16);
    g.banks_per_group = geometry_field(r, "banks_per_group", true, 64);
    g.rows = geometry_field(r, "rows", true, 1u << 24);
    g.columns = geometry_field(r, "columns", true, 1u << 16);
    g.device_width_bits = geometry_field(r, "device_width_bits", true, 1024);
    g.devices_per_rank = geometry_field(r, "devices_per_rank", true, 64);
    g.burst_length = geometry_field(r, "burst_length", true, 64);
    g.split_command_bus = r.get<bool>("split_command_bus", false);
    if (g.burst_length < 2) r.fail("burst_length", fmt::format("must be at least 2, got {}", g.burst_length));
    if (g.columns < g.burst_length)
        r.fail("columns", fmt::format("must be at least burst_length ({}), got {}", g.burst_length, g.columns));
    if (g.bus_width_bits() % 8 != 0)
        r.fail("device_width_bits", fmt::format("bus width {} bits is not a whole number of bytes", g.bus_width_bits()));
    // Each field is bounded, their product is not: keep the memory (and every address field's shift) well inside
    // 64 bits. 2^48 bytes is far beyond any device.
    const double total_bytes = double(g.channels) * g.ranks * g.bank_groups * g.banks_per_group * g.rows *
                               g.columns * (double(g.device_width_bits) * g.devices_per_rank / 8.0);
    if (total_bytes > 281474976710656.0)
        r.fail("", fmt::format("channels x ranks x banks x rows x row bytes is {:.3g} bytes, more than 2^48",
                               total_bytes));
    r.finish();
    return g;
}

Timing read_timing(ConfigReader r, unsigned burst_cycles) {
    Timing t;
    auto pos = [&](const char* key) { return r.require_positive<unsigned>(key); };
    t.CL = pos("CL");
    t.CWL = pos("CWL");
    t.RCD = pos("RCD");
    t.RCD_WR = r.get<unsigned>("RCD_WR", t.RCD);
    t.RP = pos("RP");
    t.RAS = pos("RAS");
    t.RC = pos("RC");
    t.CCD_S = pos("CCD_S");
    t.CCD_L = r.get<unsigned>("CCD_L", t.CCD_S);
    t.RRD_S = pos("RRD_S");
    t.RRD_L = r.get<unsigned>("RRD_L", t.RRD_S);
    t.FAW = r.get<unsigned>("FAW", 0);
    t.WR = pos("WR");
    t.WTR_S = pos("WTR_S");
    t.WTR_L = r.get<unsigned>("WTR_L", t.WTR_S);
    t.RTP = pos("RTP");
    t.RTW = r.get<unsigned>("RTW", t.RTW);
    t.RTRS = r.get<unsigned>("RTRS", t.RTRS);
    t.RFC = pos("RFC");
    t.REFI = pos("REFI");
    // Consistency: each check names the field at fault and both values.
    if (t.RAS < t.RCD) r.fail("RAS", fmt::format("tRAS ({}) must not be shorter than tRCD ({})", t.RAS, t.RCD));
    if (t.RC < t.RAS + t.RP)
        r.fail("RC", fmt::format("tRC ({}) must be at least tRAS + tRP ({} + {})", t.RC, t.RAS, t.RP));
    if (t.CCD_S < burst_cycles)
        r.fail("CCD_S", fmt::format("tCCD_S ({}) is shorter than one burst ({} cycles): data would overlap", t.CCD_S,
                                    burst_cycles));
    if (t.CCD_L < t.CCD_S) r.fail("CCD_L", fmt::format("tCCD_L ({}) must be >= tCCD_S ({})", t.CCD_L, t.CCD_S));
    if (t.RRD_L < t.RRD_S) r.fail("RRD_L", fmt::format("tRRD_L ({}) must be >= tRRD_S ({})", t.RRD_L, t.RRD_S));
    if (t.WTR_L < t.WTR_S) r.fail("WTR_L", fmt::format("tWTR_L ({}) must be >= tWTR_S ({})", t.WTR_L, t.WTR_S));
    if (t.REFI <= t.RFC) r.fail("REFI", fmt::format("tREFI ({}) must be longer than tRFC ({})", t.REFI, t.RFC));
    if (t.RCD_WR == 0) r.fail("RCD_WR", "must be positive, got 0");
    r.finish();
    return t;
}

PowerRail read_rail(ConfigReader r) {
    PowerRail p;
    p.name = r.require<std::string>("name");
    p.voltage_v = r.require_positive<double>("voltage_v");
    auto current = [&](const char* key) {
        const double v = r.require<double>(key);
        if (v < 0) r.fail(key, fmt::format("current must not be negative, got {}", v));
        return v;
    };
    p.idd0_ma = current("idd0_ma");
    p.idd2n_ma = current("idd2n_ma");
    p.idd3n_ma = current("idd3n_ma");
    p.idd4r_ma = current("idd4r_ma");
    p.idd4w_ma = current("idd4w_ma");
    p.idd5b_ma = current("idd5b_ma");
    // DRAMPower subtracts standby currents from the operating ones; a smaller operating current would give
    // negative command energies.
    if (p.idd0_ma < p.idd3n_ma || p.idd0_ma < p.idd2n_ma)
        r.fail("idd0_ma", fmt::format("IDD0 ({}) must be >= IDD2N ({}) and IDD3N ({})", p.idd0_ma, p.idd2n_ma, p.idd3n_ma));
    if (p.idd4r_ma < p.idd3n_ma) r.fail("idd4r_ma", fmt::format("IDD4R ({}) must be >= IDD3N ({})", p.idd4r_ma, p.idd3n_ma));
    if (p.idd4w_ma < p.idd3n_ma) r.fail("idd4w_ma", fmt::format("IDD4W ({}) must be >= IDD3N ({})", p.idd4w_ma, p.idd3n_ma));
    if (p.idd5b_ma < p.idd3n_ma) r.fail("idd5b_ma", fmt::format("IDD5B ({}) must be >= IDD3N ({})", p.idd5b_ma, p.idd3n_ma));
    r.finish();
    return p;
}

ControllerConfig read_controller(ConfigReader r, const Geometry& g) {
    ControllerConfig c;
    c.queue_depth = r.get<unsigned>("queue_depth", c.queue_depth);
    if (c.queue_depth == 0) r.fail("queue_depth", "must be positive, got 0");
    if (c.queue_depth > 65536) r.fail("queue_depth", fmt::format("must be at most 65536, got {}", c.queue_depth));
    const auto scheduler = r.get<std::string>("scheduler", "fr-fcfs");
    if (scheduler == "fr-fcfs") c.scheduler = SchedulerKind::fr_fcfs;
    else if (scheduler == "fcfs") c.scheduler = SchedulerKind::fcfs;
    else r.fail("scheduler", fmt::format("unknown scheduler \"{}\" (fr-fcfs, fcfs)", scheduler));
    c.starvation_cycles = r.get<unsigned>("starvation_cycles", c.starvation_cycles);
    const auto refresh = r.get<std::string>("refresh", "all-bank");
    if (refresh == "all-bank") c.refresh = RefreshKind::all_bank;
    else if (refresh == "none") c.refresh = RefreshKind::none;
    else r.fail("refresh", fmt::format("unknown refresh policy \"{}\" (all-bank, none)", refresh));

    nlohmann::json order = r.raw("address_mapping");
    c.address_mapping_name = "custom";
    if (order.is_string()) {
        const std::string name = order.get<std::string>();
        c.address_mapping_name = name;
        if (name == "row-bank-column")
            order = nlohmann::json::array({"row", "rank", "bank_group", "bank", "column", "channel"});
        else if (name == "bank-group-interleaved")
            order = nlohmann::json::array({"row", "rank", "bank", "column", "bank_group", "channel"});
        else
            r.fail("address_mapping", fmt::format("unknown mapping \"{}\" (row-bank-column, bank-group-interleaved, or "
                                                  "a list of fields)", name));
    }
    if (!order.is_array())
        r.fail("address_mapping", fmt::format("expected a mapping name or an array of field names, got {}", order.dump()));
    std::vector<bool> seen(6, false);
    unsigned column_bits = 0;
    while ((1u << column_bits) < g.bursts_per_row()) ++column_bits;
    unsigned piece_bits = 0;
    for (const auto& item : order) {
        std::string text = item.is_string() ? item.get<std::string>() : std::string();
        MappingField f;
        if (text.rfind("column:", 0) == 0) {
            const std::string n = text.substr(7);
            const bool digits = !n.empty() && n.size() < 3 && n.find_first_not_of("0123456789") == std::string::npos;
            f.field = AddressField::column;
            f.bits = digits ? unsigned(std::stoul(n)) : 0;
            if (f.bits == 0)
                r.fail("address_mapping", fmt::format("{}: a column piece needs a bit count, e.g. \"column:1\"", item.dump()));
            piece_bits += f.bits;
            c.address_mapping.push_back(f);
            continue;
        }
        const auto it = field_names().find(text);
        if (it == field_names().end())
            r.fail("address_mapping",
                   fmt::format("unknown field {} (channel, rank, bank_group, bank, row, column, column:N)", item.dump()));
        if (seen[std::size_t(it->second)]) r.fail("address_mapping", fmt::format("field {} appears twice", item.dump()));
        seen[std::size_t(it->second)] = true;
        f.field = it->second;
        c.address_mapping.push_back(f);
    }
    for (const auto& [name, field] : field_names())
        if (!seen[std::size_t(field)]) r.fail("address_mapping", fmt::format("field \"{}\" is missing", name));
    if (piece_bits >= column_bits && piece_bits > 0)
        r.fail("address_mapping", fmt::format("column pieces take {} bits; the column has {} (plain \"column\" must keep "
                                              "at least one)", piece_bits, column_bits));
    (void)g;
    r.finish();
    return c;
}

}  // namespace

DramConfig DramConfig::from_json(const nlohmann::json& input, const std::string& source) {
    nlohmann::json j = input;
    if (j.is_object() && j.contains("base_preset")) {
        if (!j["base_preset"].is_string())
            throw Error(fmt::format("{}: base_preset: expected a string, got {}", source, j["base_preset"].dump()));
        const auto base_name = j["base_preset"].get<std::string>();
        const auto* base = find_embedded_preset(base_name);
        if (!base) throw Error(fmt::format("{}: base_preset: unknown preset \"{}\"", source, base_name));
        nlohmann::json merged = nlohmann::json::parse(base);
        j.erase("base_preset");
        merged.merge_patch(j);
        j = std::move(merged);
    }
    ConfigReader r(j, source);
    DramConfig c;
    c.name = r.require<std::string>("name");
    c.type = r.get<std::string>("type", "");
    if (r.has("source")) {
        const auto& s = r.raw("source");
        if (s.is_string()) c.source["all"] = s.get<std::string>();
        else if (s.is_object())
            for (const auto& item : s.items()) c.source[item.key()] = item.value().is_string() ? item.value().get<std::string>() : item.value().dump();
        else r.fail("source", "expected a string or an object of strings");
    }
    c.clock_mhz = r.require_positive<double>("clock_mhz");
    if (c.clock_mhz > 20000.0) r.fail("clock_mhz", fmt::format("must be at most 20000 (20 GHz), got {}", c.clock_mhz));
    c.tck_ns = 1000.0 / c.clock_mhz;
    c.geometry = read_geometry(r.child("geometry"));
    c.timing = read_timing(r.child("timing_cycles"), c.burst_cycles());
    const nlohmann::json& rails = r.raw("power_rails");
    if (!rails.is_array() || rails.empty()) r.fail("power_rails", "expected a non-empty array of rails");
    for (std::size_t i = 0; i < rails.size(); ++i)
        c.rails.push_back(read_rail(ConfigReader(rails[i], source, fmt::format("power_rails[{}]", i))));
    c.controller = read_controller(r.child("controller"), c.geometry);
    r.finish();
    return c;
}

DramConfig DramConfig::from_preset(const std::string& name) {
    const auto* text = find_embedded_preset(name);
    if (!text) {
        std::string known;
        for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
        throw Error(fmt::format("unknown DRAM preset \"{}\" (known: {})", name, known));
    }
    return from_json(nlohmann::json::parse(text), "preset " + name);
}

std::vector<std::string> DramConfig::preset_names() { return embedded_preset_names(); }

DramConfig DramConfig::from_file(const std::string& path) { return from_json(ConfigReader::parse_file(path), path); }

std::string to_string(AddressField f) {
    for (const auto& [name, field] : field_names())
        if (field == f) return name;
    return "?";
}
std::string to_string(SchedulerKind k) { return k == SchedulerKind::fr_fcfs ? "fr-fcfs" : "fcfs"; }
std::string to_string(RefreshKind k) { return k == RefreshKind::all_bank ? "all-bank" : "none"; }

}  // namespace spark::dram
