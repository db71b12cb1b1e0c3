// SPDX-License-Identifier: Apache-2.0
// The accelerator's own sockets on the platform: the smoke network runs with a protocol checker between the
// SparkAccelerator's DMA initiator (memory) and the DRAM, with the memory-data rule on, and another between the
// host and the CSR target. SPARK and the INT8 baseline both run; an unchecked SparkSystem runs beside them, and
// the checked SPARK run must match it cycle for cycle (the checker adds no time and changes nothing).
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/controller/spark_accel_regs.h"
#include "spark/platform/arch.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/platform/system.h"
#include "spark/protocol_checker/protocol_checker.h"

using namespace spark;
using protocol_checker::ProtocolChecker;

namespace {

struct Outcome {
    bool finished = false;
    std::uint32_t status = 0, error = 0;
    std::uint64_t cycles = 0, macs = 0, bytes_read = 0, bytes_written = 0;
};

// DRAM, accelerator and host as SparkSystem wires them, with a checker on each of the accelerator's sockets.
struct CheckedSystem : sc_core::sc_module {
    const platform::Program& program;
    dram::Dram dram;
    accelerator::SparkAccelerator accel;
    ProtocolChecker memory_checker{"memory_checker"};
    ProtocolChecker csr_checker{"csr_checker"};
    tlm_utils::simple_initiator_socket<CheckedSystem> csr{"csr"};
    sc_core::sc_signal<bool> irq{"irq"};
    Outcome outcome;

    SC_HAS_PROCESS(CheckedSystem);
    CheckedSystem(const sc_core::sc_module_name& n, const platform::ArchConfig& arch, const platform::Program& p)
        : sc_core::sc_module(n), program(p), dram("dram", arch.dram), accel("accelerator", arch.accelerator) {
        accel.memory.bind(memory_checker.target_socket);
        memory_checker.initiator_socket.bind(dram.socket);
        memory_checker.check_memory_data(true);
        csr.bind(csr_checker.target_socket);
        csr_checker.initiator_socket.bind(accel.csr);
        accel.irq.bind(irq);
        SC_THREAD(host);
    }

    std::uint32_t access(tlm::tlm_command cmd, std::uint32_t offset, std::uint32_t value) {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(offset);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        csr->b_transport(t, delay);
        wait(delay);
        if (t.is_response_error()) SC_REPORT_ERROR(name(), fmt::format("CSR 0x{:X} failed", offset).c_str());
        return value;
    }

    void host() {
        for (const platform::MemoryWrite& w : program.image)
            dram.store().write(w.address, w.bytes.data(), static_cast<std::uint32_t>(w.bytes.size()));
        auto write = [&](std::uint32_t offset, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, offset, v); };
        auto read = [&](std::uint32_t offset) { return access(tlm::TLM_READ_COMMAND, offset, 0); };
        auto read64 = [&](std::uint32_t lo) { return read(lo) | (std::uint64_t{read(lo + 4)} << 32); };
        // The same register sequence as SparkSystem's host, so both runs start the accelerator at the same time.
        if (read(SPARK_REG_ID) != SPARK_ID_VALUE) SC_REPORT_ERROR(name(), "accelerator ID mismatch");
        write(SPARK_REG_IRQ_ENABLE, 1);
        write(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(program.descriptor_address));
        write(SPARK_REG_DESC_ADDR_HI, static_cast<std::uint32_t>(program.descriptor_address >> 32));
        write(SPARK_REG_DESC_COUNT, program.descriptor_count);
        write(SPARK_REG_CTRL, SPARK_CTRL_START);
        if (!irq.read()) wait(irq.posedge_event());
        outcome.status = read(SPARK_REG_STATUS);
        write(SPARK_REG_IRQ_STATUS, 1);
        outcome.error = read(SPARK_REG_ERROR);
        outcome.cycles = read64(SPARK_REG_CYCLES_LO);
        outcome.macs = read64(SPARK_REG_MACS_LO);
        outcome.bytes_read = read64(SPARK_REG_DRAM_RD_LO);
        outcome.bytes_written = read64(SPARK_REG_DRAM_WR_LO);
        outcome.finished = true;
    }
};

struct Run {
    std::string name;
    platform::ArchConfig arch;
    std::unique_ptr<platform::Program> program;
    std::unique_ptr<CheckedSystem> checked;
};

std::vector<Run> runs;
std::unique_ptr<platform::Program> reference_program;
std::unique_ptr<platform::SparkSystem> reference;

}  // namespace

int sc_main(int argc, char** argv) {
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_DISPLAY);
    const workload::Network network = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::ArchConfig spark_arch = platform::ArchConfig::spark_default();
    runs.resize(2);
    runs[0].name = "spark";
    runs[0].arch = spark_arch;
    runs[1].name = "baseline";
    runs[1].arch = spark_arch.baseline();
    for (Run& r : runs) {
        r.program = std::make_unique<platform::Program>(
            platform::build_program(network, data, r.arch.spark_storage, 0x1000, r.arch.dram.size_bytes() - 0x1000));
        r.checked = std::make_unique<CheckedSystem>(("checked_" + r.name).c_str(), r.arch, *r.program);
    }
    reference_program = std::make_unique<platform::Program>(
        platform::build_program(network, data, true, 0x1000, spark_arch.dram.size_bytes() - 0x1000));
    reference = std::make_unique<platform::SparkSystem>("reference", spark_arch, *reference_program);
    sc_core::sc_start();
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("the smoke network runs cleanly through checkers on the DMA and CSR sockets", "[conformance]") {
    for (const Run& r : runs) {
        INFO(r.name);
        const CheckedSystem& s = *r.checked;
        REQUIRE(s.outcome.finished);
        CHECK((s.outcome.status & SPARK_STATUS_DONE) != 0);
        CHECK(s.outcome.error == 0);
        CHECK(s.memory_checker.violations() == 0);
        CHECK(s.csr_checker.violations() == 0);
        CHECK(s.memory_checker.in_flight() == 0);
        // Every DMA burst went through the checker and had its data checked against the DRAM.
        CHECK(s.memory_checker.transactions_checked() > 100);
        CHECK(s.memory_checker.data_checks() == s.memory_checker.transactions_checked());
        CHECK(s.csr_checker.transactions_checked() >= 10);
    }
}

TEST_CASE("the checker changes nothing: the checked SPARK run matches an unchecked one", "[conformance]") {
    REQUIRE(reference->finished());
    const Outcome& o = runs[0].checked->outcome;
    const platform::SystemResult& ref = reference->result();
    CHECK(o.cycles == ref.cycles);
    CHECK(o.macs == ref.macs);
    CHECK(o.bytes_read == ref.dram_bytes_read);
    CHECK(o.bytes_written == ref.dram_bytes_written);
}
