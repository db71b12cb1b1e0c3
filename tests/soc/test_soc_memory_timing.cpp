// SPDX-License-Identifier: Apache-2.0
// The accelerator against memories that keep time in different ways, under every global quantum from 10 ns to
// 100 us, with the CPU reaching memory through DMI or not:
//   annotate      the memory adds its latency to the annotated delay (the usual LT target);
//   wait          the memory calls wait() for the delay and its latency inside b_transport and returns zero;
//   sync bridge   an LT pass-through in front of the annotating memory waits for the annotated delay, then
//                 forwards with zero.
// Outputs never change. Cycle counts do not depend on the quantum or DMI; a bridge that only syncs adds nothing;
// a memory that waits holds the DMA engine for each burst, so with 16 bursts allowed in flight it takes exactly
// the cycles of an engine that allows one against the annotating memory: the latency it adds, counted once.
// (Delay annotated after the wait, e.g. by a router on the response path, would still overlap with the next
// bursts; the router here adds none, so the equality is exact.)
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/accelerator/accelerator.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/interconnect/router.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/soc/cpu.h"
#include "spark/soc/driver.h"
#include "spark/workload/network.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kMemoryBase = 0x8000'0000;
constexpr std::uint64_t kMemoryBytes = 64ull << 20;
constexpr std::uint64_t kCsrBase = 0x4000'0000;
constexpr std::uint64_t kCsrStride = 0x1'0000;

enum class MemoryMode { annotate, wait };

// A memory with a fixed latency per access; DMI granted when `dmi` is set, refused (for all of it) otherwise.
struct Memory : sc_module {
    tlm_utils::simple_target_socket<Memory> socket;
    std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(kMemoryBytes);
    sc_time latency = sc_time(40, SC_NS);
    MemoryMode mode = MemoryMode::annotate;
    bool dmi = false;

    explicit Memory(sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_b_transport(this, &Memory::b_transport);
        socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
        socket.register_transport_dbg(this, &Memory::transport_dbg);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
        if (t.get_address() >= bytes.size() || t.get_data_length() > bytes.size() - t.get_address()) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        std::uint8_t* at = bytes.data() + t.get_address();
        if (t.is_read()) std::memcpy(t.get_data_ptr(), at, t.get_data_length());
        else std::memcpy(at, t.get_data_ptr(), t.get_data_length());
        if (mode == MemoryMode::annotate) {
            delay += latency;
        } else {
            wait(delay + latency);
            delay = SC_ZERO_TIME;
        }
        t.set_dmi_allowed(dmi);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& d) {
        d.set_start_address(0);
        d.set_end_address(bytes.size() - 1);
        if (!dmi) return false;
        d.set_dmi_ptr(bytes.data());
        d.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
        d.set_read_latency(latency);
        d.set_write_latency(latency);
        return true;
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& t) {
        if (t.get_address() >= bytes.size()) return 0;
        const auto n = static_cast<unsigned>(std::min<std::uint64_t>(t.get_data_length(), bytes.size() - t.get_address()));
        if (t.is_read()) std::memcpy(t.get_data_ptr(), bytes.data() + t.get_address(), n);
        else std::memcpy(bytes.data() + t.get_address(), t.get_data_ptr(), n);
        return n;
    }
};

// An LT pass-through that, when `sync` is set, waits for the annotated delay before forwarding.
struct SyncBridge : sc_module {
    tlm_utils::simple_target_socket<SyncBridge> in;
    tlm_utils::simple_initiator_socket<SyncBridge> out;
    bool sync = false;

    explicit SyncBridge(sc_module_name n) : sc_module(n), in("in"), out("out") {
        in.register_b_transport(this, &SyncBridge::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
        if (sync) {
            wait(delay);
            delay = SC_ZERO_TIME;
        }
        out->b_transport(t, delay);
    }
};

struct Run {
    sc_time quantum;
    bool dmi = false;
    MemoryMode mode = MemoryMode::annotate;
    bool bridge_syncs = false;
    unsigned accelerator = 0;
    soc::RunResult result;
    soc::CheckResult check;
};

std::string describe(const Run& r) {
    return fmt::format("accelerator {}, quantum {}, DMI {}, memory {}, bridge {}", r.accelerator, r.quantum.to_string(),
                       r.dmi ? "on" : "off", r.mode == MemoryMode::wait ? "waits" : "annotates",
                       r.bridge_syncs ? "syncs" : "passes");
}

std::vector<Run> runs;
std::string cpu_error;
std::uint32_t descriptor_count = 0;

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    const workload::Network network = workload::load_workload(SPARK_SMOKE_WORKLOAD);
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::TensorData golden = platform::golden_tensors(network, data, true);

    // Two accelerators that differ only in how many bursts their DMA engines keep in flight.
    accelerator::AcceleratorConfig pipelined, serial;
    pipelined.dma.max_outstanding = 16;
    serial.dma.max_outstanding = 1;
    soc::Cpu cpu("cpu", soc::CpuConfig{}, 2);
    Memory memory("memory");
    interconnect::Router router(
        "router", {interconnect::AddressMap({{"memory", kMemoryBase, kMemoryBytes, 0, 0},
                                             {"accelerator0.csr", kCsrBase, SPARK_REG_MAP_SIZE, 1, 0},
                                             {"accelerator1.csr", kCsrBase + kCsrStride, SPARK_REG_MAP_SIZE, 2, 0}}),
                   SC_ZERO_TIME});  // nothing annotated on the way back: the memory's latency is all it adds
    accelerator::SparkAccelerator accel0("accelerator0", pipelined), accel1("accelerator1", serial);
    SyncBridge bridge0("bridge0"), bridge1("bridge1");
    sc_signal<bool> irq0("irq0"), irq1("irq1");
    cpu.bus.bind(router.target_socket);
    accel0.memory.bind(bridge0.in);
    accel1.memory.bind(bridge1.in);
    bridge0.out.bind(router.target_socket);
    bridge1.out.bind(router.target_socket);
    router.initiator_socket.bind(memory.socket);
    router.initiator_socket.bind(accel0.csr);
    router.initiator_socket.bind(accel1.csr);
    accel0.irq.bind(irq0);
    accel1.irq.bind(irq1);
    cpu.irq[0].bind(irq0);
    cpu.irq[1].bind(irq1);

    const platform::Program program = platform::build_program(network, data, true, kMemoryBase, kMemoryBytes);
    descriptor_count = program.descriptor_count;

    cpu.software = [&](soc::Cpu& c) {
        auto run_once = [&](const Run& setup) {
            c.set_quantum(setup.quantum);
            c.set_use_dmi(setup.dmi);
            memory.dmi = setup.dmi;
            memory.mode = setup.mode;
            bridge0.sync = bridge1.sync = setup.bridge_syncs;
            // Outputs cleared, so a run that writes nothing cannot pass on an earlier run's data.
            std::fill(memory.bytes.begin(), memory.bytes.end(), 0);
            Run run = setup;
            soc::SparkDriver driver(c, kCsrBase + setup.accelerator * kCsrStride, setup.accelerator);
            driver.load(program);
            driver.start(program);
            driver.wait_done();
            run.result = driver.finish(program);
            run.check = soc::check_outputs(program, golden, run.result.outputs);
            runs.push_back(std::move(run));
        };
        for (const sc_time& quantum : {sc_time(10, SC_NS), sc_time(1, SC_US), sc_time(100, SC_US)})
            for (const bool dmi : {false, true})
                for (const MemoryMode mode : {MemoryMode::annotate, MemoryMode::wait})
                    for (const bool bridge : {false, true}) run_once({quantum, dmi, mode, bridge, 0, {}, {}});
        run_once({sc_time(1, SC_US), false, MemoryMode::annotate, false, 1, {}, {}});
        run_once({sc_time(100, SC_NS), true, MemoryMode::wait, true, 1, {}, {}});
    };
    sc_start();
    cpu_error = cpu.error();
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("every quantum, DMI setting and memory timing style gives the reference outputs") {
    CHECK(cpu_error.empty());
    REQUIRE(runs.size() == 26);
    for (const Run& run : runs) {
        INFO(describe(run));
        CHECK(run.result.completed);
        CHECK(run.result.error == SPARK_ERR_NONE);
        CHECK(run.result.layers_done == descriptor_count);
        CHECK(run.check.ok());
        CHECK(run.result.outputs == runs.front().result.outputs);
        CHECK(run.result.counters.dram_bytes_read == runs.front().result.counters.dram_bytes_read);
        CHECK(run.result.counters.macs == runs.front().result.counters.macs);
    }
}

TEST_CASE("cycles do not depend on the quantum, DMI or a bridge that only syncs") {
    REQUIRE(runs.size() == 26);
    const std::uint64_t annotated = runs.front().result.counters.cycles;
    CHECK(annotated > 0);
    for (const Run& run : runs) {
        if (run.accelerator != 0 || run.mode != MemoryMode::annotate) continue;
        INFO(describe(run));
        CHECK(run.result.counters.cycles == annotated);
    }
}

TEST_CASE("a memory that waits holds the engine for each burst: the latency it adds is counted once") {
    REQUIRE(runs.size() == 26);
    const Run& serial_annotated = runs[24];
    const Run& serial_waiting = runs[25];
    REQUIRE(serial_annotated.accelerator == 1);
    const std::uint64_t pipelined = runs.front().result.counters.cycles;
    const std::uint64_t serial = serial_annotated.result.counters.cycles;
    CHECK(serial > pipelined);  // bursts in flight hide latency when the memory lets them
    // One burst in flight: waiting or annotating is the same memory.
    CHECK(serial_waiting.result.counters.cycles == serial);
    for (const Run& run : runs) {
        if (run.accelerator != 0 || run.mode != MemoryMode::wait) continue;
        INFO(describe(run));
        CHECK(run.result.counters.cycles == serial);
    }
}
