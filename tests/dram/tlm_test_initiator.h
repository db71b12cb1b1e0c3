// SPDX-License-Identifier: Apache-2.0
// A test initiator that issues one transaction at a time in either style: LT (b_transport, annotated delay
// consumed with wait) or AT (four-phase nb_transport, END_RESP sent on the forward path or the response
// completed by returning TLM_COMPLETED, alternating, to exercise both). Call from an SC_THREAD.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace spark::test {

struct Outcome {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_core::sc_time latency;
};

class TestInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<TestInitiator> socket;

    explicit TestInitiator(const sc_core::sc_module_name& name) : sc_core::sc_module(name), socket("socket") {
        socket.register_nb_transport_bw(this, &TestInitiator::nb_transport_bw);
    }

    Outcome transact(bool at, tlm::tlm_command command, std::uint64_t address, unsigned char* data, unsigned length,
                     unsigned char* enable = nullptr, unsigned enable_length = 0, long streaming_width = -1) {
        tlm::tlm_generic_payload t;
        t.set_command(command);
        t.set_address(address);
        t.set_data_ptr(data);
        t.set_data_length(length);
        t.set_byte_enable_ptr(enable);
        t.set_byte_enable_length(enable_length);
        t.set_streaming_width(streaming_width < 0 ? length : unsigned(streaming_width));  // -1: the length
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        const sc_core::sc_time start = sc_core::sc_time_stamp();
        if (!at) {
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            socket->b_transport(t, delay);
            wait(delay);
        } else {
            tlm::tlm_phase phase = tlm::BEGIN_REQ;
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            m_response_done = false;
            const auto status = socket->nb_transport_fw(t, phase, delay);
            if (status == tlm::TLM_COMPLETED) {
                wait(delay);
            } else {
                if (!(status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
                    while (!m_response_done) wait(m_response_event);
                }
            }
        }
        return {t.get_response_status(), sc_core::sc_time_stamp() - start};
    }

    unsigned responses_by_end_resp = 0;
    unsigned responses_by_completed = 0;

private:
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
        if (phase == tlm::END_REQ) return tlm::TLM_ACCEPTED;
        if (phase == tlm::BEGIN_RESP) {
            m_response_done = true;
            m_response_event.notify(delay);
            if (m_alternate = !m_alternate; m_alternate) {
                ++responses_by_completed;
                return tlm::TLM_COMPLETED;
            }
            ++responses_by_end_resp;
            tlm::tlm_phase end = tlm::END_RESP;
            sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
            socket->nb_transport_fw(t, end, zero);
            return tlm::TLM_ACCEPTED;
        }
        SC_REPORT_FATAL(name(), "unexpected phase on the backward path");
        return tlm::TLM_COMPLETED;
    }

    sc_core::sc_event m_response_event;
    bool m_response_done = false;
    bool m_alternate = false;
};

}  // namespace spark::test
