// SPDX-License-Identifier: Apache-2.0
// A loosely timed TLM-2.0 router: any number of initiators bind to `target_socket`, any number of targets to
// `initiator_socket` (binding order = Region::target index of the address map).
//  - b_transport: decodes the whole access [address, address + length); forwards it with the address translated
//    to the target's, adds `forward_delay` to the annotated delay, and restores the address on return. An access
//    no single region holds gets TLM_ADDRESS_ERROR_RESPONSE and is not forwarded.
//  - transport_dbg: translated likewise, truncated at the region's end; 0 bytes for unmapped addresses.
//  - get_direct_mem_ptr: translated; the granted range is mapped back to bus addresses and clipped to the region.
//    An unmapped address is refused with the unmapped gap as the DMI range (the initiator need not ask again).
//  - invalidate_direct_mem_ptr from a target: mapped back to bus addresses and passed to every initiator.
// The router keeps no per-transaction state, so several initiators may call it from their own threads.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "spark/interconnect/address_map.h"

namespace spark::interconnect {

struct RouterConfig {
    AddressMap map;
    sc_core::sc_time forward_delay = sc_core::SC_ZERO_TIME;  // added to each b_transport in either direction
};

class Router : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Router> target_socket;        // bind initiators here
    tlm_utils::multi_passthrough_initiator_socket<Router> initiator_socket;  // bind targets here

    Router(sc_core::sc_module_name name, RouterConfig config);

    const AddressMap& address_map() const { return m_config.map; }
    std::uint64_t address_errors() const { return m_address_errors; }

private:
    void end_of_elaboration() override;
    void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);

    RouterConfig m_config;
    std::uint64_t m_address_errors = 0;
};

}  // namespace spark::interconnect
