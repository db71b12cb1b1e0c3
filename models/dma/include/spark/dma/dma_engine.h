// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace spark::dma {

// How the engine talks to memory: blocking transport (LT), or the base protocol's four phases on
// nb_transport_fw/bw with up to max_outstanding requests in flight (AT).
enum class Protocol { lt, at };
const char* to_string(Protocol p);
Protocol protocol_from_string(const std::string& name);  // "lt" or "at"; throws spark::Error otherwise

struct DmaConfig {
    std::uint32_t burst_bytes = 64;        // largest transaction the engine issues; transfers are split into bursts
    std::uint32_t issue_interval_cycles = 1;  // cycles between two burst issues (request-channel throughput)
    std::uint32_t max_outstanding = 16;    // bursts in flight before the engine waits for the oldest to complete
    sc_core::sc_time clock_period = sc_core::sc_time(2, sc_core::SC_NS);
    Protocol protocol = Protocol::lt;
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
    bool cancelled = false;  // cancel() stopped the transfer; bursts already in flight were completed first
};

// A DMA engine: a transfer is split into bursts issued every `issue_interval_cycles`, with up to
// `max_outstanding` in flight. Calls come from the owner's SC_THREAD; `delay` is the owner's local time offset
// on entry and the transfer's completion, relative to the simulation time on return.
//
// LT (the default): each burst is a b_transport whose annotated delay is its issue time; the target answers with
// its completion time, so a target that models queueing and bank parallelism (the DRAM model) sets the
// throughput. Times are kept absolute, so time that passes inside a target's b_transport (a wait()) is counted
// once: the next burst issues at its own time or, if the call returned later, when it returned (a blocking call
// holds the engine). A tlm_quantumkeeper follows the global quantum: before a burst whose issue time lies a
// quantum boundary ahead of the simulation time, the engine waits up to it (a zero quantum syncs every burst).
//
// AT (`protocol = at`): each burst is BEGIN_REQ on nb_transport_fw at its issue time (the engine waits for it in
// simulation time); the next request waits for END_REQ (the request exclusion rule) and for a free slot of
// max_outstanding; responses complete with END_RESP on the return path. Payloads come from the engine's own
// memory manager.
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
    ~DmaEngine() override;

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

    // Stops issuing: the transfer in progress waits for its bursts in flight (none is abandoned) and returns
    // `cancelled`, as does every transfer until clear_cancel(). For a reset of the owner.
    void cancel() { m_cancel = true; }
    void clear_cancel() { m_cancel = false; }
    bool cancelling() const { return m_cancel; }
    // Bursts issued and not yet answered (AT); zero whenever no transfer is in progress.
    std::size_t in_flight() const { return m_at_outstanding; }

private:
    class PayloadPool;

    void start_of_simulation() override { m_quantum.reset(); }

    DmaResult transfer_lt(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length,
                          sc_core::sc_time& delay);
    DmaResult transfer_at(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length,
                          sc_core::sc_time& delay);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                       sc_core::sc_time& delay);
    void at_response(tlm::tlm_generic_payload& trans, const sc_core::sc_time& at);
    void count(tlm::tlm_command command, unsigned bytes);

    DmaResult transfer(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data, std::uint64_t length,
                       sc_core::sc_time& delay);

    // One access on the local socket issued at `delay`; `delay` becomes its completion.
    DmaResult local_access(tlm::tlm_command command, std::uint64_t local_address, std::uint8_t* data,
                           std::uint64_t length, sc_core::sc_time& delay);

    DmaConfig m_config;
    DmaStats m_stats;
    std::vector<std::uint8_t> m_staging;  // data between the two ports of a load or store
    tlm_utils::tlm_quantumkeeper m_quantum;
    bool m_cancel = false;

    // AT: the request in its request phase, the responses received (completion time, error), the bursts open.
    std::unique_ptr<PayloadPool> m_pool;
    tlm::tlm_generic_payload* m_request_open = nullptr;
    sc_core::sc_event m_end_req, m_response;
    std::size_t m_at_outstanding = 0;
    sc_core::sc_time m_at_done;
    tlm::tlm_generic_payload* m_at_error = nullptr;
};

}  // namespace spark::dma
