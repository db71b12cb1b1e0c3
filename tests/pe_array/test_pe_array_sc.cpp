// SPDX-License-Identifier: Apache-2.0
// The cycle-level SystemC model against the fast model on randomised small layers: every dataflow, every PE
// type, codec on and off. One simulation runs all jobs back to back; Catch2 then checks the results.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <systemc>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "spark/pe_array/pe_array.h"
#include "spark/pe_array_sc/pe_array_sc.h"

using namespace spark::pe_array;
using spark::codec::Mode;
using spark::pe::PeType;

namespace {

struct Case {
    ArrayConfig cfg;
    Layer layer;
    LayerResult fast;
    std::vector<std::int32_t> fast_acc;
};

std::vector<Case> g_cases;
std::vector<CycleResult> g_results;
const sc_core::sc_time kPeriod(2, sc_core::SC_NS);
const std::string kVcd = std::string(SPARK_TEST_OUTPUT_DIR) + "/test_pe_array_sc";

std::vector<std::uint8_t> random_bytes(std::size_t n, Mode mode, double p_short, std::mt19937& rng) {
    std::vector<std::uint8_t> v(n);
    std::bernoulli_distribution shortish(p_short);
    for (auto& x : v) {
        const int s = static_cast<int>(rng() % 8);
        x = shortish(rng) ? static_cast<std::uint8_t>(mode == Mode::unsigned_u8 ? s : s - 4)
                          : static_cast<std::uint8_t>(rng());
    }
    return v;
}

}  // namespace

TEST_CASE("cycle-level model agrees exactly with the fast model", "[pe_array_sc]") {
    REQUIRE(g_results.size() == g_cases.size());
    // The cases must exercise stalls in every variant, else the comparison proves little.
    std::uint64_t stalled[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < g_cases.size(); ++i)
        stalled[static_cast<int>(g_cases[i].cfg.sync)] += g_results[i].stalled_pe_cycles;
    for (int v = 0; v < 4; ++v) CHECK(stalled[v] > 0);
    for (std::size_t i = 0; i < g_cases.size(); ++i) {
        const Case& c = g_cases[i];
        const CycleResult& r = g_results[i];
        const ArrayStats& f = c.fast.stats;
        INFO("case " << i << ": " << to_string(c.cfg.pe_type) << " " << to_string(c.cfg.dataflow) << " sync "
                     << to_string(c.cfg.sync) << " depth " << c.cfg.fifo_depth << " "
                     << c.cfg.rows << "x" << c.cfg.cols << " codec " << c.cfg.codec_enabled << " "
                     << to_string(c.layer.kind) << " M=" << c.layer.gemm_m() << " N=" << c.layer.gemm_n()
                     << " K=" << c.layer.gemm_k());
        CHECK(r.cycles == f.cycles);
        CHECK(r.setup_cycles == f.setup_cycles);
        CHECK(r.compute_cycles == f.compute_cycles);
        CHECK(r.drain_cycles == f.drain_cycles);
        CHECK(r.steps == f.steps);
        CHECK(r.busy_pe_cycles == f.busy_pe_cycles);
        CHECK(r.stalled_pe_cycles == f.stalled_pe_cycles);
        CHECK(r.idle_pe_cycles == f.idle_pe_cycles);
        CHECK(r.macs == f.macs);
        CHECK(r.accumulators == c.fast_acc);
        CHECK(r.elapsed == kPeriod * static_cast<double>(r.cycles));
    }
}

TEST_CASE("the VCD holds the array's signals", "[pe_array_sc]") {
    std::ifstream vcd(kVcd + ".vcd");
    REQUIRE(vcd);
    const std::string text((std::istreambuf_iterator<char>(vcd)), std::istreambuf_iterator<char>());
    CHECK(text.find("stall") != std::string::npos);
    CHECK(text.find("busy_pes") != std::string::npos);
    CHECK(text.find("pe_1_2_busy") != std::string::npos);
}

int sc_main(int argc, char* argv[]) {
    std::mt19937 rng(2024);
    sc_core::sc_clock clock("clock", kPeriod);
    PeArrayCycleModel model("pe_array", 4, 4);
    model.clk(clock);

    // Every combination of PE type, dataflow and synchronisation variant (period 24), four times over.
    for (int trial = 0; trial < 96; ++trial) {
        ArrayConfig cfg = ArrayConfig::defaults_for(static_cast<PeType>(trial % 3));
        cfg.dataflow = (trial / 3) % 2 ? Dataflow::output_stationary : Dataflow::weight_stationary;
        cfg.sync = static_cast<SyncMode>((trial / 6) % 4);
        cfg.fifo_depth = 1 + static_cast<unsigned>(rng() % 3);
        cfg.rows = 1 + static_cast<unsigned>(rng() % 6);
        cfg.cols = 1 + static_cast<unsigned>(rng() % 6);
        cfg.codec_enabled = trial % 6 < 5;
        Layer layer;
        switch ((trial / 6) % 3) {
            case 0: layer = Layer::gemm("fc", 1 + rng() % 14, 1 + rng() % 14, 1 + rng() % 30); break;
            case 1:
                layer = Layer::conv2d("conv", 1, 3 + rng() % 4, 3 + rng() % 4, 2 * (1 + rng() % 3),
                                      2 * (1 + rng() % 3), 1 + rng() % 3, 1 + rng() % 2, rng() % 2, 1,
                                      1 + rng() % 2);
                break;
            default: layer = Layer::batched_matmul("attn", 1 + rng() % 3, 1 + rng() % 8, 1 + rng() % 8, 1 + rng() % 20);
        }
        layer.keep_accumulators = true;
        const double p_short = 0.2 + 0.1 * (trial % 8);
        const auto w = random_bytes(layer.weight_count(), layer.weight_mode, p_short, rng);
        const auto a = random_bytes(layer.activation_count(), layer.activation_mode, p_short, rng);
        const PeArray array(cfg);
        Case c{cfg, layer, array.run(layer, w, a), {}};
        c.fast_acc = c.fast.accumulators;
        model.enqueue(CycleJob{cfg, array.prepare(layer, w, a)});
        g_cases.push_back(std::move(c));
    }

    sc_core::sc_trace_file* tf = sc_core::sc_create_vcd_trace_file(kVcd.c_str());
    sc_core::sc_trace(tf, clock, "clock");
    model.trace(tf);
    sc_core::sc_spawn([&model] {
        sc_core::wait(model.done);
        sc_core::sc_stop();
    });
    sc_core::sc_start();
    sc_core::sc_close_vcd_trace_file(tf);
    if (!model.finished()) {
        std::fprintf(stderr, "error: the cycle-level model did not finish its jobs\n");
        return 1;
    }
    g_results = model.results();
    return Catch::Session().run(argc, argv);
}
