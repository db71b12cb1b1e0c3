// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/accelerator.h"

namespace spark::accelerator {

namespace {

dma::DmaConfig clocked(dma::DmaConfig dma, const DatapathConfig& datapath) {
    dma.clock_period = datapath.clock_period();
    return dma;
}

}  // namespace

SparkAccelerator::SparkAccelerator(sc_core::sc_module_name name, const AcceleratorConfig& config)
    : sc_core::sc_module(name),
      csr("csr"),
      memory("memory"),
      irq("irq"),
      m_config(config),
      m_datapath(config.datapath),
      m_dma("dma", clocked(config.dma, config.datapath)),
      m_controller("controller", m_dma, m_datapath, config.datapath.clock_period(), config.csr_access_delay) {
    csr.bind(m_controller.csr);
    m_dma.memory.bind(memory);
    m_controller.irq.bind(irq);
}

}  // namespace spark::accelerator
