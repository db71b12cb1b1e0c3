// SPDX-License-Identifier: Apache-2.0
#include "spark/soc/cpu.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::soc {

using namespace sc_core;

Cpu::Cpu(sc_module_name name, const CpuConfig& config, unsigned irq_lines)
    : sc_module(name), bus("bus"), irq("irq", irq_lines), m_config(config) {
    if (m_config.max_access_bytes == 0) throw Error(fmt::format("{}: max_access_bytes must be positive", this->name()));
    bus.register_invalidate_direct_mem_ptr(this, &Cpu::invalidate_direct_mem_ptr);
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(run);
}

void Cpu::run() {
    set_quantum(m_config.quantum);
    try {
        if (software) software(*this);
        sync();
    } catch (const Error& e) {
        m_error = e.what();
        SC_REPORT_WARNING(name(), m_error.c_str());
    }
    m_finished = true;
}

void Cpu::set_quantum(const sc_time& quantum) {
    sync();
    tlm_utils::tlm_quantumkeeper::set_global_quantum(quantum);
    m_keeper.reset();
}

void Cpu::set_use_dmi(bool on) {
    m_config.use_dmi = on;
    m_dmi.clear();
    m_dmi_refused.clear();
}

void Cpu::sync() {
    if (m_keeper.get_local_time() != SC_ZERO_TIME) m_keeper.sync();
}

sc_time Cpu::local_time() const { return m_keeper.get_current_time(); }

void Cpu::wait_irq(unsigned line) {
    if (line >= irq.size()) throw Error(fmt::format("{}: no interrupt line {}", name(), line));
    sync();
    while (!irq[line].read()) wait(irq[line].value_changed_event());
    m_keeper.reset();
}

BusResult Cpu::read(std::uint64_t address, std::uint8_t* data, std::uint64_t length) {
    return transfer(tlm::TLM_READ_COMMAND, address, data, length);
}

BusResult Cpu::write(std::uint64_t address, const std::uint8_t* data, std::uint64_t length) {
    // The payload's data pointer is not const; a write target only reads through it.
    return transfer(tlm::TLM_WRITE_COMMAND, address, const_cast<std::uint8_t*>(data), length);
}

tlm::tlm_response_status Cpu::read32(std::uint64_t address, std::uint32_t& value) {
    std::uint8_t bytes[4] = {};
    const auto status = access(tlm::TLM_READ_COMMAND, address, bytes, 4);
    std::memcpy(&value, bytes, 4);
    return status;
}

tlm::tlm_response_status Cpu::write32(std::uint64_t address, std::uint32_t value) {
    std::uint8_t bytes[4];
    std::memcpy(bytes, &value, 4);
    return access(tlm::TLM_WRITE_COMMAND, address, bytes, 4);
}

BusResult Cpu::transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length) {
    for (std::uint64_t done = 0; done < length;) {
        const unsigned n = static_cast<unsigned>(std::min<std::uint64_t>(length - done, m_config.max_access_bytes));
        const auto status = access(command, address + done, data + done, n);
        if (status != tlm::TLM_OK_RESPONSE) return {status, address + done};
        done += n;
    }
    return {};
}

tlm::tlm_response_status Cpu::access(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                     unsigned length) {
    if (m_config.use_dmi && dmi_access(command, address, data, length)) return tlm::TLM_OK_RESPONSE;
    tlm::tlm_generic_payload trans;
    trans.set_command(command);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    trans.set_streaming_width(length);
    trans.set_byte_enable_ptr(nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = m_keeper.get_local_time() + m_config.access_delay;
    bus->b_transport(trans, delay);
    m_keeper.set(delay);
    ++m_bus_accesses;
    if (m_keeper.need_sync()) m_keeper.sync();
    return trans.get_response_status();
}

bool Cpu::dmi_access(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, unsigned length) {
    const std::uint64_t last = address + length - 1;
    const bool is_read = command == tlm::TLM_READ_COMMAND;
    auto covers = [&](const tlm::tlm_dmi& d) { return d.get_start_address() <= address && last <= d.get_end_address(); };
    auto it = std::find_if(m_dmi.begin(), m_dmi.end(), [&](const tlm::tlm_dmi& d) {
        return covers(d) && (is_read ? d.is_read_allowed() : d.is_write_allowed());
    });
    if (it == m_dmi.end()) {
        if (std::any_of(m_dmi_refused.begin(), m_dmi_refused.end(), covers)) return false;
        tlm::tlm_generic_payload probe;
        probe.set_command(command);
        probe.set_address(address);
        tlm::tlm_dmi dmi;
        if (!bus->get_direct_mem_ptr(probe, dmi)) {
            m_dmi_refused.push_back(dmi);
            return false;
        }
        m_dmi.push_back(dmi);
        if (!covers(dmi) || !(is_read ? dmi.is_read_allowed() : dmi.is_write_allowed())) return false;
        it = std::prev(m_dmi.end());
    }
    std::uint8_t* pointer = it->get_dmi_ptr() + (address - it->get_start_address());
    if (is_read)
        std::memcpy(data, pointer, length);
    else
        std::memcpy(pointer, data, length);
    m_keeper.inc(m_config.access_delay + (is_read ? it->get_read_latency() : it->get_write_latency()));
    ++m_dmi_accesses;
    if (m_keeper.need_sync()) m_keeper.sync();
    return true;
}

void Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    auto overlaps = [&](const tlm::tlm_dmi& d) { return d.get_start_address() <= end && start <= d.get_end_address(); };
    m_dmi.erase(std::remove_if(m_dmi.begin(), m_dmi.end(), overlaps), m_dmi.end());
    m_dmi_refused.erase(std::remove_if(m_dmi_refused.begin(), m_dmi_refused.end(), overlaps), m_dmi_refused.end());
}

unsigned Cpu::debug_read(std::uint64_t address, std::uint8_t* data, unsigned length) {
    tlm::tlm_generic_payload trans;
    trans.set_read();
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    return bus->transport_dbg(trans);
}

}  // namespace spark::soc
