// SPDX-License-Identifier: Apache-2.0
#include "spark/interconnect/router.h"

#include <algorithm>

#include <fmt/format.h>

namespace spark::interconnect {

using namespace sc_core;

Router::Router(sc_module_name name, RouterConfig config)
    : sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket"), m_config(std::move(config)) {
    target_socket.register_b_transport(this, &Router::b_transport);
    target_socket.register_transport_dbg(this, &Router::transport_dbg);
    target_socket.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
}

void Router::end_of_elaboration() {
    for (const Region& r : m_config.map.regions())
        if (r.target >= initiator_socket.size())
            SC_REPORT_ERROR(name(), fmt::format("region '{}' is served by target {}, but only {} target(s) are bound",
                                                r.name, r.target, initiator_socket.size())
                                        .c_str());
}

void Router::b_transport(int, tlm::tlm_generic_payload& trans, sc_time& delay) {
    const std::uint64_t address = trans.get_address();
    const Region* region = m_config.map.decode(address, trans.get_data_length());
    delay += m_config.forward_delay;
    if (region == nullptr) {
        ++m_address_errors;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    trans.set_address(region->to_target(address));
    initiator_socket[region->target]->b_transport(trans, delay);
    trans.set_address(address);
    delay += m_config.forward_delay;
}

unsigned Router::transport_dbg(int, tlm::tlm_generic_payload& trans) {
    const std::uint64_t address = trans.get_address();
    const Region* region = m_config.map.find(address);
    if (region == nullptr) return 0;
    const unsigned length = trans.get_data_length();
    const std::uint64_t room = region->last() - address + 1;
    trans.set_address(region->to_target(address));
    if (length > room) trans.set_data_length(static_cast<unsigned>(room));
    const unsigned done = initiator_socket[region->target]->transport_dbg(trans);
    trans.set_address(address);
    trans.set_data_length(length);
    return done;
}

bool Router::get_direct_mem_ptr(int, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    const std::uint64_t address = trans.get_address();
    const Region* region = m_config.map.find(address);
    if (region == nullptr) {
        const auto [first, last] = m_config.map.gap_around(address);
        dmi.set_start_address(first);
        dmi.set_end_address(last);
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
        return false;
    }
    trans.set_address(region->to_target(address));
    const bool granted = initiator_socket[region->target]->get_direct_mem_ptr(trans, dmi);
    trans.set_address(address);
    // Clip the target's range to what the region maps, then move it to bus addresses.
    std::uint64_t start = std::max<std::uint64_t>(dmi.get_start_address(), region->offset);
    const std::uint64_t end = std::min<std::uint64_t>(dmi.get_end_address(), region->to_target(region->last()));
    if (granted && dmi.get_dmi_ptr() != nullptr && start > dmi.get_start_address())
        dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (start - dmi.get_start_address()));
    if (end < start) start = end;
    dmi.set_start_address(region->from_target(start));
    dmi.set_end_address(region->from_target(end));
    return granted;
}

void Router::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end) {
    for (const Region& r : m_config.map.regions()) {
        if (static_cast<int>(r.target) != id) continue;
        const std::uint64_t first = std::max<std::uint64_t>(start, r.offset);
        const std::uint64_t last = std::min<std::uint64_t>(end, r.to_target(r.last()));
        if (first > last) continue;
        for (unsigned i = 0; i < target_socket.size(); ++i)
            target_socket[i]->invalidate_direct_mem_ptr(r.from_target(first), r.from_target(last));
    }
}

}  // namespace spark::interconnect
