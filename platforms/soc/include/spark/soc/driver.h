// SPDX-License-Identifier: Apache-2.0
// The driver sequence for one SPARK accelerator, as software on the CPU stand-in runs it (docs/soc-integration.md):
//   load(program)   write the program image (descriptors, weights, inputs) into memory through the bus;
//   start(program)  DESC_ADDR, DESC_COUNT, IRQ_ENABLE, then CTRL = START;
//   wait_done()     wait for the interrupt, then clear it (IRQ_STATUS is write-1-to-clear);
//   finish(program) STATUS, ERROR, LAYERS_DONE, the performance counters, and every output tensor read back.
// Register offsets are relative to the CSR base the driver is given, so several accelerators can be driven side by
// side by several SparkDriver objects on one CPU.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "spark/accelerator/descriptor.h"
#include "spark/controller/register_bank.h"
#include "spark/platform/program.h"
#include "spark/soc/cpu.h"

namespace spark::soc {

struct RunResult {
    bool completed = false;          // STATUS.DONE after the interrupt
    std::uint32_t status = 0;        // SPARK_STATUS_* bits
    std::uint32_t error = 0;         // SPARK_ERR_*
    std::uint64_t error_address = 0;
    std::uint32_t layers_done = 0;
    controller::PerfCounters counters;
    platform::TensorData outputs;    // row-major codes of each accelerator layer's output (when completed)
};

// How the outputs compare with the reference.
struct CheckResult {
    std::size_t tensors_checked = 0;
    std::size_t values_checked = 0;
    std::vector<std::string> mismatches;  // one line per differing tensor
    bool ok() const { return mismatches.empty() && tensors_checked > 0; }
};

class SparkDriver {
public:
    SparkDriver(Cpu& cpu, std::uint64_t csr_base, unsigned irq_line);

    // Throws spark::Error naming the address when a write gets an error response.
    void load(const platform::Program& program);
    void start(const platform::Program& program);
    void start(std::uint64_t descriptor_address, std::uint32_t descriptor_count);
    void wait_done();
    RunResult finish(const platform::Program& program);

    // One register access; throws spark::Error on an error response.
    std::uint32_t read_reg(std::uint32_t offset);
    void write_reg(std::uint32_t offset, std::uint32_t value);
    // The raw access, for tests of refused accesses.
    tlm::tlm_response_status try_write_reg(std::uint32_t offset, std::uint32_t value);
    std::uint64_t read_counter(std::uint32_t low_offset);  // low word first: it latches the high word

    // A tensor read back from memory and decoded to row-major codes; throws spark::Error when it does not decode.
    std::vector<std::uint8_t> read_tensor(const accelerator::TensorDesc& t, bool spark_storage);

    std::uint64_t csr_base() const { return m_base; }

private:
    Cpu& m_cpu;
    std::uint64_t m_base;
    unsigned m_irq_line;
};

// One accelerator's share of a run: its registers, its interrupt line and the program it runs.
struct Job {
    std::uint64_t csr_base = 0;
    unsigned irq_line = 0;
    const platform::Program* program = nullptr;
};

// The whole sequence for several accelerators at once, from the CPU's thread: load every image, start every
// accelerator, then wait for each interrupt in turn and read each back. The accelerators run concurrently.
std::vector<RunResult> run_jobs(Cpu& cpu, const std::vector<Job>& jobs);

// Compares every accelerator-computed tensor in `outputs` with `golden` (platform::golden_tensors).
CheckResult check_outputs(const platform::Program& program, const platform::TensorData& golden,
                          const platform::TensorData& outputs);

}  // namespace spark::soc
