// SPDX-License-Identifier: Apache-2.0
// Sits between an initiator and a target and forwards every call unchanged, checking the TLM-2.0 base protocol:
//  - phases in order per transaction: BEGIN_REQ -> END_REQ -> BEGIN_RESP -> END_RESP, where BEGIN_RESP may stand
//    for END_REQ and TLM_COMPLETED may end the transaction at any phase (early completion);
//  - at most one request (BEGIN_REQ without END_REQ) and one response (BEGIN_RESP without END_RESP) open per
//    socket; no payload reused while it is in flight; no phase on the wrong path;
//  - the response status is set (not TLM_INCOMPLETE_RESPONSE) when a transaction completes or BEGIN_RESP is sent,
//    and is TLM_INCOMPLETE_RESPONSE when the initiator starts it;
//  - command, address, data pointer, data length, byte-enable pointer and length and streaming width are the
//    same when the target hands the payload back;
//  - a granted DMI region contains the requested address, has a pointer and the requested access, and reads
//    through b_transport inside a readable DMI region return what the DMI pointer holds; writes through
//    b_transport inside a DMI region show through the DMI pointer;
//  - with check_memory_data(true), for targets that behave as memory: a write that completes with
//    TLM_OK_RESPONSE changed exactly the enabled bytes (byte-enable pattern repeated over the data) at the
//    positions the streaming width gives (data byte i lands on address + i % streaming_width), and a read that
//    completes OK returned those bytes. The target's storage is observed through its transport_dbg before and
//    after; the rule is skipped when the target answers transport_dbg with fewer bytes, or when another
//    transaction in flight overlaps (register files, whose writes have side effects, leave it off).
// Each violation is reported with SC_REPORT_ERROR(msg_type, ...) naming the checker and the running count; set
// the actions of `msg_type` to make violations non-fatal (the tests do, to count them).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace spark::protocol_checker {

class ProtocolChecker : public sc_core::sc_module {
public:
    static constexpr const char* msg_type = "spark/protocol_checker";

    tlm_utils::simple_target_socket<ProtocolChecker> target_socket;        // bind the initiator here
    tlm_utils::simple_initiator_socket<ProtocolChecker> initiator_socket;  // bind to the target

    explicit ProtocolChecker(const sc_core::sc_module_name& name);

    std::uint64_t violations() const { return m_violations; }
    std::uint64_t transactions_checked() const { return m_checked; }
    const std::vector<std::string>& messages() const { return m_messages; }
    std::size_t in_flight() const { return m_in_flight.size(); }
    // Data rule (byte enables, streaming width) for memory-like targets; off by default.
    void check_memory_data(bool on) { m_check_data = on; }
    std::uint64_t data_checks() const { return m_data_checks; }

private:
    struct Attributes {
        tlm::tlm_command command;
        std::uint64_t address;
        unsigned char* data;
        unsigned length;
        unsigned char* byte_enable;
        unsigned byte_enable_length;
        unsigned streaming_width;
        bool operator==(const Attributes& o) const;
    };
    enum class Stage { request, request_accepted, response };
    struct InFlight {
        Attributes attributes;
        Stage stage;
        std::vector<unsigned char> window;  // the target's bytes under the transaction when it started
        bool window_valid = false;
    };
    struct DmiRegion {
        std::uint64_t start, end;
        unsigned char* pointer;
        bool readable;
    };

    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    static Attributes snapshot(const tlm::tlm_generic_payload& trans);
    void check_unchanged(const tlm::tlm_generic_payload& trans, const Attributes& before, const char* where);
    void check_status_set(const tlm::tlm_generic_payload& trans, const char* where);
    void complete(tlm::tlm_generic_payload& trans, const char* where);
    void begin_response(tlm::tlm_generic_payload& trans, const char* where);
    void check_dmi_read(const tlm::tlm_generic_payload& trans);
    void check_dmi_write(const tlm::tlm_generic_payload& trans);
    static std::uint64_t window_bytes(const tlm::tlm_generic_payload& trans);
    bool read_window(const tlm::tlm_generic_payload& trans, std::vector<unsigned char>& out);
    bool overlaps_other(const tlm::tlm_generic_payload& trans) const;
    void check_data(const tlm::tlm_generic_payload& trans, const std::vector<unsigned char>& before, const char* where);
    void violation(const std::string& what);

    std::unordered_map<const tlm::tlm_generic_payload*, InFlight> m_in_flight;
    const tlm::tlm_generic_payload* m_open_request = nullptr;
    const tlm::tlm_generic_payload* m_open_response = nullptr;
    std::vector<DmiRegion> m_dmi;
    std::vector<std::string> m_messages;
    std::uint64_t m_violations = 0;
    std::uint64_t m_checked = 0;
    bool m_check_data = false;
    std::uint64_t m_data_checks = 0;
};

}  // namespace spark::protocol_checker
