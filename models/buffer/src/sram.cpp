// SPDX-License-Identifier: Apache-2.0
#include "spark/buffer/sram.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace spark::buffer {

using sc_core::sc_time;
using tlm::tlm_generic_payload;

Sram::Sram(const sc_core::sc_module_name& name, const SramConfig& config)
    : sc_core::sc_module(name),
      socket("socket"),
      m_core(config),
      m_data(config.capacity_bytes, 0),
      m_period(config.clock_period_ns(), sc_core::SC_NS) {
    socket.register_b_transport(this, &Sram::b_transport);
    socket.register_nb_transport_fw(this, &Sram::nb_transport_fw);
    socket.register_get_direct_mem_ptr(this, &Sram::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &Sram::transport_dbg);
}

sc_time Sram::execute(tlm_generic_payload& t) {
    const auto fail = [&t](tlm::tlm_response_status s) {
        t.set_response_status(s);
        return sc_core::SC_ZERO_TIME;
    };
    if (!t.is_read() && !t.is_write()) return fail(tlm::TLM_COMMAND_ERROR_RESPONSE);
    if (t.get_data_length() == 0 || !t.get_data_ptr()) return fail(tlm::TLM_GENERIC_ERROR_RESPONSE);
    const unsigned sw = t.get_streaming_width();
    if (sw == 0) return fail(tlm::TLM_BURST_ERROR_RESPONSE);
    const unsigned char* enable = t.get_byte_enable_ptr();
    const unsigned enable_length = t.get_byte_enable_length();
    if (enable && enable_length == 0) return fail(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    const unsigned length = t.get_data_length();
    const unsigned span = std::min(length, sw);
    if (!m_core.in_range(t.get_address(), span)) return fail(tlm::TLM_ADDRESS_ERROR_RESPONSE);

    unsigned char* mem = m_data.data() + t.get_address();
    unsigned char* data = t.get_data_ptr();
    if (!enable && sw >= length) {
        if (t.is_read()) std::memcpy(data, mem, length);
        else std::memcpy(mem, data, length);
    } else {
        for (unsigned i = 0; i < length; ++i) {
            if (enable && enable[i % enable_length] == 0) continue;
            unsigned char& cell = mem[i % sw];
            if (t.is_read()) data[i] = cell;
            else cell = data[i];
        }
    }
    // One pass over the streaming window per sw bytes.
    const std::uint64_t passes = (length + span - 1) / span;
    std::uint64_t cycles = 0;
    for (std::uint64_t p = 0; p < passes; ++p)
        cycles += m_core.access(t.is_write(), t.get_address(), std::min<std::uint64_t>(span, length - p * span)).cycles;
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    t.set_dmi_allowed(true);
    return m_period * double(cycles);
}

void Sram::b_transport(tlm_generic_payload& t, sc_time& delay) { delay += execute(t); }

tlm::tlm_sync_enum Sram::nb_transport_fw(tlm_generic_payload& t, tlm::tlm_phase& phase, sc_time& delay) {
    switch (phase) {
    case tlm::BEGIN_REQ:
        delay += execute(t);
        return tlm::TLM_COMPLETED;
    case tlm::END_RESP:
        return tlm::TLM_COMPLETED;
    default:
        SC_REPORT_FATAL(name(), fmt::format("illegal phase {} on the forward path", phase.get_name()).c_str());
        return tlm::TLM_COMPLETED;
    }
}

bool Sram::get_direct_mem_ptr(tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    if (t.get_address() >= size_bytes()) return false;
    dmi.set_dmi_ptr(m_data.data());
    dmi.set_start_address(0);
    dmi.set_end_address(size_bytes() - 1);
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    dmi.set_read_latency(m_period * double(config().read_latency_cycles));
    dmi.set_write_latency(m_period * double(config().write_latency_cycles));
    return true;
}

unsigned Sram::transport_dbg(tlm_generic_payload& t) {
    if ((!t.is_read() && !t.is_write()) || !t.get_data_ptr() || t.get_address() >= size_bytes()) return 0;
    const auto length = unsigned(std::min<std::uint64_t>(t.get_data_length(), size_bytes() - t.get_address()));
    if (t.is_read()) std::memcpy(t.get_data_ptr(), m_data.data() + t.get_address(), length);
    else std::memcpy(m_data.data() + t.get_address(), t.get_data_ptr(), length);
    return length;
}

}  // namespace spark::buffer
