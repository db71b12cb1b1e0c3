// SPDX-License-Identifier: Apache-2.0
// The smoke network through the example SoC with three global quanta, CPU accesses through DMI and through
// b_transport, and both storages: the output tensors never change. Debug transport through the router sees
// the memory and registers the accelerator sees.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <cstring>
#include <vector>

#include "spark/controller/spark_accel_regs.h"
#include "spark/pe_array/array_config.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/soc/driver.h"
#include "spark/soc/soc.h"
#include "spark/workload/network.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kProgramBytes = 64ull << 20;

struct Run {
    sc_time quantum;
    bool dmi = false;
    bool spark_storage = true;
    soc::RunResult result;
    soc::CheckResult check;
    std::uint64_t dmi_accesses = 0;
    std::uint64_t bus_accesses = 0;
};

struct Results {
    std::vector<Run> runs;
    std::string cpu_error;
    bool debug_matches = false;
    std::uint32_t debug_id = 0;
    std::uint32_t debug_layers_done = 0;
    unsigned debug_unmapped = 1;
    std::uint32_t descriptor_count = 0;
} r;

// Clears every accelerator-written tensor, so a run that wrote nothing cannot pass on the previous run's data.
void clear_outputs(soc::Cpu& cpu, const platform::Program& p) {
    for (const platform::ProgramLayer& pl : p.layers) {
        if (!pl.on_accelerator) continue;
        const accelerator::TensorDesc& t = p.tensors.at(pl.layer->output.name);
        const std::vector<std::uint8_t> zeros(t.elements(), 0);
        cpu.write(t.data_address, zeros.data(), zeros.size());
        if (p.spark_storage) cpu.write(t.table_address, zeros.data(), std::min<std::uint64_t>(4 * t.chunks(), zeros.size()));
    }
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    const workload::Network network = workload::load_workload(SPARK_SMOKE_WORKLOAD);
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::TensorData golden_spark = platform::golden_tensors(network, data, true);
    const platform::TensorData golden_raw = platform::golden_tensors(network, data, false);

    // Accelerator 0 is SPARK, accelerator 1 the INT8 baseline (raw storage, 8-bit PEs, no codec).
    soc::SocConfig config;
    accelerator::AcceleratorConfig baseline;
    baseline.datapath.array = pe_array::ArrayConfig::defaults_for(pe::PeType::int8);
    config.accelerators = {{0x4000'0000, {}}, {0x4001'0000, baseline}};
    soc::Soc soc("soc", config);
    const platform::Program spark_program = platform::build_program(network, data, true, soc.dram_base(), kProgramBytes);
    const platform::Program raw_program =
        platform::build_program(network, data, false, soc.dram_base() + kProgramBytes, kProgramBytes);
    r.descriptor_count = spark_program.descriptor_count;

    soc.cpu().software = [&](soc::Cpu& cpu) {
        auto run_once = [&](sc_time quantum, bool dmi, unsigned accel, const platform::Program& p,
                            const platform::TensorData& golden) {
            cpu.set_quantum(quantum);
            cpu.set_use_dmi(dmi);
            clear_outputs(cpu, p);
            Run run{quantum, dmi, p.spark_storage, {}, {}, cpu.dmi_accesses(), cpu.bus_accesses()};
            run.result = soc::run_jobs(cpu, {{soc.csr_base(accel), accel, &p}}).at(0);
            run.check = soc::check_outputs(p, golden, run.result.outputs);
            run.dmi_accesses = cpu.dmi_accesses() - run.dmi_accesses;
            run.bus_accesses = cpu.bus_accesses() - run.bus_accesses;
            r.runs.push_back(std::move(run));
        };
        for (const sc_time& quantum : {sc_time(10, SC_NS), sc_time(1, SC_US), sc_time(100, SC_US)})
            for (const bool dmi : {false, true}) run_once(quantum, dmi, 0, spark_program, golden_spark);
        run_once(sc_time(1, SC_US), true, 1, raw_program, golden_raw);

        // A debugger's view through the router: the last output tensor as the accelerator left it.
        const accelerator::TensorDesc& last = spark_program.tensors.at(spark_program.layers.back().layer->output.name);
        std::vector<std::uint8_t> seen(4 * last.chunks()), debug(seen.size());
        cpu.read(last.table_address, seen.data(), seen.size());
        r.debug_matches = cpu.debug_read(last.table_address, debug.data(), static_cast<unsigned>(debug.size())) ==
                              debug.size() &&
                          debug == seen;
        std::uint8_t word[4] = {};
        if (cpu.debug_read(soc.csr_base(0) + SPARK_REG_ID, word, 4) == 4) std::memcpy(&r.debug_id, word, 4);
        if (cpu.debug_read(soc.csr_base(0) + SPARK_REG_LAYERS_DONE, word, 4) == 4)
            std::memcpy(&r.debug_layers_done, word, 4);
        r.debug_unmapped = cpu.debug_read(0x10, word, 4);
    };
    sc_start();
    r.cpu_error = soc.cpu().error();
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("every quantum and DMI setting gives the reference outputs") {
    CHECK(r.cpu_error.empty());
    REQUIRE(r.runs.size() == 7);
    for (const Run& run : r.runs) {
        INFO("quantum " << run.quantum << ", DMI " << run.dmi << ", SPARK storage " << run.spark_storage);
        CHECK(run.result.completed);
        CHECK(run.result.error == SPARK_ERR_NONE);
        CHECK(run.result.layers_done == r.descriptor_count);
        CHECK(run.check.tensors_checked == r.descriptor_count);
        CHECK(run.check.mismatches.empty());
        CHECK(run.check.ok());
    }
}

TEST_CASE("the work the accelerator reports does not depend on the CPU's quantum or DMI") {
    REQUIRE(r.runs.size() == 7);
    const Run& first = r.runs.front();
    CHECK(first.result.counters.macs > 0);
    CHECK(first.result.counters.cycles > 0);
    for (std::size_t i = 1; i < 6; ++i) {
        CHECK(r.runs[i].result.counters.macs == first.result.counters.macs);
        CHECK(r.runs[i].result.counters.dram_bytes_read == first.result.counters.dram_bytes_read);
        CHECK(r.runs[i].result.counters.dram_bytes_written == first.result.counters.dram_bytes_written);
        CHECK(r.runs[i].result.outputs == first.result.outputs);
    }
    // SPARK codes move fewer bytes than raw INT8 for the same network.
    CHECK(r.runs[6].result.counters.macs == first.result.counters.macs);
    CHECK(r.runs[6].result.counters.dram_bytes_read > first.result.counters.dram_bytes_read);
}

TEST_CASE("DMI on means the CPU reaches memory through the pointer, off means it never does") {
    REQUIRE(r.runs.size() == 7);
    for (const Run& run : r.runs) {
        INFO("quantum " << run.quantum << ", DMI " << run.dmi);
        if (run.dmi)
            CHECK(run.dmi_accesses > 0);
        else
            CHECK(run.dmi_accesses == 0);
        CHECK(run.bus_accesses > 0);  // registers are never DMI
    }
}

TEST_CASE("debug transport through the router reads memory and registers without side effects") {
    CHECK(r.debug_matches);
    CHECK(r.debug_id == SPARK_ID_VALUE);
    CHECK(r.debug_layers_done == r.descriptor_count);
    CHECK(r.debug_unmapped == 0);
}
