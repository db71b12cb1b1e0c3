// SPDX-License-Identifier: Apache-2.0
#include "spark/controller/register_bank.h"

#include "spark/common/version.h"
#include "spark/controller/spark_accel_regs.h"

namespace spark::controller {

namespace {

// The package's major.minor (CMakeLists.txt): 0.3 added the soft reset (CTRL.RESET).
constexpr std::uint32_t kVersion = SPARK_TLM_VERSION_REGISTER;
constexpr std::uint32_t kIrqBits = SPARK_IRQ_DONE | SPARK_IRQ_LAYER;

std::uint32_t low(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t high(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }

}  // namespace

AccessStatus RegisterBank::read(std::uint32_t offset, std::uint32_t& value) { return read_impl(offset, value, true); }

AccessStatus RegisterBank::peek(std::uint32_t offset, std::uint32_t& value) const {
    return const_cast<RegisterBank*>(this)->read_impl(offset, value, false);
}

AccessStatus RegisterBank::read_impl(std::uint32_t offset, std::uint32_t& value, bool side_effects) {
    if (offset % 4 != 0) return AccessStatus::misaligned;
    // A counter's low word returns the live value and latches the high word, so a driver reading low then high
    // gets a consistent 64-bit value while the counter runs.
    auto counter = [&](std::uint64_t v, bool is_high) {
        if (!is_high) {
            if (side_effects) m_latched_high = high(v);
            value = low(v);
        } else {
            value = side_effects ? m_latched_high : high(v);
        }
        return AccessStatus::ok;
    };
    switch (offset) {
        case SPARK_REG_ID: value = SPARK_ID_VALUE; return AccessStatus::ok;
        case SPARK_REG_VERSION: value = kVersion; return AccessStatus::ok;
        case SPARK_REG_CTRL: value = 0; return AccessStatus::ok;  // commands read as zero
        case SPARK_REG_STATUS:
            value = (m_busy ? SPARK_STATUS_BUSY : 0u) | (m_done ? SPARK_STATUS_DONE : 0u) |
                    (m_failed ? SPARK_STATUS_ERROR : 0u) | (m_refused ? SPARK_STATUS_REFUSED : 0u);
            return AccessStatus::ok;
        case SPARK_REG_IRQ_ENABLE: value = m_irq_enable; return AccessStatus::ok;
        case SPARK_REG_IRQ_STATUS: value = m_irq_status; return AccessStatus::ok;
        case SPARK_REG_ERROR: value = m_error; return AccessStatus::ok;
        case SPARK_REG_DESC_ADDR_LO: value = low(m_desc_addr); return AccessStatus::ok;
        case SPARK_REG_DESC_ADDR_HI: value = high(m_desc_addr); return AccessStatus::ok;
        case SPARK_REG_DESC_COUNT: value = m_desc_count; return AccessStatus::ok;
        case SPARK_REG_LAYERS_DONE: value = m_layers_done; return AccessStatus::ok;
        case SPARK_REG_ERROR_ADDR_LO: value = low(m_error_addr); return AccessStatus::ok;
        case SPARK_REG_ERROR_ADDR_HI: value = high(m_error_addr); return AccessStatus::ok;
        case SPARK_REG_CYCLES_LO: return counter(m_counters.cycles, false);
        case SPARK_REG_CYCLES_HI: return counter(m_counters.cycles, true);
        case SPARK_REG_MACS_LO: return counter(m_counters.macs, false);
        case SPARK_REG_MACS_HI: return counter(m_counters.macs, true);
        case SPARK_REG_DRAM_RD_LO: return counter(m_counters.dram_bytes_read, false);
        case SPARK_REG_DRAM_RD_HI: return counter(m_counters.dram_bytes_read, true);
        case SPARK_REG_DRAM_WR_LO: return counter(m_counters.dram_bytes_written, false);
        case SPARK_REG_DRAM_WR_HI: return counter(m_counters.dram_bytes_written, true);
        case SPARK_REG_STALL_LO: return counter(m_counters.stall_cycles, false);
        case SPARK_REG_STALL_HI: return counter(m_counters.stall_cycles, true);
        default: return AccessStatus::undefined_register;
    }
}

AccessStatus RegisterBank::write(std::uint32_t offset, std::uint32_t value) {
    if (offset % 4 != 0) return AccessStatus::misaligned;
    switch (offset) {
        case SPARK_REG_CTRL:
            if (value == SPARK_CTRL_START) {
                if (m_busy) {
                    refuse(SPARK_ERR_BUSY);
                    return AccessStatus::ok;
                }
                if (m_desc_count == 0) {
                    refuse(SPARK_ERR_BAD_COMMAND);
                    return AccessStatus::ok;
                }
                m_busy = true;
                m_done = false;
                m_failed = false;
                m_refused = false;
                m_error = SPARK_ERR_NONE;
                m_error_addr = 0;
                m_layers_done = 0;
                m_counters = PerfCounters{};
                if (on_start) on_start();
            } else if (value == SPARK_CTRL_RESET) {
                reset();
                if (on_reset) on_reset();
                raise();
            } else if (value == SPARK_CTRL_ABORT) {
                if (m_busy && on_abort) on_abort();
            } else {
                refuse(SPARK_ERR_BAD_COMMAND);
            }
            return AccessStatus::ok;
        case SPARK_REG_IRQ_ENABLE:
            m_irq_enable = value & kIrqBits;
            raise();
            return AccessStatus::ok;
        case SPARK_REG_IRQ_STATUS:
            m_irq_status &= ~value;
            raise();
            return AccessStatus::ok;
        case SPARK_REG_DESC_ADDR_LO:
            if (!refuse_while_busy()) m_desc_addr = (m_desc_addr & 0xFFFFFFFF00000000ull) | value;
            return AccessStatus::ok;
        case SPARK_REG_DESC_ADDR_HI:
            if (!refuse_while_busy()) m_desc_addr = (m_desc_addr & 0xFFFFFFFFull) | (std::uint64_t{value} << 32);
            return AccessStatus::ok;
        case SPARK_REG_DESC_COUNT:
            if (!refuse_while_busy()) m_desc_count = value;
            return AccessStatus::ok;
        default: {
            std::uint32_t ignored = 0;
            return peek(offset, ignored) == AccessStatus::ok ? AccessStatus::read_only
                                                             : AccessStatus::undefined_register;
        }
    }
}

void RegisterBank::layer_done(std::uint32_t layers_done) {
    m_layers_done = layers_done;
    m_irq_status |= SPARK_IRQ_LAYER;
    raise();
}

void RegisterBank::complete() {
    m_busy = false;
    m_done = true;
    m_irq_status |= SPARK_IRQ_DONE;
    raise();
}

void RegisterBank::refuse(std::uint32_t error) {
    // The running job, if any, goes on undisturbed: no interrupt, no change to BUSY or DONE.
    m_refused = true;
    m_error = error;
}

bool RegisterBank::refuse_while_busy() {
    if (m_busy) refuse(SPARK_ERR_BUSY);
    return m_busy;
}

void RegisterBank::fail(std::uint32_t error, std::uint64_t address) {
    m_busy = false;
    m_done = false;
    m_failed = true;
    m_error = error;
    m_error_addr = address;
    m_irq_status |= SPARK_IRQ_DONE;
    raise();
}

void RegisterBank::reset() {
    m_desc_addr = 0;
    m_desc_count = 0;
    m_layers_done = 0;
    m_irq_enable = 0;
    m_irq_status = 0;
    m_error = SPARK_ERR_NONE;
    m_error_addr = 0;
    m_busy = m_done = m_failed = m_refused = false;
    m_counters = PerfCounters{};
    m_latched_high = 0;
}

void RegisterBank::raise() {
    if (on_irq) on_irq(irq_level());
}

}  // namespace spark::controller
