// SPDX-License-Identifier: Apache-2.0
// The codec testbench top: a value source -> Encoder -> Decoder -> sink, all on one clock, at signal level.
// The source offers the next value every cycle and honours in_ready; the monitor records, per clock cycle, what
// the encoder and decoder presented, so that tests can check latencies and cycle counts exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "spark/codec/decoder.h"
#include "spark/codec/encoder.h"

namespace spark::codec::bench {

// Signals as presented during one clock cycle (cycle k = between rising edges k and k+1; edge 0 at time 0).
struct CycleRecord {
    std::uint64_t cycle = 0;
    bool in_valid = false;
    bool in_ready = false;
    std::uint8_t in_value = 0;
    bool nibble_valid = false;
    std::uint8_t nibble = 0;
    bool enable = false;
    bool out_valid = false;
    std::uint8_t out_value = 0;
};

class CodecBench : public sc_core::sc_module {
public:
    sc_core::sc_clock clk;
    sc_core::sc_signal<sc_dt::sc_uint<8>> in_value;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<bool> in_ready;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable;
    sc_core::sc_signal<bool> nibble_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> out_value;
    sc_core::sc_signal<bool> out_valid;

    Encoder encoder;
    Decoder decoder;

    SC_HAS_PROCESS(CodecBench);
    // stop_when_done: call sc_stop() once every value is decoded (leave false when several benches share a run).
    // keep_log: record every cycle in log().
    CodecBench(sc_core::sc_module_name name, std::vector<std::uint8_t> values, Mode mode,
               sc_core::sc_time clock_period, bool stop_when_done, bool keep_log);

    // A run long enough for any values: at most two nibbles per value, plus both latencies and slack.
    sc_core::sc_time time_bound() const;
    // Traces <name()>.clk and the encoder and decoder ports under their hierarchical names.
    void trace(sc_core::sc_trace_file* tf) const;

    const std::vector<std::uint8_t>& values() const { return m_values; }
    const std::vector<std::uint8_t>& decoded() const { return m_decoded; }
    const std::vector<CycleRecord>& log() const { return m_log; }
    bool done() const { return m_decoded.size() == m_values.size(); }
    // Values the decoder presented after the last expected one: always 0 in a correct model.
    std::uint64_t extra_outputs() const { return m_extra_outputs; }

    // Cycle numbers, valid once done(): first value presented, first and last nibble presented, last value out.
    std::uint64_t first_input_cycle() const { return m_first_input_cycle.value_or(0); }
    std::uint64_t first_nibble_cycle() const { return m_first_nibble_cycle.value_or(0); }
    std::uint64_t last_nibble_cycle() const { return m_last_nibble_cycle.value_or(0); }
    std::uint64_t last_output_cycle() const { return m_last_output_cycle.value_or(0); }
    std::uint64_t nibbles_seen() const { return m_nibbles; }
    // Inclusive cycle spans: what the transaction-level entries must charge.
    std::uint64_t encoder_cycles() const { return last_nibble_cycle() - first_input_cycle() + 1; }
    std::uint64_t decoder_cycles() const { return last_output_cycle() - first_nibble_cycle() + 1; }
    std::uint64_t total_cycles() const { return last_output_cycle() - first_input_cycle() + 1; }

private:
    void drive_source();
    void monitor();
    std::uint64_t cycle_now() const;

    std::vector<std::uint8_t> m_values;
    bool m_stop_when_done;
    bool m_keep_log;
    std::size_t m_next = 0;  // index of the value the source offers
    std::vector<std::uint8_t> m_decoded;
    std::vector<CycleRecord> m_log;
    std::uint64_t m_nibbles = 0;
    std::uint64_t m_extra_outputs = 0;
    std::optional<std::uint64_t> m_first_input_cycle;
    std::optional<std::uint64_t> m_first_nibble_cycle;
    std::optional<std::uint64_t> m_last_nibble_cycle;
    std::optional<std::uint64_t> m_last_output_cycle;
};

}  // namespace spark::codec::bench
