// SPDX-License-Identifier: Apache-2.0
// The example SoC with a base-protocol checker on every link (SocConfig::protocol_checkers): the CPU's driver
// sequence, two accelerators' DMA through the router, DMI and a refused register access all run without a
// violation, and the results are those of the unchecked SoC.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <string>
#include <vector>

#include "smoke_programs.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/soc/driver.h"
#include "spark/soc/soc.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kCsr0 = 0x4000'0000, kCsr1 = 0x4800'0000;

struct CheckerCount {
    std::string name;
    std::uint64_t transactions, violations;
    std::vector<std::string> messages;
};

struct Results {
    std::vector<soc::RunResult> runs;
    std::vector<soc::CheckResult> checks;
    std::vector<CheckerCount> checkers;
    std::uint64_t dmi_accesses = 0;
    std::string cpu_error;
    std::uint32_t descriptor_count = 0;
} r;

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    // Violations are counted, not fatal, so that every one of them shows in the test's output.
    sc_report_handler::set_actions(protocol_checker::ProtocolChecker::msg_type, SC_DISPLAY);

    soc::SocConfig config;
    config.accelerators = {{kCsr0, {}}, {kCsr1, {}}};
    config.protocol_checkers = true;
    soc::Soc soc("soc", config);
    const test::SmokePrograms smoke(soc.dram_base(), 2);
    const std::vector<platform::Program>& programs = smoke.programs;
    const platform::TensorData& golden = smoke.golden;
    r.descriptor_count = programs[0].descriptor_count;

    soc.cpu().software = [&](soc::Cpu& cpu) {
        soc::SparkDriver d0(cpu, kCsr0, 0), d1(cpu, kCsr1, 1);
        d0.load(programs[0]);
        d1.load(programs[1]);
        std::uint32_t ignored = 0;
        cpu.write32(kCsr0 + 0x040, 1);             // an undefined register: a TLM error response, no violation
        cpu.read32(kCsr1 + SPARK_REG_ID, ignored);
        d0.start(programs[0]);
        d1.start(programs[1]);
        d0.wait_done();
        d1.wait_done();
        r.runs.push_back(d0.finish(programs[0]));
        r.runs.push_back(d1.finish(programs[1]));
    };
    sc_start();
    r.cpu_error = soc.cpu().error();
    r.dmi_accesses = soc.cpu().dmi_accesses();
    for (std::size_t i = 0; i < r.runs.size(); ++i)
        r.checks.push_back(soc::check_outputs(programs[i], golden, r.runs[i].outputs));
    for (const auto& c : soc.checkers())
        r.checkers.push_back({c->basename(), c->transactions_checked(), c->violations(), c->messages()});
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("every link of the SoC has a checker and each one saw traffic") {
    REQUIRE(r.checkers.size() == 6);  // cpu, dram, and per accelerator its DMA and its CSR socket
    for (const auto& c : r.checkers) {
        INFO(c.name);
        CHECK(c.transactions > 0);
    }
}

TEST_CASE("the driver sequence and both accelerators' DMA follow the base protocol") {
    for (const auto& c : r.checkers) {
        INFO(c.name);
        for (const auto& m : c.messages) INFO(m);
        CHECK(c.violations == 0);
    }
}

TEST_CASE("with checkers in place the runs complete and match the reference") {
    CHECK(r.cpu_error.empty());
    CHECK(r.dmi_accesses > 0);
    REQUIRE(r.runs.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        INFO("accelerator " << i);
        CHECK(r.runs[i].completed);
        CHECK(r.runs[i].layers_done == r.descriptor_count);
        CHECK(r.checks[i].ok());
    }
}
