// SPDX-License-Identifier: Apache-2.0
// Host-time throughput of the DRAM model in loosely-timed use: transactions per second of wall clock.
//   build/benchmarks/bench_dram
// BM_DramCoreAccess: the plain-C++ fast path (DramCore::access), as the platform calls it without SystemC.
// BM_DramLtTransport: b_transport through the Dram module's target socket (no protocol checker), with
// generic-payload set-up and data copy.
#include <benchmark/benchmark.h>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/dram/dram.h"
#include "spark/dram/dram_core.h"

using namespace spark::dram;

namespace {

// Sequential 64-byte reads, one outstanding: each arrives when the previous completes, wrapping in 256 MiB.
void BM_DramCoreAccess(benchmark::State& state) {
    DramCore core(DramConfig::from_preset("DDR4-3200"));
    Cycle t = 0;
    std::uint64_t address = 0;
    for (auto _ : state) {
        const auto c = core.access(false, address, 64, t);
        t = c.completion;
        address = (address + 64) & ((256u << 20) - 1);
        benchmark::DoNotOptimize(t);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DramCoreAccess);

struct Host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Host> socket{"socket"};
    explicit Host(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {}
};

Host* g_host = nullptr;

void BM_DramLtTransport(benchmark::State& state) {
    unsigned char data[64] = {};
    tlm::tlm_generic_payload t;
    sc_core::sc_time issue = sc_core::SC_ZERO_TIME;
    std::uint64_t address = 0;
    const bool write = state.range(0) != 0;
    for (auto _ : state) {
        t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(address);
        t.set_data_ptr(data);
        t.set_data_length(64);
        t.set_streaming_width(64);
        t.set_byte_enable_ptr(nullptr);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = issue;
        g_host->socket->b_transport(t, delay);
        issue = delay;
        address = (address + 64) & ((256u << 20) - 1);
        benchmark::DoNotOptimize(data);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DramLtTransport)->Arg(0)->Arg(1);

}  // namespace

int sc_main(int argc, char* argv[]) {
    Host host("host");
    Dram dram("dram", DramConfig::from_preset("DDR4-3200"));
    host.socket.bind(dram.socket);
    g_host = &host;
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // finish elaboration; b_transport never waits, so no process is needed
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
