// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/encoder.h"

#include <fmt/format.h>

#include "clock_check.h"

#include "spark/codec/nibble.h"

namespace spark::codec {

struct Encoder::TieOff {
    sc_core::sc_signal<bool> clk;
    sc_core::sc_signal<sc_dt::sc_uint<8>> in_value;
    sc_core::sc_signal<bool> in_valid;
    sc_core::sc_signal<bool> in_ready;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable;
    sc_core::sc_signal<bool> out_valid;
};

Encoder::Encoder(sc_core::sc_module_name name, Mode mode, sc_core::sc_time clock_period)
    : sc_module(name),
      clk("clk"),
      in_value("in_value"),
      in_valid("in_valid"),
      in_ready("in_ready"),
      nibble("nibble"),
      enable("enable"),
      out_valid("out_valid"),
      reset("reset"),
      m_mode(mode),
      m_clock_period(clock_period) {
    if (m_clock_period == sc_core::SC_ZERO_TIME) SC_REPORT_ERROR(this->name(), "clock_period must be above zero");
    in_ready.initialize(true);
    nibble.initialize(0);
    enable.initialize(false);
    out_valid.initialize(false);
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

Encoder::~Encoder() = default;

void Encoder::on_clock() {
    if (reset.size() > 0 && reset->read()) {
        m_second_pending = false;
        in_ready.write(true);
        nibble.write(0);
        enable.write(false);
        out_valid.write(false);
        return;
    }
    if (m_second_pending) {
        // in_ready was 0 during the cycle that ends now, so no value is offered for acceptance.
        m_second_pending = false;
        nibble.write(m_second_nibble);
        enable.write(true);
        out_valid.write(true);
        in_ready.write(true);
        ++m_activity.nibbles;
        return;
    }
    if (!in_valid.read()) {
        nibble.write(0);
        enable.write(false);
        out_valid.write(false);
        return;
    }
    const Beats beats = to_beats(encode(static_cast<std::uint8_t>(in_value.read().to_uint()), m_mode));
    nibble.write(beats.beat[0].nibble);
    enable.write(false);
    out_valid.write(true);
    ++m_activity.values;
    ++m_activity.nibbles;
    if (beats.count == 2) {
        ++m_activity.long_codes;
        m_second_pending = true;
        m_second_nibble = beats.beat[1].nibble;
        in_ready.write(false);
    } else {
        ++m_activity.short_codes;
    }
}

void Encoder::encode_tensor(const std::uint8_t* raw, std::size_t n, EncodedStream& out, sc_core::sc_time& delay) {
    const std::uint64_t nibbles_before = out.nibbles;
    pack(raw, n, m_mode, out);
    const std::uint64_t nibbles = out.nibbles - nibbles_before;
    const std::uint64_t long_codes = nibbles - n;
    m_activity.values += n;
    m_activity.long_codes += long_codes;
    m_activity.short_codes += n - long_codes;
    m_activity.nibbles += nibbles;
    delay += static_cast<double>(tensor_cycles(nibbles)) * m_clock_period;
}

void Encoder::tie_off() {
    m_tie_off = std::make_unique<TieOff>();
    clk.bind(m_tie_off->clk);
    in_value.bind(m_tie_off->in_value);
    in_valid.bind(m_tie_off->in_valid);
    in_ready.bind(m_tie_off->in_ready);
    nibble.bind(m_tie_off->nibble);
    enable.bind(m_tie_off->enable);
    out_valid.bind(m_tie_off->out_valid);
}

void Encoder::trace(sc_core::sc_trace_file* tf) const {
    const std::string prefix = std::string(name()) + ".";
    sc_core::sc_trace(tf, clk, prefix + "clk");
    sc_core::sc_trace(tf, in_value, prefix + "in_value");
    sc_core::sc_trace(tf, in_valid, prefix + "in_valid");
    sc_core::sc_trace(tf, in_ready, prefix + "in_ready");
    sc_core::sc_trace(tf, nibble, prefix + "nibble");
    sc_core::sc_trace(tf, enable, prefix + "enable");
    sc_core::sc_trace(tf, out_valid, prefix + "out_valid");
}

void Encoder::start_of_simulation() { warn_if_clock_differs(name(), clk, m_clock_period, "encode_tensor"); }

}  // namespace spark::codec
