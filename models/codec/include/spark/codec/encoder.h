// SPDX-License-Identifier: Apache-2.0
// The SPARK encoder (spec section 4) as a clocked SystemC module, plus a transaction-level entry that encodes a
// whole tensor at once. Both are thin shells over the codec core: encode() and to_beats() at signal level,
// pack() at transaction level. The output is exactly the beat stream the Decoder expects.
//
// Timing contract (cycle k = between rising edges k and k+1 of clk; inputs are sampled at the edge that ends the
// cycle they are presented in; all outputs are registered):
//   - A value is accepted at edge k+1 when in_valid = 1 and in_ready = 1 were presented in cycle k.
//   - Its first nibble (the whole code if short) is presented in cycle k+1 with enable = 0, out_valid = 1; the
//     second nibble of a long code in cycle k+2 with enable = 1. Latency: 1 cycle from value to first nibble.
//   - in_ready is 0 in cycle k+1 after accepting a long code (the output is busy with its second half), 1
//     otherwise. So a source that keeps in_valid = 1 gets one code per cycle for short codes and one per two
//     cycles for long ones, and the nibble output has no gaps: n values with N nibbles presented from cycle 0
//     leave their last nibble in cycle N.
//   - In cycles without a nibble out_valid = 0; nibble and enable then read 0.
// The output has no ready: the decoder consumes one nibble per cycle.
// The encoder starts idle with in_ready = 1. `reset` is optional (it may stay unbound): a clock edge with reset = 1
// puts it back in that state (no value accepted, a pending second nibble dropped, in_ready = 1, out_valid = 0,
// nibble = 0, enable = 0 in the next cycle), as the RTL's synchronous reset does (rtl/spark_encoder.sv).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <systemc>

#include "spark/codec/activity.h"
#include "spark/codec/codec.h"
#include "spark/codec/stream.h"

namespace spark::codec {

class Encoder : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk;
    sc_core::sc_in<sc_dt::sc_uint<8>> in_value;  // raw bits: uint8, or int8 in two's complement
    sc_core::sc_in<bool> in_valid;
    sc_core::sc_out<bool> in_ready;
    sc_core::sc_out<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_out<bool> enable;  // 1: this nibble is the second half of a long code
    sc_core::sc_out<bool> out_valid;
    // Synchronous, active high; optional.
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> reset;

    // Cycles from a value being presented (and accepted) to its first nibble being presented.
    static constexpr std::uint64_t kLatencyCycles = 1;

    // Cycles encode_tensor charges for values whose codes take `nibbles` nibbles: with the values presented
    // back to back from cycle 0, the signal-level encoder presents its last nibble in cycle `nibbles`; counting
    // cycles 0..nibbles inclusive gives nibbles + 1. An empty tensor costs nothing.
    static constexpr std::uint64_t tensor_cycles(std::uint64_t nibbles) {
        return nibbles == 0 ? 0 : nibbles + kLatencyCycles;
    }

    SC_HAS_PROCESS(Encoder);
    // clock_period is used by encode_tensor and checked against clk if clk is bound to an sc_clock.
    Encoder(sc_core::sc_module_name name, Mode mode,
            sc_core::sc_time clock_period = sc_core::sc_time(5, sc_core::SC_NS));
    ~Encoder() override;

    // Transaction-level entry: appends the codes of raw[0..n) to `out` (pack() from stream.h), adds
    // tensor_cycles(nibbles added) x clock_period to `delay` and counts the same activity as the signal level.
    void encode_tensor(const std::uint8_t* raw, std::size_t n, EncodedStream& out, sc_core::sc_time& delay);

    // Binds the signal ports to idle internal signals, for instances used only through encode_tensor. Call
    // during elaboration, instead of binding the ports.
    void tie_off();
    // Adds the ports to a trace file as <name()>.clk, .in_value, .in_valid, .in_ready, .nibble, .enable,
    // .out_valid. Call before sc_start.
    void trace(sc_core::sc_trace_file* tf) const override;

    Mode mode() const { return m_mode; }
    const sc_core::sc_time& clock_period() const { return m_clock_period; }
    const Activity& activity() const { return m_activity; }

private:
    struct TieOff;

    void on_clock();
    void start_of_simulation() override;

    Mode m_mode;
    sc_core::sc_time m_clock_period;
    bool m_second_pending = false;  // a long code's second nibble goes out next cycle
    std::uint8_t m_second_nibble = 0;
    Activity m_activity;
    std::unique_ptr<TieOff> m_tie_off;

};

}  // namespace spark::codec
