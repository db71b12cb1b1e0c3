// SPDX-License-Identifier: Apache-2.0
// Signal-level Decoder: exact output cycles, bubbles inside a long code, framing violations reported from the
// module's name and counted, and the transaction-level entry's errors. Several decoders run in one simulation.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "activity_string.h"
#include "spark/codec/decoder.h"
#include "spark/codec/stream.h"

using namespace spark::codec;

namespace {

const sc_core::sc_time kPeriod(5, sc_core::SC_NS);

std::optional<Beat> nib(std::uint8_t nibble, bool enable = false) { return Beat{nibble, enable}; }
const std::optional<Beat> bubble;

// Plays one beat per cycle into a decoder (beat i presented in cycle i) and records, per cycle, what the decoder
// presents: value when out_valid = 1.
struct DecoderRig : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> value;
    sc_core::sc_signal<bool> out_valid;
    Decoder decoder;

    std::vector<std::optional<Beat>> script;
    std::map<std::uint64_t, std::uint8_t> outputs;  // cycle -> value presented with out_valid = 1
    std::map<std::uint64_t, std::uint8_t> held;     // cycle -> value presented with out_valid = 0

    SC_HAS_PROCESS(DecoderRig);
    DecoderRig(sc_core::sc_module_name name, Mode mode, std::vector<std::optional<Beat>> beats)
        : sc_module(name), clk("clk"), decoder("decoder", mode, kPeriod), script(std::move(beats)) {
        decoder.clk(clk);
        decoder.nibble(nibble);
        decoder.enable(enable);
        decoder.in_valid(in_valid);
        decoder.value(value);
        decoder.out_valid(out_valid);
        SC_METHOD(on_clock);
        sensitive << clk.pos();
        dont_initialize();
    }

    void on_clock() {
        const auto edge = static_cast<std::uint64_t>(sc_core::sc_time_stamp() / kPeriod);
        if (edge > 0) {
            const auto v = static_cast<std::uint8_t>(value.read().to_uint());
            (out_valid.read() ? outputs : held)[edge - 1] = v;
        }
        const std::optional<Beat> beat = edge < script.size() ? script[edge] : std::nullopt;
        in_valid.write(beat.has_value());
        nibble.write(beat ? beat->nibble : 0);
        enable.write(beat ? beat->enable : false);
    }
};

struct Recorded {
    std::string msg_type;
    std::string message;
};

struct Results {
    DecoderRig* unsigned_rig = nullptr;
    DecoderRig* signed_rig = nullptr;
    DecoderRig* enable_rig = nullptr;
    DecoderRig* truncated_rig = nullptr;
    Decoder* tlm = nullptr;
    bool tlm_truncated_ok = true;
    bool tlm_count_ok = true;
    sc_core::sc_time tlm_delay;
    std::vector<Recorded> errors;
};

Results* g_results = nullptr;  // read by the test cases after the simulation

void recording_handler(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
    if (report.get_severity() == sc_core::SC_ERROR && g_results)
        g_results->errors.push_back({report.get_msg_type(), report.get_msg()});
    sc_core::sc_report_handler::default_handler(report, actions);
}

std::vector<std::string> errors_from(const std::string& name) {
    std::vector<std::string> out;
    for (const Recorded& r : g_results->errors)
        if (r.msg_type == name) out.push_back(r.message);
    return out;
}

}  // namespace

TEST_CASE("a short value is presented one cycle after its nibble", "[decoder][timing]") {
    const auto& out = g_results->unsigned_rig->outputs;
    REQUIRE(out.count(1) == 1);
    CHECK(out.at(1) == 3);
    CHECK(out.count(0) == 0);
    CHECK(out.count(4) == 1);
    CHECK(out.at(4) == 5);
}

TEST_CASE("a long value is presented one cycle after its second nibble", "[decoder][timing]") {
    const auto& out = g_results->unsigned_rig->outputs;
    CHECK(out.count(2) == 0);  // first half in cycle 1: nothing yet
    REQUIRE(out.count(3) == 1);
    CHECK(out.at(3) == 210);  // 1101 0010
    // Bubbles between the halves hold the first half: second half in cycle 7, value in cycle 8.
    CHECK(out.count(5) == 0);
    CHECK(out.count(6) == 0);
    CHECK(out.count(7) == 0);
    REQUIRE(out.count(8) == 1);
    CHECK(out.at(8) == 145);  // 1001 0001: b0 = c3 = 1
    CHECK(out.size() == 4);
    CHECK(g_results->unsigned_rig->decoder.activity() == Activity{4, 2, 2, 6, 0});
}

TEST_CASE("value holds its last value while out_valid is 0", "[decoder][timing]") {
    const auto& held = g_results->unsigned_rig->held;
    CHECK(held.at(0) == 0);
    CHECK(held.at(2) == 3);
    CHECK(held.at(5) == 5);
}

TEST_CASE("signed mode sign-extends short codes and reads long codes by the unsigned rule", "[decoder][signed]") {
    const auto& out = g_results->signed_rig->outputs;
    REQUIRE(out.size() == 3);
    CHECK(out.at(1) == 0xFF);  // 0111 -> -1
    CHECK(out.at(2) == 0x03);
    CHECK(out.at(4) == 0x9C);  // 1001 1100 -> -100
}

TEST_CASE("enable with no long code started is a framing error from the decoder", "[decoder][framing]") {
    const DecoderRig& rig = *g_results->enable_rig;
    const auto errors = errors_from(rig.decoder.name());
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("enable is set but no long code was started"));
    CHECK(rig.decoder.activity().framing_errors == 1);
    // The offending nibble is dropped; decoding resumes with the next one.
    REQUIRE(rig.outputs.size() == 1);
    CHECK(rig.outputs.at(2) == 2);
}

TEST_CASE("a long code cut short is a framing error and the decoder recovers", "[decoder][framing]") {
    const DecoderRig& rig = *g_results->truncated_rig;
    const auto errors = errors_from(rig.decoder.name());
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("truncated long code"));
    CHECK(rig.decoder.activity().framing_errors == 1);
    CHECK_FALSE(rig.decoder.holds_first_half());
    REQUIRE(rig.outputs.size() == 1);
    CHECK(rig.outputs.at(3) == 4);
}

TEST_CASE("decode_tensor reports malformed streams and charges only well-formed ones", "[decoder][tlm]") {
    const Decoder& tlm = *g_results->tlm;
    const auto errors = errors_from(tlm.name());
    REQUIRE(errors.size() == 2);
    CHECK_THAT(errors[0], Catch::Contains("truncated long code"));
    CHECK_THAT(errors[1], Catch::Contains("holds 2 values but the output takes 3"));
    CHECK_FALSE(g_results->tlm_truncated_ok);
    CHECK_FALSE(g_results->tlm_count_ok);
    CHECK(tlm.activity().framing_errors == 2);
    // Only the good stream (2 values, 3 nibbles) was charged: 3 + 1 cycles.
    CHECK(g_results->tlm_delay == 4 * kPeriod);
    CHECK(tlm.activity() == Activity{2, 1, 1, 3, 2});
}

TEST_CASE("no other module reported an error", "[decoder]") {
    CHECK(g_results->errors.size() == 4);
}

int sc_main(int argc, char* argv[]) {
    Results results;
    g_results = &results;
    sc_core::sc_report_handler::set_handler(recording_handler);

    sc_core::sc_clock clk("clk", kPeriod, 0.5, sc_core::SC_ZERO_TIME, true);
    // Cycle:                     0        1          2               3        4          5       6       7
    DecoderRig unsigned_rig("unsigned_rig", Mode::unsigned_u8,
                            {nib(0x3), nib(0xD), nib(0x2, true), nib(0x5), nib(0x9), bubble, bubble, nib(0x1, true)});
    DecoderRig signed_rig("signed_rig", Mode::signed_i8, {nib(0x7), nib(0x3), nib(0x9), nib(0xC, true)});
    DecoderRig enable_rig("enable_rig", Mode::signed_i8, {nib(0x3, true), nib(0x2)});
    DecoderRig truncated_rig("truncated_rig", Mode::unsigned_u8, {nib(0xA), nib(0x1), nib(0x4)});
    for (DecoderRig* rig : {&unsigned_rig, &signed_rig, &enable_rig, &truncated_rig}) rig->clk(clk);
    Decoder tlm("tlm_decoder", Mode::unsigned_u8, kPeriod);
    tlm.tie_off();

    // Violations are expected from these three: report without throwing, so the simulation goes on.
    for (const char* name : {enable_rig.decoder.name(), truncated_rig.decoder.name(), tlm.name()})
        sc_core::sc_report_handler::set_actions(name, sc_core::SC_ERROR, sc_core::SC_DISPLAY);

    results.unsigned_rig = &unsigned_rig;
    results.signed_rig = &signed_rig;
    results.enable_rig = &enable_rig;
    results.truncated_rig = &truncated_rig;
    results.tlm = &tlm;

    sc_core::sc_start(12 * kPeriod);

    std::uint8_t out[3] = {};
    EncodedStream truncated;
    truncated.bytes = {0xA0};
    truncated.nibbles = 1;
    truncated.values = 1;
    results.tlm_truncated_ok = tlm.decode_tensor(truncated, out, 1, results.tlm_delay);
    const EncodedStream good = pack(std::vector<std::uint8_t>{3, 210}, Mode::unsigned_u8);
    results.tlm_count_ok = tlm.decode_tensor(good, out, 3, results.tlm_delay);
    if (!tlm.decode_tensor(good, out, 2, results.tlm_delay) || out[0] != 3 || out[1] != 210) return 1;

    const int failed = Catch::Session().run(argc, argv);
    g_results = nullptr;
    return failed;
}
