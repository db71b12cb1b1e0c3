// SPDX-License-Identifier: Apache-2.0
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <cstring>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "spark/dma/dma_engine.h"

using namespace sc_core;
using spark::dma::DmaConfig;
using spark::dma::DmaEngine;
using spark::dma::DmaResult;

namespace {

// A memory with a fixed latency per transaction and an error response past its end.
struct FixedLatencyMemory : sc_module {
    tlm_utils::simple_target_socket<FixedLatencyMemory> socket;
    std::vector<std::uint8_t> storage = std::vector<std::uint8_t>(4096);
    sc_time latency;
    std::vector<std::pair<std::uint64_t, unsigned>> seen;

    FixedLatencyMemory(sc_module_name n, sc_time lat) : sc_module(n), socket("socket"), latency(lat) {
        socket.register_b_transport(this, &FixedLatencyMemory::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
        seen.emplace_back(t.get_address(), t.get_data_length());
        if (t.get_address() + t.get_data_length() > storage.size()) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read()) std::memcpy(t.get_data_ptr(), &storage[t.get_address()], t.get_data_length());
        else std::memcpy(&storage[t.get_address()], t.get_data_ptr(), t.get_data_length());
        delay += latency;
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct Results {
    sc_time pipelined, serial, after_error;
    DmaResult error, wrapped;
    std::size_t bursts_after_wrap = 0;
    std::vector<std::pair<std::uint64_t, unsigned>> bursts;
    std::vector<std::uint8_t> read_back;
    spark::dma::DmaStats stats;
} results;

struct Driver : sc_module {
    DmaEngine pipelined_dma, serial_dma;
    FixedLatencyMemory mem_a, mem_b;
    SC_HAS_PROCESS(Driver);
    Driver(sc_module_name n)
        : sc_module(n),
          pipelined_dma("pipelined_dma", DmaConfig{64, 1, 16, sc_time(2, SC_NS)}),
          serial_dma("serial_dma", DmaConfig{64, 1, 1, sc_time(2, SC_NS)}),
          mem_a("mem_a", sc_time(50, SC_NS)),
          mem_b("mem_b", sc_time(50, SC_NS)) {
        pipelined_dma.memory.bind(mem_a.socket);
        serial_dma.memory.bind(mem_b.socket);
        SC_THREAD(run);
    }
    void run() {
        std::vector<std::uint8_t> data(640);
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
        // 10 bursts, one issued per cycle, each done 50 ns after issue. The engine may sync on the global quantum
        // (zero here: before every burst), so the completion is the time at return plus the offset returned.
        sc_time start = sc_time_stamp();
        sc_time d = SC_ZERO_TIME;
        pipelined_dma.write(0, data.data(), data.size(), d);
        results.pipelined = sc_time_stamp() + d - start;
        wait(d);
        start = sc_time_stamp();
        d = SC_ZERO_TIME;
        serial_dma.write(0, data.data(), data.size(), d);
        results.serial = sc_time_stamp() + d - start;
        wait(d);
        // An unaligned read splits at 64-byte lines.
        results.read_back.resize(100);
        mem_a.seen.clear();
        d = SC_ZERO_TIME;
        pipelined_dma.read(30, results.read_back.data(), 100, d);
        results.bursts = mem_a.seen;
        d = SC_ZERO_TIME;
        std::vector<std::uint8_t> sink(256);
        results.error = pipelined_dma.read(4000, sink.data(), sink.size(), d);
        results.stats = pipelined_dma.stats();
        // A range that wraps past the top of the address space: refused before any burst goes out.
        mem_a.seen.clear();
        d = SC_ZERO_TIME;
        results.wrapped = pipelined_dma.read(~std::uint64_t{0} - 63, sink.data(), 128, d);
        results.bursts_after_wrap = mem_a.seen.size();
    }
};

}  // namespace

int sc_main(int argc, char** argv) {
    Driver driver("driver");
    sc_start();
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("bursts overlap up to the outstanding limit") {
    CHECK(results.pipelined == sc_time(9 * 2 + 50, SC_NS));
    CHECK(results.serial == sc_time(10 * 50, SC_NS));
}

TEST_CASE("transfers split at burst-aligned boundaries and move the data") {
    using B = std::pair<std::uint64_t, unsigned>;
    CHECK(results.bursts == std::vector<B>{{30, 34}, {64, 64}, {128, 2}});
    for (std::size_t i = 0; i < results.read_back.size(); ++i)
        REQUIRE(results.read_back[i] == static_cast<std::uint8_t>((30 + i) * 7));
}

TEST_CASE("an error response stops the transfer and names the address") {
    CHECK_FALSE(results.error.ok);
    CHECK(results.error.status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(results.error.fault_address == 4096);  // the first burst past the memory's end
    CHECK(results.stats.errors == 1);
    CHECK(results.stats.bytes_written == 640);
    CHECK(results.stats.bytes_read == 100 + 32 + 64);  // the bursts before the fault
}

TEST_CASE("a range that wraps past the top of the address space is refused before any burst") {
    CHECK_FALSE(results.wrapped.ok);
    CHECK(results.wrapped.status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(results.wrapped.fault_address == ~std::uint64_t{0} - 63);
    CHECK(results.bursts_after_wrap == 0);
}
