// SPDX-License-Identifier: Apache-2.0
// The SPARK decoder (spec section 4) as a clocked SystemC module, plus a transaction-level entry that decodes a
// whole stream at once. Both are thin shells over the codec core: NibbleDecoder at signal level, unpack() at
// transaction level.
//
// Timing contract. Cycle k is the time between rising edges k and k+1 of clk; a signal is "presented in cycle k"
// when it is stable over that interval, and the module samples it at edge k+1. Outputs are registered.
//   - One nibble per cycle, no back-pressure: every cycle with in_valid = 1 consumes a beat (nibble, enable).
//   - Short code presented in cycle k           -> value, out_valid = 1 presented in cycle k+1.
//   - Long code, first half in cycle k (enable = 0), second half in cycle j > k (enable = 1)
//                                               -> value, out_valid = 1 presented in cycle j+1.
//     Cycles with in_valid = 0 between the halves are bubbles; the first half is held.
//   - In every other cycle out_valid = 0 and value keeps its last value.
// Framing violations (enable = 1 with no long code started; a new code while a long one waits for its second
// half) are reported with SC_REPORT_ERROR(name(), <core message>) and counted in activity().framing_errors. The
// offending nibble and any half-received long code are dropped; decoding resumes with the next nibble. With the
// default report actions the error ends the simulation; a testbench that wants to go on sets the actions for
// this module's name (sc_report_handler::set_actions(decoder.name(), SC_ERROR, ...)).
//
// The decoder starts empty at construction. `reset` is optional (it may stay unbound): a clock edge with reset = 1
// empties it (a held first half dropped, nothing consumed) and presents out_valid = 0, value = 0 in the next
// cycle, as the RTL's synchronous reset does (rtl/spark_decoder.sv). nibble and enable are only read in cycles
// with in_valid = 1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <systemc>

#include "spark/codec/activity.h"
#include "spark/codec/codec.h"
#include "spark/codec/nibble.h"
#include "spark/codec/stream.h"

namespace spark::codec {

class Decoder : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk;
    sc_core::sc_in<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_in<bool> enable;  // 1: this nibble is the second half of a long code
    sc_core::sc_in<bool> in_valid;
    sc_core::sc_out<sc_dt::sc_uint<8>> value;  // raw bits: uint8, or int8 in two's complement
    sc_core::sc_out<bool> out_valid;
    // Synchronous, active high; optional.
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> reset;

    // Cycles from a code's last nibble being presented to its value being presented.
    static constexpr std::uint64_t kLatencyCycles = 1;

    // Cycles decode_tensor charges for a stream of `nibbles` nibbles: the signal-level decoder, fed one nibble per
    // cycle without bubbles from cycle 0, presents its last value in cycle `nibbles`; counting cycles 0..nibbles
    // inclusive gives nibbles + 1. An empty stream costs nothing.
    static constexpr std::uint64_t tensor_cycles(std::uint64_t nibbles) {
        return nibbles == 0 ? 0 : nibbles + kLatencyCycles;
    }

    SC_HAS_PROCESS(Decoder);
    // clock_period is used by decode_tensor and checked against clk if clk is bound to an sc_clock.
    Decoder(sc_core::sc_module_name name, Mode mode,
            sc_core::sc_time clock_period = sc_core::sc_time(5, sc_core::SC_NS));
    ~Decoder() override;

    // Transaction-level entry: decodes `in` into out[0..n) (n must equal in.values) with the same rules as the
    // signal-level path, adds tensor_cycles(in.nibbles) x clock_period to `delay` and counts the same activity.
    // A malformed stream is an SC_REPORT_ERROR(name(), ...) and a framing error; returns false then (if the
    // report actions let execution continue).
    bool decode_tensor(const EncodedStream& in, std::uint8_t* out, std::size_t n, sc_core::sc_time& delay);

    // Binds the signal ports to idle internal signals, for instances used only through decode_tensor. Call during
    // elaboration, instead of binding the ports.
    void tie_off();
    // Adds the ports to a trace file as <name()>.clk, .nibble, .enable, .in_valid, .value, .out_valid.
    // Call before sc_start.
    void trace(sc_core::sc_trace_file* tf) const override;

    Mode mode() const { return m_mode; }
    const sc_core::sc_time& clock_period() const { return m_clock_period; }
    const Activity& activity() const { return m_activity; }
    // True while the first half of a long code waits for its second half.
    bool holds_first_half() const { return m_core.holds_first_half(); }

private:
    struct TieOff;

    void on_clock();
    void start_of_simulation() override;

    Mode m_mode;
    sc_core::sc_time m_clock_period;
    NibbleDecoder m_core;
    Activity m_activity;
    std::unique_ptr<TieOff> m_tie_off;

};

}  // namespace spark::codec
