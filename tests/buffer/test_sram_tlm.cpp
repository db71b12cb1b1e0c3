// SPDX-License-Identifier: Apache-2.0
// The Sram module through the protocol checker, LT and AT. One elaboration, one sc_start.
#include <cstring>
#include <vector>

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "spark/buffer/sram.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "tlm_test_initiator.h"

using namespace spark::buffer;
using spark::protocol_checker::ProtocolChecker;
using spark::test::TestInitiator;

namespace {

SramConfig weight_buffer() {
    SramConfig c;
    c.name = "weight_buffer";
    c.capacity_bytes = 16 * 1024;
    c.banks = 4;
    c.read_latency_cycles = 2;
    c.write_latency_cycles = 1;
    c.clock_mhz = 500;
    c.double_buffered = true;
    return c;
}

struct Results {
    std::vector<tlm::tlm_response_status> errors[2];
    double read_ns[2] = {}, write_ns[2] = {};
    bool data_ok[2] = {}, swap_ok = false, dmi_ok = false;
    std::uint64_t bytes[2] = {};
};
Results g;

struct Top : sc_core::sc_module {
    TestInitiator initiator[2]{TestInitiator("lt_initiator"), TestInitiator("at_initiator")};
    ProtocolChecker checker[2]{ProtocolChecker("lt_checker"), ProtocolChecker("at_checker")};
    Sram sram[2]{Sram("lt_weight_buffer", weight_buffer()), Sram("at_weight_buffer", weight_buffer())};
    SC_HAS_PROCESS(Top);
    explicit Top(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {
        for (int i = 0; i < 2; ++i) {
            initiator[i].socket.bind(checker[i].target_socket);
            checker[i].initiator_socket.bind(sram[i].socket);
        }
        SC_THREAD(run_lt);
        SC_THREAD(run_at);
    }
    void run(int i) {
        const bool at = i == 1;
        auto& init = initiator[i];
        std::vector<unsigned char> w(64), r(64);
        for (unsigned k = 0; k < 64; ++k) w[k] = (unsigned char)(k * 3 + 1);
        g.write_ns[i] = init.transact(at, tlm::TLM_WRITE_COMMAND, 128, w.data(), 64).latency.to_seconds() * 1e9;
        g.read_ns[i] = init.transact(at, tlm::TLM_READ_COMMAND, 128, r.data(), 64).latency.to_seconds() * 1e9;
        g.data_ok[i] = r == w;
        unsigned char buf[64] = {}, enable[1] = {0xff};
        const auto size = sram[i].size_bytes();
        g.errors[i].push_back(init.transact(at, tlm::TLM_WRITE_COMMAND, size - 32, buf, 64).status);
        g.errors[i].push_back(init.transact(at, tlm::TLM_READ_COMMAND, size, buf, 1).status);
        g.errors[i].push_back(init.transact(at, tlm::TLM_IGNORE_COMMAND, 0, buf, 8).status);
        g.errors[i].push_back(init.transact(at, tlm::TLM_READ_COMMAND, 0, buf, 8, enable, 0).status);
        g.errors[i].push_back(init.transact(at, tlm::TLM_READ_COMMAND, 0, buf, 8, nullptr, 0, 0).status);
        g.bytes[i] = sram[i].counters().bytes_read + sram[i].counters().bytes_written;
    }
    void run_lt() {
        run(0);
        // DMA fills one half while compute reads the other, then they swap.
        auto& s = sram[0];
        unsigned char tile = 0x42, seen = 0;
        initiator[0].transact(false, tlm::TLM_WRITE_COMMAND, s.half_base(s.fill_half()), &tile, 1);
        s.swap();
        initiator[0].transact(false, tlm::TLM_READ_COMMAND, s.half_base(s.compute_half()), &seen, 1);
        g.swap_ok = seen == 0x42 && s.fill_half() == Half::upper;
        tlm::tlm_generic_payload t;
        t.set_address(100);
        t.set_command(tlm::TLM_WRITE_COMMAND);
        tlm::tlm_dmi dmi;
        if (initiator[0].socket->get_direct_mem_ptr(t, dmi)) {
            dmi.get_dmi_ptr()[100] = 0x77;
            unsigned char b = 0;
            initiator[0].transact(false, tlm::TLM_READ_COMMAND, 100, &b, 1);
            g.dmi_ok = b == 0x77 && dmi.get_end_address() == s.size_bytes() - 1;
        }
    }
    void run_at() { run(1); }
};

}  // namespace

TEST_CASE("LT and AT accesses take the configured cycles and move the same bytes", "[buffer][tlm]") {
    // 64 bytes = 8 words over 4 banks: 2 beats; 2 ns clock.
    for (int i = 0; i < 2; ++i) {
        CHECK(g.write_ns[i] == Approx((1 + 2 - 1) * 2.0));
        CHECK(g.read_ns[i] == Approx((2 + 2 - 1) * 2.0));
        CHECK(g.data_ok[i]);
    }
    CHECK(g.bytes[0] == g.bytes[1]);
}

TEST_CASE("overflow and malformed requests get error responses", "[buffer][tlm]") {
    const std::vector<tlm::tlm_response_status> expected = {
        tlm::TLM_ADDRESS_ERROR_RESPONSE, tlm::TLM_ADDRESS_ERROR_RESPONSE, tlm::TLM_COMMAND_ERROR_RESPONSE,
        tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, tlm::TLM_BURST_ERROR_RESPONSE};
    CHECK(g.errors[0] == expected);
    CHECK(g.errors[1] == expected);
}

TEST_CASE("ping-pong swap and DMI work through the checker", "[buffer][tlm]") {
    CHECK(g.swap_ok);
    CHECK(g.dmi_ok);
}

int sc_main(int argc, char* argv[]) {
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_DISPLAY | sc_core::SC_LOG);
    Top top("top");
    sc_core::sc_start();
    const bool clean = top.checker[0].violations() == 0 && top.checker[1].violations() == 0;
    return Catch::Session().run(argc, argv) + (clean ? 0 : 1);
}
