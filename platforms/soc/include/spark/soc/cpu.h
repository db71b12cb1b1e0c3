// SPDX-License-Identifier: Apache-2.0
// A CPU stand-in: one initiator thread that runs `software` (the driver sequence) with temporal decoupling.
//   bus  TLM initiator to the system router;
//   irq  interrupt inputs, one per line.
// Timing contract: each bus access costs `access_delay` plus what the target annotates, on the thread's local
// time (tlm_utils::tlm_quantumkeeper); the thread yields to the kernel only when the local time exceeds the global
// quantum, or explicitly in sync() and wait_irq(). With `use_dmi`, memory the router grants DMI for is read and
// written through the pointer at the region's DMI latency per access instead of through b_transport.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace spark::soc {

struct CpuConfig {
    sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);  // tlm_global_quantum, set when software starts
    bool use_dmi = true;
    sc_core::sc_time access_delay = sc_core::sc_time(1, sc_core::SC_NS);  // issue cost of one bus access
    std::uint32_t max_access_bytes = 256;  // block reads and writes are split into accesses of at most this size
};

// Outcome of a block transfer: the first failing access's status and address.
struct BusResult {
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    std::uint64_t address = 0;
    bool ok() const { return status == tlm::TLM_OK_RESPONSE; }
};

class Cpu : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Cpu> bus;
    sc_core::sc_vector<sc_core::sc_in<bool>> irq;

    // Runs in the CPU's thread once simulation starts. A spark::Error it throws ends it and is kept in error().
    std::function<void(Cpu&)> software;

    Cpu(sc_core::sc_module_name name, const CpuConfig& config, unsigned irq_lines);

    // From software only (they may yield to the kernel).
    BusResult read(std::uint64_t address, std::uint8_t* data, std::uint64_t length);
    BusResult write(std::uint64_t address, const std::uint8_t* data, std::uint64_t length);
    tlm::tlm_response_status read32(std::uint64_t address, std::uint32_t& value);
    tlm::tlm_response_status write32(std::uint64_t address, std::uint32_t value);
    void wait_irq(unsigned line);  // syncs, then waits until the line is high
    void sync();                   // brings the kernel up to the local time
    void set_quantum(const sc_core::sc_time& quantum);
    void set_use_dmi(bool on);

    // Debug access (transport_dbg): no time, no side effects in memory; returns the bytes transferred.
    unsigned debug_read(std::uint64_t address, std::uint8_t* data, unsigned length);

    sc_core::sc_time local_time() const;  // sc_time_stamp() plus the thread's offset
    const CpuConfig& config() const { return m_config; }
    bool finished() const { return m_finished; }
    const std::string& error() const { return m_error; }
    std::uint64_t dmi_accesses() const { return m_dmi_accesses; }
    std::uint64_t bus_accesses() const { return m_bus_accesses; }

private:
    void run();
    BusResult transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length);
    tlm::tlm_response_status access(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                    unsigned length);
    bool dmi_access(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, unsigned length);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    CpuConfig m_config;
    tlm_utils::tlm_quantumkeeper m_keeper;
    std::vector<tlm::tlm_dmi> m_dmi;          // granted regions
    std::vector<tlm::tlm_dmi> m_dmi_refused;  // ranges the router or target refused: do not ask again
    bool m_finished = false;
    std::string m_error;
    std::uint64_t m_dmi_accesses = 0;
    std::uint64_t m_bus_accesses = 0;
};

}  // namespace spark::soc
