// SPDX-License-Identifier: Apache-2.0
// TLM-2.0 target for one DRAM (all its channels) over DramCore and a sparse BackingStore.
//
// socket (simple_target_socket) supports:
//  - b_transport (loosely timed): the transaction arrives at sc_time_stamp() + delay, is scheduled at once
//    against the bank state left by earlier ones, and delay is returned so that time + delay is the cycle after
//    its last data beat;
//  - nb_transport_fw, four-phase base protocol: BEGIN_REQ is taken at time + delay; END_REQ goes back on the
//    backward path when all its bursts fit in the queue (back-pressure otherwise); BEGIN_RESP is sent when the
//    last burst's data has completed; END_RESP (or TLM_COMPLETED from the initiator) frees the response path.
//    A request with an error response completes at once (TLM_COMPLETED on BEGIN_REQ). Other phases are fatal;
//  - get_direct_mem_ptr: one backing-store page per grant, read/write, latencies CL + BL/2 and CWL + BL/2
//    (DMI accesses bypass timing and energy accounting);
//  - transport_dbg: data only, no timing.
// Errors: address (or streaming window) outside the memory -> TLM_ADDRESS_ERROR_RESPONSE; IGNORE command ->
// TLM_COMMAND_ERROR_RESPONSE; byte-enable pointer with zero length -> TLM_BYTE_ENABLE_ERROR_RESPONSE; streaming
// width 0 -> TLM_BURST_ERROR_RESPONSE; null data pointer or zero length -> TLM_GENERIC_ERROR_RESPONSE.
// Byte enables and streaming widths are otherwise honoured.
#pragma once

#include <deque>
#include <unordered_map>

#include <systemc>
#include <tlm>
#include <tlm_utils/peq_with_get.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/dram/backing_store.h"
#include "spark/dram/config.h"
#include "spark/dram/dram_core.h"
#include "spark/dram/stats.h"

namespace spark::dram {

class Dram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Dram> socket;

    Dram(const sc_core::sc_module_name& name, const DramConfig& config);
    SC_HAS_PROCESS(Dram);

    const DramConfig& config() const { return m_core.config(); }
    std::uint64_t size_bytes() const { return m_core.size_bytes(); }
    sc_core::sc_time clock_period() const { return m_tck; }
    // Statistics up to the later of now and the last completion handed out (LT runs ahead of sc_time_stamp()).
    DramStats stats();
    DramCore& core() { return m_core; }
    BackingStore& store() { return m_store; }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);

    void request_method();
    void schedule_method();
    void response_method();
    void send_method();
    void try_accept();
    void send_responses();
    void finish_response(tlm::tlm_generic_payload& trans);

    // Sets an error status and returns false when the payload cannot be served.
    bool validate(tlm::tlm_generic_payload& trans) const;
    std::uint32_t timed_length(const tlm::tlm_generic_payload& trans) const;
    void move_data(tlm::tlm_generic_payload& trans);
    Cycle to_cycle(const sc_core::sc_time& t) const;
    sc_core::sc_time to_time(Cycle c) const;

    DramCore m_core;
    BackingStore m_store;
    sc_core::sc_time m_tck;
    Cycle m_latest_completion = 0;

    tlm_utils::peq_with_get<tlm::tlm_generic_payload> m_request_peq;
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> m_response_peq;
    sc_core::sc_event m_schedule_event;
    sc_core::sc_event m_send_event;
    std::deque<tlm::tlm_generic_payload*> m_waiting;    // arrived, not yet accepted (queue full)
    std::unordered_map<std::uint64_t, tlm::tlm_generic_payload*> m_queued;  // core transaction id -> payload
    std::deque<tlm::tlm_generic_payload*> m_responses;  // data complete, waiting for the response path
    tlm::tlm_generic_payload* m_response_open = nullptr;
};

}  // namespace spark::dram
