// SPDX-License-Identifier: Apache-2.0
// The accelerator with sockets of another bus width: SparkAcceleratorBus<64> binds to a 64-bit interconnect as it
// is. TLM-2.0 sockets of different BUSWIDTH do not bind to each other; the payload and the protocol are the same,
// so the wrapper forwards every call (b_transport, nb_transport both ways, DMI, debug, DMI invalidation) between
// its own sockets and the 32-bit ones of the SparkAccelerator inside, unchanged and without adding time.
// BUSWIDTH is what the sockets declare; the DMA's burst size stays dma.burst_bytes.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/accelerator/accelerator.h"

namespace spark::accelerator {

template <unsigned int BUSWIDTH>
class SparkAcceleratorBus : public sc_core::sc_module {
public:
    using Self = SparkAcceleratorBus<BUSWIDTH>;
    tlm_utils::simple_target_socket<Self, BUSWIDTH> csr;
    tlm_utils::simple_initiator_socket<Self, BUSWIDTH> memory;
    controller::OptionalOut irq;
    controller::OptionalIn reset;

    SparkAcceleratorBus(sc_core::sc_module_name name, const AcceleratorConfig& config)
        : sc_core::sc_module(name),
          csr("csr"),
          memory("memory"),
          irq("irq"),
          reset("reset"),
          m_core("core", config),
          m_csr_inner("csr_inner"),
          m_memory_inner("memory_inner") {
        csr.register_b_transport(this, &Self::csr_b_transport);
        csr.register_nb_transport_fw(this, &Self::csr_nb_transport_fw);
        csr.register_transport_dbg(this, &Self::csr_transport_dbg);
        csr.register_get_direct_mem_ptr(this, &Self::csr_get_direct_mem_ptr);
        m_csr_inner.register_nb_transport_bw(this, &Self::csr_nb_transport_bw);
        m_csr_inner.register_invalidate_direct_mem_ptr(this, &Self::csr_invalidate);
        m_csr_inner.bind(m_core.csr);

        m_memory_inner.register_b_transport(this, &Self::memory_b_transport);
        m_memory_inner.register_nb_transport_fw(this, &Self::memory_nb_transport_fw);
        m_memory_inner.register_transport_dbg(this, &Self::memory_transport_dbg);
        m_memory_inner.register_get_direct_mem_ptr(this, &Self::memory_get_direct_mem_ptr);
        memory.register_nb_transport_bw(this, &Self::memory_nb_transport_bw);
        memory.register_invalidate_direct_mem_ptr(this, &Self::memory_invalidate);
        m_core.memory.bind(m_memory_inner);

        m_core.irq.bind(irq);
        m_core.reset.bind(reset);
    }

    SparkAccelerator& core() { return m_core; }

private:
    using Payload = tlm::tlm_generic_payload;
    using Phase = tlm::tlm_phase;

    // CSR: outside (BUSWIDTH) -> the core's 32-bit target.
    void csr_b_transport(Payload& t, sc_core::sc_time& d) { m_csr_inner->b_transport(t, d); }
    tlm::tlm_sync_enum csr_nb_transport_fw(Payload& t, Phase& p, sc_core::sc_time& d) {
        return m_csr_inner->nb_transport_fw(t, p, d);
    }
    tlm::tlm_sync_enum csr_nb_transport_bw(Payload& t, Phase& p, sc_core::sc_time& d) {
        return csr->nb_transport_bw(t, p, d);
    }
    unsigned int csr_transport_dbg(Payload& t) { return m_csr_inner->transport_dbg(t); }
    bool csr_get_direct_mem_ptr(Payload& t, tlm::tlm_dmi& dmi) { return m_csr_inner->get_direct_mem_ptr(t, dmi); }
    void csr_invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { csr->invalidate_direct_mem_ptr(start, end); }

    // Memory: the core's 32-bit initiator -> outside (BUSWIDTH).
    void memory_b_transport(Payload& t, sc_core::sc_time& d) { memory->b_transport(t, d); }
    tlm::tlm_sync_enum memory_nb_transport_fw(Payload& t, Phase& p, sc_core::sc_time& d) {
        return memory->nb_transport_fw(t, p, d);
    }
    tlm::tlm_sync_enum memory_nb_transport_bw(Payload& t, Phase& p, sc_core::sc_time& d) {
        return m_memory_inner->nb_transport_bw(t, p, d);
    }
    unsigned int memory_transport_dbg(Payload& t) { return memory->transport_dbg(t); }
    bool memory_get_direct_mem_ptr(Payload& t, tlm::tlm_dmi& dmi) { return memory->get_direct_mem_ptr(t, dmi); }
    void memory_invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
        m_memory_inner->invalidate_direct_mem_ptr(start, end);
    }

    SparkAccelerator m_core;
    tlm_utils::simple_initiator_socket<Self> m_csr_inner;
    tlm_utils::simple_target_socket<Self> m_memory_inner;
};

}  // namespace spark::accelerator
