// SPDX-License-Identifier: Apache-2.0
// The checker must flag each rule broken on purpose, and stay silent for a well-behaved exchange.
#include <string>
#include <vector>

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/protocol_checker/protocol_checker.h"

using spark::protocol_checker::ProtocolChecker;

namespace {

enum class Fault { none, change_address, leave_incomplete, begin_resp_early_twice, bad_dmi };

// A target that misbehaves on request.
struct FaultyTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<FaultyTarget> socket;
    Fault fault = Fault::none;
    unsigned char memory[256] = {};
    explicit FaultyTarget(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") {
        socket.register_b_transport(this, &FaultyTarget::b_transport);
        socket.register_nb_transport_fw(this, &FaultyTarget::nb_transport_fw);
        socket.register_get_direct_mem_ptr(this, &FaultyTarget::get_direct_mem_ptr);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time&) {
        if (fault == Fault::change_address) t.set_address(t.get_address() + 1);
        if (fault != Fault::leave_incomplete) t.set_response_status(tlm::TLM_OK_RESPONSE);
        if (t.is_read()) t.get_data_ptr()[0] = memory[t.get_address() % 256];
    }
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time&) {
        if (phase == tlm::BEGIN_REQ) {
            if (fault == Fault::begin_resp_early_twice) {
                t.set_response_status(tlm::TLM_OK_RESPONSE);
                tlm::tlm_phase p = tlm::BEGIN_RESP;
                sc_core::sc_time d = sc_core::SC_ZERO_TIME;
                socket->nb_transport_bw(t, p, d);  // the initiator completes it ...
                p = tlm::BEGIN_RESP;
                socket->nb_transport_bw(t, p, d);  // ... and the target responds again
                return tlm::TLM_ACCEPTED;
            }
            if (fault != Fault::leave_incomplete) t.set_response_status(tlm::TLM_OK_RESPONSE);
            return tlm::TLM_COMPLETED;
        }
        return tlm::TLM_COMPLETED;
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_dmi_ptr(memory);
        dmi.set_start_address(fault == Fault::bad_dmi ? 1000 : 0);
        dmi.set_end_address(fault == Fault::bad_dmi ? 2000 : 255);
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
        if (fault == Fault::none) memory[10] = 5;  // the next b_transport read returns memory[10] too
        return true;
    }
};

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") {
        socket.register_nb_transport_bw(this, &Initiator::nb_transport_bw);
    }
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase&, sc_core::sc_time&) {
        return tlm::TLM_COMPLETED;
    }
};

std::vector<std::pair<std::string, std::uint64_t>> g_counts;  // scenario -> new violations

struct Top : sc_core::sc_module {
    Initiator initiator{"initiator"};
    ProtocolChecker checker{"checker"};
    FaultyTarget target{"target"};
    SC_HAS_PROCESS(Top);
    explicit Top(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {
        initiator.socket.bind(checker.target_socket);
        checker.initiator_socket.bind(target.socket);
        SC_THREAD(run);
    }
    void scenario(const std::string& name, Fault fault, bool at, bool dmi = false) {
        const auto before = checker.violations();
        target.fault = fault;
        unsigned char data[4] = {};
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(10);
        t.set_data_ptr(data);
        t.set_data_length(1);
        t.set_streaming_width(1);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        if (dmi) {
            tlm::tlm_dmi d;
            initiator.socket->get_direct_mem_ptr(t, d);
            initiator.socket->b_transport(t, delay);
        } else if (at) {
            tlm::tlm_phase phase = tlm::BEGIN_REQ;
            initiator.socket->nb_transport_fw(t, phase, delay);
        } else {
            initiator.socket->b_transport(t, delay);
        }
        g_counts.emplace_back(name, checker.violations() - before);
    }
    void run() {
        scenario("clean lt", Fault::none, false);
        scenario("clean at", Fault::none, true);
        scenario("clean dmi", Fault::none, false, true);
        scenario("address changed", Fault::change_address, false);
        scenario("status left incomplete lt", Fault::leave_incomplete, false);
        scenario("status left incomplete at", Fault::leave_incomplete, true);
        scenario("second BEGIN_RESP", Fault::begin_resp_early_twice, true);
        scenario("DMI region misses the address", Fault::bad_dmi, false, true);
        // An initiator that sends a second BEGIN_REQ before END_REQ.
        {
            const auto before = checker.violations();
            target.fault = Fault::none;
            unsigned char d[1];
            tlm::tlm_generic_payload a, b;
            for (auto* t : {&a, &b}) {
                t->set_command(tlm::TLM_READ_COMMAND);
                t->set_data_ptr(d);
                t->set_data_length(1);
                t->set_streaming_width(1);
                t->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            }
            tlm::tlm_phase p = tlm::END_REQ;  // END_REQ on the forward path is illegal
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            initiator.socket->nb_transport_fw(a, p, delay);
            g_counts.emplace_back("END_REQ on the forward path", checker.violations() - before);
        }
    }
};

std::uint64_t count(const std::string& name) {
    for (const auto& [n, c] : g_counts)
        if (n == name) return c;
    return 999;
}

}  // namespace

TEST_CASE("a well-behaved exchange raises nothing", "[protocol_checker]") {
    CHECK(count("clean lt") == 0);
    CHECK(count("clean at") == 0);
    CHECK(count("clean dmi") == 0);
}

TEST_CASE("each broken rule is reported", "[protocol_checker]") {
    CHECK(count("address changed") == 1);
    CHECK(count("status left incomplete lt") == 1);
    CHECK(count("status left incomplete at") == 1);
    CHECK(count("second BEGIN_RESP") >= 1);
    CHECK(count("DMI region misses the address") == 1);
    CHECK(count("END_REQ on the forward path") >= 1);
}

int sc_main(int argc, char* argv[]) {
    // Violations are expected here: log them instead of throwing.
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_LOG);
    Top top("top");
    sc_core::sc_start();
    int unnamed = 0;  // every message names the checker and its running count
    for (const auto& m : top.checker.messages()) unnamed += m.rfind("top.checker: violation ", 0) == 0 ? 0 : 1;
    return Catch::Session().run(argc, argv) + unnamed;
}
