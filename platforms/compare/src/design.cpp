// SPDX-License-Identifier: Apache-2.0
#include "spark/compare/design.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"
#include "spark/formats/format.h"

#ifndef SPARK_DESIGN_DIR
#define SPARK_DESIGN_DIR ""
#endif

namespace spark::compare {

namespace fs = std::filesystem;

unsigned UnitArray::packing(unsigned bits) const { return pmax_bits / std::max(bits, pmin_bits); }

namespace {

// A CNN: more convolutions than linear layers among its array layers (ResNet, VGG; not ViT, whose only
// convolution is the patch embedding).
bool is_cnn(const workload::Network& net) {
    std::size_t convs = 0, linears = 0;
    for (const auto& l : net.layers) {
        if (l.kind == workload::LayerKind::conv2d) ++convs;
        if (l.kind == workload::LayerKind::linear) ++linears;
    }
    return convs > linears;
}

bool is_gemm_layer(const workload::Layer& l) {
    return l.kind == workload::LayerKind::conv2d || l.kind == workload::LayerKind::linear;
}

void check_bits(ConfigReader& r, const std::string& key, unsigned bits) {
    if (bits == 0 || bits > 32) r.fail(key, fmt::format("{} is not a precision in bits (1..32)", bits));
}

std::map<std::string, unsigned> read_table(const std::string& path, const std::string& network) {
    const nlohmann::json j = ConfigReader::parse_file(path);
    ConfigReader r(j, path);
    r.get<std::string>("design", "");
    const std::string net = r.require<std::string>("network");
    if (net != network) r.fail("network", fmt::format("'{}' does not match the table's key '{}'", net, network));
    r.get<std::string>("source", "");
    r.get<std::string>("notes", "");
    r.raw("bench_rows_unmatched");
    r.raw("layers_unmatched");
    std::map<std::string, unsigned> layers;
    ConfigReader l = r.child("layers");
    for (const auto& [name, value] : r.raw("layers").items()) {
        const unsigned bits = l.require<unsigned>(name);
        check_bits(l, name, bits);
        layers[name] = bits;
    }
    l.finish();
    r.finish();
    return layers;
}

}  // namespace

Design Design::from_file(const std::string& path) {
    return from_json(ConfigReader::parse_file(path), path, fs::path(path).parent_path().string());
}

Design Design::from_json(const nlohmann::json& object, const std::string& source, const std::string& base_dir) {
    Design d;
    d.source = source;
    ConfigReader r(object, source);
    d.name = r.require<std::string>("name");
    d.title = r.get<std::string>("title", d.name);
    d.calibration = r.get<std::string>("calibration", "");
    const std::string dataflow = r.get<std::string>("dataflow", "os");
    if (dataflow != "os" && dataflow != "ws") r.fail("dataflow", fmt::format("'{}' is not 'os' or 'ws'", dataflow));
    d.weight_stationary = dataflow == "ws";
    {
        ConfigReader a = r.child("array");
        d.array.rows = a.require<unsigned>("rows");
        d.array.cols = a.require<unsigned>("cols");
        d.array.pmax_bits = a.require<unsigned>("pmax_bits");
        d.array.pmin_bits = a.get<unsigned>("pmin_bits", d.array.pmax_bits);
        if (d.array.rows == 0 || d.array.rows > 4096) a.fail("rows", "must be 1..4096");
        if (d.array.cols == 0 || d.array.cols > 4096) a.fail("cols", "must be 1..4096");
        check_bits(a, "pmax_bits", d.array.pmax_bits);
        if (d.array.pmin_bits == 0 || d.array.pmin_bits > d.array.pmax_bits)
            a.fail("pmin_bits", fmt::format("must be 1..pmax_bits ({})", d.array.pmax_bits));
        a.finish();
    }
    {
        ConfigReader f = r.child("formats");
        d.weight_format = f.require<std::string>("weights");
        d.activation_format = f.require<std::string>("activations");
        for (const auto& [key, name] : {std::pair<const char*, const std::string&>{"weights", d.weight_format},
                                        {"activations", d.activation_format}}) {
            try {
                formats::make_format(name);
            } catch (const Error& e) {
                f.fail(key, e.what());
            }
        }
        f.finish();
    }
    {
        ConfigReader p = r.child("precision");
        d.precision.bits = p.require<unsigned>("bits");
        check_bits(p, "bits", d.precision.bits);
        d.precision.first_last_bits = p.get<unsigned>("first_last_bits", 0);
        if (d.precision.first_last_bits) check_bits(p, "first_last_bits", d.precision.first_last_bits);
        if (p.has("tables")) {
            ConfigReader t = p.child("tables");
            for (const auto& [network, value] : p.raw("tables").items()) {
                fs::path file(t.require<std::string>(network));
                if (file.is_relative() && !base_dir.empty()) file = fs::path(base_dir) / file;
                try {
                    d.precision.tables[network] = read_table(file.string(), network);
                } catch (const Error& e) {
                    t.fail(network, e.what());
                }
                d.precision.table_sources[network] = file.string();
            }
            t.finish();
        }
        p.finish();
    }
    {
        ConfigReader e = r.child("energy");
        d.energy.dynamic_pj = e.require<double>("unit_dynamic_pj");
        d.energy.leakage_pj = e.require<double>("unit_leakage_pj");
        if (!(d.energy.dynamic_pj >= 0)) e.fail("unit_dynamic_pj", "must be >= 0");
        if (!(d.energy.leakage_pj >= 0)) e.fail("unit_leakage_pj", "must be >= 0");
        e.finish();
    }
    if (r.has("spark")) {
        ConfigReader s = r.child("spark");
        d.spark = true;
        const std::string stall = s.get<std::string>("stall", "measured");
        if (stall == "measured") d.spark_stall = SparkStall::measured;
        else if (stall == "none") d.spark_stall = SparkStall::none;
        else s.fail("stall", fmt::format("'{}' is not 'measured' or 'none'", stall));
        s.finish();
    }
    r.finish();
    return d;
}

nlohmann::json Design::to_json() const {
    nlohmann::json tables = nlohmann::json::object();
    for (const auto& [net, file] : precision.table_sources) tables[net] = file;
    nlohmann::json j = {
        {"name", name},
        {"title", title},
        {"array",
         {{"rows", array.rows}, {"cols", array.cols}, {"pmax_bits", array.pmax_bits}, {"pmin_bits", array.pmin_bits}}},
        {"formats", {{"weights", weight_format}, {"activations", activation_format}}},
        {"precision", {{"bits", precision.bits}, {"first_last_bits", precision.first_last_bits}, {"tables", tables}}},
        {"energy", {{"unit_dynamic_pj", energy.dynamic_pj}, {"unit_leakage_pj", energy.leakage_pj}}},
        {"dataflow", weight_stationary ? "ws" : "os"},
        {"calibration", calibration}};
    if (spark) j["spark"] = {{"stall", spark_stall == SparkStall::measured ? "measured" : "none"}};
    return j;
}

unsigned Design::layer_bits(const workload::Network& network, const workload::Layer& layer) const {
    unsigned bits = precision.bits;
    const auto table = precision.tables.find(network.name);
    if (table != precision.tables.end()) {
        const auto it = table->second.find(layer.name);
        if (it == table->second.end())
            throw Error(fmt::format("design '{}': layer '{}' of network '{}' is not in its precision table {}", name,
                                    layer.name, network.name, precision.table_sources.at(network.name)));
        bits = it->second;
    } else if (precision.first_last_bits && is_cnn(network)) {
        const workload::Layer* first = nullptr;
        const workload::Layer* last = nullptr;
        for (const auto& l : network.layers)
            if (is_gemm_layer(l)) {
                if (!first) first = &l;
                last = &l;
            }
        if (&layer == first || &layer == last) bits = precision.first_last_bits;
    }
    if (array.packing(bits) == 0)
        throw Error(fmt::format("design '{}': layer '{}' runs at {} bits, wider than its {}-bit units", name,
                                layer.name, bits, array.pmax_bits));
    return bits;
}

std::string default_design_dir() {
    if (const char* env = std::getenv("SPARK_DESIGN_DIR"); env && *env) return env;
    return SPARK_DESIGN_DIR;
}

const std::vector<std::string>& known_designs() {
    static const std::vector<std::string> names = {"ant",      "olive",    "bitfusion", "olaccel", "adafloat",
                                                   "biscaled", "eyeriss",  "int8",      "ant-ws"};
    return names;
}

std::vector<Design> load_designs(const std::string& list, const std::string& dir) {
    // "all" stands for the paper's seven and may be combined with other names ("all,int8").
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string name = list.substr(start, comma - start);
        if (name == "all") {
            for (const char* n : {"ant", "olive", "bitfusion", "olaccel", "adafloat", "biscaled", "eyeriss"})
                if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
        } else if (!name.empty()) {
            names.push_back(name);
        }
        start = comma + 1;
    }
    if (names.empty()) throw Error(fmt::format("--compare '{}': no design named", list));
    std::vector<Design> designs;
    for (const std::string& name : names) {
        const auto& known = known_designs();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string all;
            for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
            throw Error(fmt::format("--compare: unknown design '{}' (known: {}, or all)", name, all));
        }
        if (std::any_of(designs.begin(), designs.end(), [&](const Design& d) { return d.name == name; }))
            throw Error(fmt::format("--compare: design '{}' named twice", name));
        const fs::path file = fs::path(dir) / (name + ".json");
        if (!fs::exists(file))
            throw Error(fmt::format("design '{}': {} does not exist (set SPARK_DESIGN_DIR or --designs)", name,
                                    file.string()));
        Design d = Design::from_file(file.string());
        if (d.name != name)
            throw Error(fmt::format("{}: name '{}' does not match the file name '{}'", file.string(), d.name, name));
        designs.push_back(std::move(d));
    }
    return designs;
}

}  // namespace spark::compare
