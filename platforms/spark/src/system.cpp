// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/system.h"

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/layout.h"
#include "spark/codec/chunked.h"
#include "spark/common/error.h"
#include "spark/controller/spark_accel_regs.h"

namespace spark::platform {

using namespace sc_core;

namespace {

dram::DramStats minus(const dram::DramStats& a, const dram::DramStats& b) {
    dram::DramStats d;
    const auto& x = a.counters;
    const auto& y = b.counters;
    d.counters.activates = x.activates - y.activates;
    d.counters.precharges = x.precharges - y.precharges;
    d.counters.reads = x.reads - y.reads;
    d.counters.writes = x.writes - y.writes;
    d.counters.refreshes = x.refreshes - y.refreshes;
    d.counters.row_hits = x.row_hits - y.row_hits;
    d.counters.row_misses = x.row_misses - y.row_misses;
    d.counters.row_conflicts = x.row_conflicts - y.row_conflicts;
    d.counters.bytes_read = x.bytes_read - y.bytes_read;
    d.counters.bytes_written = x.bytes_written - y.bytes_written;
    d.energy.act_pj = a.energy.act_pj - b.energy.act_pj;
    d.energy.pre_pj = a.energy.pre_pj - b.energy.pre_pj;
    d.energy.read_pj = a.energy.read_pj - b.energy.read_pj;
    d.energy.write_pj = a.energy.write_pj - b.energy.write_pj;
    d.energy.refresh_pj = a.energy.refresh_pj - b.energy.refresh_pj;
    d.energy.active_background_pj = a.energy.active_background_pj - b.energy.active_background_pj;
    d.energy.precharged_background_pj = a.energy.precharged_background_pj - b.energy.precharged_background_pj;
    d.sim_cycles = a.sim_cycles - b.sim_cycles;
    return d;
}

}  // namespace

SparkSystem::SparkSystem(sc_module_name name, const ArchConfig& arch, const Program& program)
    : sc_module(name),
      m_arch(arch),
      m_program(program),
      m_dram("dram", arch.dram),
      m_accelerator("accelerator", arch.accelerator),
      m_csr("csr"),
      m_irq("irq") {
    if (program.end_address > m_dram.size_bytes())
        throw Error(fmt::format("{}: the program needs {} bytes, the DRAM has {}", this->name(), program.end_address,
                                m_dram.size_bytes()));
    m_accelerator.memory.bind(m_dram.socket);
    m_csr.bind(m_accelerator.csr);
    m_accelerator.irq.bind(m_irq);
    m_accelerator.sequencer().on_layer_done = [this](const accelerator::LayerRecord& r) {
        const dram::DramStats now = m_dram.stats();
        m_result.layers.push_back({r, minus(now, m_last_dram)});
        m_last_dram = now;
        if (on_progress) on_progress(m_result.layers.size());
    };
    // Loading is the driver's business before the run; it goes straight into the backing store, untimed, here
    // at elaboration so that the caller may drop the program's image once the system is built.
    for (const MemoryWrite& w : program.image)
        for (std::uint64_t off = 0; off < w.bytes.size(); off += 1u << 20) {
            const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(1u << 20, w.bytes.size() - off));
            m_dram.store().write(w.address + off, w.bytes.data() + off, n);
        }
    SC_THREAD(host);
}

void SparkSystem::host() {
    m_last_dram = m_dram.stats();

    auto access = [this](tlm::tlm_command cmd, std::uint32_t offset, std::uint32_t value) {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(offset);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = SC_ZERO_TIME;
        m_csr->b_transport(t, delay);
        wait(delay);
        if (t.is_response_error())
            throw Error(fmt::format("{}: CSR access at 0x{:X} failed: {}", name(), offset, t.get_response_string()));
        return value;
    };
    auto write = [&](std::uint32_t offset, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, offset, v); };
    auto read = [&](std::uint32_t offset) { return access(tlm::TLM_READ_COMMAND, offset, 0); };
    auto read64 = [&](std::uint32_t lo) {
        const std::uint64_t low = read(lo);
        return low | (std::uint64_t{read(lo + 4)} << 32);
    };

    if (read(SPARK_REG_ID) != SPARK_ID_VALUE) throw Error(fmt::format("{}: accelerator ID mismatch", name()));
    write(SPARK_REG_IRQ_ENABLE, 1);
    write(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(m_program.descriptor_address));
    write(SPARK_REG_DESC_ADDR_HI, static_cast<std::uint32_t>(m_program.descriptor_address >> 32));
    write(SPARK_REG_DESC_COUNT, m_program.descriptor_count);
    const sc_time started = sc_time_stamp();
    write(SPARK_REG_CTRL, SPARK_CTRL_START);
    if (!m_irq.read()) wait(m_irq.posedge_event());
    m_result.elapsed = sc_time_stamp() - started;
    const std::uint32_t status = read(SPARK_REG_STATUS);
    write(SPARK_REG_IRQ_STATUS, 1);
    m_result.ok = (status & SPARK_STATUS_DONE) != 0;
    m_result.error = read(SPARK_REG_ERROR);
    m_result.error_address = read64(SPARK_REG_ERROR_ADDR_LO);
    m_result.cycles = read64(SPARK_REG_CYCLES_LO);
    m_result.macs = read64(SPARK_REG_MACS_LO);
    m_result.dram_bytes_read = read64(SPARK_REG_DRAM_RD_LO);
    m_result.dram_bytes_written = read64(SPARK_REG_DRAM_WR_LO);
    m_result.dram_total = m_dram.stats();
    m_finished = true;
}

std::vector<std::uint8_t> SparkSystem::read_tensor(const accelerator::TensorDesc& t) {
    const std::uint64_t per = t.chunk_values();
    std::vector<std::uint8_t> chunked(t.elements());
    auto load = [this](std::uint64_t address, std::uint64_t length) {
        std::vector<std::uint8_t> bytes(length);
        for (std::uint64_t off = 0; off < length; off += 1u << 20) {
            const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(1u << 20, length - off));
            m_dram.store().read(address + off, bytes.data() + off, n);
        }
        return bytes;
    };
    if (!m_program.spark_storage) {
        const std::uint64_t chunk_bytes = codec::raw_chunk_bytes(per, t.raw_bits);
        const std::vector<std::uint8_t> data = load(t.data_address, t.chunks() * chunk_bytes);
        const codec::Mode mode = t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
        try {
            for (std::uint64_t c = 0; c < t.chunks(); ++c)
                codec::unpack_raw(data.data() + c * chunk_bytes, per, mode, t.raw_bits, chunked.data() + c * per);
        } catch (const Error& e) {
            throw Error(fmt::format("{}: the tensor at 0x{:X}: {}", name(), t.data_address, e.what()));
        }
    } else {
        namespace table = accelerator::chunk_table;
        const std::vector<std::uint8_t> entries = load(t.table_address, table::bytes(t.chunks()));
        const std::uint64_t data_bytes = table::data_bytes(entries.data(), t.chunks());
        if (data_bytes > t.chunks() * per)
            throw Error(fmt::format("{}: the chunk table of the tensor at 0x{:X} claims {} bytes for {} values", name(),
                                    t.data_address, data_bytes, t.elements()));
        const std::vector<std::uint8_t> data = load(t.data_address, data_bytes);
        try {
            chunked = table::decode_all(entries.data(), t.chunks(), per,
                                        t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8, data.data(),
                                        data.size());
        } catch (const Error& e) {
            throw Error(fmt::format("{}: the tensor at 0x{:X}: {}", name(), t.data_address, e.what()));
        }
    }
    return accelerator::chunks_to_row_major(t, chunked);
}

std::vector<std::string> check_outputs(SparkSystem& system, const workload::Network& network, const Program& program,
                                       const TensorData& golden) {
    std::vector<std::string> problems;
    for (const ProgramLayer& pl : program.layers) {
        if (!pl.on_accelerator) continue;
        const std::string& name = pl.layer->output.name;
        const std::vector<std::uint8_t> got = system.read_tensor(program.tensors.at(name));
        const std::vector<std::uint8_t>& want = golden.at(name);
        std::size_t bad = 0, first = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            if (got[i] != want[i] && bad++ == 0) first = i;
        if (bad)
            problems.push_back(fmt::format("{}: layer '{}': {} of {} output values differ from the golden reference "
                                           "(first at element {}: {} instead of {})",
                                           network.source, name, bad, got.size(), first, got[first], want[first]));
    }
    return problems;
}

}  // namespace spark::platform
