// SPDX-License-Identifier: Apache-2.0
// The pin-level models the RTL is compared with, on their own and against hand-written cycle tables: ClockedPe
// (INT4 and mixed-width steps of 1, 2 and 4 cycles, in_ready, step_done, acc, reset in the middle of a step) and
// the optional reset of the codec's Encoder and Decoder.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <systemc>

#include "sc_catch_main.h"
#include "spark/codec/decoder.h"
#include "spark/codec/encoder.h"
#include "spark/pe_sc/clocked_pe.h"

using namespace spark;

namespace {

const sc_core::sc_time kPeriod(5, sc_core::SC_NS);

std::uint32_t pack(std::vector<int> v) {
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < v.size(); ++i) bits |= std::uint32_t{static_cast<std::uint8_t>(v[i])} << (8 * i);
    return bits;
}

struct PeCycle {
    bool reset = false;
    bool valid = false;
    std::uint32_t weights = 0;
    std::uint32_t activations = 0;
};

struct PeSeen {
    bool in_ready;
    std::int32_t acc;
    bool step_done;
};

// Presents script[k] in cycle k and records what the PE presents in every cycle (at the falling edge).
struct PeRig : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<bool> reset, in_valid, in_ready, step_done;
    sc_core::sc_signal<sc_dt::sc_uint<32>> weights, activations, acc;
    pe_sc::ClockedPe pe;
    std::vector<PeCycle> script;
    std::vector<PeSeen> seen;
    std::uint64_t cycle = 0;

    SC_HAS_PROCESS(PeRig);
    PeRig(sc_core::sc_module_name name, pe::PeType type, std::vector<PeCycle> s)
        : sc_module(name),
          pe("pe", type, {codec::Mode::signed_i8, codec::Mode::unsigned_u8, true}),
          script(std::move(s)) {
        pe.clk(clk);
        pe.reset(reset);
        pe.in_valid(in_valid);
        pe.in_ready(in_ready);
        pe.weights(weights);
        pe.activations(activations);
        pe.acc(acc);
        pe.step_done(step_done);
        SC_METHOD(on_rise);
        sensitive << clk.pos();
        dont_initialize();
        SC_METHOD(on_fall);
        sensitive << clk.neg();
        dont_initialize();
    }
    void on_rise() {
        const PeCycle c = cycle < script.size() ? script[cycle] : PeCycle{};
        reset.write(c.reset);
        in_valid.write(c.valid);
        weights.write(c.weights);
        activations.write(c.activations);
        ++cycle;
    }
    void on_fall() {
        seen.push_back({in_ready.read(), static_cast<std::int32_t>(acc.read().to_uint()), step_done.read()});
    }
};

struct CodecRig : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<bool> reset, in_valid, in_ready, enable, out_valid, d_enable, d_valid, d_out_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> in_value, value;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble, d_nibble;
    codec::Encoder encoder;
    codec::Decoder decoder;
    std::uint64_t cycle = 0;
    std::vector<bool> enc_in_ready, enc_out_valid, dec_out_valid;
    std::vector<unsigned> enc_nibble, dec_value;

    SC_HAS_PROCESS(CodecRig);
    explicit CodecRig(sc_core::sc_module_name name)
        : sc_module(name), encoder("encoder", codec::Mode::signed_i8), decoder("decoder", codec::Mode::signed_i8) {
        encoder.clk(clk);
        encoder.reset(reset);
        encoder.in_value(in_value);
        encoder.in_valid(in_valid);
        encoder.in_ready(in_ready);
        encoder.nibble(nibble);
        encoder.enable(enable);
        encoder.out_valid(out_valid);
        decoder.clk(clk);
        decoder.reset(reset);
        decoder.nibble(d_nibble);
        decoder.enable(d_enable);
        decoder.in_valid(d_valid);
        decoder.value(value);
        decoder.out_valid(d_out_valid);
        sc_core::sc_report_handler::set_actions(decoder.name(), sc_core::SC_ERROR, sc_core::SC_DO_NOTHING);
        SC_METHOD(on_rise);
        sensitive << clk.pos();
        dont_initialize();
        SC_METHOD(on_fall);
        sensitive << clk.neg();
        dont_initialize();
    }
    // Encoder: 100 (long, 1110 0100) in cycle 1, reset in cycle 2 (drops its second nibble), 3 in cycle 4.
    // Decoder: 1110 in cycle 1, reset in cycle 2, 0100 with enable in cycle 3 (no long code started any more:
    // a framing error), 0011 in cycle 4 (value 3 in cycle 5), then 1110 in cycle 6 and a held half under
    // bubbles until a reset in cycle 8; 0011 in cycle 9 decodes (value in cycle 10).
    void on_rise() {
        const std::uint64_t k = cycle++;
        reset.write(k == 2 || k == 8);
        in_valid.write(k == 1 || k == 4);
        in_value.write(k == 1 ? 100 : 3);
        const bool dv = k == 1 || k == 3 || k == 4 || k == 6 || k == 9;
        d_valid.write(dv);
        d_nibble.write(k == 1 || k == 6 ? 0xE : k == 3 ? 0x4 : 0x3);
        d_enable.write(k == 3);
    }
    void on_fall() {
        enc_in_ready.push_back(in_ready.read());
        enc_out_valid.push_back(out_valid.read());
        enc_nibble.push_back(nibble.read().to_uint());
        dec_out_valid.push_back(d_out_valid.read());
        dec_value.push_back(value.read().to_uint());
    }
};

PeRig* g_int4 = nullptr;
PeRig* g_mixed = nullptr;
CodecRig* g_codec = nullptr;

}  // namespace

TEST_CASE("ClockedPe INT4: 1, 2 and 4 cycles per pair, in_ready low but in the last cycle", "[clocked_pe]") {
    const auto& s = g_int4->seen;
    REQUIRE(s.size() >= 16);
    // cycle:                      0  1  2  3  4  5  6  7  8  9 10 11 12 13 14
    const std::vector<int> ready{1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1};
    const std::vector<int> done{0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    const std::vector<std::int32_t> acc{0, 0, 0, 15, 15, -485, -485, -485, -485, -20485, -20485, -20485, -20485, 0, 0};
    for (std::size_t k = 0; k < ready.size(); ++k) {
        INFO("cycle " << k);
        CHECK(s[k].in_ready == (ready[k] == 1));
        CHECK(s[k].step_done == (done[k] == 1));
        CHECK(s[k].acc == acc[k]);
    }
    CHECK(g_int4->pe.counters().steps == 3);
    CHECK(g_int4->pe.counters().macs == pe::MacCounts{1, 1, 2});  // counted when accepted: the dropped step too
}

TEST_CASE("ClockedPe mixed-width: four short pairs in 1 cycle, a step with a long operand in 2", "[clocked_pe]") {
    const auto& s = g_mixed->seen;
    REQUIRE(s.size() >= 7);
    // Step 1 (cycle 1): 1*1 + 2*2 + 3*3 + (-4)*4 = -2, one cycle. Step 2 (cycle 2): lane 3's activation 100 is
    // long: 1*1 + 1*1 + 1*1 + 1*100 = 103, cycles 3 and 4.
    const std::vector<int> ready{1, 1, 1, 0, 1, 1, 1};
    const std::vector<int> done{0, 0, 0, 1, 0, 1, 0};
    const std::vector<std::int32_t> acc{0, 0, 0, -2, -2, 101, 101};  // -2 + 103
    for (std::size_t k = 0; k < ready.size(); ++k) {
        INFO("cycle " << k);
        CHECK(s[k].in_ready == (ready[k] == 1));
        CHECK(s[k].step_done == (done[k] == 1));
        CHECK(s[k].acc == acc[k]);
    }
}

TEST_CASE("Encoder reset drops a pending second nibble; Decoder reset drops a held first half", "[codec][reset]") {
    const CodecRig& r = *g_codec;
    REQUIRE(r.enc_out_valid.size() >= 11);
    CHECK(r.enc_out_valid[2]);
    CHECK(r.enc_nibble[2] == 0xE);
    CHECK_FALSE(r.enc_in_ready[2]);
    CHECK_FALSE(r.enc_out_valid[3]);  // the second nibble 0100 was dropped at the reset edge
    CHECK(r.enc_in_ready[3]);
    CHECK(r.enc_out_valid[5]);
    CHECK(r.enc_nibble[5] == 0x3);
    CHECK(r.encoder.activity().nibbles == 2);
    CHECK(r.decoder.activity().framing_errors == 1);  // the second half after the reset started nothing
    CHECK(r.dec_out_valid[5]);
    CHECK(r.dec_value[5] == 3);
    CHECK_FALSE(r.dec_out_valid[7]);
    CHECK(r.dec_value[9] == 0);  // reset in cycle 8 cleared value and the held half
    CHECK(r.dec_out_valid[10]);
    CHECK(r.dec_value[10] == 3);
    CHECK_FALSE(r.decoder.holds_first_half());
}

int sc_main(int argc, char* argv[]) {
    sc_core::sc_clock clk("clk", kPeriod, 0.5, sc_core::SC_ZERO_TIME, true);
    // INT4, signed weights, unsigned activations: 3 x 5 (1 cycle), -100 x 5 (2), -100 x 200 (4, held over cycle 4
    // while in_ready = 0), then -100 x 200 again in cycle 10 with a reset in cycle 12.
    PeRig int4("int4", pe::PeType::int4_shift,
               {{true, false, 0, 0}, {false, true, pack({3}), pack({5})}, {false, true, pack({-100}), pack({5})},
                {false, true, pack({-100}), pack({200})}, {false, true, pack({-100}), pack({200})},
                {}, {}, {}, {}, {}, {false, true, pack({-100}), pack({200})}, {}, {true, false, 0, 0}});
    PeRig mixed("mixed", pe::PeType::mixed_width,
                {{true, false, 0, 0}, {false, true, pack({1, 2, 3, -4}), pack({1, 2, 3, 4})},
                 {false, true, pack({1, 1, 1, 1}), pack({1, 1, 1, 100})}});
    CodecRig codec_rig("codec");
    int4.clk(clk);
    mixed.clk(clk);
    codec_rig.clk(clk);
    g_int4 = &int4;
    g_mixed = &mixed;
    g_codec = &codec_rig;
    sc_core::sc_start(16 * kPeriod);
    return spark::test::run_catch(argc, argv);
}
