// SPDX-License-Identifier: Apache-2.0
// The Dram module through the protocol checker, in LT and AT style, for every preset (their clock periods are
// whole and fractional picoseconds). One elaboration, one sc_start; the checks run on the recorded results
// afterwards.
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <random>
#include <vector>

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "spark/dram/dram.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "tlm_test_initiator.h"

using namespace spark::dram;
using spark::protocol_checker::ProtocolChecker;
using spark::test::Outcome;
using spark::test::TestInitiator;

namespace {

struct Lane {
    TestInitiator initiator;
    ProtocolChecker checker;
    Dram dram;
    Lane(const char* name, const DramConfig& cfg)
        : initiator((std::string(name) + "_initiator").c_str()),
          checker((std::string(name) + "_checker").c_str()),
          dram((std::string(name) + "_dram").c_str(), cfg) {
        initiator.socket.bind(checker.target_socket);
        checker.initiator_socket.bind(dram.socket);
    }
};

struct Results {
    std::vector<double> lt_latency_ns, at_latency_ns;
    std::vector<tlm::tlm_response_status> lt_errors, at_errors;
    bool lt_data_ok = false, at_data_ok = false;
    bool byte_enable_ok = false, streaming_ok = false, dmi_ok = false, debug_ok = false;
    bool dmi_refused = false;
    std::uint64_t refused_start = 0, refused_end = 0, size_bytes = 0;
    double row_miss_ns = 0, row_hit_ns = 0;
    DramStats lt_stats, at_stats;
};
std::map<std::string, Results> results;  // by preset
const char* const kDetailed = "DDR4-3200";  // the preset of the row-latency, error and feature checks

struct Top : sc_core::sc_module {
    Lane lt, at;
    Results& g;
    SC_HAS_PROCESS(Top);
    Top(const sc_core::sc_module_name& n, const DramConfig& cfg, Results& r)
        : sc_core::sc_module(n), lt("lt", cfg), at("at", cfg), g(r) {
        SC_THREAD(run_lt);
        SC_THREAD(run_at);
    }

    // The same request sequence, one outstanding, in both styles.
    static void sequence(TestInitiator& init, bool at, std::vector<double>& latency, bool& data_ok) {
        std::mt19937 rng(7);
        std::vector<unsigned char> buf(1024), expect(1024);
        data_ok = true;
        for (int i = 0; i < 300; ++i) {
            const std::uint64_t address = (rng() % (1u << 22)) & ~std::uint64_t(31);
            const unsigned length = 32u << (rng() % 6);  // 32..1024 bytes: up to 16 bursts, straddling allowed
            const bool write = rng() % 3 == 0;
            for (unsigned k = 0; k < length; ++k) buf[k] = (unsigned char)(address + k * 7);
            const Outcome o = init.transact(at, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address,
                                            buf.data(), length);
            if (o.status != tlm::TLM_OK_RESPONSE) data_ok = false;
            latency.push_back(o.latency.to_seconds() * 1e9);
            if (write) {  // read back
                std::vector<unsigned char> back(length);
                init.transact(at, tlm::TLM_READ_COMMAND, address, back.data(), length);
                if (std::memcmp(back.data(), buf.data(), length) != 0) data_ok = false;
            }
            sc_core::wait(sc_core::sc_time(double(rng() % 50), sc_core::SC_NS));
        }
    }

    static void errors(TestInitiator& init, bool at, Dram& dram, std::vector<tlm::tlm_response_status>& out) {
        unsigned char buf[128] = {};
        unsigned char enable_zero_length[1] = {0xff};
        out.push_back(init.transact(at, tlm::TLM_READ_COMMAND, dram.size_bytes(), buf, 64).status);
        out.push_back(init.transact(at, tlm::TLM_WRITE_COMMAND, dram.size_bytes() - 32, buf, 64).status);
        out.push_back(init.transact(at, tlm::TLM_IGNORE_COMMAND, 0, buf, 64).status);
        out.push_back(init.transact(at, tlm::TLM_READ_COMMAND, 0, buf, 64, enable_zero_length, 0).status);
        out.push_back(init.transact(at, tlm::TLM_READ_COMMAND, 0, buf, 64, nullptr, 0, 0).status);
        out.push_back(init.transact(at, tlm::TLM_READ_COMMAND, 0, nullptr, 64).status);
    }

    void run_lt() {
        auto& init = lt.initiator;
        // Closed-form latencies on a fresh memory: bank closed, then the same row open.
        unsigned char buf[64];
        g.row_miss_ns = init.transact(false, tlm::TLM_READ_COMMAND, 1 << 20, buf, 64).latency.to_seconds() * 1e9;
        g.row_hit_ns = init.transact(false, tlm::TLM_READ_COMMAND, (1 << 20) + 256, buf, 64).latency.to_seconds() * 1e9;
        sc_core::wait(1, sc_core::SC_US);
        sequence(init, false, g.lt_latency_ns, g.lt_data_ok);
        g.lt_stats = lt.dram.stats();
        errors(init, false, lt.dram, g.lt_errors);

        // Byte enables: only enabled bytes are written.
        unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, enable[4] = {0xff, 0, 0xff, 0}, back[8] = {};
        unsigned char ones[8] = {9, 9, 9, 9, 9, 9, 9, 9};
        init.transact(false, tlm::TLM_WRITE_COMMAND, 4096, data, 8);
        init.transact(false, tlm::TLM_WRITE_COMMAND, 4096, ones, 8, enable, 4);
        init.transact(false, tlm::TLM_READ_COMMAND, 4096, back, 8);
        g.byte_enable_ok = std::vector<int>(back, back + 8) == std::vector<int>{9, 2, 9, 4, 9, 6, 9, 8};
        // Streaming width 4: eight bytes to the same four addresses.
        const std::uint64_t written_before = lt.dram.stats().counters.bytes_written;
        const auto s = init.transact(false, tlm::TLM_WRITE_COMMAND, 8192, data, 8, nullptr, 0, 4);
        const std::uint64_t streamed = lt.dram.stats().counters.bytes_written - written_before;
        init.transact(false, tlm::TLM_READ_COMMAND, 8192, back, 4);
        // One pass over the 4-byte window is what the counters see (docs/dram.md).
        g.streaming_ok = s.status == tlm::TLM_OK_RESPONSE && back[0] == 5 && back[3] == 8 && streamed == 4;

        // DMI: a granted page is the memory itself; the checker compares later reads against it.
        tlm::tlm_generic_payload t;
        t.set_address(4096 + 100);
        t.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi dmi;
        const bool granted = init.socket->get_direct_mem_ptr(t, dmi);
        if (granted) {
            dmi.get_dmi_ptr()[4096 + 200 - dmi.get_start_address()] = 0x5a;
            unsigned char b = 0;
            init.transact(false, tlm::TLM_READ_COMMAND, 4096 + 200, &b, 1);
            g.dmi_ok = b == 0x5a && dmi.get_start_address() <= 4196 && dmi.get_end_address() >= 4196 &&
                       dmi.get_read_latency() > sc_core::SC_ZERO_TIME;
        }
        // Refused past the memory: the range narrowed to what is refused, [size, top of the address space].
        tlm::tlm_generic_payload past;
        past.set_address(lt.dram.size_bytes() + 64);
        past.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi none;
        g.dmi_refused = !init.socket->get_direct_mem_ptr(past, none);
        g.refused_start = none.get_start_address();
        g.refused_end = none.get_end_address();
        g.size_bytes = lt.dram.size_bytes();
        // Debug transport: no time passes.
        unsigned char dbg[8] = {};
        tlm::tlm_generic_payload d;
        d.set_command(tlm::TLM_READ_COMMAND);
        d.set_address(4096);
        d.set_data_ptr(dbg);
        d.set_data_length(8);
        const sc_core::sc_time before = sc_core::sc_time_stamp();
        g.debug_ok = init.socket->transport_dbg(d) == 8 && dbg[1] == 2 && sc_core::sc_time_stamp() == before;
        d.set_address(lt.dram.size_bytes());
        g.debug_ok = g.debug_ok && init.socket->transport_dbg(d) == 0;
    }

    void run_at() {
        auto& init = at.initiator;
        unsigned char buf[64];
        init.transact(true, tlm::TLM_READ_COMMAND, 1 << 20, buf, 64);
        init.transact(true, tlm::TLM_READ_COMMAND, (1 << 20) + 256, buf, 64);
        sc_core::wait(1, sc_core::SC_US);
        sequence(init, true, g.at_latency_ns, g.at_data_ok);
        g.at_stats = at.dram.stats();
        errors(init, true, at.dram, g.at_errors);
    }
};

}  // namespace

TEST_CASE("a row miss and a row hit through TLM take the closed-form latencies", "[dram][tlm]") {
    const Results& g = results.at(kDetailed);
    const auto cfg = DramConfig::from_preset(kDetailed);
    const auto& t = cfg.timing;
    CHECK(g.row_miss_ns == Approx((t.RCD + t.CL + cfg.burst_cycles()) * cfg.tck_ns).margin(cfg.tck_ns));
    CHECK(g.row_hit_ns == Approx((t.CL + cfg.burst_cycles()) * cfg.tck_ns).margin(cfg.tck_ns));
}

TEST_CASE("LT and AT with one request outstanding give the same latencies and bytes", "[dram][tlm]") {
    REQUIRE(results.size() == DramConfig::preset_names().size());
    for (const auto& [preset, g] : results) {
        INFO(preset);
        REQUIRE(g.lt_latency_ns.size() == 300);
        REQUIRE(g.at_latency_ns.size() == 300);
        std::size_t differing = 0;
        std::ostringstream first;
        for (std::size_t i = 0; i < g.lt_latency_ns.size(); ++i)
            if (std::abs(g.lt_latency_ns[i] - g.at_latency_ns[i]) > 1e-3 && differing++ == 0)
                first << "request " << i << ": LT " << g.lt_latency_ns[i] << " ns, AT " << g.at_latency_ns[i] << " ns";
        INFO(first.str());
        CHECK(differing == 0);
        CHECK(g.lt_data_ok);
        CHECK(g.at_data_ok);
        CHECK(g.lt_stats.counters.bytes_read > 0);
        CHECK(g.at_stats.counters.bytes_read == g.lt_stats.counters.bytes_read);
        CHECK(g.at_stats.counters.bytes_written == g.lt_stats.counters.bytes_written);
        CHECK(g.at_stats.counters.reads == g.lt_stats.counters.reads);
        CHECK(g.at_stats.counters.row_hits == g.lt_stats.counters.row_hits);
        CHECK(g.at_stats.energy.total_pj() == Approx(g.lt_stats.energy.total_pj()));
    }
}

TEST_CASE("bad requests get the matching error responses in both styles", "[dram][tlm]") {
    const Results& g = results.at(kDetailed);
    const std::vector<tlm::tlm_response_status> expected = {
        tlm::TLM_ADDRESS_ERROR_RESPONSE, tlm::TLM_ADDRESS_ERROR_RESPONSE, tlm::TLM_COMMAND_ERROR_RESPONSE,
        tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, tlm::TLM_BURST_ERROR_RESPONSE, tlm::TLM_GENERIC_ERROR_RESPONSE};
    CHECK(g.lt_errors == expected);
    CHECK(g.at_errors == expected);
}

TEST_CASE("byte enables, streaming width, DMI and debug transport work", "[dram][tlm]") {
    const Results& g = results.at(kDetailed);
    CHECK(g.byte_enable_ok);
    CHECK(g.streaming_ok);
    CHECK(g.dmi_ok);
    CHECK(g.debug_ok);
}

TEST_CASE("a refused DMI request names the range refused, not the whole address space", "[dram][tlm]") {
    const Results& g = results.at(kDetailed);
    CHECK(g.dmi_refused);
    CHECK(g.refused_start == g.size_bytes);
    CHECK(g.refused_end == ~std::uint64_t{0});
}

int sc_main(int argc, char* argv[]) {
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_DISPLAY | sc_core::SC_LOG);
    std::vector<std::unique_ptr<Top>> tops;
    for (const std::string& preset : DramConfig::preset_names())
        tops.push_back(std::make_unique<Top>(preset.c_str(), DramConfig::from_preset(preset), results[preset]));
    sc_core::sc_start();
    bool clean = true;
    for (const auto& top : tops) {
        const bool ok = top->lt.checker.violations() == 0 && top->at.checker.violations() == 0 &&
                        top->lt.checker.in_flight() == 0 && top->at.checker.in_flight() == 0;
        if (!ok)
            std::fprintf(stderr, "%s: protocol violations: lt %llu at %llu\n", top->name(),
                         (unsigned long long)top->lt.checker.violations(),
                         (unsigned long long)top->at.checker.violations());
        clean = clean && ok;
    }
    const int failures = Catch::Session().run(argc, argv);
    return failures + (clean ? 0 : 1);
}
