// SPDX-License-Identifier: Apache-2.0
#include "spark/soc/driver.h"

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/layout.h"
#include "spark/codec/chunked.h"
#include "spark/common/error.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/workload/network.h"

namespace spark::soc {

namespace {

const char* status_name(tlm::tlm_response_status s) {
    switch (s) {
        case tlm::TLM_OK_RESPONSE: return "OK";
        case tlm::TLM_INCOMPLETE_RESPONSE: return "INCOMPLETE";
        case tlm::TLM_GENERIC_ERROR_RESPONSE: return "GENERIC_ERROR";
        case tlm::TLM_ADDRESS_ERROR_RESPONSE: return "ADDRESS_ERROR";
        case tlm::TLM_COMMAND_ERROR_RESPONSE: return "COMMAND_ERROR";
        case tlm::TLM_BURST_ERROR_RESPONSE: return "BURST_ERROR";
        case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE: return "BYTE_ENABLE_ERROR";
    }
    return "?";
}

}  // namespace

SparkDriver::SparkDriver(Cpu& cpu, std::uint64_t csr_base, unsigned irq_line)
    : m_cpu(cpu), m_base(csr_base), m_irq_line(irq_line) {}

std::uint32_t SparkDriver::read_reg(std::uint32_t offset) {
    std::uint32_t value = 0;
    const auto status = m_cpu.read32(m_base + offset, value);
    if (status != tlm::TLM_OK_RESPONSE)
        throw Error(fmt::format("CSR read at 0x{:X}: {} response", m_base + offset, status_name(status)));
    return value;
}

tlm::tlm_response_status SparkDriver::try_write_reg(std::uint32_t offset, std::uint32_t value) {
    return m_cpu.write32(m_base + offset, value);
}

void SparkDriver::write_reg(std::uint32_t offset, std::uint32_t value) {
    const auto status = try_write_reg(offset, value);
    if (status != tlm::TLM_OK_RESPONSE)
        throw Error(fmt::format("CSR write of 0x{:X} at 0x{:X}: {} response", value, m_base + offset,
                                status_name(status)));
}

std::uint64_t SparkDriver::read_counter(std::uint32_t low_offset) {
    const std::uint64_t low = read_reg(low_offset);
    return low | std::uint64_t{read_reg(low_offset + 4)} << 32;
}

void SparkDriver::load(const platform::Program& program) {
    for (const platform::MemoryWrite& w : program.image) {
        const BusResult r = m_cpu.write(w.address, w.bytes.data(), w.bytes.size());
        if (!r.ok())
            throw Error(fmt::format("loading the program: write at 0x{:X} got {} response", r.address,
                                    status_name(r.status)));
    }
}

void SparkDriver::start(const platform::Program& program) {
    start(program.descriptor_address, program.descriptor_count);
}

void SparkDriver::start(std::uint64_t descriptor_address, std::uint32_t descriptor_count) {
    write_reg(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(descriptor_address));
    write_reg(SPARK_REG_DESC_ADDR_HI, static_cast<std::uint32_t>(descriptor_address >> 32));
    write_reg(SPARK_REG_DESC_COUNT, descriptor_count);
    write_reg(SPARK_REG_IRQ_ENABLE, 1);
    write_reg(SPARK_REG_CTRL, SPARK_CTRL_START);
}

void SparkDriver::wait_done() {
    m_cpu.wait_irq(m_irq_line);
    write_reg(SPARK_REG_IRQ_STATUS, 1);
}

RunResult SparkDriver::finish(const platform::Program& program) {
    RunResult r;
    r.status = read_reg(SPARK_REG_STATUS);
    r.error = read_reg(SPARK_REG_ERROR);
    r.error_address = read_reg(SPARK_REG_ERROR_ADDR_LO) | std::uint64_t{read_reg(SPARK_REG_ERROR_ADDR_HI)} << 32;
    r.layers_done = read_reg(SPARK_REG_LAYERS_DONE);
    r.counters.cycles = read_counter(SPARK_REG_CYCLES_LO);
    r.counters.macs = read_counter(SPARK_REG_MACS_LO);
    r.counters.dram_bytes_read = read_counter(SPARK_REG_DRAM_RD_LO);
    r.counters.dram_bytes_written = read_counter(SPARK_REG_DRAM_WR_LO);
    r.counters.stall_cycles = read_counter(SPARK_REG_STALL_LO);
    r.completed = (r.status & SPARK_STATUS_DONE) != 0 && (r.status & SPARK_STATUS_BUSY) == 0;
    if (!r.completed) return r;
    for (const platform::ProgramLayer& pl : program.layers) {
        if (!pl.on_accelerator) continue;
        const std::string& name = pl.layer->output.name;
        r.outputs[name] = read_tensor(program.tensors.at(name), program.spark_storage);
    }
    return r;
}

std::vector<std::uint8_t> SparkDriver::read_tensor(const accelerator::TensorDesc& t, bool spark_storage) {
    const std::uint64_t chunks = t.chunks(), per_chunk = t.chunk_values();
    std::vector<std::uint8_t> values(chunks * per_chunk);
    auto read = [&](std::uint64_t address, std::vector<std::uint8_t>& bytes) {
        const BusResult r = m_cpu.read(address, bytes.data(), bytes.size());
        if (!r.ok())
            throw Error(fmt::format("reading a tensor: read at 0x{:X} got {} response", r.address,
                                    status_name(r.status)));
    };
    if (!spark_storage) {
        read(t.data_address, values);
        return accelerator::chunks_to_row_major(t, values);
    }
    namespace table = accelerator::chunk_table;
    std::vector<std::uint8_t> entries(table::bytes(chunks));
    read(t.table_address, entries);
    const std::uint64_t total = table::data_bytes(entries.data(), chunks);
    if (total > chunks * per_chunk)
        throw Error(fmt::format("tensor at 0x{:X}: chunk table claims {} bytes for {} values", t.data_address, total,
                                chunks * per_chunk));
    std::vector<std::uint8_t> data(total);
    read(t.data_address, data);
    try {
        values = table::decode_all(entries.data(), chunks, per_chunk,
                                   t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8, data.data(),
                                   data.size());
    } catch (const Error& e) {
        throw Error(fmt::format("tensor at 0x{:X}: {}", t.data_address, e.what()));
    }
    return accelerator::chunks_to_row_major(t, values);
}

std::vector<RunResult> run_jobs(Cpu& cpu, const std::vector<Job>& jobs) {
    std::vector<SparkDriver> drivers;
    for (const Job& j : jobs) drivers.emplace_back(cpu, j.csr_base, j.irq_line);
    for (std::size_t i = 0; i < jobs.size(); ++i) drivers[i].load(*jobs[i].program);
    for (std::size_t i = 0; i < jobs.size(); ++i) drivers[i].start(*jobs[i].program);
    std::vector<RunResult> results;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        drivers[i].wait_done();
        results.push_back(drivers[i].finish(*jobs[i].program));
    }
    return results;
}

CheckResult check_outputs(const platform::Program& program, const platform::TensorData& golden,
                          const platform::TensorData& outputs) {
    CheckResult check;
    for (const platform::ProgramLayer& pl : program.layers) {
        if (!pl.on_accelerator) continue;
        const std::string& name = pl.layer->output.name;
        const auto want = golden.find(name);
        const auto got = outputs.find(name);
        if (want == golden.end() || got == outputs.end()) {
            check.mismatches.push_back(fmt::format("{}: {} missing", name, want == golden.end() ? "reference" : "output"));
            continue;
        }
        ++check.tensors_checked;
        check.values_checked += want->second.size();
        if (want->second.size() != got->second.size()) {
            check.mismatches.push_back(
                fmt::format("{}: {} values, the reference has {}", name, got->second.size(), want->second.size()));
            continue;
        }
        std::size_t differ = 0, first = 0;
        for (std::size_t i = want->second.size(); i-- > 0;)
            if (want->second[i] != got->second[i]) {
                ++differ;
                first = i;
            }
        if (differ > 0)
            check.mismatches.push_back(fmt::format("{}: {} of {} values differ, first at {} (0x{:02X}, expected 0x{:02X})",
                                                   name, differ, want->second.size(), first, got->second[first],
                                                   want->second[first]));
    }
    return check;
}

}  // namespace spark::soc
