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

// Signal ports that may be left unbound (an interrupt line a polling driver does not wire, a reset pin). Bound,
// they read and write like sc_out<bool> and sc_in<bool>; unbound, they read false and writes go nowhere.
template <typename IF>
class OptionalSignalPort : public sc_core::sc_port<IF, 1, sc_core::SC_ZERO_OR_MORE_BOUND> {
public:
    using Base = sc_core::sc_port<IF, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;
    explicit OptionalSignalPort(const char* name) : Base(name) {}
    bool bound() const { return this->size() > 0; }
    bool read() const { return bound() && (*this)->read(); }
    const sc_core::sc_event& value_changed_event() const { return (*this)->value_changed_event(); }
    const sc_core::sc_event& posedge_event() const { return (*this)->posedge_event(); }
};
class OptionalOut : public OptionalSignalPort<sc_core::sc_signal_inout_if<bool>> {
public:
    using OptionalSignalPort::OptionalSignalPort;
    void write(bool value) {
        if (bound()) (*this)->write(value);
    }
};
using OptionalIn = OptionalSignalPort<sc_core::sc_signal_in_if<bool>>;

// Control and status registers on a TLM target socket, an interrupt line, and the sequencer that walks the
// descriptor list: fetch a descriptor through the DMA, hand it to the datapath, count, repeat, interrupt.
//
// Timing of CSR writes: the register state changes at once (a later access sees it, whatever its annotation);
// what the write sets in motion happens at its annotated time (the access's delay plus csr_access_delay): the run
// a START begins, an ABORT's check at the next layer boundary, the irq line.
//
// Reset (SPARK_CTRL_RESET, or `reset` high): the registers take their power-on values at once; a run in progress
// stops issuing, lets its bursts in flight complete and ends without touching the registers. While `reset` is
// high, CSR writes get TLM_GENERIC_ERROR_RESPONSE and reads see the power-on values.
class Controller : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Controller> csr;
    OptionalOut irq;
    OptionalIn reset;  // active high

    // `csr_access_delay` is added to every CSR access (LT annotation).
    Controller(sc_core::sc_module_name name, dma::DmaEngine& dma, LayerExecutor& executor,
               sc_core::sc_time clock_period, sc_core::sc_time csr_access_delay = sc_core::SC_ZERO_TIME);

    const RegisterBank& registers() const { return m_registers; }
    // A run is in progress (BUSY), or a reset is still waiting for its bursts in flight.
    bool running() const { return m_running; }

private:
    void soft_reset();
    void reset_pin();
    void run(std::uint64_t generation);
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
    sc_core::sc_time m_write_delay;     // the annotated time of the CSR write in progress
    bool m_start_pending = false;
    sc_core::sc_time m_start_at;
    bool m_abort_requested = false;
    sc_core::sc_time m_abort_at;
    std::uint64_t m_generation = 0;    // a reset begins a new one; a run of an older one leaves the registers alone
    bool m_running = false;
    bool m_in_reset = false;
};

}  // namespace spark::controller
