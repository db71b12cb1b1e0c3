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

template <typename Initiator, typename Target>
void Soc::link(Initiator& initiator, Target& target, const std::string& name, bool memory_data) {
    if (!m_config.protocol_checkers) {
        initiator.bind(target);
        return;
    }
    auto checker = std::make_unique<protocol_checker::ProtocolChecker>(name.c_str());
    checker->check_memory_data(memory_data);
    initiator.bind(checker->target_socket);
    checker->initiator_socket.bind(target);
    m_checkers.push_back(std::move(checker));
}

Soc::Soc(sc_module_name name, const SocConfig& config) : sc_module(name), m_config(config) {
    if (m_config.accelerators.empty()) throw Error("soc: at least one accelerator is needed");
    // The router forwards b_transport only; an AT DMA engine needs an AT path to its memory.
    for (std::size_t i = 0; i < m_config.accelerators.size(); ++i)
        if (m_config.accelerators[i].config.dma.protocol == dma::Protocol::at)
            throw Error(fmt::format("soc: accelerator {} has dma.protocol at, but the example SoC's router is loosely "
                                    "timed (b_transport only); bind its memory socket to an AT-capable "
                                    "interconnect or memory (e.g. dram::Dram) instead",
                                    i));
    m_dram = std::make_unique<dram::Dram>("dram", dram::DramConfig::from_preset(m_config.dram_preset));
    m_router = std::make_unique<Router>(
        "router", RouterConfig{m_config.address_map(m_dram->size_bytes()), m_config.router_forward_delay});
    m_cpu = std::make_unique<Cpu>("cpu", m_config.cpu, static_cast<unsigned>(m_config.accelerators.size()));

    // The data rule (byte enables, streaming width) only where every access lands in memory: registers have
    // side effects.
    link(m_cpu->bus, m_router->target_socket, "cpu_checker", false);
    link(m_router->initiator_socket, m_dram->socket, "dram_checker", true);
    for (std::size_t i = 0; i < m_config.accelerators.size(); ++i) {
        m_accelerators.push_back(
            std::make_unique<accelerator::SparkAccelerator>(fmt::format("accelerator{}", i).c_str(),
                                                          m_config.accelerators[i].config));
        m_irq.push_back(std::make_unique<sc_signal<bool>>(fmt::format("irq{}", i).c_str()));
        accelerator::SparkAccelerator& a = *m_accelerators.back();
        link(a.memory, m_router->target_socket, fmt::format("accelerator{}_dma_checker", i), true);
        link(m_router->initiator_socket, a.csr, fmt::format("accelerator{}_csr_checker", i), false);
        a.irq.bind(*m_irq.back());
        m_cpu->irq[i].bind(*m_irq.back());
    }
}

}  // namespace spark::soc
