// SPDX-License-Identifier: Apache-2.0
// An example SoC around the SPARK accelerator (block diagram in docs/soc-integration.md):
//
//   cpu.bus ----------------> router.target_socket          router.initiator_socket[0] --> dram.socket
//   accelerators[i].memory -> router.target_socket          router.initiator_socket[1+i] -> accelerators[i].csr
//   accelerators[i].irq ----> irq[i] --> cpu.irq[i]
//
// Every initiator sees one address space: DRAM at dram_base, accelerator i's registers at accelerators[i].csr_base. The
// accelerators' DMA engines reach memory through the router too, so descriptor and tensor addresses are bus
// addresses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "spark/accelerator/accelerator.h"
#include "spark/dram/dram.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "spark/soc/cpu.h"
#include "spark/interconnect/router.h"

namespace spark::soc {

using interconnect::AddressMap;
using interconnect::Region;
using interconnect::Router;
using interconnect::RouterConfig;

// One accelerator of the SoC: where its registers sit and how it is built (e.g. the INT8 baseline's array).
struct AcceleratorSlot {
    std::uint64_t csr_base = 0;
    accelerator::AcceleratorConfig config;
};

struct SocConfig {
    static constexpr std::uint64_t kDefaultDramBase = 0x8000'0000;
    static constexpr std::uint64_t kDefaultCsrBase = 0x4000'0000;

    std::uint64_t dram_base = kDefaultDramBase;
    std::string dram_preset = "DDR4-3200";
    std::vector<AcceleratorSlot> accelerators{AcceleratorSlot{kDefaultCsrBase, {}}};
    CpuConfig cpu;
    sc_core::sc_time router_forward_delay = sc_core::sc_time(1, sc_core::SC_NS);
    // A TLM-2.0 base-protocol checker on every link (cpu and DMA to the router, router to DRAM and to each CSR
    // socket); violations are SC_REPORT_ERRORs of ProtocolChecker::msg_type. For verification runs.
    bool protocol_checkers = false;

    // The router's map: "dram" -> target 0, "accelerator<i>.csr" (SPARK_REG_MAP_SIZE bytes) -> target 1 + i.
    // Throws spark::Error when regions overlap.
    AddressMap address_map(std::uint64_t dram_size_bytes) const;
};

class Soc : public sc_core::sc_module {
public:
    Soc(sc_core::sc_module_name name, const SocConfig& config);

    Cpu& cpu() { return *m_cpu; }
    Router& router() { return *m_router; }
    dram::Dram& dram() { return *m_dram; }
    accelerator::SparkAccelerator& accelerator(std::size_t i) { return *m_accelerators.at(i); }
    std::size_t accelerator_count() const { return m_accelerators.size(); }
    std::uint64_t csr_base(std::size_t i) const { return m_config.accelerators.at(i).csr_base; }
    std::uint64_t dram_base() const { return m_config.dram_base; }
    std::uint64_t dram_size_bytes() const { return m_dram->size_bytes(); }
    const SocConfig& config() const { return m_config; }
    // The checkers of SocConfig::protocol_checkers (empty without), named after the link they sit on.
    const std::vector<std::unique_ptr<protocol_checker::ProtocolChecker>>& checkers() const { return m_checkers; }

private:
    // Binds initiator to target, through a new checker when protocol_checkers is set.
    template <typename Initiator, typename Target>
    void link(Initiator& initiator, Target& target, const std::string& name, bool memory_data);

    SocConfig m_config;
    std::unique_ptr<dram::Dram> m_dram;
    std::unique_ptr<Router> m_router;
    std::vector<std::unique_ptr<accelerator::SparkAccelerator>> m_accelerators;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> m_irq;
    std::unique_ptr<Cpu> m_cpu;
    std::vector<std::unique_ptr<protocol_checker::ProtocolChecker>> m_checkers;
};

}  // namespace spark::soc
