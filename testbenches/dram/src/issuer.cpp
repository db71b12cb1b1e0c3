// SPDX-License-Identifier: Apache-2.0
#include "spark/tb_memory/issuer.h"

#include <algorithm>

namespace spark::tb_memory {

using sc_core::sc_time;

Issuer::Issuer(const sc_core::sc_module_name& name, std::vector<Request> requests, bool at, unsigned outstanding,
               sc_time quantum)
    : sc_core::sc_module(name),
      socket("socket"),
      m_requests(std::move(requests)),
      m_records(m_requests.size()),
      m_at(at),
      m_outstanding(std::max(1u, outstanding)),
      m_quantum(quantum),
      m_slots(m_outstanding) {
    socket.register_nb_transport_bw(this, &Issuer::nb_transport_bw);
    for (auto& s : m_slots) m_free.push_back(&s);
    if (m_at) {
        SC_THREAD(run_at);
    } else {
        SC_THREAD(run_lt);
    }
}

void Issuer::prepare(Slot& slot, std::size_t index) {
    const Request& r = m_requests[index];
    slot.request = index;
    if (slot.data.size() < r.length) slot.data.resize(r.length);
    if (r.write)
        for (std::uint32_t k = 0; k < r.length; ++k) slot.data[k] = static_cast<unsigned char>(r.address + k);
    auto& t = slot.payload;
    t.set_command(r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(r.address);
    t.set_data_ptr(slot.data.data());
    t.set_data_length(r.length);
    t.set_streaming_width(r.length);
    t.set_byte_enable_ptr(nullptr);
    t.set_byte_enable_length(0);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

void Issuer::run_lt() {
    // Completion times of the last `outstanding` requests bound how far issue may run ahead.
    std::deque<sc_time> window;
    sc_time issue = sc_core::SC_ZERO_TIME;
    Slot& slot = m_slots.front();
    for (std::size_t i = 0; i < m_requests.size(); ++i) {
        issue = std::max(issue, sc_time(m_requests[i].time_ns, sc_core::SC_NS));
        if (window.size() == m_outstanding) {
            issue = std::max(issue, window.front());
            window.pop_front();
        }
        if (issue - sc_core::sc_time_stamp() > m_quantum) wait(issue - sc_core::sc_time_stamp());
        prepare(slot, i);
        sc_time delay = issue - sc_core::sc_time_stamp();
        socket->b_transport(slot.payload, delay);
        m_records[i] = {issue, sc_core::sc_time_stamp() + delay, slot.payload.get_response_status()};
        window.push_back(m_records[i].completed);
    }
    sc_time last = sc_core::sc_time_stamp();
    for (const auto& r : m_records) last = std::max(last, r.completed);
    wait(last - sc_core::sc_time_stamp());
    m_finished = true;
}

void Issuer::complete(Slot& slot, const sc_time& at) {
    auto& rec = m_records[slot.request];
    rec.completed = at;
    rec.status = slot.payload.get_response_status();
    m_free.push_back(&slot);
    m_progress.notify(sc_core::SC_ZERO_TIME);
}

void Issuer::run_at() {
    for (std::size_t i = 0; i < m_requests.size(); ++i) {
        const sc_time at(m_requests[i].time_ns, sc_core::SC_NS);
        if (at > sc_core::sc_time_stamp()) wait(at - sc_core::sc_time_stamp());
        while (m_free.empty() || m_request_open) wait(m_progress);
        Slot& slot = *m_free.front();
        m_free.pop_front();
        prepare(slot, i);
        m_records[i].issued = sc_core::sc_time_stamp();
        tlm::tlm_phase phase = tlm::BEGIN_REQ;
        sc_time delay = sc_core::SC_ZERO_TIME;
        m_request_open = true;
        m_open_slot = &slot;
        const auto status = socket->nb_transport_fw(slot.payload, phase, delay);
        if (status == tlm::TLM_COMPLETED) {
            // Early completion: the annotated delay is the access time; the slot is busy until it has passed.
            m_request_open = false;
            wait(delay);
            complete(slot, sc_core::sc_time_stamp());
        } else if (status == tlm::TLM_UPDATED && phase != tlm::BEGIN_REQ) {
            m_request_open = false;  // END_REQ or BEGIN_RESP returned directly
            if (phase == tlm::BEGIN_RESP) complete(slot, sc_core::sc_time_stamp() + delay);
        }
    }
    while (m_free.size() != m_slots.size()) wait(m_progress);
    m_finished = true;
}

tlm::tlm_sync_enum Issuer::nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_time& delay) {
    Slot* slot = nullptr;
    for (auto& s : m_slots)
        if (&s.payload == &trans) slot = &s;
    if (!slot) SC_REPORT_FATAL(name(), "response for an unknown payload");
    if (phase == tlm::END_REQ) {
        m_request_open = false;
        m_progress.notify(delay);
        return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
        if (m_open_slot == slot) m_request_open = false;  // BEGIN_RESP stands for END_REQ
        complete(*slot, sc_core::sc_time_stamp() + delay);
        return tlm::TLM_COMPLETED;
    }
    SC_REPORT_FATAL(name(), "illegal phase on the backward path");
    return tlm::TLM_COMPLETED;
}

}  // namespace spark::tb_memory
