// SPDX-License-Identifier: Apache-2.0
// A Verilated RTL PE (rtl/spark_pe_mixed.sv with SPARK_RTL_PE_MIXED, rtl/spark_pe_int4.sv with SPARK_RTL_PE_INT4)
// beside spark::pe_sc::ClockedPe of the same type on one clock, in three operand-mode settings (uu, ss, su). The
// same operands into both; in_ready, acc and step_done compared every cycle. Every RTL step is also checked
// against the rule: its cycles against step_cycles(), its accumulator change against the exact products.
//   phase A: all 256 x 256 operand pairs (raw bytes, in order, lanes() per step);
//   phase B: --random pairs as the decoders deliver them (approximate() of long-tailed and uniform draws); the
//            RTL's cycles and accumulator over the phase compared with ProcessingElement::run() on the same pairs;
//   phase C: random steps with random reset pulses.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <vector>

#include <systemc>

#include "cosim.h"
#include "sc_catch_main.h"
#include "spark/pe_sc/clocked_pe.h"

#if defined(SPARK_RTL_PE_MIXED)
#include "Vcosim_pe_mixed.h"
using RtlTop = Vcosim_pe_mixed;
using RtlOperand = sc_dt::sc_uint<32>;
constexpr spark::pe::PeType kType = spark::pe::PeType::mixed_width;
constexpr const char* kTest = "test_rtl_pe_mixed";
#define RTL_W(p) p##_weights
#define RTL_A(p) p##_activations
#elif defined(SPARK_RTL_PE_INT4)
#include "Vcosim_pe_int4.h"
using RtlTop = Vcosim_pe_int4;
using RtlOperand = sc_dt::sc_uint<8>;
constexpr spark::pe::PeType kType = spark::pe::PeType::int4_shift;
constexpr const char* kTest = "test_rtl_pe_int4";
#define RTL_W(p) p##_weight
#define RTL_A(p) p##_activation
#else
#error "define SPARK_RTL_PE_MIXED or SPARK_RTL_PE_INT4"
#endif

using namespace spark;
using namespace spark::rtl_test;

namespace {

enum Phase : unsigned { kExhaustive = 0, kRandom = 1, kResetStorm = 2, kPhases = 3 };
constexpr std::uint64_t kStormCycles = 20000;

std::string describe_stimulus(const Stimulus& s) {
    return fmt::format("reset={} in_valid={} weights=0x{:08X} activations=0x{:08X} (phase {}, step #{})", s.field[0],
                       s.field[1], s.field[2], s.field[3], s.field[4], s.field[5]);
}

struct Step {
    std::uint32_t weights = 0;  // lane i in bits 8i+7..8i
    std::uint32_t activations = 0;
};

struct InFlight {
    std::uint64_t accept_cycle = 0;  // the first cycle of the step
    unsigned cycles = 0;             // step_cycles() of its operands
    std::int64_t sum = 0;            // exact sum of its products
};

struct PhaseResult {
    std::uint64_t rtl_cycles = 0;  // cycles of the RTL's steps, from acceptance to step_done
    std::uint64_t steps = 0;
    std::uint32_t rtl_acc = 0;     // at the end of the phase
    std::int64_t model_acc = 0;    // exact
    pe::MacCounts model_macs;
    std::uint64_t model_busy_cycles = 0;
};

struct Lane {
    Lane(const char* lane_name, pe::OperandModes m, const Options& o, std::uint64_t seed)
        : name(lane_name),
          modes(m),
          model(fmt::format("model_{}", lane_name).c_str(), kType, m),
          draw_w(seed, m.weight),
          draw_a(seed + 100, m.activation),
          log(kTest, lane_name, o, describe_stimulus) {
        lanes = model.rule().lanes();
        for (unsigned p = 0; p < 65536 && steps[kExhaustive].size() < o.sweep_steps; p += lanes) {
            Step s;
            for (unsigned l = 0; l < lanes; ++l) {
                s.weights |= ((p + l) >> 8) << (8 * l);
                s.activations |= ((p + l) & 0xFF) << (8 * l);
            }
            steps[kExhaustive].push_back(s);
        }
        for (std::uint64_t i = 0; i < o.random_values; i += lanes) {
            Step s;
            for (unsigned l = 0; l < lanes; ++l) {
                const bool tailed = ((i + l) % 2) == 0;
                const auto w = codec::approximate(draw_w.next(tailed), m.weight);
                const auto a = codec::approximate(draw_a.next(tailed), m.activation);
                s.weights |= std::uint32_t{w} << (8 * l);
                s.activations |= std::uint32_t{a} << (8 * l);
                random_pairs.push_back({w, a});
            }
            steps[kRandom].push_back(s);
        }
    }

    const char* name;
    pe::OperandModes modes;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<sc_dt::sc_uint<32>> weights, activations;  // the model's ports
    sc_core::sc_signal<RtlOperand> rtl_weights, rtl_activations;   // the same operands at the RTL's width
    sc_core::sc_signal<bool> rtl_in_ready, model_in_ready;
    sc_core::sc_signal<sc_dt::sc_uint<32>> rtl_acc, model_acc;
    sc_core::sc_signal<bool> rtl_step_done, model_step_done;
    pe_sc::ClockedPe model;
    ValueDraw draw_w, draw_a;
    MismatchLog log;
    unsigned lanes = 1;

    std::vector<Step> steps[kPhases];
    std::vector<pe::OperandPair> random_pairs;
    std::size_t next = 0;          // step of the phase presented now
    std::uint64_t storm_steps = 0;  // steps accepted in the reset storm
    Step current;                   // what is presented now
    std::deque<InFlight> in_flight;  // RTL steps accepted and not done
    std::uint32_t acc_shadow = 0;    // the accumulator the rule gives (low 32 bits)
    std::uint64_t rule_mismatches = 0;
    PhaseResult results[kPhases];

    InFlight describe(const Step& s, std::uint64_t accept_cycle) const {
        InFlight f;
        f.accept_cycle = accept_cycle;
        bool wl = false, al = false;
        for (unsigned l = 0; l < lanes; ++l) {
            const auto w = static_cast<std::uint8_t>(s.weights >> (8 * l));
            const auto a = static_cast<std::uint8_t>(s.activations >> (8 * l));
            wl |= pe::is_long(w, modes.weight, true);
            al |= pe::is_long(a, modes.activation, true);
            f.sum += std::int64_t{codec::to_int(w, modes.weight)} * codec::to_int(a, modes.activation);
        }
        f.cycles = model.rule().step_cycles(wl, al);
        return f;
    }
};

struct Bench : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<bool> reset;
    RtlTop rtl;
    std::unique_ptr<Lane> lanes[3];
    std::uint64_t cycle = 0;
    unsigned phase = kExhaustive;
    unsigned drained_cycles = 0;
    std::uint64_t storm_start = 0;
    std::uint64_t resets = 0;
    ValueDraw draw;

    SC_HAS_PROCESS(Bench);
    Bench(sc_core::sc_module_name name, const Options& o)
        : sc_module(name), rtl("rtl"), draw(o.seed + 7, codec::Mode::unsigned_u8) {
        using codec::Mode;
        lanes[0] = std::make_unique<Lane>("uu", pe::OperandModes{Mode::unsigned_u8, Mode::unsigned_u8, true}, o,
                                          o.seed);
        lanes[1] = std::make_unique<Lane>("ss", pe::OperandModes{Mode::signed_i8, Mode::signed_i8, true}, o,
                                          o.seed + 1);
        lanes[2] = std::make_unique<Lane>("su", pe::OperandModes{Mode::signed_i8, Mode::unsigned_u8, true}, o,
                                          o.seed + 2);
        rtl.clk(clk);
        rtl.reset(reset);
#define BIND(p, lane)                      \
    rtl.p##_in_valid(lane.in_valid);       \
    rtl.p##_in_ready(lane.rtl_in_ready);   \
    rtl.RTL_W(p)(lane.rtl_weights);        \
    rtl.RTL_A(p)(lane.rtl_activations);    \
    rtl.p##_acc(lane.rtl_acc);             \
    rtl.p##_step_done(lane.rtl_step_done);
        BIND(uu, (*lanes[0]))
        BIND(ss, (*lanes[1]))
        BIND(su, (*lanes[2]))
#undef BIND
        for (auto& lane : lanes) {
            lane->model.clk(clk);
            lane->model.reset(reset);
            lane->model.in_valid(lane->in_valid);
            lane->model.in_ready(lane->model_in_ready);
            lane->model.weights(lane->weights);
            lane->model.activations(lane->activations);
            lane->model.acc(lane->model_acc);
            lane->model.step_done(lane->model_step_done);
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
            sc_core::sc_trace(tf, lane->weights, p + "weights");
            sc_core::sc_trace(tf, lane->activations, p + "activations");
            sc_core::sc_trace(tf, lane->rtl_in_ready, p + "rtl.in_ready");
            sc_core::sc_trace(tf, lane->model_in_ready, p + "model.in_ready");
            sc_core::sc_trace(tf, lane->rtl_step_done, p + "rtl.step_done");
            sc_core::sc_trace(tf, lane->model_step_done, p + "model.step_done");
            sc_core::sc_trace(tf, lane->rtl_acc, p + "rtl.acc");
            sc_core::sc_trace(tf, lane->model_acc, p + "model.acc");
        }
    }

    bool phase_fed(const Lane& lane) const {
        return phase == kResetStorm ? cycle >= storm_start + kStormCycles : lane.next >= lane.steps[phase].size();
    }

    void end_phase() {
        for (auto& lane : lanes) {
            PhaseResult& r = lane->results[phase];
            r.rtl_acc = static_cast<std::uint32_t>(lane->rtl_acc.read().to_uint());
            r.model_acc = lane->model.counters().accumulator;
            r.model_macs = lane->model.counters().macs;
            r.model_busy_cycles = lane->model.counters().busy_cycles;
            for (unsigned p = 0; p < phase; ++p) {
                r.model_macs.short_short -= lane->results[p].model_macs.short_short;
                r.model_macs.short_long -= lane->results[p].model_macs.short_long;
                r.model_macs.long_long -= lane->results[p].model_macs.long_long;
                r.model_busy_cycles -= lane->results[p].model_busy_cycles;
            }
            lane->next = 0;
        }
        ++phase;
        drained_cycles = 0;
        storm_start = cycle + 1;
    }

    void on_rise() {
        const bool reset_ended = reset.read();
        if (cycle > 0 || reset_ended) ++cycle;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            if (reset_ended) {
                lane.in_flight.clear();
                lane.acc_shadow = 0;
                continue;
            }
            if (lane.in_valid.read() && lane.rtl_in_ready.read()) lane.in_flight.push_back(lane.describe(lane.current, cycle));
            if (lane.in_valid.read() && lane.model_in_ready.read() && phase < kPhases) {
                if (phase == kResetStorm) ++lane.storm_steps;
                else ++lane.next;
            }
        }
        bool next_reset = cycle < 2;
        if (phase < kPhases && !reset_ended) {
            bool all_drained = true;
            for (auto& lane : lanes)
                all_drained = all_drained && phase_fed(*lane) && lane->in_flight.empty() && !lane->in_valid.read();
            drained_cycles = all_drained ? drained_cycles + 1 : 0;
            if (drained_cycles >= 2) {
                end_phase();
                next_reset = true;  // each phase starts from reset, so its accumulator starts at 0
            }
        }
        if (phase == kResetStorm && (draw.bits() & 31) == 0) next_reset = true;
        if (phase >= kPhases && !reset_ended && cycle > 4) {
            sc_core::sc_stop();
            return;
        }
        reset.write(next_reset);
        resets += next_reset ? 1 : 0;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            const std::uint64_t r = lane.draw_w.bits();
            bool valid = false;
            Step s{static_cast<std::uint32_t>(r >> 8), static_cast<std::uint32_t>(r >> 40)};  // garbage
            if (phase < kPhases && !phase_fed(lane)) {
                valid = (r & 7) != 0;
                if (valid && phase != kResetStorm) s = lane.steps[phase][lane.next];
            }
            if (lane.lanes == 1) {
                s.weights &= 0xFF;
                s.activations &= 0xFF;
            }
            lane.current = s;
            lane.in_valid.write(valid);
            lane.weights.write(s.weights);
            lane.activations.write(s.activations);
            lane.rtl_weights.write(s.weights);
            lane.rtl_activations.write(s.activations);
            lane.log.stimulus(
                {cycle, {next_reset ? 1u : 0u, valid ? 1u : 0u, s.weights, s.activations, phase, lane.next}});
        }
    }

    void on_fall() {
        if (cycle < 1) return;
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            lane.log.compare(cycle, "in_ready", lane.rtl_in_ready.read(), lane.model_in_ready.read());
            lane.log.compare(cycle, "step_done", lane.rtl_step_done.read(), lane.model_step_done.read());
            lane.log.compare(cycle, "acc", lane.rtl_acc.read().to_uint(), lane.model_acc.read().to_uint());
            if (!lane.rtl_step_done.read()) continue;
            if (lane.in_flight.empty()) {
                ++lane.rule_mismatches;
                lane.log.report(cycle, "RTL step_done with no step in flight");
                continue;
            }
            const InFlight f = lane.in_flight.front();
            lane.in_flight.pop_front();
            const std::uint64_t took = cycle - f.accept_cycle;
            lane.acc_shadow += static_cast<std::uint32_t>(static_cast<std::uint64_t>(f.sum));
            if (phase < kPhases) {
                lane.results[phase].rtl_cycles += took;
                ++lane.results[phase].steps;
            }
            if (took != f.cycles || lane.rtl_acc.read().to_uint() != lane.acc_shadow) {
                ++lane.rule_mismatches;
                lane.log.report(cycle, fmt::format("RTL step took {} cycles (rule: {}), acc 0x{:08X} (rule: 0x{:08X})",
                                                   took, f.cycles, lane.rtl_acc.read().to_uint(), lane.acc_shadow));
            }
        }
    }
};

Bench* g_bench = nullptr;
Options g_options;

}  // namespace

TEST_CASE("RTL PE and ClockedPe agree on every signal in every cycle", "[rtl][pe]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->log.compared() > 3 * lane->steps[kExhaustive].size());
        CHECK(lane->log.count() == 0);
    }
}

TEST_CASE("every RTL step takes step_cycles() and adds the exact products", "[rtl][pe]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        CHECK(lane->rule_mismatches == 0);
        if (g_options.sweep_steps == UINT64_MAX) CHECK(lane->steps[kExhaustive].size() == 65536 / lane->lanes);
        CHECK(lane->results[kExhaustive].steps == lane->steps[kExhaustive].size());
        std::int64_t exact = 0;
        for (const Step& s : lane->steps[kExhaustive])
            for (unsigned l = 0; l < lane->lanes; ++l)
                exact += std::int64_t{codec::to_int(static_cast<std::uint8_t>(s.weights >> (8 * l)), lane->modes.weight)} *
                         codec::to_int(static_cast<std::uint8_t>(s.activations >> (8 * l)), lane->modes.activation);
        CHECK(lane->results[kExhaustive].model_acc == exact);
        CHECK(lane->results[kExhaustive].rtl_acc == static_cast<std::uint32_t>(static_cast<std::uint64_t>(exact)));
        CHECK(lane->results[kExhaustive].model_busy_cycles == lane->results[kExhaustive].rtl_cycles);
    }
}

TEST_CASE("over the random stream, RTL cycles and accumulator equal ProcessingElement::run()", "[rtl][pe]") {
    for (const auto& lane : g_bench->lanes) {
        INFO(lane->name);
        const pe::PeRun run = lane->model.rule().run(lane->random_pairs.data(), lane->random_pairs.size(), lane->modes);
        const PhaseResult& r = lane->results[kRandom];
        CHECK(r.steps == run.steps);
        CHECK(r.rtl_cycles == run.cycles);
        CHECK(r.model_busy_cycles == run.cycles);
        CHECK(r.model_acc == run.accumulator);
        CHECK(r.rtl_acc == static_cast<std::uint32_t>(static_cast<std::uint64_t>(run.accumulator)));
        CHECK(r.model_macs == run.macs);
    }
}

TEST_CASE("reset pulses in the middle of steps leave RTL and model in step", "[rtl][pe][reset]") {
    CHECK(g_bench->resets > kStormCycles / 64);
    for (const auto& lane : g_bench->lanes) CHECK(lane->storm_steps > 1000);
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
    fmt::print("{}: {} cycles, {} random pairs per setting, {} reset pulses\n", kTest, bench.cycle,
               bench.lanes[0]->random_pairs.size(), bench.resets);
    return spark::test::run_catch(argc, argv);
}
