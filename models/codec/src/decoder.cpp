// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/decoder.h"

#include <fmt/format.h>

#include "clock_check.h"

#include "spark/common/error.h"

namespace spark::codec {

struct Decoder::TieOff {
    sc_core::sc_signal<bool> clk;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> value;
    sc_core::sc_signal<bool> out_valid;
};

Decoder::Decoder(sc_core::sc_module_name name, Mode mode, sc_core::sc_time clock_period)
    : sc_module(name),
      clk("clk"),
      nibble("nibble"),
      enable("enable"),
      in_valid("in_valid"),
      value("value"),
      out_valid("out_valid"),
      reset("reset"),
      m_mode(mode),
      m_clock_period(clock_period),
      m_core(mode) {
    if (m_clock_period == sc_core::SC_ZERO_TIME) SC_REPORT_ERROR(this->name(), "clock_period must be above zero");
    value.initialize(0);
    out_valid.initialize(false);
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

Decoder::~Decoder() = default;

void Decoder::on_clock() {
    if (reset.size() > 0 && reset->read()) {
        m_core.drop_first_half();
        value.write(0);
        out_valid.write(false);
        return;
    }
    if (!in_valid.read()) {
        out_valid.write(false);
        return;
    }
    const Beat beat{static_cast<std::uint8_t>(nibble.read().to_uint()), enable.read()};
    ++m_activity.nibbles;
    std::optional<std::uint8_t> decoded;
    try {
        decoded = m_core.step(beat);
    } catch (const Error& e) {
        // The core leaves a pending first half in place on a truncated code; drop it with the offending nibble.
        m_core.drop_first_half();
        ++m_activity.framing_errors;
        out_valid.write(false);
        SC_REPORT_ERROR(name(), e.what());
        return;
    }
    if (!decoded) {
        out_valid.write(false);
        return;
    }
    ++m_activity.values;
    if (beat.enable)
        ++m_activity.long_codes;
    else
        ++m_activity.short_codes;
    value.write(*decoded);
    out_valid.write(true);
}

bool Decoder::decode_tensor(const EncodedStream& in, std::uint8_t* out, std::size_t n, sc_core::sc_time& delay) {
    try {
        if (in.values != n)
            throw Error(fmt::format("decode_tensor: the stream holds {} values but the output takes {}", in.values, n));
        unpack(in, m_mode, out, n);
    } catch (const Error& e) {
        ++m_activity.framing_errors;
        SC_REPORT_ERROR(name(), e.what());
        return false;
    }
    // A well-formed stream has one nibble per short code and two per long one.
    const std::uint64_t long_codes = in.nibbles - in.values;
    m_activity.values += in.values;
    m_activity.long_codes += long_codes;
    m_activity.short_codes += in.values - long_codes;
    m_activity.nibbles += in.nibbles;
    delay += static_cast<double>(tensor_cycles(in.nibbles)) * m_clock_period;
    return true;
}

void Decoder::tie_off() {
    m_tie_off = std::make_unique<TieOff>();
    clk.bind(m_tie_off->clk);
    nibble.bind(m_tie_off->nibble);
    enable.bind(m_tie_off->enable);
    in_valid.bind(m_tie_off->in_valid);
    value.bind(m_tie_off->value);
    out_valid.bind(m_tie_off->out_valid);
}

void Decoder::trace(sc_core::sc_trace_file* tf) const {
    const std::string prefix = std::string(name()) + ".";
    sc_core::sc_trace(tf, clk, prefix + "clk");
    sc_core::sc_trace(tf, nibble, prefix + "nibble");
    sc_core::sc_trace(tf, enable, prefix + "enable");
    sc_core::sc_trace(tf, in_valid, prefix + "in_valid");
    sc_core::sc_trace(tf, value, prefix + "value");
    sc_core::sc_trace(tf, out_valid, prefix + "out_valid");
}

void Decoder::start_of_simulation() { warn_if_clock_differs(name(), clk, m_clock_period, "decode_tensor"); }

}  // namespace spark::codec
