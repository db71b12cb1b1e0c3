// SPDX-License-Identifier: Apache-2.0
#include "spark/soc/soc.h"

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/controller/spark_accel_regs.h"

namespace spark::soc {

using namespace sc_core;

AddressMap SocConfig::address_map(std::uint64_t dram_size_bytes) const {
    std::vector<Region> regions;
    regions.push_back({"dram", dram_base, dram_size_bytes, 0, 0});
    for (std::size_t i = 0; i < accelerators.size(); ++i)
        regions.push_back({fmt::format("accelerator{}.csr", i), accelerators[i].csr_base, SPARK_REG_MAP_SIZE,
                           static_cast<unsigned>(1 + i), 0});
    return AddressMap(std::move(regions));
}

Soc::Soc(sc_module_name name, const SocConfig& config) : sc_module(name), m_config(config) {
    if (m_config.accelerators.empty()) throw Error("soc: at least one accelerator is needed");
    m_dram = std::make_unique<dram::Dram>("dram", dram::DramConfig::from_preset(m_config.dram_preset));
    m_router = std::make_unique<Router>(
        "router", RouterConfig{m_config.address_map(m_dram->size_bytes()), m_config.router_forward_delay});
    m_cpu = std::make_unique<Cpu>("cpu", m_config.cpu, static_cast<unsigned>(m_config.accelerators.size()));

    m_cpu->bus.bind(m_router->target_socket);
    m_router->initiator_socket.bind(m_dram->socket);
    for (std::size_t i = 0; i < m_config.accelerators.size(); ++i) {
        m_accelerators.push_back(
            std::make_unique<accelerator::SparkAccelerator>(fmt::format("accelerator{}", i).c_str(),
                                                          m_config.accelerators[i].config));
        m_irq.push_back(std::make_unique<sc_signal<bool>>(fmt::format("irq{}", i).c_str()));
        accelerator::SparkAccelerator& a = *m_accelerators.back();
        a.memory.bind(m_router->target_socket);
        m_router->initiator_socket.bind(a.csr);
        a.irq.bind(*m_irq.back());
        m_cpu->irq[i].bind(*m_irq.back());
    }
}

}  // namespace spark::soc
