// SPDX-License-Identifier: Apache-2.0
// A random-traffic initiator for conformance tests: reads, writes and the odd IGNORE command, with lengths,
// byte-enable patterns, streaming widths and addresses (some past the end) drawn from a fixed seed, plus DMI and
// debug requests. Two coding styles:
//   LT  b_transport, the annotated delay waited for;
//   AT  four-phase nb_transport with up to `max_outstanding` transactions in flight; a new BEGIN_REQ waits for
//       the previous END_REQ (or BEGIN_RESP), and responses are ended in turn by returning TLM_COMPLETED, by
//       TLM_UPDATED with END_RESP, and by a separate END_RESP call, so every path of the protocol is used.
// The initiator obeys the base protocol itself; the checker between it and the target judges the target.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/peq_with_get.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace spark::test {

struct TrafficShape {
    std::uint64_t base = 0;          // first address of the target's range
    std::uint64_t size_bytes = 0;    // addresses are drawn from [base, base + size_bytes + 64): some miss
    unsigned max_length = 64;
    bool byte_enables = true;        // sometimes send byte enables (and, rarely, a zero-length enable array)
    bool streaming = true;           // sometimes a streaming width below the length (and, rarely, 0)
    bool ignore_commands = true;     // sometimes TLM_IGNORE_COMMAND
    bool dmi = true;                 // sometimes ask for DMI
    bool debug = true;               // sometimes use transport_dbg
    std::function<std::uint64_t(std::mt19937_64&)> address;  // overrides the address draw when set
    std::function<unsigned(std::mt19937_64&)> length;       // overrides the length draw when set
    std::function<bool(std::mt19937_64&)> write;            // overrides the command draw when set
};

class TrafficInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<TrafficInitiator> socket;

    TrafficInitiator(const sc_core::sc_module_name& name, bool at, unsigned transactions, TrafficShape shape,
                     std::uint64_t seed, unsigned max_outstanding = 4)
        : sc_core::sc_module(name),
          socket("socket"),
          m_at(at),
          m_transactions(transactions),
          m_shape(std::move(shape)),
          m_rng(seed),
          m_max_outstanding(max_outstanding),
          m_response_peq("response_peq") {
        socket.register_nb_transport_bw(this, &TrafficInitiator::nb_transport_bw);
        socket.register_invalidate_direct_mem_ptr(this, &TrafficInitiator::invalidate_direct_mem_ptr);
        SC_HAS_PROCESS(TrafficInitiator);
        SC_THREAD(run);
        SC_THREAD(respond);
    }

    bool done() const { return m_done; }
    unsigned completed() const { return m_completed; }
    unsigned ok_responses() const { return m_ok; }
    unsigned error_responses() const { return m_errors; }
    unsigned dmi_grants() const { return m_dmi_grants; }

private:
    struct Slot {
        tlm::tlm_generic_payload payload;
        std::vector<unsigned char> data, enable;
    };

    std::uint64_t draw_address() {
        if (m_shape.address) return m_shape.address(m_rng);
        return m_shape.base + m_rng() % (m_shape.size_bytes + 64);
    }

    void fill(Slot& s) {
        auto& t = s.payload;
        const unsigned length = m_shape.length ? m_shape.length(m_rng) : 1 + unsigned(m_rng() % m_shape.max_length);
        const unsigned pick = unsigned(m_rng() % 100);
        tlm::tlm_command command = pick < 50 ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND;
        if (m_shape.write) command = m_shape.write(m_rng) ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND;
        if (m_shape.ignore_commands && pick >= 97) command = tlm::TLM_IGNORE_COMMAND;
        s.data.resize(length);
        for (auto& b : s.data) b = static_cast<unsigned char>(m_rng());
        t.set_command(command);
        t.set_address(draw_address());
        t.set_data_ptr(s.data.data());
        t.set_data_length(length);
        t.set_streaming_width(length);
        t.set_byte_enable_ptr(nullptr);
        t.set_byte_enable_length(0);
        t.set_dmi_allowed(false);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (m_shape.byte_enables && m_rng() % 4 == 0) {
            const unsigned n = m_rng() % 20 == 0 ? 0 : 1 + unsigned(m_rng() % length);
            s.enable.resize(std::max(n, 1u));
            for (auto& e : s.enable) e = m_rng() % 2 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
            t.set_byte_enable_ptr(s.enable.data());
            t.set_byte_enable_length(n);
        }
        if (m_shape.streaming && m_rng() % 5 == 0)
            t.set_streaming_width(m_rng() % 20 == 0 ? 0 : 1 + unsigned(m_rng() % length));
    }

    void finish_one(const tlm::tlm_generic_payload& t) {
        ++m_completed;
        if (t.is_response_ok()) ++m_ok;
        else ++m_errors;
    }

    void side_requests() {
        Slot s;
        fill(s);
        if (m_shape.dmi && m_rng() % 8 == 0) {
            tlm::tlm_dmi dmi;
            if (socket->get_direct_mem_ptr(s.payload, dmi)) ++m_dmi_grants;
        }
        if (m_shape.debug && m_rng() % 8 == 0) socket->transport_dbg(s.payload);
    }

    void run() {
        if (!m_at) {
            for (unsigned i = 0; i < m_transactions; ++i) {
                side_requests();
                Slot s;
                fill(s);
                sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
                socket->b_transport(s.payload, delay);
                finish_one(s.payload);
                wait(delay);
            }
            m_done = true;
            return;
        }
        for (unsigned i = 0; i < m_transactions; ++i) {
            side_requests();
            while (m_in_flight >= m_max_outstanding || m_request_open) wait(m_progress);
            m_slots.push_back(std::make_unique<Slot>());
            Slot& s = *m_slots.back();
            fill(s);
            ++m_in_flight;
            m_request_open = &s.payload;
            tlm::tlm_phase phase = tlm::BEGIN_REQ;
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            const tlm::tlm_sync_enum status = socket->nb_transport_fw(s.payload, phase, delay);
            if (status == tlm::TLM_COMPLETED) {
                close_request(s.payload);
                retire(s.payload);
            } else if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
                close_request(s.payload);
            } else if (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP) {
                close_request(s.payload);
                m_response_peq.notify(s.payload, delay);
            }
            wait(sc_core::sc_time(1, sc_core::SC_NS));  // issue at most one request per nanosecond
        }
        while (m_in_flight > 0) wait(m_progress);
        m_done = true;
    }

    // Ends responses that arrived through TLM_UPDATED on the forward path: END_RESP on the forward path.
    void respond() {
        while (true) {
            wait(m_response_peq.get_event());
            while (tlm::tlm_generic_payload* t = m_response_peq.get_next_transaction()) {
                tlm::tlm_phase phase = tlm::END_RESP;
                sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
                socket->nb_transport_fw(*t, phase, delay);
                retire(*t);
            }
        }
    }

    void close_request(const tlm::tlm_generic_payload& t) {
        if (m_request_open == &t) m_request_open = nullptr;
        m_progress.notify(sc_core::SC_ZERO_TIME);
    }

    void retire(tlm::tlm_generic_payload& t) {
        finish_one(t);
        --m_in_flight;
        for (auto it = m_slots.begin(); it != m_slots.end(); ++it)
            if (&(*it)->payload == &t) {
                m_retired.push_back(std::move(*it));  // freed later: the caller may still hold a reference
                m_slots.erase(it);
                break;
            }
        if (m_retired.size() > 64) m_retired.pop_front();
        m_progress.notify(sc_core::SC_ZERO_TIME);
    }

    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
        if (phase == tlm::END_REQ) {
            close_request(t);
            m_progress.notify(delay);
            return tlm::TLM_ACCEPTED;
        }
        if (phase == tlm::BEGIN_RESP) {
            close_request(t);  // BEGIN_RESP stands for END_REQ
            switch (m_style++ % 3) {
            case 0:
                retire(t);
                return tlm::TLM_COMPLETED;
            case 1:
                phase = tlm::END_RESP;
                retire(t);
                return tlm::TLM_UPDATED;
            default:
                m_response_peq.notify(t, delay);
                return tlm::TLM_ACCEPTED;
            }
        }
        SC_REPORT_FATAL(name(), "unexpected phase on the backward path");
        return tlm::TLM_COMPLETED;
    }

    void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) {}

    bool m_at;
    unsigned m_transactions;
    TrafficShape m_shape;
    std::mt19937_64 m_rng;
    unsigned m_max_outstanding;
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> m_response_peq;
    std::deque<std::unique_ptr<Slot>> m_slots, m_retired;
    sc_core::sc_event m_progress;
    unsigned m_in_flight = 0;
    const tlm::tlm_generic_payload* m_request_open = nullptr;  // BEGIN_REQ sent, END_REQ not yet seen
    unsigned m_style = 0;
    bool m_done = false;
    unsigned m_completed = 0, m_ok = 0, m_errors = 0, m_dmi_grants = 0;
};

}  // namespace spark::test
