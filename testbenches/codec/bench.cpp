// SPDX-License-Identifier: Apache-2.0
#include "bench.h"

namespace spark::codec::bench {

CodecBench::CodecBench(sc_core::sc_module_name name, std::vector<std::uint8_t> values, Mode mode,
                       sc_core::sc_time clock_period, bool stop_when_done, bool keep_log)
    : sc_module(name),
      clk("clk", clock_period, 0.5, sc_core::SC_ZERO_TIME, true),
      in_value("in_value"),
      in_valid("in_valid"),
      in_ready("in_ready"),
      nibble("nibble"),
      enable("enable"),
      nibble_valid("nibble_valid"),
      out_value("out_value"),
      out_valid("out_valid"),
      encoder("encoder", mode, clock_period),
      decoder("decoder", mode, clock_period),
      m_values(std::move(values)),
      m_stop_when_done(stop_when_done),
      m_keep_log(keep_log) {
    encoder.clk(clk);
    encoder.in_value(in_value);
    encoder.in_valid(in_valid);
    encoder.in_ready(in_ready);
    encoder.nibble(nibble);
    encoder.enable(enable);
    encoder.out_valid(nibble_valid);
    decoder.clk(clk);
    decoder.nibble(nibble);
    decoder.enable(enable);
    decoder.in_valid(nibble_valid);
    decoder.value(out_value);
    decoder.out_valid(out_valid);
    m_decoded.reserve(m_values.size());

    // Both processes run at every rising edge and, like the modules, read what was presented in the cycle that
    // the edge ends.
    SC_METHOD(drive_source);
    sensitive << clk.posedge_event();
    dont_initialize();
    SC_METHOD(monitor);
    sensitive << clk.posedge_event();
    dont_initialize();
}

sc_core::sc_time CodecBench::time_bound() const {
    return static_cast<double>(2 * m_values.size() + 8) * clk.period();
}

void CodecBench::trace(sc_core::sc_trace_file* tf) const {
    sc_core::sc_trace(tf, clk, std::string(name()) + ".clk");
    encoder.trace(tf);
    decoder.trace(tf);
}

std::uint64_t CodecBench::cycle_now() const {
    return static_cast<std::uint64_t>(sc_core::sc_time_stamp() / clk.period());
}

void CodecBench::drive_source() {
    if (in_valid.read() && in_ready.read()) ++m_next;  // the encoder accepted at this edge
    if (m_next < m_values.size()) {
        if (!m_first_input_cycle) m_first_input_cycle = cycle_now();
        in_value.write(m_values[m_next]);
        in_valid.write(true);
    } else {
        in_valid.write(false);
    }
}

void CodecBench::monitor() {
    if (cycle_now() == 0) return;  // nothing was presented before edge 0
    const std::uint64_t cycle = cycle_now() - 1;
    if (nibble_valid.read()) {
        ++m_nibbles;
        if (!m_first_nibble_cycle) m_first_nibble_cycle = cycle;
        m_last_nibble_cycle = cycle;
    }
    if (out_valid.read() && done()) {
        ++m_extra_outputs;
    } else if (out_valid.read()) {
        m_decoded.push_back(static_cast<std::uint8_t>(out_value.read().to_uint()));
        if (done()) {
            m_last_output_cycle = cycle;
            if (m_stop_when_done) sc_core::sc_stop();
        }
    }
    if (m_keep_log)
        m_log.push_back(CycleRecord{cycle, in_valid.read(), in_ready.read(),
                                    static_cast<std::uint8_t>(in_value.read().to_uint()), nibble_valid.read(),
                                    static_cast<std::uint8_t>(nibble.read().to_uint()), enable.read(),
                                    out_valid.read(), static_cast<std::uint8_t>(out_value.read().to_uint())});
}

}  // namespace spark::codec::bench
