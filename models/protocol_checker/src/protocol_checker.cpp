// SPDX-License-Identifier: Apache-2.0
#include "spark/protocol_checker/protocol_checker.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace spark::protocol_checker {

using tlm::tlm_generic_payload;
using tlm::tlm_phase;
using tlm::tlm_sync_enum;

namespace {

// The data rule reads at most this much of the target per transaction through transport_dbg.
constexpr std::uint64_t kMaxWindowBytes = 1u << 16;

std::string describe(const tlm_generic_payload& t) {
    return fmt::format("{} 0x{:x} len {}", t.is_read() ? "read" : t.is_write() ? "write" : "ignore", t.get_address(),
                       t.get_data_length());
}

}  // namespace

bool ProtocolChecker::Attributes::operator==(const Attributes& o) const {
    return command == o.command && address == o.address && data == o.data && length == o.length &&
           byte_enable == o.byte_enable && byte_enable_length == o.byte_enable_length &&
           streaming_width == o.streaming_width;
}

ProtocolChecker::ProtocolChecker(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket") {
    target_socket.register_b_transport(this, &ProtocolChecker::b_transport);
    target_socket.register_nb_transport_fw(this, &ProtocolChecker::nb_transport_fw);
    target_socket.register_get_direct_mem_ptr(this, &ProtocolChecker::get_direct_mem_ptr);
    target_socket.register_transport_dbg(this, &ProtocolChecker::transport_dbg);
    initiator_socket.register_nb_transport_bw(this, &ProtocolChecker::nb_transport_bw);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &ProtocolChecker::invalidate_direct_mem_ptr);
}

ProtocolChecker::Attributes ProtocolChecker::snapshot(const tlm_generic_payload& t) {
    return {t.get_command(),        t.get_address(),          t.get_data_ptr(),       t.get_data_length(),
            t.get_byte_enable_ptr(), t.get_byte_enable_length(), t.get_streaming_width()};
}

void ProtocolChecker::violation(const std::string& what) {
    ++m_violations;
    const auto text = fmt::format("{}: violation {}: {}", name(), m_violations, what);
    m_messages.push_back(text);
    SC_REPORT_ERROR(msg_type, text.c_str());
}

void ProtocolChecker::check_unchanged(const tlm_generic_payload& t, const Attributes& before, const char* where) {
    if (!(snapshot(t) == before))
        violation(fmt::format("{}: the target changed a payload attribute (command, address, data pointer, length, "
                              "byte enables or streaming width) of {}", where, describe(t)));
}

void ProtocolChecker::check_status_set(const tlm_generic_payload& t, const char* where) {
    if (t.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
        violation(fmt::format("{}: response status still TLM_INCOMPLETE_RESPONSE for {}", where, describe(t)));
}

void ProtocolChecker::complete(tlm_generic_payload& t, const char* where) {
    const auto it = m_in_flight.find(&t);
    if (it != m_in_flight.end()) {
        check_unchanged(t, it->second.attributes, where);
        if (it->second.window_valid) check_data(t, it->second.window, where);
        m_in_flight.erase(it);
    }
    check_status_set(t, where);
    if (m_open_request == &t) m_open_request = nullptr;
    if (m_open_response == &t) m_open_response = nullptr;
    ++m_checked;
}

void ProtocolChecker::begin_response(tlm_generic_payload& t, const char* where) {
    auto it = m_in_flight.find(&t);
    if (it == m_in_flight.end()) {
        violation(fmt::format("{}: BEGIN_RESP for a transaction that was never requested: {}", where, describe(t)));
        return;
    }
    if (it->second.stage == Stage::response)
        violation(fmt::format("{}: second BEGIN_RESP for {}", where, describe(t)));
    if (m_open_response && m_open_response != &t)
        violation(fmt::format("{}: BEGIN_RESP while another response awaits END_RESP: {}", where, describe(t)));
    check_unchanged(t, it->second.attributes, where);
    check_status_set(t, where);
    if (it->second.window_valid) {  // the data must be in place by BEGIN_RESP
        check_data(t, it->second.window, where);
        it->second.window_valid = false;
    }
    if (m_open_request == &t) m_open_request = nullptr;  // BEGIN_RESP implies END_REQ
    it->second.stage = Stage::response;
    m_open_response = &t;
}

void ProtocolChecker::b_transport(tlm_generic_payload& t, sc_core::sc_time& delay) {
    if (m_in_flight.count(&t)) violation(fmt::format("b_transport with a payload still in flight: {}", describe(t)));
    if (t.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE)
        violation(fmt::format("b_transport: initiator did not set TLM_INCOMPLETE_RESPONSE for {}", describe(t)));
    const Attributes before = snapshot(t);
    std::vector<unsigned char> window;
    const bool window_valid = m_check_data && read_window(t, window);
    initiator_socket->b_transport(t, delay);
    check_unchanged(t, before, "b_transport");
    check_status_set(t, "b_transport");
    if (t.is_response_ok() && t.is_read()) check_dmi_read(t);
    if (t.is_response_ok() && t.is_write()) check_dmi_write(t);
    if (window_valid && !overlaps_other(t)) check_data(t, window, "b_transport");
    ++m_checked;
}

tlm_sync_enum ProtocolChecker::nb_transport_fw(tlm_generic_payload& t, tlm_phase& phase, sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_REQ) {
        if (m_open_request)
            violation(fmt::format("BEGIN_REQ before END_REQ of the previous request: {}", describe(t)));
        if (m_in_flight.count(&t)) violation(fmt::format("BEGIN_REQ with a payload already in flight: {}", describe(t)));
        if (t.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE)
            violation(fmt::format("BEGIN_REQ: initiator did not set TLM_INCOMPLETE_RESPONSE for {}", describe(t)));
        InFlight& f = m_in_flight[&t];
        f = {snapshot(t), Stage::request, {}, false};
        f.window_valid = m_check_data && !overlaps_other(t) && read_window(t, f.window);
        m_open_request = &t;
    } else if (phase == tlm::END_RESP) {
        const auto it = m_in_flight.find(&t);
        if (it == m_in_flight.end() || it->second.stage != Stage::response)
            violation(fmt::format("END_RESP without BEGIN_RESP: {}", describe(t)));
    } else if (phase == tlm::END_REQ || phase == tlm::BEGIN_RESP) {
        violation(fmt::format("{} sent on the forward path: {}", phase.get_name(), describe(t)));
    }
    const tlm_phase sent = phase;
    const tlm_sync_enum status = initiator_socket->nb_transport_fw(t, phase, delay);
    switch (status) {
    case tlm::TLM_ACCEPTED:
        if (sent == tlm::END_RESP) complete(t, "END_RESP");
        break;
    case tlm::TLM_UPDATED:
        if (sent == tlm::BEGIN_REQ && phase == tlm::END_REQ) {
            m_open_request = nullptr;
            if (auto it = m_in_flight.find(&t); it != m_in_flight.end()) it->second.stage = Stage::request_accepted;
        } else if (sent == tlm::BEGIN_REQ && phase == tlm::BEGIN_RESP) {
            begin_response(t, "BEGIN_RESP (returned)");
        } else {
            violation(fmt::format("TLM_UPDATED moved {} to {}, not the next phase: {}", sent.get_name(),
                                  phase.get_name(), describe(t)));
        }
        break;
    case tlm::TLM_COMPLETED:
        complete(t, "TLM_COMPLETED on the forward path");
        break;
    }
    return status;
}

tlm_sync_enum ProtocolChecker::nb_transport_bw(tlm_generic_payload& t, tlm_phase& phase, sc_core::sc_time& delay) {
    auto it = m_in_flight.find(&t);
    if (phase == tlm::END_REQ) {
        if (it == m_in_flight.end() || it->second.stage != Stage::request || m_open_request != &t)
            violation(fmt::format("END_REQ for a transaction not awaiting it: {}", describe(t)));
        else it->second.stage = Stage::request_accepted;
        if (m_open_request == &t) m_open_request = nullptr;
        if (it != m_in_flight.end()) check_unchanged(t, it->second.attributes, "END_REQ");
    } else if (phase == tlm::BEGIN_RESP) {
        begin_response(t, "BEGIN_RESP");
    } else if (phase == tlm::BEGIN_REQ || phase == tlm::END_RESP) {
        violation(fmt::format("{} sent on the backward path: {}", phase.get_name(), describe(t)));
    }
    const tlm_phase sent = phase;
    const tlm_sync_enum status = target_socket->nb_transport_bw(t, phase, delay);
    if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && sent == tlm::BEGIN_RESP && phase == tlm::END_RESP))
        complete(t, "response completed by the initiator");
    else if (status == tlm::TLM_UPDATED)
        violation(fmt::format("TLM_UPDATED moved {} to {} on the backward path: {}", sent.get_name(), phase.get_name(),
                              describe(t)));
    return status;
}

bool ProtocolChecker::get_direct_mem_ptr(tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    const std::uint64_t address = t.get_address();
    const bool granted = initiator_socket->get_direct_mem_ptr(t, dmi);
    if (!granted) return false;
    if (!dmi.get_dmi_ptr()) violation(fmt::format("DMI granted without a pointer for 0x{:x}", address));
    if (dmi.get_start_address() > address || dmi.get_end_address() < address)
        violation(fmt::format("DMI region 0x{:x}..0x{:x} does not contain the requested 0x{:x}", dmi.get_start_address(),
                              dmi.get_end_address(), address));
    if ((t.is_read() && !dmi.is_read_allowed()) || (t.is_write() && !dmi.is_write_allowed()))
        violation(fmt::format("DMI granted for 0x{:x} without the requested access", address));
    if (dmi.get_dmi_ptr())
        m_dmi.push_back({dmi.get_start_address(), dmi.get_end_address(), dmi.get_dmi_ptr(), dmi.is_read_allowed()});
    return true;
}

void ProtocolChecker::check_dmi_read(const tlm_generic_payload& t) {
    if (t.get_byte_enable_ptr() || t.get_streaming_width() < t.get_data_length()) return;
    const std::uint64_t first = t.get_address();
    const std::uint64_t last = first + t.get_data_length() - 1;
    for (const auto& r : m_dmi) {
        if (!r.readable || first < r.start || last > r.end) continue;
        if (std::memcmp(r.pointer + (first - r.start), t.get_data_ptr(), t.get_data_length()) != 0)
            violation(fmt::format("b_transport read of {} differs from the DMI region's contents", describe(t)));
        return;
    }
}

void ProtocolChecker::check_dmi_write(const tlm_generic_payload& t) {
    if (t.get_byte_enable_ptr() || t.get_streaming_width() < t.get_data_length()) return;
    const std::uint64_t first = t.get_address();
    const std::uint64_t last = first + t.get_data_length() - 1;
    for (const auto& r : m_dmi) {
        if (first < r.start || last > r.end) continue;
        if (std::memcmp(r.pointer + (first - r.start), t.get_data_ptr(), t.get_data_length()) != 0)
            violation(fmt::format("b_transport write of {} does not show through the DMI region 0x{:x}..0x{:x}",
                                  describe(t), r.start, r.end));
        return;
    }
}

std::uint64_t ProtocolChecker::window_bytes(const tlm_generic_payload& t) {
    return std::min<std::uint64_t>(t.get_data_length(), t.get_streaming_width());
}

bool ProtocolChecker::read_window(const tlm_generic_payload& t, std::vector<unsigned char>& out) {
    if (!t.is_read() && !t.is_write()) return false;
    const std::uint64_t n = window_bytes(t);
    if (n == 0 || n > kMaxWindowBytes || !t.get_data_ptr()) return false;
    out.assign(n, 0);
    tlm_generic_payload dbg;
    dbg.set_command(tlm::TLM_READ_COMMAND);
    dbg.set_address(t.get_address());
    dbg.set_data_ptr(out.data());
    dbg.set_data_length(static_cast<unsigned>(n));
    dbg.set_streaming_width(static_cast<unsigned>(n));
    return initiator_socket->transport_dbg(dbg) == n;
}

bool ProtocolChecker::overlaps_other(const tlm_generic_payload& t) const {
    const std::uint64_t first = t.get_address();
    const std::uint64_t end = first + window_bytes(t);
    for (const auto& [other, f] : m_in_flight) {
        if (other == &t) continue;
        const std::uint64_t o_first = f.attributes.address;
        const std::uint64_t o_end = o_first + std::min(f.attributes.length, f.attributes.streaming_width);
        if (first < o_end && o_first < end) return true;
    }
    return false;
}

void ProtocolChecker::check_data(const tlm_generic_payload& t, const std::vector<unsigned char>& before,
                                 const char* where) {
    if (!t.is_response_ok()) return;
    const unsigned char* enable = t.get_byte_enable_ptr();
    const unsigned enable_length = t.get_byte_enable_length();
    if (enable && enable_length == 0) {
        violation(fmt::format("{}: TLM_OK_RESPONSE for a byte-enable pointer with length 0: {}", where, describe(t)));
        return;
    }
    std::vector<unsigned char> now;
    if (!read_window(t, now) || now.size() != before.size()) return;
    ++m_data_checks;
    const unsigned width = t.get_streaming_width();
    const unsigned char* data = t.get_data_ptr();
    auto enabled = [&](unsigned i) { return !enable || enable[i % enable_length] != TLM_BYTE_DISABLED; };
    if (t.is_write()) {
        std::vector<unsigned char> expected = before;
        for (unsigned i = 0; i < t.get_data_length(); ++i)
            if (enabled(i)) expected[i % width] = data[i];
        for (std::size_t k = 0; k < now.size(); ++k)
            if (now[k] != expected[k]) {
                violation(fmt::format("{}: after the write {} the target holds 0x{:02x} at 0x{:x}, expected 0x{:02x} "
                                      "(byte enables and streaming width honoured)",
                                      where, describe(t), now[k], t.get_address() + k, expected[k]));
                return;
            }
    } else {
        for (unsigned i = 0; i < t.get_data_length(); ++i)
            if (enabled(i) && data[i] != now[i % width]) {
                violation(fmt::format("{}: the read {} returned 0x{:02x} in data byte {}, the target holds 0x{:02x} at "
                                      "0x{:x} (byte enables and streaming width honoured)",
                                      where, describe(t), data[i], i, now[i % width], t.get_address() + i % width));
                return;
            }
    }
}

unsigned ProtocolChecker::transport_dbg(tlm_generic_payload& t) {
    const Attributes before = snapshot(t);
    const unsigned n = initiator_socket->transport_dbg(t);
    if (n > t.get_data_length())
        violation(fmt::format("transport_dbg reported {} bytes for {}", n, describe(t)));
    check_unchanged(t, before, "transport_dbg");
    return n;
}

void ProtocolChecker::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    std::vector<DmiRegion> kept;
    for (const auto& r : m_dmi)
        if (r.end < start || r.start > end) kept.push_back(r);
    m_dmi.swap(kept);
    target_socket->invalidate_direct_mem_ptr(start, end);
}

}  // namespace spark::protocol_checker
