// SPDX-License-Identifier: Apache-2.0
// Sends a list of requests to a memory target with at most `outstanding` in flight, in LT or AT style, and
// records when each one was issued and completed.
//  - LT: request i is issued at max(its time, completion of request i - outstanding, issue of request i - 1) as a
//    b_transport with that offset as delay; the thread synchronises once the offset exceeds the quantum.
//  - AT: BEGIN_REQ at that time (and not before END_REQ of the previous one); the response completes the
//    transaction (TLM_COMPLETED returned to BEGIN_RESP).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/tb_memory/traffic.h"

namespace spark::tb_memory {

struct Record {
    sc_core::sc_time issued;
    sc_core::sc_time completed;
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
};

class Issuer : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Issuer> socket;

    Issuer(const sc_core::sc_module_name& name, std::vector<Request> requests, bool at, unsigned outstanding,
           sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US));
    SC_HAS_PROCESS(Issuer);

    const std::vector<Record>& records() const { return m_records; }
    const std::vector<Request>& requests() const { return m_requests; }
    bool finished() const { return m_finished; }

private:
    struct Slot {
        tlm::tlm_generic_payload payload;
        std::vector<unsigned char> data;
        std::size_t request = 0;
    };
    void run_lt();
    void run_at();
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    void prepare(Slot& slot, std::size_t index);
    void complete(Slot& slot, const sc_core::sc_time& at);

    std::vector<Request> m_requests;
    std::vector<Record> m_records;
    bool m_at;
    unsigned m_outstanding;
    sc_core::sc_time m_quantum;
    std::vector<Slot> m_slots;
    std::deque<Slot*> m_free;
    bool m_request_open = false;
    Slot* m_open_slot = nullptr;
    sc_core::sc_event m_progress;
    bool m_finished = false;
};

}  // namespace spark::tb_memory
