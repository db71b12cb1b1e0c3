// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/dram.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::dram {

using sc_core::sc_time;
using tlm::tlm_generic_payload;

Dram::Dram(const sc_core::sc_module_name& name, const DramConfig& config)
    : sc_core::sc_module(name),
      socket("socket"),
      m_core(config),
      m_store(config.size_bytes()),
      m_tck(config.tck_ns, sc_core::SC_NS),
      m_request_peq("request_peq"),
      m_response_peq("response_peq") {
    socket.register_b_transport(this, &Dram::b_transport);
    socket.register_nb_transport_fw(this, &Dram::nb_transport_fw);
    socket.register_get_direct_mem_ptr(this, &Dram::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &Dram::transport_dbg);

    SC_METHOD(request_method);
    sensitive << m_request_peq.get_event();
    dont_initialize();
    SC_METHOD(schedule_method);
    sensitive << m_schedule_event;
    dont_initialize();
    SC_METHOD(response_method);
    sensitive << m_response_peq.get_event();
    dont_initialize();
    SC_METHOD(send_method);
    sensitive << m_send_event;
    dont_initialize();
}

Cycle Dram::to_cycle(const sc_time& t) const {
    // Round up: a request arriving inside a clock period is seen at the next edge. A time that to_time() made
    // from a cycle is that cycle's edge rounded to the time resolution, so anything within half a resolution
    // step of an edge is on it (tCK is 0.833 or 0.469 ns on some presets, not a whole number of picoseconds).
    const double tck_ns = config().tck_ns;
    const double half_step = 0.5 * sc_core::sc_get_time_resolution().to_seconds() * 1e9 / tck_ns;
    return Cycle(std::ceil(t.to_seconds() * 1e9 / tck_ns - half_step - 1e-9));
}

sc_time Dram::to_time(Cycle c) const { return sc_time(double(c) * config().tck_ns, sc_core::SC_NS); }

DramStats Dram::stats() { return m_core.stats(std::max(to_cycle(sc_core::sc_time_stamp()), m_latest_completion)); }

bool Dram::validate(tlm_generic_payload& t) const {
    const auto fail = [&t](tlm::tlm_response_status s) {
        t.set_response_status(s);
        return false;
    };
    if (!t.is_read() && !t.is_write()) return fail(tlm::TLM_COMMAND_ERROR_RESPONSE);
    if (t.get_data_length() == 0 || !t.get_data_ptr()) return fail(tlm::TLM_GENERIC_ERROR_RESPONSE);
    if (t.get_streaming_width() == 0) return fail(tlm::TLM_BURST_ERROR_RESPONSE);
    if (t.get_byte_enable_ptr() && t.get_byte_enable_length() == 0) return fail(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    const std::uint64_t span = timed_length(t);
    if (t.get_address() >= size_bytes() || span > size_bytes() - t.get_address()) return fail(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return true;
}

// With a streaming width below the length the same window is accessed repeatedly; timing, energy and the byte
// counters see one pass over the window (the bursts it touches).
std::uint32_t Dram::timed_length(const tlm_generic_payload& t) const {
    return std::min(t.get_data_length(), t.get_streaming_width());
}

void Dram::move_data(tlm_generic_payload& t) {
    const unsigned sw = t.get_streaming_width();
    if (t.is_read())
        m_store.read(t.get_address(), t.get_data_ptr(), t.get_data_length(), t.get_byte_enable_ptr(),
                     t.get_byte_enable_length(), sw);
    else
        m_store.write(t.get_address(), t.get_data_ptr(), t.get_data_length(), t.get_byte_enable_ptr(),
                      t.get_byte_enable_length(), sw);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    t.set_dmi_allowed(true);
}

void Dram::b_transport(tlm_generic_payload& t, sc_time& delay) {
    if (!validate(t)) return;
    const sc_time now = sc_core::sc_time_stamp();
    try {
        const Completion c = m_core.access(t.is_write(), t.get_address(), timed_length(t), to_cycle(now + delay));
        m_latest_completion = std::max(m_latest_completion, c.completion);
        delay = to_time(c.completion) - now;
    } catch (const Error& e) {
        SC_REPORT_ERROR(name(), e.what());
        t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    move_data(t);
}

tlm::tlm_sync_enum Dram::nb_transport_fw(tlm_generic_payload& t, tlm::tlm_phase& phase, sc_time& delay) {
    switch (phase) {
    case tlm::BEGIN_REQ:
        if (!validate(t)) return tlm::TLM_COMPLETED;
        if (t.has_mm()) t.acquire();
        m_request_peq.notify(t, delay);
        return tlm::TLM_ACCEPTED;
    case tlm::END_RESP:
        if (&t != m_response_open) {
            SC_REPORT_FATAL(name(), "END_RESP for a transaction whose response is not open");
            return tlm::TLM_COMPLETED;
        }
        finish_response(t);
        m_send_event.notify(delay);
        return tlm::TLM_COMPLETED;
    default:
        SC_REPORT_FATAL(name(), fmt::format("illegal phase {} on the forward path", phase.get_name()).c_str());
        return tlm::TLM_COMPLETED;
    }
}

void Dram::request_method() {
    while (tlm_generic_payload* t = m_request_peq.get_next_transaction()) m_waiting.push_back(t);
    try_accept();
}

// Requests enter the controller queue in arrival order; END_REQ tells the initiator it may send the next one.
void Dram::try_accept() {
    bool accepted = false;
    while (!m_waiting.empty()) {
        tlm_generic_payload& t = *m_waiting.front();
        if (!m_core.can_accept(t.get_address(), timed_length(t))) break;
        m_waiting.pop_front();
        const auto id = m_core.enqueue(t.is_write(), t.get_address(), timed_length(t), to_cycle(sc_core::sc_time_stamp()));
        m_queued.emplace(id, &t);
        tlm::tlm_phase phase = tlm::END_REQ;
        sc_time zero = sc_core::SC_ZERO_TIME;
        socket->nb_transport_bw(t, phase, zero);
        accepted = true;
    }
    if (accepted) {
        if (const auto next = m_core.next_decision()) {
            const Cycle now = to_cycle(sc_core::sc_time_stamp());
            m_schedule_event.notify(*next > now ? to_time(*next) - sc_core::sc_time_stamp() : sc_core::SC_ZERO_TIME);
        }
    }
}

// Runs at each scheduling decision; computes the next one instead of ticking every clock.
void Dram::schedule_method() {
    const sc_time now = sc_core::sc_time_stamp();
    std::vector<Completion> done;
    m_core.advance(to_cycle(now), done);
    for (const auto& c : done) {
        const auto it = m_queued.find(c.transaction);
        if (it == m_queued.end()) continue;
        m_latest_completion = std::max(m_latest_completion, c.completion);
        m_response_peq.notify(*it->second, to_time(c.completion) - now);
        m_queued.erase(it);
    }
    try_accept();
    if (const auto next = m_core.next_decision()) m_schedule_event.notify(to_time(*next) - now);
}

void Dram::response_method() {
    while (tlm_generic_payload* t = m_response_peq.get_next_transaction()) {
        move_data(*t);
        m_responses.push_back(t);
    }
    send_responses();
}

void Dram::send_method() { send_responses(); }

// One response at a time on the backward path (the base protocol's response exclusion rule).
void Dram::send_responses() {
    while (!m_response_open && !m_responses.empty()) {
        tlm_generic_payload& t = *m_responses.front();
        m_responses.pop_front();
        m_response_open = &t;
        tlm::tlm_phase phase = tlm::BEGIN_RESP;
        sc_time delay = sc_core::SC_ZERO_TIME;
        const auto status = socket->nb_transport_bw(t, phase, delay);
        if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP)) {
            finish_response(t);
            if (delay != sc_core::SC_ZERO_TIME) {
                m_send_event.notify(delay);
                return;
            }
        } else if (status == tlm::TLM_UPDATED) {
            SC_REPORT_FATAL(name(), fmt::format("illegal phase {} returned for BEGIN_RESP", phase.get_name()).c_str());
        }
    }
}

void Dram::finish_response(tlm_generic_payload& t) {
    m_response_open = nullptr;
    if (t.has_mm()) t.release();
}

bool Dram::get_direct_mem_ptr(tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    if (t.get_address() >= size_bytes()) {
        // Refused: the range says where asking again is pointless (everything past the memory), so an initiator
        // does not ask again for every address there.
        dmi.set_start_address(size_bytes());
        dmi.set_end_address(~sc_dt::uint64{0});
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    std::uint64_t start = 0;
    unsigned char* page = m_store.page(t.get_address(), start);
    dmi.set_dmi_ptr(page);
    dmi.set_start_address(start);
    dmi.set_end_address(std::min(start + m_store.page_bytes(), size_bytes()) - 1);
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    const auto& tm = config().timing;
    dmi.set_read_latency(to_time(tm.CL + config().burst_cycles()));
    dmi.set_write_latency(to_time(tm.CWL + config().burst_cycles()));
    return true;
}

unsigned Dram::transport_dbg(tlm_generic_payload& t) {
    if (!t.is_read() && !t.is_write()) return 0;
    if (t.get_address() >= size_bytes() || !t.get_data_ptr()) return 0;
    const auto length = unsigned(std::min<std::uint64_t>(t.get_data_length(), size_bytes() - t.get_address()));
    if (t.is_read()) m_store.read(t.get_address(), t.get_data_ptr(), length);
    else m_store.write(t.get_address(), t.get_data_ptr(), length);
    return length;
}

}  // namespace spark::dram
