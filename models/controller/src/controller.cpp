// SPDX-License-Identifier: Apache-2.0
#include "spark/controller/controller.h"

#include <cstring>

#include <fmt/format.h>

#include "spark/controller/spark_accel_regs.h"

namespace spark::controller {

using namespace sc_core;

Controller::Controller(sc_module_name name, dma::DmaEngine& dma, LayerExecutor& executor, sc_time clock_period,
                       sc_time csr_access_delay)
    : sc_module(name),
      csr("csr"),
      irq("irq"),
      reset("reset"),
      m_dma(dma),
      m_executor(executor),
      m_clock_period(clock_period),
      m_csr_delay(csr_access_delay) {
    csr.register_b_transport(this, &Controller::b_transport);
    csr.register_transport_dbg(this, &Controller::transport_dbg);
    m_registers.on_start = [this] {
        m_abort_requested = false;
        m_start_pending = true;
        m_start_at = sc_time_stamp() + m_write_delay;
        m_start.notify(m_write_delay);
    };
    m_registers.on_abort = [this] {
        m_abort_requested = true;
        m_abort_at = sc_time_stamp() + m_write_delay;
    };
    m_registers.on_reset = [this] { soft_reset(); };
    m_registers.on_irq = [this](bool) { m_irq_changed.notify(m_write_delay); };
    SC_HAS_PROCESS(Controller);
    SC_THREAD(sequencer);
    SC_METHOD(drive_irq);
    sensitive << m_irq_changed;
    // Runs once at the start too, so a reset held high from time zero is seen.
    SC_METHOD(reset_pin);
    sensitive << reset;
}

void Controller::drive_irq() {
    irq.write(m_registers.irq_level());
}

void Controller::reset_pin() {
    if (!reset.bound()) return;
    m_in_reset = reset.read();
    if (m_in_reset) soft_reset();
}

void Controller::soft_reset() {
    m_registers.reset();
    ++m_generation;
    m_start_pending = false;
    m_abort_requested = false;
    if (m_running) m_dma.cancel();
    m_irq_changed.notify(SC_ZERO_TIME);
}

void Controller::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    delay += m_csr_delay;
    if (m_in_reset && !trans.is_read()) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    // What the access sets in motion happens at its annotated time; the datapath's own events at once.
    struct WriteTime {
        sc_time& at;
        ~WriteTime() { at = SC_ZERO_TIME; }
    } write_time{m_write_delay};
    m_write_delay = delay;
    if (trans.get_data_length() != 4 || trans.get_streaming_width() != 4) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_byte_enable_ptr() != nullptr) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (trans.get_address() >= SPARK_REG_MAP_SIZE) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const auto offset = static_cast<std::uint32_t>(trans.get_address());
    std::uint32_t value = 0;
    AccessStatus status = AccessStatus::ok;
    if (trans.is_read()) {
        status = m_registers.read(offset, value);
        if (status == AccessStatus::ok) std::memcpy(trans.get_data_ptr(), &value, 4);
    } else if (trans.is_write()) {
        std::memcpy(&value, trans.get_data_ptr(), 4);
        status = m_registers.write(offset, value);
    } else {
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    switch (status) {
        case AccessStatus::ok: trans.set_response_status(tlm::TLM_OK_RESPONSE); break;
        case AccessStatus::read_only: trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE); break;
        case AccessStatus::misaligned:
        case AccessStatus::undefined_register: trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE); break;
    }
    if (status != AccessStatus::ok)
        SC_REPORT_WARNING(name(), fmt::format("CSR {} at offset 0x{:03X} refused", trans.is_read() ? "read" : "write",
                                              offset)
                                      .c_str());
}

unsigned int Controller::transport_dbg(tlm::tlm_generic_payload& trans) {
    // Debug reads see register values without side effects; debug writes are not supported.
    if (!trans.is_read() || trans.get_address() >= SPARK_REG_MAP_SIZE) return 0;
    unsigned int copied = 0;
    for (std::uint64_t a = trans.get_address(); copied < trans.get_data_length() && a < SPARK_REG_MAP_SIZE; a += 4) {
        std::uint32_t value = 0;
        if (m_registers.peek(static_cast<std::uint32_t>(a & ~3ull), value) != AccessStatus::ok) value = 0;
        const unsigned n = std::min<unsigned>(4, trans.get_data_length() - copied);
        std::memcpy(trans.get_data_ptr() + copied, &value, n);
        copied += n;
    }
    return copied;
}

void Controller::sequencer() {
    for (;;) {
        // START takes effect at the write's annotated time (a reset in between withdraws it).
        while (!m_start_pending || m_start_at > sc_time_stamp()) {
            if (!m_start_pending) wait(m_start);
            else wait(m_start_at - sc_time_stamp());
        }
        m_start_pending = false;
        m_running = true;
        run(m_generation);
        m_running = false;
        m_dma.clear_cancel();
    }
}

void Controller::run(std::uint64_t generation) {
    const sc_time started = sc_time_stamp();
    // The DMA's statistics count since elaboration; the byte counters count since this start.
    const dma::DmaStats at_start = m_dma.stats();
    const auto reset_since = [&] { return generation != m_generation; };
    sc_time local = SC_ZERO_TIME;
    const std::uint32_t desc_bytes = m_executor.descriptor_bytes();
    std::vector<std::uint8_t> descriptor(desc_bytes);
    const std::uint32_t count = m_registers.descriptor_count();
    const std::uint64_t first = m_registers.descriptor_address();
    for (std::uint32_t i = 0; i < count; ++i) {
        if (m_abort_requested && m_abort_at <= sc_time_stamp()) {
            m_registers.fail(SPARK_ERR_ABORTED, 0);
            return;
        }
        const std::uint64_t offset = std::uint64_t{i} * desc_bytes;
        if (offset > ~std::uint64_t{0} - first) {  // the list wraps past the top of the address space
            m_registers.fail(SPARK_ERR_DESC_BUS, first);
            return;
        }
        const std::uint64_t addr = first + offset;
        const dma::DmaResult fetched = m_dma.read(addr, descriptor.data(), desc_bytes, local);
        if (reset_since()) return;
        if (!fetched.ok) {
            SC_REPORT_WARNING(name(), fmt::format("descriptor {} at 0x{:X}: bus error at 0x{:X}", i, addr,
                                                  fetched.fault_address)
                                          .c_str());
            m_registers.fail(SPARK_ERR_DESC_BUS, fetched.fault_address);
            return;
        }
        const LayerOutcome outcome = m_executor.run_layer(descriptor, addr, m_dma, local);
        if (reset_since()) return;
        PerfCounters& c = m_registers.counters();
        c.macs += outcome.macs;
        c.stall_cycles += outcome.stall_cycles;
        c.dram_bytes_read = m_dma.stats().bytes_read - at_start.bytes_read;
        c.dram_bytes_written = m_dma.stats().bytes_written - at_start.bytes_written;
        // Layers run back to back: sync at each boundary so CSR reads in between see progress.
        wait(local);
        local = SC_ZERO_TIME;
        if (reset_since()) return;
        c.cycles = static_cast<std::uint64_t>((sc_time_stamp() - started) / m_clock_period);
        if (!outcome.ok) {
            SC_REPORT_WARNING(name(), fmt::format("descriptor {} at 0x{:X}: {}", i, addr, outcome.message).c_str());
            m_registers.fail(outcome.error, outcome.error_address);
            return;
        }
        m_registers.layer_done(i + 1);
    }
    m_registers.complete();
}

}  // namespace spark::controller
