// SPDX-License-Identifier: Apache-2.0
#include "spark/dma/dma_engine.h"

#include <algorithm>
#include <deque>

#include "spark/common/error.h"

namespace spark::dma {

DmaEngine::DmaEngine(sc_core::sc_module_name name, const DmaConfig& config)
    : sc_core::sc_module(name), memory("memory"), local("local"), m_config(config) {
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

DmaResult DmaEngine::local_access(tlm::tlm_command command, std::uint64_t local_address, std::uint8_t* data,
                                  std::uint64_t length, sc_core::sc_time& delay) {
    if (local.size() == 0)
        throw Error(std::string(name()) + ": a buffer transfer needs the local socket bound");
    if (length == 0) return DmaResult{};
    // The payload's length is 32 bits; on-chip buffers are far smaller, so a longer access is a caller's bug.
    if (length > 0xFFFF'FFFFull) return DmaResult{false, tlm::TLM_BURST_ERROR_RESPONSE, local_address, true};
    tlm::tlm_generic_payload trans;
    trans.set_command(command);
    trans.set_address(local_address);
    trans.set_data_ptr(data);
    trans.set_data_length(static_cast<unsigned>(length));
    trans.set_streaming_width(static_cast<unsigned>(length));
    trans.set_byte_enable_ptr(nullptr);
    trans.set_byte_enable_length(0);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    local->b_transport(trans, delay);
    if (trans.is_response_error()) {
        ++m_stats.errors;
        return DmaResult{false, trans.get_response_status(), local_address, true};
    }
    (command == tlm::TLM_READ_COMMAND ? m_stats.local_bytes_read : m_stats.local_bytes_written) += length;
    return DmaResult{};
}

DmaResult DmaEngine::load(std::uint64_t address, std::uint64_t local_address, std::uint64_t length,
                          sc_core::sc_time& delay) {
    m_staging.resize(length);
    sc_core::sc_time buffer_done = delay;
    const DmaResult r = transfer(tlm::TLM_READ_COMMAND, address, m_staging.data(), length, delay);
    if (!r.ok) return r;
    const DmaResult w = local_access(tlm::TLM_WRITE_COMMAND, local_address, m_staging.data(), length, buffer_done);
    delay = std::max(delay, buffer_done);
    return w;
}

DmaResult DmaEngine::store(std::uint64_t local_address, std::uint64_t address, std::uint64_t length,
                           sc_core::sc_time& delay) {
    m_staging.resize(length);
    sc_core::sc_time buffer_done = delay;
    const DmaResult r = local_access(tlm::TLM_READ_COMMAND, local_address, m_staging.data(), length, buffer_done);
    if (!r.ok) return r;
    const DmaResult w = transfer(tlm::TLM_WRITE_COMMAND, address, m_staging.data(), length, delay);
    delay = std::max(delay, buffer_done);
    return w;
}

DmaResult DmaEngine::write_local(std::uint64_t local_address, const std::uint8_t* data, std::uint64_t length,
                                 sc_core::sc_time& delay) {
    return local_access(tlm::TLM_WRITE_COMMAND, local_address, const_cast<std::uint8_t*>(data), length, delay);
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
