// SPDX-License-Identifier: Apache-2.0
// The accelerator's control and status registers as plain C++: what a CSR access does, independent of how it
// arrives (TLM socket, debug transport, a unit test). Offsets and bits: spark/controller/spark_accel_regs.h.
#pragma once

#include <cstdint>
#include <functional>

namespace spark::controller {

enum class AccessStatus { ok, undefined_register, read_only, misaligned };

// Counters the datapath keeps; the bank exposes them as 64-bit register pairs.
struct PerfCounters {
    std::uint64_t cycles = 0;
    std::uint64_t macs = 0;
    std::uint64_t dram_bytes_read = 0;
    std::uint64_t dram_bytes_written = 0;
    std::uint64_t stall_cycles = 0;
};

class RegisterBank {
public:
    // Called on a write of SPARK_CTRL_START while idle with a valid DESC_COUNT.
    std::function<void()> on_start;
    std::function<void()> on_abort;
    // Called on a write of SPARK_CTRL_RESET, after the registers took their power-on values.
    std::function<void()> on_reset;
    // Called whenever the interrupt line's level may have changed.
    std::function<void(bool)> on_irq;

    AccessStatus read(std::uint32_t offset, std::uint32_t& value);
    AccessStatus write(std::uint32_t offset, std::uint32_t value);
    // Reads without side effects (debug transport): the counter high-word latch is not touched.
    AccessStatus peek(std::uint32_t offset, std::uint32_t& value) const;

    // Datapath side.
    std::uint64_t descriptor_address() const { return m_desc_addr; }
    std::uint32_t descriptor_count() const { return m_desc_count; }
    bool busy() const { return m_busy; }
    void layer_done(std::uint32_t layers_done);  // LAYERS_DONE = layers_done, SPARK_IRQ_LAYER pending
    PerfCounters& counters() { return m_counters; }
    void complete();                                       // run finished without error
    void fail(std::uint32_t error, std::uint64_t address);  // the run failed
    bool irq_level() const { return (m_irq_status & m_irq_enable) != 0; }
    // Every register to its power-on value (the callbacks stay).
    void reset();
    std::uint32_t error_code() const { return m_error; }

private:
    AccessStatus read_impl(std::uint32_t offset, std::uint32_t& value, bool side_effects);
    void raise();
    void refuse(std::uint32_t error);
    // DESC_* may change only while idle: the sequencer walks the list the driver gave at START.
    bool refuse_while_busy();

    std::uint64_t m_desc_addr = 0;
    std::uint32_t m_desc_count = 0;
    std::uint32_t m_layers_done = 0;
    std::uint32_t m_irq_enable = 0;
    std::uint32_t m_irq_status = 0;
    std::uint32_t m_error = 0;
    std::uint64_t m_error_addr = 0;
    bool m_busy = false;
    bool m_done = false;
    bool m_failed = false;
    bool m_refused = false;
    PerfCounters m_counters;
    std::uint32_t m_latched_high = 0;
};

}  // namespace spark::controller
