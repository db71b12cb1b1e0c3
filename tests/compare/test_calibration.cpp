// SPDX-License-Identifier: Apache-2.0
// Calibration mode against hand-computed cycles and against the ANT simulator's published results.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spark/common/error.h"
#include "spark/compare/calibration.h"
#include "spark/compare/design.h"
#include "spark/workload/network.h"

using namespace spark;
using namespace spark::compare;

namespace {

const std::string kDesigns = SPARK_DESIGN_DIR;
const std::string kTraces = SPARK_TRACES_DIR;

Design design(const std::string& name) { return Design::from_file(kDesigns + "/" + name + ".json"); }

// ResNet-50's 3x3 convolution of 64 channels on 56 x 56 at batch 64.
ConvShape conv3x3_64() {
    ConvShape s;
    s.layer = "conv3x3";
    s.batch = 64;
    s.out_h = s.out_w = 56;
    s.kernel_h = s.kernel_w = 3;
    s.in_channels = s.out_channels = 64;
    return s;
}

struct Totals {
    double cycles = 0, static_pj = 0, dram_pj = 0, buffer_pj = 0, core_pj = 0;
};

Totals run(const Design& d, const workload::Network& net, CalibrationDataflow flow) {
    Totals t;
    for (const ConvShape& s : calibration_layers(net, 64)) {
        const unsigned bits = d.layer_bits(net, *net.find_layer(s.layer));
        const LayerCost c = calibration_cost(d, s, bits, bits, CalibrationSetup{}, flow, 1.0);
        t.cycles += double(c.cycles());
        t.static_pj += c.static_pj;
        t.dram_pj += c.dram_pj;
        t.buffer_pj += c.buffer_pj;
        t.core_pj += c.core_pj;
    }
    return t;
}

}  // namespace

TEST_CASE("calibration: one layer's compute cycles are the output-stationary formula", "[compare]") {
    // ceil(R / (N f)) * ceil(C / (M f)) * K^2 IC with R = 64 * 56 * 56, C = 64, K^2 IC = 576 (docs/baselines.md).
    const std::map<std::string, std::pair<unsigned, std::uint64_t>> expected = {
        {"ant", {4, 3136ull * 1 * 576}},         // 32 x 32, f = 2
        {"bitfusion", {8, 6272ull * 2 * 576}},   // 32 x 32, f = 1
        {"olaccel", {4, 6272ull * 2 * 576}},     // 16 x 18, f = 2
        {"adafloat", {8, 6272ull * 3 * 576}},    // 32 x 28, f = 1
        {"biscaled", {6, 6272ull * 1 * 576}},    // 32 x 80, f = 1
    };
    for (const auto& [name, e] : expected) {
        INFO(name);
        const LayerCost c = calibration_cost(design(name), conv3x3_64(), e.first, e.first, CalibrationSetup{},
                                             CalibrationDataflow::output_stationary, 1.0);
        CHECK(c.compute_cycles == e.second);
        // With 1024 bits per cycle the memory stalls stay small: within 5 % of the formula.
        CHECK(double(c.cycles()) <= 1.05 * double(e.second));
        CHECK(c.macs == 64ull * 56 * 56 * 64 * 576);
    }
    CHECK(calibration_cost(design("ant"), conv3x3_64(), 4, 4, CalibrationSetup{}, CalibrationDataflow::output_stationary,
                           1.0)
              .compute_cycles == 1806336);
}

TEST_CASE("calibration: the weight-stationary nest keeps the cycles and moves energy into the buffers", "[compare]") {
    const Design ant = design("ant");
    const LayerCost os = calibration_cost(ant, conv3x3_64(), 4, 4, {}, CalibrationDataflow::output_stationary, 1.0);
    const LayerCost ws = calibration_cost(ant, conv3x3_64(), 4, 4, {}, CalibrationDataflow::weight_stationary, 1.0);
    CHECK(ws.compute_cycles == os.compute_cycles);
    CHECK(ws.buffer_pj > os.buffer_pj);
}

TEST_CASE("calibration: a compute stretch lengthens the compute cycles only", "[compare]") {
    const Design spark = design("spark");
    const LayerCost plain = calibration_cost(spark, conv3x3_64(), 4, 4, {}, CalibrationDataflow::output_stationary, 1.0);
    const LayerCost slow = calibration_cost(spark, conv3x3_64(), 4, 4, {}, CalibrationDataflow::output_stationary, 1.5);
    CHECK(slow.compute_cycles == plain.compute_cycles * 3 / 2);
    CHECK(slow.dram_read_bits == plain.dram_read_bits);
}

// The published table rounds to two decimals; the workloads' transformers differ slightly from the simulator's
// (q, k and v as three layers instead of one; no classifier head), so they get a little more room.
TEST_CASE("calibration: every design's time and energy split match the ANT simulator's results", "[compare]") {
    std::ifstream in(std::string(SPARK_TEST_DATA_DIR) + "/compare/ant_simulator_results.csv");
    REQUIRE(in);
    std::map<std::string, workload::Network> nets;
    std::map<std::string, Totals> adafloat;
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("network,", 0) == 0) continue;
        std::stringstream ss(line);
        std::string net, name, field;
        std::getline(ss, net, ',');
        std::getline(ss, name, ',');
        double ref[5];
        for (double& v : ref) {
            std::getline(ss, field, ',');
            v = std::stod(field);
        }
        if (!nets.count(net)) {
            nets.emplace(net, workload::load_workload(kTraces + "/" + net + ".yaml"));
            adafloat[net] = run(design("adafloat"), nets.at(net), CalibrationDataflow::output_stationary);
        }
        const Design d = design(name);
        const Totals t = run(d, nets.at(net),
                             d.weight_stationary ? CalibrationDataflow::weight_stationary
                                                 : CalibrationDataflow::output_stationary);
        const Totals& a = adafloat.at(net);
        const double a_total = a.static_pj + a.dram_pj + a.buffer_pj + a.core_pj;
        const double tolerance = (net == "vit_b16" || net == "bert_base") ? 0.025 : 0.0151;
        INFO(net << " " << name);
        CHECK(t.cycles / a.cycles == Approx(ref[0]).margin(tolerance));
        CHECK(t.static_pj / a_total == Approx(ref[1]).margin(tolerance));
        CHECK(t.dram_pj / a_total == Approx(ref[2]).margin(tolerance));
        CHECK(t.buffer_pj / a_total == Approx(ref[3]).margin(tolerance));
        CHECK(t.core_pj / a_total == Approx(ref[4]).margin(tolerance));
        ++rows;
    }
    CHECK(rows == 27);
}

TEST_CASE("designs: bad names, files and precisions are errors naming the design and the layer", "[compare]") {
    CHECK_THROWS_WITH(load_designs("ant,nope", kDesigns), Catch::Contains("unknown design 'nope'"));
    CHECK_THROWS_WITH(load_designs("ant,ant", kDesigns), Catch::Contains("named twice"));
    CHECK(load_designs("all", kDesigns).size() == 7);
    CHECK(load_designs("all,int8", kDesigns).size() == 8);

    const workload::Network net = workload::load_workload(kTraces + "/smoke.yaml");
    nlohmann::json j = nlohmann::json::parse(std::ifstream(kDesigns + "/ant.json"));
    j["precision"]["bits"] = 16;  // wider than ANT's 8/4 units
    j["precision"].erase("tables");
    const Design wide = Design::from_json(j, "wide.json", kDesigns);
    const workload::Layer* conv = nullptr;
    for (const auto& l : net.layers)
        if (l.kind == workload::LayerKind::conv2d && !conv) conv = &l;
    REQUIRE(conv);
    // The first layer of a CNN takes first_last_bits (8), so pick a middle one when there is one.
    for (const auto& l : net.layers)
        if ((l.kind == workload::LayerKind::conv2d || l.kind == workload::LayerKind::linear)) conv = &l;
    const Design narrow = [&] {
        nlohmann::json k = j;
        k["precision"].erase("first_last_bits");
        return Design::from_json(k, "wide.json", kDesigns);
    }();
    CHECK_THROWS_WITH(narrow.layer_bits(net, *conv),
                      Catch::Contains("design 'ant'") && Catch::Contains(conv->name) && Catch::Contains("16 bits"));

    nlohmann::json bad = j;
    bad["array"]["pmin_bits"] = 9;
    CHECK_THROWS_WITH(Design::from_json(bad, "bad.json", kDesigns), Catch::Contains("bad.json: array.pmin_bits"));
    bad = j;
    bad["precision"]["tables"] = {{"smoke", "precision/ant/nope.json"}};
    CHECK_THROWS_WITH(Design::from_json(bad, "bad.json", kDesigns), Catch::Contains("precision.tables.smoke"));
    bad = j;
    bad["dataflow"] = "rs";
    CHECK_THROWS_WITH(Design::from_json(bad, "bad.json", kDesigns), Catch::Contains("dataflow"));
    (void)wide;
}
