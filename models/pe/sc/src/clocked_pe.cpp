// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_sc/clocked_pe.h"

#include <string>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/pe/factory.h"

namespace spark::pe_sc {

ClockedPe::ClockedPe(sc_core::sc_module_name name, pe::PeType type, pe::OperandModes modes)
    : sc_module(name),
      clk("clk"),
      reset("reset"),
      in_valid("in_valid"),
      in_ready("in_ready"),
      weights("weights"),
      activations("activations"),
      acc("acc"),
      step_done("step_done"),
      m_pe(pe::make_pe(type)),
      m_modes(modes) {
    if (m_pe->lanes() > kMaxLanes)
        throw Error(fmt::format("ClockedPe '{}': PE type '{}' takes {} lanes, the ports carry at most {}",
                                this->name(), m_pe->name(), m_pe->lanes(), kMaxLanes));
    in_ready.initialize(true);
    acc.initialize(0);
    step_done.initialize(false);
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

ClockedPe::~ClockedPe() = default;

void ClockedPe::on_clock() {
    if (reset.read()) {
        m_remaining_cycles = 0;
        m_step_sum = 0;
        m_counters.accumulator = 0;
        acc.write(0);
        in_ready.write(true);
        step_done.write(false);
        return;
    }
    bool done = false;
    if (m_remaining_cycles > 0) {
        ++m_counters.busy_cycles;
        if (--m_remaining_cycles == 0) {
            m_counters.accumulator += m_step_sum;
            ++m_counters.steps;
            done = true;
        }
    }
    if (in_valid.read() && in_ready.read()) {
        const std::uint64_t w_bits = weights.read().to_uint64();
        const std::uint64_t a_bits = activations.read().to_uint64();
        bool weight_long = false;
        bool activation_long = false;
        m_step_sum = 0;
        for (unsigned lane = 0; lane < m_pe->lanes(); ++lane) {
            const auto w = static_cast<std::uint8_t>(w_bits >> (8 * lane));
            const auto a = static_cast<std::uint8_t>(a_bits >> (8 * lane));
            const bool wl = pe::is_long(w, m_modes.weight, m_modes.codec_enabled);
            const bool al = pe::is_long(a, m_modes.activation, m_modes.codec_enabled);
            weight_long |= wl;
            activation_long |= al;
            if (wl && al) ++m_counters.macs.long_long;
            else if (wl || al) ++m_counters.macs.short_long;
            else ++m_counters.macs.short_short;
            m_step_sum += m_pe->multiply(codec::to_int(w, m_modes.weight), codec::to_int(a, m_modes.activation), wl, al);
        }
        m_remaining_cycles = m_pe->step_cycles(weight_long, activation_long);
    }
    acc.write(static_cast<std::uint32_t>(static_cast<std::uint64_t>(m_counters.accumulator)));
    step_done.write(done);
    in_ready.write(m_remaining_cycles <= 1);
}

void ClockedPe::trace(sc_core::sc_trace_file* tf) const {
    const std::string prefix = std::string(name()) + ".";
    sc_core::sc_trace(tf, clk, prefix + "clk");
    sc_core::sc_trace(tf, reset, prefix + "reset");
    sc_core::sc_trace(tf, in_valid, prefix + "in_valid");
    sc_core::sc_trace(tf, in_ready, prefix + "in_ready");
    sc_core::sc_trace(tf, weights, prefix + "weights");
    sc_core::sc_trace(tf, activations, prefix + "activations");
    sc_core::sc_trace(tf, acc, prefix + "acc");
    sc_core::sc_trace(tf, step_done, prefix + "step_done");
}

}  // namespace spark::pe_sc
