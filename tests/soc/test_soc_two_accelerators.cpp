// SPDX-License-Identifier: Apache-2.0
// Two accelerators in one SoC, registers at different bases, each running the smoke network on its own part of
// DRAM at the same time: both complete, both match the reference, and neither sees the other's registers.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <vector>

#include "smoke_programs.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/soc/driver.h"
#include "spark/soc/soc.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kCsr0 = 0x4000'0000, kCsr1 = 0x4800'0000;

struct Results {
    std::vector<soc::RunResult> runs;
    std::vector<soc::CheckResult> checks;
    std::vector<sc_time> irq_times;
    std::uint32_t descriptor_count = 0;
    std::uint32_t desc_count_0 = 0, desc_count_1 = 0;
    std::string cpu_error;
} r;

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);

    soc::SocConfig config;
    config.accelerators = {{kCsr0, {}}, {kCsr1, {}}};
    soc::Soc soc("soc", config);
    const test::SmokePrograms smoke(soc.dram_base(), 2);
    const std::vector<platform::Program>& programs = smoke.programs;
    const platform::TensorData& golden = smoke.golden;
    r.descriptor_count = programs[0].descriptor_count;

    soc.cpu().software = [&](soc::Cpu& cpu) {
        soc::SparkDriver d0(cpu, kCsr0, 0), d1(cpu, kCsr1, 1);
        d0.load(programs[0]);
        d1.load(programs[1]);
        // Accelerator 1 gets a different descriptor count first, to show the register banks are separate.
        d1.write_reg(SPARK_REG_DESC_COUNT, 1);
        d0.write_reg(SPARK_REG_DESC_COUNT, 2);
        r.desc_count_0 = d0.read_reg(SPARK_REG_DESC_COUNT);
        r.desc_count_1 = d1.read_reg(SPARK_REG_DESC_COUNT);
        d0.start(programs[0]);
        d1.start(programs[1]);
        d0.wait_done();
        r.irq_times.push_back(cpu.local_time());
        d1.wait_done();
        r.irq_times.push_back(cpu.local_time());
        r.runs.push_back(d0.finish(programs[0]));
        r.runs.push_back(d1.finish(programs[1]));
    };
    sc_start();
    r.cpu_error = soc.cpu().error();
    for (std::size_t i = 0; i < r.runs.size(); ++i)
        r.checks.push_back(soc::check_outputs(programs[i], golden, r.runs[i].outputs));
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("two accelerators at different CSR bases keep separate registers") {
    CHECK(r.cpu_error.empty());
    CHECK(r.desc_count_0 == 2);
    CHECK(r.desc_count_1 == 1);
}

TEST_CASE("two accelerators run the network at the same time and both match the reference") {
    REQUIRE(r.runs.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        INFO("accelerator " << i);
        CHECK(r.runs[i].completed);
        CHECK(r.runs[i].layers_done == r.descriptor_count);
        CHECK(r.checks[i].ok());
        CHECK(r.checks[i].tensors_checked == r.descriptor_count);
    }
    CHECK(r.runs[0].counters.macs == r.runs[1].counters.macs);
    CHECK(r.runs[0].outputs == r.runs[1].outputs);
    // Both started before either finished: the second interrupt comes well before two back-to-back runs would end.
    REQUIRE(r.irq_times.size() == 2);
    const sc_time one_run = sc_time(1000.0 / 500.0, SC_NS) * static_cast<double>(r.runs[0].counters.cycles);
    CHECK(r.irq_times[1] < r.irq_times[0] + one_run);
}
