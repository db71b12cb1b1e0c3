// SPDX-License-Identifier: Apache-2.0
// Bad driver input through the SoC: every case ends in a defined error status or TLM error response, the
// simulation goes on, and a correct run afterwards still matches the reference.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <vector>

#include "spark/controller/spark_accel_regs.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/soc/driver.h"
#include "spark/soc/soc.h"
#include "spark/workload/network.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kProgramBytes = 64ull << 20;
constexpr std::uint64_t kUnmapped = 0x1000;  // below every region of the default map

struct Results {
    tlm::tlm_response_status undefined_write = tlm::TLM_INCOMPLETE_RESPONSE;
    tlm::tlm_response_status read_only_write = tlm::TLM_INCOMPLETE_RESPONSE;
    tlm::tlm_response_status past_csr_window = tlm::TLM_INCOMPLETE_RESPONSE;
    tlm::tlm_response_status unmapped_read = tlm::TLM_INCOMPLETE_RESPONSE;
    std::uint32_t status_after_undefined = 0;
    soc::RunResult descriptor_unmapped;
    soc::RunResult data_unmapped;
    soc::RunResult descriptor_corrupt;
    std::uint32_t status_after_busy_start = 0, error_after_busy_start = 0;
    bool irq_after_busy_start = true;
    std::uint32_t count_before_busy_write = 0, count_after_busy_write = 0;
    soc::RunResult busy_run;
    soc::CheckResult busy_check;
    std::uint32_t status_after_zero_count = 0, error_after_zero_count = 0;
    soc::RunResult recovered;
    soc::CheckResult recovered_check;
    std::uint64_t router_address_errors = 0;
    std::uint64_t data_fault_address = 0;
    std::string cpu_error;
} r;

// A copy of the program whose first descriptor's input points at an unmapped bus address.
platform::Program with_unmapped_input(platform::Program p) {
    for (platform::MemoryWrite& w : p.image) {
        if (w.address != p.descriptor_address) continue;
        auto d = accelerator::LayerDescriptor::decode(w.bytes.data(), accelerator::LayerDescriptor::kBytes);
        d.input.data_address = kUnmapped;
        d.input.table_address = kUnmapped;
        const auto bytes = d.encode();
        std::copy(bytes.begin(), bytes.end(), w.bytes.begin());
    }
    return p;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    const workload::Network network = workload::load_workload(SPARK_SMOKE_WORKLOAD);
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::TensorData golden = platform::golden_tensors(network, data, true);

    soc::Soc soc("soc", soc::SocConfig{});
    const platform::Program program = platform::build_program(network, data, true, soc.dram_base(), kProgramBytes);
    const platform::Program bad_input = with_unmapped_input(program);

    soc.cpu().software = [&](soc::Cpu& cpu) {
        soc::SparkDriver d(cpu, soc.csr_base(0), 0);
        // Register accesses the map does not define.
        r.undefined_write = d.try_write_reg(0x040, 1);
        r.read_only_write = d.try_write_reg(SPARK_REG_ID, 1);
        r.status_after_undefined = d.read_reg(SPARK_REG_STATUS);
        r.past_csr_window = d.try_write_reg(SPARK_REG_MAP_SIZE, 1);
        std::uint32_t v = 0;
        r.unmapped_read = cpu.read32(kUnmapped, v);

        // A descriptor list outside memory: the first fetch gets an address error from the router.
        d.start(kUnmapped, 1);
        d.wait_done();
        r.descriptor_unmapped = d.finish(program);

        // A descriptor whose input tensor lies outside memory.
        d.load(bad_input);
        d.start(bad_input);
        d.wait_done();
        r.data_unmapped = d.finish(bad_input);

        // A descriptor that is not one (DRAM reads back zeros where nothing was written).
        d.start(soc.dram_base() + kProgramBytes, 1);
        d.wait_done();
        r.descriptor_corrupt = d.finish(program);

        // START while busy: refused, no interrupt, the running job finishes undisturbed.
        d.load(program);
        d.start(program);
        d.write_reg(SPARK_REG_CTRL, SPARK_CTRL_START);
        r.status_after_busy_start = d.read_reg(SPARK_REG_STATUS);
        r.error_after_busy_start = d.read_reg(SPARK_REG_ERROR);
        // The pin is sampled at kernel time: bring it up to the CPU's local time first (the earlier IRQ_STATUS clear
        // acts at its annotated time), then let the irq method and the signal settle.
        cpu.sync();
        wait(SC_ZERO_TIME);
        wait(SC_ZERO_TIME);
        r.irq_after_busy_start = soc.accelerator(0).irq.read();
        // DESC_COUNT written while busy: refused as well, the run keeps its list.
        r.count_before_busy_write = d.read_reg(SPARK_REG_DESC_COUNT);
        d.write_reg(SPARK_REG_DESC_COUNT, 1);
        r.count_after_busy_write = d.read_reg(SPARK_REG_DESC_COUNT);
        d.wait_done();
        r.busy_run = d.finish(program);

        // START with DESC_COUNT = 0.
        d.write_reg(SPARK_REG_DESC_COUNT, 0);
        d.write_reg(SPARK_REG_CTRL, SPARK_CTRL_START);
        r.status_after_zero_count = d.read_reg(SPARK_REG_STATUS);
        r.error_after_zero_count = d.read_reg(SPARK_REG_ERROR);

        // After all that, a correct run.
        d.start(program);
        d.wait_done();
        r.recovered = d.finish(program);
    };
    sc_start();
    r.cpu_error = soc.cpu().error();
    r.router_address_errors = soc.router().address_errors();
    r.busy_check = soc::check_outputs(program, golden, r.busy_run.outputs);
    r.recovered_check = soc::check_outputs(program, golden, r.recovered.outputs);
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("undefined and read-only registers and unmapped addresses get TLM error responses") {
    CHECK(r.cpu_error.empty());
    CHECK(r.undefined_write == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(r.read_only_write == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(r.past_csr_window == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(r.unmapped_read == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK((r.status_after_undefined & (SPARK_STATUS_BUSY | SPARK_STATUS_ERROR)) == 0);
}

TEST_CASE("a descriptor list outside memory fails with DESC_BUS at its address") {
    const soc::RunResult& run = r.descriptor_unmapped;
    CHECK_FALSE(run.completed);
    CHECK((run.status & SPARK_STATUS_ERROR) != 0);
    CHECK(run.error == SPARK_ERR_DESC_BUS);
    CHECK(run.error_address == kUnmapped);
    CHECK(run.layers_done == 0);
}

TEST_CASE("a tensor outside memory fails with DATA_BUS at its address") {
    const soc::RunResult& run = r.data_unmapped;
    CHECK_FALSE(run.completed);
    CHECK((run.status & SPARK_STATUS_ERROR) != 0);
    CHECK(run.error == SPARK_ERR_DATA_BUS);
    CHECK(run.error_address >= kUnmapped);
    CHECK(run.error_address < kUnmapped + 0x10000);
    CHECK(run.layers_done == 0);
    CHECK(r.router_address_errors >= 3);
}

TEST_CASE("a descriptor that fails validation fails with DESC_INVALID") {
    const soc::RunResult& run = r.descriptor_corrupt;
    CHECK_FALSE(run.completed);
    CHECK(run.error == SPARK_ERR_DESC_INVALID);
}

TEST_CASE("START while busy is refused without an interrupt and the running job completes") {
    CHECK((r.status_after_busy_start & SPARK_STATUS_BUSY) != 0);
    CHECK((r.status_after_busy_start & SPARK_STATUS_REFUSED) != 0);
    CHECK(r.error_after_busy_start == SPARK_ERR_BUSY);
    CHECK_FALSE(r.irq_after_busy_start);
    CHECK(r.count_before_busy_write > 1);
    CHECK(r.count_after_busy_write == r.count_before_busy_write);
    CHECK(r.busy_run.completed);
    CHECK(r.busy_check.ok());
}

TEST_CASE("START with no descriptors is refused with BAD_COMMAND") {
    CHECK((r.status_after_zero_count & SPARK_STATUS_REFUSED) != 0);
    CHECK((r.status_after_zero_count & SPARK_STATUS_BUSY) == 0);
    CHECK(r.error_after_zero_count == SPARK_ERR_BAD_COMMAND);
}

TEST_CASE("a correct run after every error still matches the reference") {
    CHECK(r.recovered.completed);
    CHECK(r.recovered.error == SPARK_ERR_NONE);
    CHECK(r.recovered_check.ok());
}
