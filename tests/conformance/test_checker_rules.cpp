// SPDX-License-Identifier: Apache-2.0
// The checker's memory-data rules fire: a target that ignores byte enables or the streaming width, returns the
// wrong bytes, answers OK to a zero-length byte-enable array, or whose DMI region does not alias its storage is
// reported, in both coding styles; a target that does it right is not.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/protocol_checker/protocol_checker.h"

using spark::protocol_checker::ProtocolChecker;

namespace {

enum class Fault { none, ignore_byte_enables, ignore_streaming_width, wrong_read_data, ok_for_empty_enables, stale_dmi };

struct Memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<Memory> socket;
    Fault fault = Fault::none;
    std::array<unsigned char, 256> storage{};
    std::array<unsigned char, 256> shadow{};  // what a stale DMI region points at

    explicit Memory(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") {
        socket.register_b_transport(this, &Memory::b_transport);
        socket.register_nb_transport_fw(this, &Memory::nb_transport_fw);
        socket.register_transport_dbg(this, &Memory::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time&) {
        const unsigned char* be = t.get_byte_enable_ptr();
        const unsigned be_len = t.get_byte_enable_length();
        if (be && be_len == 0 && fault != Fault::ok_for_empty_enables) {
            t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
            return;
        }
        const unsigned width = fault == Fault::ignore_streaming_width ? t.get_data_length() : t.get_streaming_width();
        for (unsigned i = 0; i < t.get_data_length(); ++i) {
            const bool on = !be || be_len == 0 || fault == Fault::ignore_byte_enables || be[i % be_len] != 0;
            if (!on) continue;
            unsigned char& cell = storage[(t.get_address() + i % width) % storage.size()];
            if (t.is_write()) cell = t.get_data_ptr()[i];
            else t.get_data_ptr()[i] = static_cast<unsigned char>(cell ^ (fault == Fault::wrong_read_data ? 1 : 0));
        }
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time& d) {
        if (phase == tlm::BEGIN_REQ) b_transport(t, d);
        return tlm::TLM_COMPLETED;
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& t) {
        const auto a = t.get_address();
        if (a >= storage.size()) return 0;
        const unsigned n = std::min<unsigned>(t.get_data_length(), unsigned(storage.size() - a));
        if (t.is_read()) std::memcpy(t.get_data_ptr(), storage.data() + a, n);
        else std::memcpy(storage.data() + a, t.get_data_ptr(), n);
        return n;
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_dmi_ptr(fault == Fault::stale_dmi ? shadow.data() : storage.data());
        dmi.set_start_address(0);
        dmi.set_end_address(storage.size() - 1);
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
        return true;
    }
};

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(const sc_core::sc_module_name& n) : sc_core::sc_module(n), socket("socket") {}
};

std::vector<std::pair<std::string, std::uint64_t>> g_counts;  // scenario -> new violations
std::uint64_t g_data_checks = 0;

struct Top : sc_core::sc_module {
    Initiator initiator{"initiator"};
    ProtocolChecker checker{"checker"};
    Memory memory{"memory"};
    SC_HAS_PROCESS(Top);
    explicit Top(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {
        initiator.socket.bind(checker.target_socket);
        checker.initiator_socket.bind(memory.socket);
        checker.check_memory_data(true);
        SC_THREAD(run);
    }

    // One write then one read of 8 bytes at 16, with byte enables 0xFF 0x00 and streaming width 4 when asked.
    void scenario(const std::string& name, Fault fault, bool at, bool enables, bool streaming, bool dmi = false,
                  unsigned enable_length = 2) {
        memory.fault = fault;
        memory.storage.fill(0xAA);
        memory.socket->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});  // no DMI region from an earlier scenario
        const auto before = checker.violations();
        if (dmi) {
            tlm::tlm_generic_payload probe;
            probe.set_command(tlm::TLM_WRITE_COMMAND);
            probe.set_address(0);
            tlm::tlm_dmi d;
            initiator.socket->get_direct_mem_ptr(probe, d);
        }
        for (tlm::tlm_command cmd : {tlm::TLM_WRITE_COMMAND, tlm::TLM_READ_COMMAND}) {
            std::array<unsigned char, 8> data{1, 2, 3, 4, 5, 6, 7, 8};
            std::array<unsigned char, 2> be{TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};
            tlm::tlm_generic_payload t;
            t.set_command(cmd);
            t.set_address(16);
            t.set_data_ptr(data.data());
            t.set_data_length(8);
            t.set_streaming_width(streaming ? 4 : 8);
            if (enables) {
                t.set_byte_enable_ptr(be.data());
                t.set_byte_enable_length(enable_length);
            }
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            if (at) {
                tlm::tlm_phase phase = tlm::BEGIN_REQ;
                initiator.socket->nb_transport_fw(t, phase, delay);
            } else {
                initiator.socket->b_transport(t, delay);
            }
        }
        g_counts.emplace_back(name, checker.violations() - before);
    }

    void run() {
        scenario("clean, plain", Fault::none, false, false, false);
        scenario("clean, enables and streaming lt", Fault::none, false, true, true);
        scenario("clean, enables and streaming at", Fault::none, true, true, true);
        scenario("clean dmi", Fault::none, false, false, false, true);
        scenario("byte enables ignored lt", Fault::ignore_byte_enables, false, true, false);
        scenario("byte enables ignored at", Fault::ignore_byte_enables, true, true, false);
        scenario("streaming width ignored lt", Fault::ignore_streaming_width, false, false, true);
        scenario("streaming width ignored at", Fault::ignore_streaming_width, true, false, true);
        scenario("wrong read data", Fault::wrong_read_data, false, false, false);
        scenario("OK for an empty enable array", Fault::ok_for_empty_enables, false, true, false, false, 0);
        scenario("stale dmi", Fault::stale_dmi, false, false, false, true);
        g_data_checks = checker.data_checks();
    }
};

std::uint64_t count(const std::string& name) {
    for (const auto& [n, c] : g_counts)
        if (n == name) return c;
    return 999;
}

}  // namespace

TEST_CASE("a memory that honours byte enables, streaming width and DMI raises nothing", "[conformance]") {
    CHECK(count("clean, plain") == 0);
    CHECK(count("clean, enables and streaming lt") == 0);
    CHECK(count("clean, enables and streaming at") == 0);
    CHECK(count("clean dmi") == 0);
    CHECK(g_data_checks >= 8);
}

TEST_CASE("each broken data rule is reported", "[conformance]") {
    CHECK(count("byte enables ignored lt") == 1);  // the write; the read then matches the storage
    CHECK(count("byte enables ignored at") == 1);
    CHECK(count("streaming width ignored lt") == 2);  // the write, and the read of bytes past the window
    CHECK(count("streaming width ignored at") == 2);
    CHECK(count("wrong read data") == 1);
    CHECK(count("OK for an empty enable array") == 2);  // write and read
    CHECK(count("stale dmi") >= 1);
}

int sc_main(int argc, char* argv[]) {
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_LOG);
    Top top("top");
    sc_core::sc_start();
    return spark::test::run_catch(argc, argv);
}
