// SPDX-License-Identifier: Apache-2.0
// The SPARK accelerator as one SoC-ready block:
//   csr     TLM target, the register map of spark/controller/spark_accel_regs.h (relative addresses);
//   memory  TLM initiator, the DMA engine's port to system memory (descriptors, weights, activations);
//   irq     level interrupt, high while an enabled completion or error is pending.
// Inside: the controller (registers and sequencer), the DMA engine and the datapath. No globals: any number of
// instances can share a simulation.
#pragma once

#include <systemc>
#include <tlm>

#include "spark/accelerator/datapath.h"
#include "spark/controller/controller.h"
#include "spark/dma/dma_engine.h"

namespace spark::accelerator {

struct AcceleratorConfig {
    DatapathConfig datapath;
    dma::DmaConfig dma;
    sc_core::sc_time csr_access_delay = sc_core::sc_time(10, sc_core::SC_NS);
};

class SparkAccelerator : public sc_core::sc_module {
public:
    tlm::tlm_target_socket<> csr;
    tlm::tlm_initiator_socket<> memory;
    sc_core::sc_out<bool> irq;

    SparkAccelerator(sc_core::sc_module_name name, const AcceleratorConfig& config);

    Datapath& datapath() { return m_datapath; }
    const controller::Controller& controller() const { return m_controller; }
    const dma::DmaEngine& dma() const { return m_dma; }
    const AcceleratorConfig& config() const { return m_config; }

private:
    AcceleratorConfig m_config;
    Datapath m_datapath;
    dma::DmaEngine m_dma;
    controller::Controller m_controller;
};

}  // namespace spark::accelerator
