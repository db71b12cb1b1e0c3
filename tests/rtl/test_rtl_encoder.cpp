// SPDX-License-Identifier: Apache-2.0
// The Verilated RTL encoder (rtl/spark_encoder.sv) beside spark::codec::Encoder on one clock, in both codec modes:
// the same stimulus into both, every output and handshake compared every cycle; the RTL's beats also checked
// against the codec rule (to_beats(encode(v))). All 256 values, then --random values (half long-tailed, half
// uniform), with bubbles carrying garbage and reset pulses in the stream.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <vector>

#include <systemc>

#include "Vcosim_encoder.h"
#include "cosim.h"
#include "sc_catch_main.h"
#include "spark/codec/encoder.h"
#include "spark/codec/nibble.h"

using namespace spark;
using namespace spark::rtl_test;

namespace {

constexpr std::uint64_t kResetEveryCycles = 250007;  // a one-cycle reset pulse this often, mid-stream

std::string describe(const Stimulus& s) {
    return fmt::format("reset={} in_valid={} in_value=0x{:02X} (value #{})", s.field[0], s.field[1], s.field[2],
                       s.field[3]);
}

struct Lane {
    Lane(const char* lane_name, codec::Mode m, const Options& o, std::uint64_t seed)
        : name(lane_name),
          mode(m),
          model(fmt::format("model_{}", lane_name).c_str(), m, kPeriod),
          draw(seed, m),
          log("test_rtl_encoder", lane_name, o, describe) {
        for (unsigned v = 0; v < 256; ++v) values.push_back(static_cast<std::uint8_t>(v));
        for (std::uint64_t i = 0; i < o.random_values; ++i) values.push_back(draw.next(i % 2 == 0));
    }

    const char* name;
    codec::Mode mode;
    sc_core::sc_signal<sc_dt::sc_uint<8>> in_value;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<bool> rtl_in_ready, model_in_ready;
    sc_core::sc_signal<sc_dt::sc_uint<4>> rtl_nibble, model_nibble;
    sc_core::sc_signal<bool> rtl_enable, model_enable;
    sc_core::sc_signal<bool> rtl_out_valid, model_out_valid;
    codec::Encoder model;
    ValueDraw draw;
    MismatchLog log;

    std::vector<std::uint8_t> values;
    std::size_t next = 0;  // index of the value presented (or to present)
    std::uint64_t accepted = 0;
    std::deque<codec::Beat> expected;  // beats the accepted values must produce, in order
    std::uint64_t rule_mismatches = 0;
    std::uint64_t beats = 0;

    bool done() const { return next >= values.size() && expected.empty(); }
};

struct Bench : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<bool> reset;
    Vcosim_encoder rtl;
    std::unique_ptr<Lane> lanes[2];
    std::uint64_t cycle = 0;  // the cycle that began at the last rising edge
    bool reset_prev = false;
    std::uint64_t resets = 0;

    SC_HAS_PROCESS(Bench);
    Bench(sc_core::sc_module_name name, const Options& o) : sc_module(name), rtl("rtl") {
        lanes[0] = std::make_unique<Lane>("unsigned", codec::Mode::unsigned_u8, o, o.seed);
        lanes[1] = std::make_unique<Lane>("signed", codec::Mode::signed_i8, o, o.seed + 1);
        rtl.clk(clk);
        rtl.reset(reset);
        Lane& u = *lanes[0];
        rtl.u_in_value(u.in_value);
        rtl.u_in_valid(u.in_valid);
        rtl.u_in_ready(u.rtl_in_ready);
        rtl.u_nibble(u.rtl_nibble);
        rtl.u_enable(u.rtl_enable);
        rtl.u_out_valid(u.rtl_out_valid);
        Lane& s = *lanes[1];
        rtl.s_in_value(s.in_value);
        rtl.s_in_valid(s.in_valid);
        rtl.s_in_ready(s.rtl_in_ready);
        rtl.s_nibble(s.rtl_nibble);
        rtl.s_enable(s.rtl_enable);
        rtl.s_out_valid(s.rtl_out_valid);
        for (auto& lane : lanes) {
            lane->model.clk(clk);
            lane->model.reset(reset);
            lane->model.in_value(lane->in_value);
            lane->model.in_valid(lane->in_valid);
            lane->model.in_ready(lane->model_in_ready);
            lane->model.nibble(lane->model_nibble);
            lane->model.enable(lane->model_enable);
            lane->model.out_valid(lane->model_out_valid);
        }
        SC_METHOD(on_rise);
        sensitive << clk.pos();
        dont_initialize();
        SC_METHOD(on_fall);
        sensitive << clk.neg();
        dont_initialize();
    }

    void trace(sc_core::sc_trace_file* tf) const override {
        sc_core::sc_trace(tf, clk, "tb.clk");
        sc_core::sc_trace(tf, reset, "tb.reset");
        for (const auto& lane : lanes) {
            const std::string p = std::string("tb.") + lane->name + ".";
            sc_core::sc_trace(tf, lane->in_valid, p + "in_valid");
            sc_core::sc_trace(tf, lane->in_value, p + "in_value");
            sc_core::sc_trace(tf, lane->rtl_in_ready, p + "rtl.in_ready");
            sc_core::sc_trace(tf, lane->model_in_ready, p + "model.in_ready");
            sc_core::sc_trace(tf, lane->rtl_out_valid, p + "rtl.out_valid");
            sc_core::sc_trace(tf, lane->model_out_valid, p + "model.out_valid");
            sc_core::sc_trace(tf, lane->rtl_enable, p + "rtl.enable");
            sc_core::sc_trace(tf, lane->model_enable, p + "model.enable");
            sc_core::sc_trace(tf, lane->rtl_nibble, p + "rtl.nibble");
            sc_core::sc_trace(tf, lane->model_nibble, p + "model.nibble");
        }
    }

    // Rising edge: the cycle before ends; decide what is presented in the cycle that begins.
    void on_rise() {
        const bool reset_ended = reset.read();
        if (cycle > 0 || reset_ended) ++cycle;
        bool all_done = true;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            if (!reset_ended && lane.in_valid.read() && lane.model_in_ready.read()) {
                const codec::Beats b = codec::to_beats(codec::encode(lane.values[lane.next], lane.mode));
                for (unsigned i = 0; i < b.count; ++i) lane.expected.push_back(b.beat[i]);
                ++lane.next;
                ++lane.accepted;
            }
            all_done = all_done && lane.done();
        }
        const bool next_reset = cycle < 2 || cycle % kResetEveryCycles == 0;
        if (all_done && cycle > 4) {
            sc_core::sc_stop();
            return;
        }
        reset.write(next_reset);
        resets += next_reset ? 1 : 0;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            const std::uint64_t r = lane.draw.bits();
            const bool bubble = (r & 7) == 0 || lane.next >= lane.values.size();
            const auto value = bubble ? static_cast<std::uint8_t>(r >> 8) : lane.values[lane.next];
            lane.in_valid.write(!bubble);
            lane.in_value.write(value);
            lane.log.stimulus({cycle, {next_reset ? 1u : 0u, bubble ? 0u : 1u, value, lane.next}});
        }
    }

    // Falling edge: compare what RTL and model present in this cycle.
    void on_fall() {
        const bool reset_sampled = reset_prev;  // reset was presented in the cycle before: its edge emptied both
        reset_prev = reset.read();
        if (cycle < 1) return;  // before the first reset edge the RTL's state is its random initial value
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            if (reset_sampled) lane.expected.clear();  // a pending second nibble was dropped
            lane.log.compare(cycle, "in_ready", lane.rtl_in_ready.read(), lane.model_in_ready.read());
            lane.log.compare(cycle, "out_valid", lane.rtl_out_valid.read(), lane.model_out_valid.read());
            lane.log.compare(cycle, "enable", lane.rtl_enable.read(), lane.model_enable.read());
            lane.log.compare(cycle, "nibble", lane.rtl_nibble.read().to_uint(), lane.model_nibble.read().to_uint());
            if (!lane.rtl_out_valid.read()) continue;
            ++lane.beats;
            const codec::Beat got{static_cast<std::uint8_t>(lane.rtl_nibble.read().to_uint()), lane.rtl_enable.read()};
            if (lane.expected.empty() || !(lane.expected.front() == got)) {
                ++lane.rule_mismatches;
                lane.log.report(cycle, fmt::format("RTL beat {:04b}/enable {} is not the codec rule's next beat", got.nibble,
                                                   got.enable ? 1 : 0));
            }
            if (!lane.expected.empty()) lane.expected.pop_front();
        }
    }
};

Bench* g_bench = nullptr;
Options g_options;

}  // namespace

TEST_CASE("RTL encoder and SystemC Encoder agree on every signal in every cycle", "[rtl][encoder]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->log.compared() > 4 * lane->values.size());
        CHECK(lane->log.count() == 0);
    }
}

TEST_CASE("the RTL encoder's beats are the codec rule's, for all 256 values and the random ones", "[rtl][encoder]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->rule_mismatches == 0);
        CHECK(lane->accepted == 256 + g_options.random_values);
        CHECK(lane->beats >= lane->accepted);
    }
    CHECK(g_bench->resets >= 2);
}

int sc_main(int argc, char* argv[]) {
    g_options = take_options(argc, argv);
    Verilated::randReset(2);  // random initial state: only the reset defines the RTL's outputs
    Verilated::randSeed(static_cast<int>(g_options.seed));
    sc_core::sc_clock clk("clk", kPeriod, 0.5, sc_core::SC_ZERO_TIME, true);
    Bench bench("tb", g_options);
    bench.clk(clk);
    g_bench = &bench;
    sc_core::sc_trace_file* tf = nullptr;
    if (!g_options.vcd.empty()) {
        tf = sc_core::sc_create_vcd_trace_file(g_options.vcd.c_str());
        bench.trace(tf);
    }
    sc_core::sc_start();
    if (tf) sc_core::sc_close_vcd_trace_file(tf);
    fmt::print("test_rtl_encoder: {} cycles, {} values per mode, {} reset pulses\n", bench.cycle,
               bench.lanes[0]->accepted, bench.resets);
    return spark::test::run_catch(argc, argv);
}
