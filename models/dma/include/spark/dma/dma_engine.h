// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

namespace spark::dma {

struct DmaConfig {
    std::uint32_t burst_bytes = 64;        // largest transaction the engine issues; transfers are split into bursts
    std::uint32_t issue_interval_cycles = 1;  // cycles between two burst issues (request-channel throughput)
    std::uint32_t max_outstanding = 16;    // bursts in flight before the engine waits for the oldest to complete
    sc_core::sc_time clock_period = sc_core::sc_time(2, sc_core::SC_NS);
};

struct DmaStats {
    std::uint64_t bytes_read = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t read_bursts = 0;
    std::uint64_t write_bursts = 0;
    std::uint64_t errors = 0;
    std::uint64_t local_bytes_written = 0;  // into on-chip buffers (local socket)
    std::uint64_t local_bytes_read = 0;
};

// Result of one transfer: when it completes (relative to the caller's local time) and, on a TLM error response,
// where and what.
struct DmaResult {
    bool ok = true;
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    std::uint64_t fault_address = 0;
    bool local = false;  // the fault is on the local socket (fault_address is then a local address)
};

// A loosely timed DMA engine: a transfer is split into bursts issued every `issue_interval_cycles`, with up to
// `max_outstanding` in flight. Each burst is a b_transport whose annotated delay is its issue time; the target
// answers with its completion time, so a target that models queueing and bank parallelism (the DRAM model) sets
// the throughput. The transfer ends when its last burst completes. Calls come from the owner's SC_THREAD and
// advance the owner's local time offset `delay` (temporal decoupling: the caller decides when to sync).
//
// Between memory and on-chip buffers the engine streams through its second port, `local` (optional: an engine
// that only moves data for its owner leaves it unbound). The buffer side is one b_transport issued when the
// transfer starts, so the buffer port works in parallel with the memory bursts and the slower side sets the
// completion; a buffer whose port keeps up with memory (the shipped configurations) adds no time.
class DmaEngine : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaEngine> memory;
    tlm_utils::simple_initiator_socket_optional<DmaEngine> local;

    DmaEngine(sc_core::sc_module_name name, const DmaConfig& config);

    DmaResult read(std::uint64_t address, std::uint8_t* data, std::uint64_t length, sc_core::sc_time& delay);
    DmaResult write(std::uint64_t address, const std::uint8_t* data, std::uint64_t length, sc_core::sc_time& delay);

    // Memory [address, address + length) into the buffer at `local_address`.
    DmaResult load(std::uint64_t address, std::uint64_t local_address, std::uint64_t length, sc_core::sc_time& delay);
    // The buffer's [local_address, local_address + length) into memory at `address`.
    DmaResult store(std::uint64_t local_address, std::uint64_t address, std::uint64_t length,
                    sc_core::sc_time& delay);
    // Bytes the engine produced itself (e.g. a rebased chunk table) into a buffer.
    DmaResult write_local(std::uint64_t local_address, const std::uint8_t* data, std::uint64_t length,
                          sc_core::sc_time& delay);

    const DmaStats& stats() const { return m_stats; }
    const DmaConfig& config() const { return m_config; }

private:
    DmaResult transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length,
                       sc_core::sc_time& delay);

    // One access on the local socket issued at `delay`; `delay` becomes its completion.
    DmaResult local_access(tlm::tlm_command command, std::uint64_t local_address, std::uint8_t* data,
                           std::uint64_t length, sc_core::sc_time& delay);

    DmaConfig m_config;
    DmaStats m_stats;
    std::vector<std::uint8_t> m_staging;  // data between the two ports of a load or store
};

}  // namespace spark::dma
