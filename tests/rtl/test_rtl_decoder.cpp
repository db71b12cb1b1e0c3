// SPDX-License-Identifier: Apache-2.0
// The Verilated RTL decoder (rtl/spark_decoder.sv) beside spark::codec::Decoder on one clock, in both codec modes:
// the same beats into both, value, out_valid and framing errors compared every cycle (the model counts framing
// errors in activity(); the RTL flags them on framing_error). The code streams of all 256 values, then of --random
// values (half long-tailed, half uniform), with bubbles carrying garbage (also between the halves of a long code)
// and reset pulses; every decoded RTL value is also checked against the codec rule (approximate(v)). Then random
// beats with framing violations.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <vector>

#include <systemc>

#include "Vcosim_decoder.h"
#include "cosim.h"
#include "sc_catch_main.h"
#include "spark/codec/decoder.h"
#include "spark/codec/nibble.h"

using namespace spark;
using namespace spark::rtl_test;

namespace {

constexpr std::uint64_t kResetEveryCycles = 250007;
constexpr std::uint64_t kGarbageCycles = 20000;  // random beats after the code streams

std::string describe(const Stimulus& s) {
    return fmt::format("reset={} in_valid={} nibble={:04b} enable={} (value #{})", s.field[0], s.field[1],
                       s.field[2], s.field[3], s.field[4]);
}

struct Lane {
    Lane(const char* lane_name, codec::Mode m, const Options& o, std::uint64_t seed)
        : name(lane_name),
          mode(m),
          model(fmt::format("model_{}", lane_name).c_str(), m, kPeriod),
          draw(seed, m),
          log("test_rtl_decoder", lane_name, o, describe) {
        for (unsigned v = 0; v < 256; ++v) values.push_back(static_cast<std::uint8_t>(v));
        for (std::uint64_t i = 0; i < o.random_values; ++i) values.push_back(draw.next(i % 2 == 0));
    }

    const char* name;
    codec::Mode mode;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable, in_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> rtl_value, model_value;
    sc_core::sc_signal<bool> rtl_out_valid, model_out_valid;
    sc_core::sc_signal<bool> rtl_framing_error;
    codec::Decoder model;
    ValueDraw draw;
    MismatchLog log;

    std::vector<std::uint8_t> values;
    std::size_t next = 0;      // value whose beats are being presented
    unsigned next_beat = 0;    // its beat presented now (when in_valid)
    std::uint64_t garbage = 0;  // random-beat cycles presented
    std::deque<std::uint8_t> expected;  // decoded values the consumed codes must give, in order
    std::uint64_t decoded = 0;
    std::uint64_t rule_mismatches = 0;
    std::uint64_t framing_errors_seen = 0;  // model's count at the last falling edge
    std::uint64_t rtl_framing_errors = 0;

    codec::Beats beats_of(std::size_t i) const { return codec::to_beats(codec::encode(values[i], mode)); }
    bool streams_done() const { return next >= values.size(); }
    bool done() const { return streams_done() && garbage >= kGarbageCycles; }
};

struct Bench : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<bool> reset;
    Vcosim_decoder rtl;
    std::unique_ptr<Lane> lanes[2];
    std::uint64_t cycle = 0;
    bool reset_prev = false;
    std::uint64_t resets = 0;
    unsigned drained = 0;

    SC_HAS_PROCESS(Bench);
    Bench(sc_core::sc_module_name name, const Options& o) : sc_module(name), rtl("rtl") {
        lanes[0] = std::make_unique<Lane>("unsigned", codec::Mode::unsigned_u8, o, o.seed);
        lanes[1] = std::make_unique<Lane>("signed", codec::Mode::signed_i8, o, o.seed + 1);
        rtl.clk(clk);
        rtl.reset(reset);
        Lane& u = *lanes[0];
        rtl.u_nibble(u.nibble);
        rtl.u_enable(u.enable);
        rtl.u_in_valid(u.in_valid);
        rtl.u_value(u.rtl_value);
        rtl.u_out_valid(u.rtl_out_valid);
        rtl.u_framing_error(u.rtl_framing_error);
        Lane& s = *lanes[1];
        rtl.s_nibble(s.nibble);
        rtl.s_enable(s.enable);
        rtl.s_in_valid(s.in_valid);
        rtl.s_value(s.rtl_value);
        rtl.s_out_valid(s.rtl_out_valid);
        rtl.s_framing_error(s.rtl_framing_error);
        for (auto& lane : lanes) {
            lane->model.clk(clk);
            lane->model.reset(reset);
            lane->model.nibble(lane->nibble);
            lane->model.enable(lane->enable);
            lane->model.in_valid(lane->in_valid);
            lane->model.value(lane->model_value);
            lane->model.out_valid(lane->model_out_valid);
            // Framing violations are stimulus here: counted, not thrown.
            sc_core::sc_report_handler::set_actions(lane->model.name(), sc_core::SC_ERROR, sc_core::SC_DO_NOTHING);
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
            sc_core::sc_trace(tf, lane->enable, p + "enable");
            sc_core::sc_trace(tf, lane->nibble, p + "nibble");
            sc_core::sc_trace(tf, lane->rtl_out_valid, p + "rtl.out_valid");
            sc_core::sc_trace(tf, lane->model_out_valid, p + "model.out_valid");
            sc_core::sc_trace(tf, lane->rtl_value, p + "rtl.value");
            sc_core::sc_trace(tf, lane->model_value, p + "model.value");
            sc_core::sc_trace(tf, lane->rtl_framing_error, p + "rtl.framing_error");
        }
    }

    void on_rise() {
        const bool reset_ended = reset.read();
        if (cycle > 0 || reset_ended) ++cycle;
        bool all_done = true;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            if (reset_ended) {
                lane.next_beat = 0;  // a half-consumed long code was dropped: present the value again
            } else if (lane.in_valid.read() && !lane.streams_done()) {
                const codec::Beats b = lane.beats_of(lane.next);
                if (++lane.next_beat == b.count) {
                    lane.expected.push_back(codec::approximate(lane.values[lane.next], lane.mode));
                    ++lane.next;
                    lane.next_beat = 0;
                }
            } else if (lane.streams_done()) {
                ++lane.garbage;
            }
            all_done = all_done && lane.done();
        }
        drained = all_done ? drained + 1 : 0;
        if (drained > 3 && cycle > 4) {  // the last beats' outputs have been compared
            sc_core::sc_stop();
            return;
        }
        const bool next_reset = cycle < 2 || cycle % kResetEveryCycles == 0;
        reset.write(next_reset);
        resets += next_reset ? 1 : 0;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            const std::uint64_t r = lane.draw.bits();
            bool valid = false;
            codec::Beat beat{static_cast<std::uint8_t>((r >> 8) & 0xF), ((r >> 12) & 3) == 0};
            if (!lane.streams_done()) {
                valid = (r & 7) != 0;
                if (valid) beat = lane.beats_of(lane.next).beat[lane.next_beat];
            } else if (!lane.done()) {
                valid = (r & 3) != 0;  // random beats: framing violations on purpose
            }
            lane.in_valid.write(valid);
            lane.nibble.write(beat.nibble);
            lane.enable.write(beat.enable);
            lane.log.stimulus(
                {cycle, {next_reset ? 1u : 0u, valid ? 1u : 0u, beat.nibble, beat.enable ? 1u : 0u, lane.next}});
        }
    }

    void on_fall() {
        reset_prev = reset.read();
        if (cycle < 1) return;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            const std::uint64_t model_errors = lane.model.activity().framing_errors;
            lane.log.compare(cycle, "out_valid", lane.rtl_out_valid.read(), lane.model_out_valid.read());
            lane.log.compare(cycle, "value", lane.rtl_value.read().to_uint(), lane.model_value.read().to_uint());
            lane.log.compare(cycle, "framing_error", lane.rtl_framing_error.read(),
                             model_errors - lane.framing_errors_seen);
            lane.framing_errors_seen = model_errors;
            lane.rtl_framing_errors += lane.rtl_framing_error.read() ? 1 : 0;
            if (!lane.rtl_out_valid.read() || lane.expected.empty()) continue;
            ++lane.decoded;
            const auto got = static_cast<std::uint8_t>(lane.rtl_value.read().to_uint());
            if (got != lane.expected.front()) {
                ++lane.rule_mismatches;
                lane.log.report(cycle, fmt::format("RTL value {} is not approximate() of the coded value, {}", got,
                                                   lane.expected.front()));
            }
            lane.expected.pop_front();
        }
    }
};

Bench* g_bench = nullptr;
Options g_options;

}  // namespace

TEST_CASE("RTL decoder and SystemC Decoder agree on every signal in every cycle", "[rtl][decoder]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->log.compared() > 3 * lane->values.size());
        CHECK(lane->log.count() == 0);
    }
}

TEST_CASE("the RTL decoder gives the codec rule's value for all 256 values and the random ones", "[rtl][decoder]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->rule_mismatches == 0);
        CHECK(lane->decoded == 256 + g_options.random_values);
        CHECK(lane->expected.empty());
    }
    CHECK(g_bench->resets >= 2);
}

TEST_CASE("random beats raise framing errors in RTL and model alike", "[rtl][decoder][framing]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->rtl_framing_errors > 1000);
        CHECK(lane->rtl_framing_errors == lane->model.activity().framing_errors);
    }
}

int sc_main(int argc, char* argv[]) {
    g_options = take_options(argc, argv);
    Verilated::randReset(2);
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
    fmt::print("test_rtl_decoder: {} cycles, {} values per mode, {} framing errors (unsigned), {} reset pulses\n",
               bench.cycle, bench.lanes[0]->decoded, bench.lanes[0]->rtl_framing_errors, bench.resets);
    return spark::test::run_catch(argc, argv);
}
