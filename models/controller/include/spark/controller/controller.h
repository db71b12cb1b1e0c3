// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "spark/controller/register_bank.h"
#include "spark/dma/dma_engine.h"

namespace spark::controller {

// What one layer descriptor costs and does, as the datapath reports it back to the controller.
struct LayerOutcome {
    bool ok = true;
    std::uint32_t error = 0;            // SPARK_ERR_* when !ok
    std::uint64_t error_address = 0;
    std::string message;                // for the log
    std::uint64_t cycles = 0;           // accelerator cycles the layer took
    std::uint64_t macs = 0;
    std::uint64_t stall_cycles = 0;
};

// The datapath behind the controller: runs one layer described by `descriptor` (raw bytes read from memory),
// moving data through `dma`; advances `delay` (the caller's local time offset) by the time it takes.
class LayerExecutor {
public:
    virtual ~LayerExecutor() = default;
    virtual std::uint32_t descriptor_bytes() const = 0;
    virtual LayerOutcome run_layer(const std::vector<std::uint8_t>& descriptor, std::uint64_t descriptor_address,
                                   dma::DmaEngine& dma, sc_core::sc_time& delay) = 0;
};

// Control and status registers on a TLM target socket, an interrupt line, and the sequencer that walks the
// descriptor list: fetch a descriptor through the DMA, hand it to the datapath, count, repeat, interrupt.
class Controller : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Controller> csr;
    sc_core::sc_out<bool> irq;

    // `csr_access_delay` is added to every CSR access (LT annotation).
    Controller(sc_core::sc_module_name name, dma::DmaEngine& dma, LayerExecutor& executor,
               sc_core::sc_time clock_period, sc_core::sc_time csr_access_delay = sc_core::SC_ZERO_TIME);

    const RegisterBank& registers() const { return m_registers; }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    void sequencer();
    void drive_irq();

    dma::DmaEngine& m_dma;
    LayerExecutor& m_executor;
    sc_core::sc_time m_clock_period;
    sc_core::sc_time m_csr_delay;
    RegisterBank m_registers;
    sc_core::sc_event m_start;
    sc_core::sc_event m_irq_changed;
    bool m_abort_requested = false;
};

}  // namespace spark::controller
