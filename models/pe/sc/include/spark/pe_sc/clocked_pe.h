// SPDX-License-Identifier: Apache-2.0
// One processing element as a clocked SystemC module: a thin shell over the plain-C++ rule of its type
// (spark::pe::ProcessingElement: lanes(), step_cycles(), multiply()), so the RTL (rtl/spark_pe_mixed.sv,
// rtl/spark_pe_int4.sv) has a pin-level model to be compared with cycle by cycle.
//
// Timing contract (cycle k = between rising edges k and k+1 of clk; inputs are sampled at the edge that ends the
// cycle they are presented in; all outputs are registered):
//   - A step (lanes() operand pairs, lane i in bits 8i+7..8i of `weights` and `activations`, lane 0 first along
//     the reduction) is accepted at edge k+1 when in_valid = 1 and in_ready = 1 were presented in cycle k.
//   - It occupies cycles k+1 .. k+C with C = step_cycles(any weight long, any activation long). acc presents the
//     accumulator with the whole step's products added from cycle k+C+1 on, and step_done is 1 in that cycle.
//   - in_ready is 0 in every cycle of a step but its last, 1 otherwise, so a source holding in_valid = 1 starts a
//     step every C cycles and the multipliers never idle.
//   - The PE multiplies the values it is given (what the decoders deliver): no approximation happens here. An
//     operand is long when its value has an 8-bit code in its mode (spark::pe::is_long).
//   - acc is the accumulator's low 32 bits (two's complement): the hardware's accumulator wraps at 32 bits.
//   - reset (synchronous, active high) empties the PE: a step in progress is dropped, acc = 0, in_ready = 1,
//     step_done = 0 in the next cycle. The PE starts in that state.
#pragma once

#include <cstdint>
#include <memory>

#include <systemc>

#include "spark/pe/pe.h"

namespace spark::pe_sc {

class ClockedPe : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk;
    sc_core::sc_in<bool> reset;
    sc_core::sc_in<bool> in_valid;
    sc_core::sc_out<bool> in_ready;
    sc_core::sc_in<sc_dt::sc_uint<32>> weights;      // lanes() raw bytes in their codec mode, lane 0 lowest
    sc_core::sc_in<sc_dt::sc_uint<32>> activations;  // likewise
    sc_core::sc_out<sc_dt::sc_uint<32>> acc;         // low 32 bits of the accumulator
    sc_core::sc_out<bool> step_done;                 // acc took a step's products at the edge that began this cycle

    static constexpr unsigned kMaxLanes = 4;

    // Counted at the edges; for comparing the cycle counts with ProcessingElement::run().
    struct Counters {
        std::uint64_t steps = 0;        // steps finished
        std::uint64_t busy_cycles = 0;  // cycles that belonged to a step
        pe::MacCounts macs;
        std::int64_t accumulator = 0;  // exact, without the 32-bit wrap
    };

    SC_HAS_PROCESS(ClockedPe);
    // type: a PE type with at most kMaxLanes lanes (mixed_width, int4_shift, int8).
    ClockedPe(sc_core::sc_module_name name, pe::PeType type, pe::OperandModes modes);
    ~ClockedPe() override;

    // Adds the ports to a trace file as <name()>.clk, .reset, .in_valid, .in_ready, .weights, .activations, .acc,
    // .step_done. Call before sc_start.
    void trace(sc_core::sc_trace_file* tf) const override;

    const pe::ProcessingElement& rule() const { return *m_pe; }
    const pe::OperandModes& modes() const { return m_modes; }
    const Counters& counters() const { return m_counters; }

private:
    void on_clock();

    std::unique_ptr<pe::ProcessingElement> m_pe;
    pe::OperandModes m_modes;
    unsigned m_remaining_cycles = 0;  // of the step in progress, this cycle included
    std::int64_t m_step_sum = 0;
    Counters m_counters;
};

}  // namespace spark::pe_sc
