// SPDX-License-Identifier: Apache-2.0
// On-chip SRAM buffer as a TLM-2.0 target over SramCore, with contiguous backing storage.
//
// socket (simple_target_socket):
//  - b_transport: delay += access cycles (SramCore timing contract) x clock period;
//  - nb_transport_fw: BEGIN_REQ completes at once (TLM_COMPLETED, delay += the same access time); END_RESP is
//    accepted, other phases are fatal;
//  - get_direct_mem_ptr: the whole buffer, read/write, latencies read/write_latency_cycles x period (DMI bypasses
//    the counters);
//  - transport_dbg: data only.
// Past the capacity -> TLM_ADDRESS_ERROR_RESPONSE (no wrap); IGNORE command -> TLM_COMMAND_ERROR_RESPONSE;
// byte-enable pointer with zero length -> TLM_BYTE_ENABLE_ERROR_RESPONSE; streaming width 0 ->
// TLM_BURST_ERROR_RESPONSE; null data or zero length -> TLM_GENERIC_ERROR_RESPONSE.
#pragma once

#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "spark/buffer/sram_core.h"

namespace spark::buffer {

class Sram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Sram> socket;

    Sram(const sc_core::sc_module_name& name, const SramConfig& config);

    const SramConfig& config() const { return m_core.config(); }
    std::uint64_t size_bytes() const { return m_core.size_bytes(); }
    sc_core::sc_time clock_period() const { return m_period; }
    const SramCounters& counters() const { return m_core.counters(); }
    SramCore& core() { return m_core; }
    unsigned char* data() { return m_data.data(); }

    // Ping-pong halves (config().double_buffered): addresses of each half and the swap at a tile boundary.
    Half fill_half() const { return m_core.fill_half(); }
    Half compute_half() const { return m_core.compute_half(); }
    std::uint64_t half_base(Half h) const { return m_core.half_base(h); }
    std::uint64_t half_bytes() const { return m_core.half_bytes(); }
    void swap() { m_core.swap(); }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    // Checks, moves data and returns the access time; sets the response status either way.
    sc_core::sc_time execute(tlm::tlm_generic_payload& trans);

    SramCore m_core;
    std::vector<unsigned char> m_data;
    sc_core::sc_time m_period;
};

}  // namespace spark::buffer
