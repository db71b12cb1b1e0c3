// SPDX-License-Identifier: Apache-2.0
// Encoder -> Decoder at signal level against the codec core: exact encoder timing and back-pressure, random
// round trips in both modes (two benches with different clocks in one simulation), the nibble stream equal to
// pack(), and the transaction-level entries charging exactly the signal-level cycles with the same activity.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include <systemc>

#include "activity_string.h"
#include "bench.h"
#include "spark/codec/stream.h"

using namespace spark::codec;
using spark::codec::bench::CodecBench;
using spark::codec::bench::CycleRecord;

namespace {

struct TlmRun {
    EncodedStream stream;
    sc_core::sc_time encode_delay;
    sc_core::sc_time decode_delay;
    std::vector<std::uint8_t> decoded;
    bool decode_ok = false;
    Activity encoder_activity;
    Activity decoder_activity;
};

struct Results {
    CodecBench* timing = nullptr;
    CodecBench* random_signed = nullptr;
    CodecBench* random_unsigned = nullptr;
    TlmRun tlm_signed;
    TlmRun tlm_unsigned;
};

Results* g_results = nullptr;  // read by the test cases after the simulation

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint64_t seed) {
    // Uniform over all 256 codes, so every encode case appears many times.
    std::mt19937_64 rng(seed);
    std::vector<std::uint8_t> v(n);
    for (auto& x : v) x = static_cast<std::uint8_t>(rng() & 0xFF);
    return v;
}

// Encodes and decodes the bench's values through tie-off instances' transaction-level entries.
TlmRun run_tlm(const CodecBench& bench, Encoder& enc, Decoder& dec) {
    TlmRun r;
    enc.encode_tensor(bench.values().data(), bench.values().size(), r.stream, r.encode_delay);
    r.decoded.resize(bench.values().size());
    r.decode_ok = dec.decode_tensor(r.stream, r.decoded.data(), r.decoded.size(), r.decode_delay);
    r.encoder_activity = enc.activity();
    r.decoder_activity = dec.activity();
    return r;
}

std::vector<std::uint8_t> nibbles_of(const EncodedStream& s) {
    std::vector<std::uint8_t> out;
    for (std::uint64_t i = 0; i < s.nibbles; ++i)
        out.push_back(i % 2 == 0 ? static_cast<std::uint8_t>(s.bytes[i / 2] >> 4)
                                 : static_cast<std::uint8_t>(s.bytes[i / 2] & 0x0F));
    return out;
}

void check_round_trip(const CodecBench& bench, const TlmRun& tlm) {
    const Mode mode = bench.encoder.mode();
    REQUIRE(bench.done());
    CHECK(bench.extra_outputs() == 0);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < bench.values().size(); ++i)
        if (bench.decoded()[i] != approximate(bench.values()[i], mode)) ++mismatches;
    CHECK(mismatches == 0);
    CHECK(bench.decoder.activity().framing_errors == 0);

    // The nibbles on the wire are exactly the packed stream, with enable on every second half.
    const EncodedStream packed = pack(bench.values(), mode);
    std::vector<std::uint8_t> wire;
    std::size_t wrong_enable = 0;
    bool expect_second = false;
    for (const CycleRecord& c : bench.log()) {
        if (!c.nibble_valid) continue;
        wire.push_back(c.nibble);
        if (c.enable != expect_second) ++wrong_enable;
        expect_second = !expect_second && (c.nibble & 0x08);
    }
    CHECK(wire == nibbles_of(packed));
    CHECK(wrong_enable == 0);

    // Transaction level: the same stream, the same values, the same cycles, the same activity.
    const sc_core::sc_time period = bench.clk.period();
    CHECK(tlm.stream.bytes == packed.bytes);
    CHECK(tlm.decode_ok);
    CHECK(tlm.decoded == bench.decoded());
    CHECK(bench.encoder_cycles() == Encoder::tensor_cycles(packed.nibbles));
    CHECK(bench.decoder_cycles() == Decoder::tensor_cycles(packed.nibbles));
    CHECK(tlm.encode_delay == static_cast<double>(bench.encoder_cycles()) * period);
    CHECK(tlm.decode_delay == static_cast<double>(bench.decoder_cycles()) * period);
    CHECK(tlm.encoder_activity == bench.encoder.activity());
    CHECK(tlm.decoder_activity == bench.decoder.activity());
}

}  // namespace

TEST_CASE("encoder timing: one-cycle latency, in_ready low while a long code's second half goes out",
          "[encoder][timing]") {
    // Values (signed): 3 S, 100 L, -2 S, -100 L, -100 L, 1 S. Expected per cycle, written out by hand from the
    // timing contract in encoder.h and decoder.h.
    struct Row {
        std::uint64_t cycle;
        bool in_valid, in_ready;
        int in_value;
        bool nibble_valid;
        std::uint8_t nibble;
        bool enable, out_valid;
        int out_value;  // checked only when out_valid
    };
    // 100 = 0110 0100 -> long 1110 0100; -100 = 1001 1100 -> long 1001 1100 (b0 == b3: exact).
    const Row expected[] = {
        {0, true, true, 3, false, 0, false, false, 0},
        {1, true, true, 100, true, 0x3, false, false, 0},
        {2, true, false, -2, true, 0xE, false, true, 3},
        {3, true, true, -2, true, 0x4, true, false, 0},
        {4, true, true, -100, true, 0x6, false, true, 100},
        {5, true, false, -100, true, 0x9, false, true, -2},
        {6, true, true, -100, true, 0xC, true, false, 0},
        {7, true, false, 1, true, 0x9, false, true, -100},
        {8, true, true, 1, true, 0xC, true, false, 0},
        {9, false, true, 0, true, 0x1, false, true, -100},
        {10, false, true, 0, false, 0, false, true, 1},
    };
    const CodecBench& bench = *g_results->timing;
    REQUIRE(bench.log().size() >= std::size(expected));
    for (const Row& row : expected) {
        const CycleRecord& c = bench.log()[row.cycle];
        INFO("cycle " << row.cycle);
        CHECK(c.cycle == row.cycle);
        CHECK(c.in_valid == row.in_valid);
        CHECK(c.in_ready == row.in_ready);
        if (row.in_valid) CHECK(to_int(c.in_value, Mode::signed_i8) == row.in_value);
        CHECK(c.nibble_valid == row.nibble_valid);
        if (row.nibble_valid) {
            CHECK(c.nibble == row.nibble);
            CHECK(c.enable == row.enable);
        }
        CHECK(c.out_valid == row.out_valid);
        if (row.out_valid) CHECK(to_int(c.out_value, Mode::signed_i8) == row.out_value);
    }
    // 9 nibbles: first value in cycle 0, last nibble in cycle 9, last value in cycle 10.
    CHECK(bench.first_input_cycle() == 0);
    CHECK(bench.first_nibble_cycle() == 1);
    CHECK(bench.last_nibble_cycle() == 9);
    CHECK(bench.last_output_cycle() == 10);
    CHECK(bench.encoder_cycles() == 10);
    CHECK(bench.decoder_cycles() == 10);
    CHECK(bench.total_cycles() == 11);
    CHECK(bench.encoder.activity() == Activity{6, 3, 3, 9, 0});
}

TEST_CASE("signed random round trip through encoder and decoder equals the codec core", "[roundtrip][signed]") {
    check_round_trip(*g_results->random_signed, g_results->tlm_signed);
}

TEST_CASE("unsigned random round trip through encoder and decoder equals the codec core", "[roundtrip][unsigned]") {
    check_round_trip(*g_results->random_unsigned, g_results->tlm_unsigned);
}

TEST_CASE("the two benches kept their own clocks", "[roundtrip]") {
    CHECK(g_results->random_signed->clk.period() == sc_core::sc_time(5, sc_core::SC_NS));
    CHECK(g_results->random_unsigned->clk.period() == sc_core::sc_time(2500, sc_core::SC_PS));
    CHECK(g_results->tlm_unsigned.encode_delay ==
          static_cast<double>(g_results->random_unsigned->encoder_cycles()) * sc_core::sc_time(2500, sc_core::SC_PS));
}

int sc_main(int argc, char* argv[]) {
    const sc_core::sc_time period_200mhz(5, sc_core::SC_NS);
    const sc_core::sc_time period_400mhz(2500, sc_core::SC_PS);
    const std::vector<std::uint8_t> timing_values = {3, 100, static_cast<std::uint8_t>(-2),
                                                     static_cast<std::uint8_t>(-100), static_cast<std::uint8_t>(-100),
                                                     1};
    CodecBench timing("timing", timing_values, Mode::signed_i8, period_200mhz, false, true);
    CodecBench random_signed("random_signed", random_bytes(4000, 1), Mode::signed_i8, period_200mhz, false, true);
    CodecBench random_unsigned("random_unsigned", random_bytes(4000, 2), Mode::unsigned_u8, period_400mhz, false,
                               true);
    Encoder tlm_encoder_signed("tlm_encoder_signed", Mode::signed_i8, period_200mhz);
    Decoder tlm_decoder_signed("tlm_decoder_signed", Mode::signed_i8, period_200mhz);
    Encoder tlm_encoder_unsigned("tlm_encoder_unsigned", Mode::unsigned_u8, period_400mhz);
    Decoder tlm_decoder_unsigned("tlm_decoder_unsigned", Mode::unsigned_u8, period_400mhz);
    tlm_encoder_signed.tie_off();
    tlm_decoder_signed.tie_off();
    tlm_encoder_unsigned.tie_off();
    tlm_decoder_unsigned.tie_off();

    sc_core::sc_start(std::max({timing.time_bound(), random_signed.time_bound(), random_unsigned.time_bound()}));

    Results results;
    results.timing = &timing;
    results.random_signed = &random_signed;
    results.random_unsigned = &random_unsigned;
    results.tlm_signed = run_tlm(random_signed, tlm_encoder_signed, tlm_decoder_signed);
    results.tlm_unsigned = run_tlm(random_unsigned, tlm_encoder_unsigned, tlm_decoder_unsigned);
    g_results = &results;
    const int failed = Catch::Session().run(argc, argv);
    g_results = nullptr;
    return failed;
}
