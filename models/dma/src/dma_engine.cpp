// SPDX-License-Identifier: Apache-2.0
#include "spark/dma/dma_engine.h"

#include <algorithm>
#include <deque>

#include "spark/common/error.h"

namespace spark::dma {

DmaEngine::DmaEngine(sc_core::sc_module_name name, const DmaConfig& config)
    : sc_core::sc_module(name), memory("memory"), m_config(config) {
    if (m_config.burst_bytes == 0) throw Error(std::string(this->name()) + ": burst_bytes must be positive");
    if (m_config.max_outstanding == 0) throw Error(std::string(this->name()) + ": max_outstanding must be positive");
}

DmaResult DmaEngine::read(std::uint64_t address, std::uint8_t* data, std::uint64_t length, sc_core::sc_time& delay) {
    return transfer(tlm::TLM_READ_COMMAND, address, data, length, delay);
}

DmaResult DmaEngine::write(std::uint64_t address, const std::uint8_t* data, std::uint64_t length,
                           sc_core::sc_time& delay) {
    // The generic payload carries a non-const pointer; a write target only reads through it.
    return transfer(tlm::TLM_WRITE_COMMAND, address, const_cast<std::uint8_t*>(data), length, delay);
}

DmaResult DmaEngine::transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                              std::uint64_t length, sc_core::sc_time& delay) {
    const sc_core::sc_time issue_interval = m_config.clock_period * m_config.issue_interval_cycles;
    std::deque<sc_core::sc_time> in_flight;  // completion times of outstanding bursts, oldest first
    sc_core::sc_time issue = delay;
    sc_core::sc_time done = delay;
    tlm::tlm_generic_payload trans;
    for (std::uint64_t offset = 0; offset < length;) {
        // Burst boundaries follow the address, so bursts never straddle a burst-aligned line.
        const std::uint64_t addr = address + offset;
        const std::uint64_t to_boundary = m_config.burst_bytes - addr % m_config.burst_bytes;
        const auto size = static_cast<unsigned>(std::min<std::uint64_t>(to_boundary, length - offset));
        if (in_flight.size() == m_config.max_outstanding) {
            issue = std::max(issue, in_flight.front());
            in_flight.pop_front();
        }
        trans.set_command(command);
        trans.set_address(addr);
        trans.set_data_ptr(data + offset);
        trans.set_data_length(size);
        trans.set_streaming_width(size);
        trans.set_byte_enable_ptr(nullptr);
        trans.set_byte_enable_length(0);
        trans.set_dmi_allowed(false);
        trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time t = issue;
        memory->b_transport(trans, t);
        if (trans.is_response_error()) {
            ++m_stats.errors;
            delay = std::max(done, t);
            return DmaResult{false, trans.get_response_status(), addr};
        }
        // Keep completions ordered so the oldest is at the front.
        in_flight.insert(std::upper_bound(in_flight.begin(), in_flight.end(), t), t);
        done = std::max(done, t);
        issue += issue_interval;
        offset += size;
        if (command == tlm::TLM_READ_COMMAND) {
            m_stats.bytes_read += size;
            ++m_stats.read_bursts;
        } else {
            m_stats.bytes_written += size;
            ++m_stats.write_bursts;
        }
    }
    delay = done;
    return DmaResult{};
}

}  // namespace spark::dma
