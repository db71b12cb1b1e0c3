// SPDX-License-Identifier: Apache-2.0
#include "spark/dma/dma_engine.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/tlm_access.h"

namespace spark::dma {

namespace {

// An absolute time as an offset from now; a time already passed (a target waited past it) is now.
sc_core::sc_time since_now(const sc_core::sc_time& at) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return at > now ? at - now : sc_core::SC_ZERO_TIME;
}

}  // namespace

DmaEngine::DmaEngine(sc_core::sc_module_name name, const DmaConfig& config)
    : sc_core::sc_module(name), memory("memory"), local("local"), m_config(config) {
    memory.register_nb_transport_bw(this, &DmaEngine::nb_transport_bw);
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
    const tlm::tlm_response_status status =
        tlm_access(local, command, local_address, data, static_cast<unsigned>(length), delay);
    if (is_error(status)) {
        ++m_stats.errors;
        return DmaResult{false, status, local_address, true};
    }
    (command == tlm::TLM_READ_COMMAND ? m_stats.local_bytes_read : m_stats.local_bytes_written) += length;
    return DmaResult{};
}

DmaResult DmaEngine::load(std::uint64_t address, std::uint64_t local_address, std::uint64_t length,
                          sc_core::sc_time& delay) {
    m_staging.resize(length);
    const sc_core::sc_time start = sc_core::sc_time_stamp() + delay;
    const DmaResult r = transfer(tlm::TLM_READ_COMMAND, address, m_staging.data(), length, delay);
    if (!r.ok) return r;
    // The buffer side streams from the transfer's start. If a target that waited has taken the simulation past
    // it, the buffer's time (which depends on the access alone) is still counted from the start.
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const sc_core::sc_time late = now > start ? now - start : sc_core::SC_ZERO_TIME;
    sc_core::sc_time buffer_time = start > now ? start - now : sc_core::SC_ZERO_TIME;
    const DmaResult w = local_access(tlm::TLM_WRITE_COMMAND, local_address, m_staging.data(), length, buffer_time);
    const sc_core::sc_time buffer_done_at = sc_core::sc_time_stamp() + buffer_time - std::min(late, buffer_time);
    delay = std::max(delay, since_now(buffer_done_at));
    return w;
}

DmaResult DmaEngine::store(std::uint64_t local_address, std::uint64_t address, std::uint64_t length,
                           sc_core::sc_time& delay) {
    m_staging.resize(length);
    sc_core::sc_time buffer_done = delay;
    const DmaResult r = local_access(tlm::TLM_READ_COMMAND, local_address, m_staging.data(), length, buffer_done);
    if (!r.ok) return r;
    const sc_core::sc_time buffer_done_at = sc_core::sc_time_stamp() + buffer_done;
    const DmaResult w = transfer(tlm::TLM_WRITE_COMMAND, address, m_staging.data(), length, delay);
    delay = std::max(delay, since_now(buffer_done_at));
    return w;
}

DmaResult DmaEngine::write_local(std::uint64_t local_address, const std::uint8_t* data, std::uint64_t length,
                                 sc_core::sc_time& delay) {
    return local_access(tlm::TLM_WRITE_COMMAND, local_address, const_cast<std::uint8_t*>(data), length, delay);
}

DmaResult DmaEngine::transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                              std::uint64_t length, sc_core::sc_time& delay) {
    if (m_cancel) return DmaResult{false, tlm::TLM_GENERIC_ERROR_RESPONSE, address, false, true};
    // A range that wraps past the top of the address space reaches nothing: refused before any burst.
    if (length > 0 && address > ~std::uint64_t{0} - (length - 1)) {
        ++m_stats.errors;
        return DmaResult{false, tlm::TLM_ADDRESS_ERROR_RESPONSE, address};
    }
    return m_config.protocol == Protocol::at ? transfer_at(command, address, data, length, delay)
                                             : transfer_lt(command, address, data, length, delay);
}

void DmaEngine::count(tlm::tlm_command command, unsigned bytes) {
    if (command == tlm::TLM_READ_COMMAND) {
        m_stats.bytes_read += bytes;
        ++m_stats.read_bursts;
    } else {
        m_stats.bytes_written += bytes;
        ++m_stats.write_bursts;
    }
}

namespace {

// The next burst of a transfer: boundaries follow the address, so bursts never straddle a burst-aligned line.
unsigned burst_size(std::uint64_t address, std::uint64_t remaining, std::uint32_t burst_bytes) {
    return static_cast<unsigned>(std::min<std::uint64_t>(burst_bytes - address % burst_bytes, remaining));
}

}  // namespace

DmaResult DmaEngine::transfer_lt(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                 std::uint64_t length, sc_core::sc_time& delay) {
    using sc_core::sc_time_stamp;
    const sc_core::sc_time issue_interval = m_config.clock_period * m_config.issue_interval_cycles;
    // Absolute times: a target that waits inside b_transport moves sc_time_stamp(), not these.
    std::deque<sc_core::sc_time> in_flight;  // completion times of outstanding bursts, oldest first
    sc_core::sc_time issue = sc_time_stamp() + delay;
    sc_core::sc_time done = issue;
    tlm::tlm_generic_payload trans;
    for (std::uint64_t offset = 0; offset < length;) {
        const std::uint64_t addr = address + offset;
        const unsigned size = burst_size(addr, length - offset, m_config.burst_bytes);
        if (in_flight.size() == m_config.max_outstanding) {
            issue = std::max(issue, in_flight.front());
            in_flight.pop_front();
        }
        // A blocking call that returned after this burst's issue time held the engine until then.
        issue = std::max(issue, sc_time_stamp());
        // A burst issued now needs no sync, whatever the quantum (a zero quantum would otherwise cost a delta cycle
        // per burst).
        m_quantum.set(issue - sc_time_stamp());
        if (issue > sc_time_stamp() && m_quantum.need_sync()) m_quantum.sync();
        if (m_cancel) {
            delay = std::max(done, sc_time_stamp()) - sc_time_stamp();
            return DmaResult{false, tlm::TLM_GENERIC_ERROR_RESPONSE, addr, false, true};
        }
        detail::prepare_access(trans, command, addr, data + offset, size);
        sc_core::sc_time t = issue - sc_time_stamp();
        memory->b_transport(trans, t);
        const sc_core::sc_time completion = sc_time_stamp() + t;
        done = std::max(done, completion);
        if (trans.is_response_error()) {
            ++m_stats.errors;
            delay = std::max(done, sc_time_stamp()) - sc_time_stamp();
            return DmaResult{false, trans.get_response_status(), addr};
        }
        // Keep completions ordered so the oldest is at the front.
        in_flight.insert(std::upper_bound(in_flight.begin(), in_flight.end(), completion), completion);
        issue += issue_interval;
        offset += size;
        count(command, size);
    }
    delay = std::max(done, sc_time_stamp()) - sc_time_stamp();
    return DmaResult{};
}

// AT payloads: recycled, with the memory manager interface the base protocol asks of an initiator's payloads.
class DmaEngine::PayloadPool : public tlm::tlm_mm_interface {
public:
    ~PayloadPool() override {
        for (tlm::tlm_generic_payload* p : m_free) delete p;
    }
    tlm::tlm_generic_payload* allocate() {
        tlm::tlm_generic_payload* p = nullptr;
        if (m_free.empty()) {
            p = new tlm::tlm_generic_payload(this);
        } else {
            p = m_free.back();
            m_free.pop_back();
        }
        p->acquire();
        return p;
    }
    void free(tlm::tlm_generic_payload* p) override {
        p->reset();
        m_free.push_back(p);
    }

private:
    std::vector<tlm::tlm_generic_payload*> m_free;
};

DmaEngine::~DmaEngine() = default;

DmaResult DmaEngine::transfer_at(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                 std::uint64_t length, sc_core::sc_time& delay) {
    using sc_core::sc_time_stamp;
    if (!m_pool) m_pool = std::make_unique<PayloadPool>();
    const sc_core::sc_time issue_interval = m_config.clock_period * m_config.issue_interval_cycles;
    // The base protocol times requests in simulation time: the engine waits for each issue time.
    sc_core::sc_time issue = sc_time_stamp() + delay;
    m_at_done = issue;
    m_at_error = nullptr;
    std::uint64_t offset = 0;
    for (; offset < length && !m_cancel && !m_at_error;) {
        while (m_at_outstanding >= m_config.max_outstanding || m_request_open) {
            if (m_request_open) wait(m_end_req);
            else wait(m_response);
        }
        if (m_at_error) break;
        issue = std::max(issue, sc_time_stamp());
        if (issue > sc_time_stamp()) wait(issue - sc_time_stamp());
        if (m_cancel) break;
        const std::uint64_t addr = address + offset;
        const unsigned size = burst_size(addr, length - offset, m_config.burst_bytes);
        tlm::tlm_generic_payload* trans = m_pool->allocate();
        detail::prepare_access(*trans, command, addr, data + offset, size);
        ++m_at_outstanding;
        m_request_open = trans;
        tlm::tlm_phase phase = tlm::BEGIN_REQ;
        sc_core::sc_time t = sc_core::SC_ZERO_TIME;
        const tlm::tlm_sync_enum status = memory->nb_transport_fw(*trans, phase, t);
        if (status == tlm::TLM_COMPLETED) {
            // An early completion (e.g. an error response) ends both phases at once.
            m_request_open = nullptr;
            at_response(*trans, sc_time_stamp() + t);
        } else if (status == tlm::TLM_UPDATED) {
            if (phase == tlm::END_REQ) {
                m_request_open = nullptr;
            } else if (phase == tlm::BEGIN_RESP) {
                m_request_open = nullptr;
                tlm::tlm_phase end = tlm::END_RESP;
                sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
                memory->nb_transport_fw(*trans, end, zero);
                at_response(*trans, sc_time_stamp() + t);
            }
        }
        issue += issue_interval;
        offset += size;
        count(command, size);
    }
    // Every burst in flight completes before the transfer returns, whatever ended it.
    while (m_at_outstanding > 0 || m_request_open) wait(m_response | m_end_req);
    delay = std::max(m_at_done, sc_time_stamp()) - sc_time_stamp();
    if (m_at_error) {
        ++m_stats.errors;
        const DmaResult r{false, m_at_error->get_response_status(), m_at_error->get_address()};
        m_at_error->release();
        m_at_error = nullptr;
        return r;
    }
    if (offset < length) return DmaResult{false, tlm::TLM_GENERIC_ERROR_RESPONSE, address + offset, false, true};
    return DmaResult{};
}

void DmaEngine::at_response(tlm::tlm_generic_payload& trans, const sc_core::sc_time& at) {
    m_at_done = std::max(m_at_done, at);
    --m_at_outstanding;
    if (trans.is_response_error() && !m_at_error) {
        m_at_error = &trans;  // kept until the transfer reports it
    } else {
        trans.release();
    }
    m_response.notify(sc_core::SC_ZERO_TIME);
}

tlm::tlm_sync_enum DmaEngine::nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                              sc_core::sc_time& delay) {
    if (phase == tlm::END_REQ) {
        if (&trans == m_request_open) m_request_open = nullptr;
        m_end_req.notify(delay);
        return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
        // A response implies the end of its request phase.
        if (&trans == m_request_open) {
            m_request_open = nullptr;
            m_end_req.notify(delay);
        }
        at_response(trans, sc_core::sc_time_stamp() + delay);
        phase = tlm::END_RESP;
        return tlm::TLM_UPDATED;
    }
    SC_REPORT_ERROR(name(), fmt::format("illegal phase {} on the backward path", phase.get_name()).c_str());
    return tlm::TLM_COMPLETED;
}

const char* to_string(Protocol p) { return p == Protocol::at ? "at" : "lt"; }

Protocol protocol_from_string(const std::string& name) {
    if (name == "lt") return Protocol::lt;
    if (name == "at") return Protocol::at;
    throw Error(fmt::format("unknown DMA protocol '{}' (lt or at)", name));
}

}  // namespace spark::dma
