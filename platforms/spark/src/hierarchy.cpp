// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/hierarchy.h"

#include <cstring>
#include <map>
#include <set>
#include <vector>
#include <ostream>
#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_socket_bases.h>

namespace spark::platform {

namespace {

using sc_core::sc_object;

std::size_t depth_of(const sc_object* o) {
    std::size_t d = 0;
    for (const sc_object* p = o->get_parent_object(); p != nullptr; p = p->get_parent_object()) ++d;
    return d;
}

struct Wiring {
    // What each export offers, by interface. A port bound to an export, directly or through its parents'
    // sockets, ends up holding that export's interface, which names what the port reaches. Where exports forward
    // to one another they share the interface; the deepest is the one that implements it.
    std::map<const sc_core::sc_interface*, const sc_object*> export_of;
    // The backward-path port or export inside each TLM socket: shown as part of the socket, not on its own.
    std::set<const sc_object*> socket_internals;
    // Which ports reach each export or channel.
    std::map<const sc_object*, std::vector<const sc_object*>> reached_by;
};

void collect(sc_object* o, Wiring& w) {
    // The const accessors: a multi-passthrough initiator socket's non-const get_base_export() binds a dummy.
    if (const auto* socket = dynamic_cast<const tlm::tlm_base_socket_if*>(o)) {
        const sc_object* parts[] = {&socket->get_base_port(), &socket->get_base_export()};
        for (const sc_object* part : parts)
            if (part != o) w.socket_internals.insert(part);
    }
    // A multi-passthrough target socket gives each initiator bound to it an interface of its own (a binder).
    if (auto* multi = dynamic_cast<tlm_utils::multi_target_base_if<>*>(o))
        for (const auto* binder : multi->get_binders()) w.export_of.emplace(binder, o);
    if (const auto* e = dynamic_cast<const sc_core::sc_export_base*>(o)) {
        if (const sc_core::sc_interface* i = e->get_interface()) {
            auto [it, added] = w.export_of.emplace(i, o);
            if (!added && depth_of(o) > depth_of(it->second)) it->second = o;
        }
    }
    for (sc_object* child : o->get_child_objects()) collect(child, w);
}

const sc_object* owner_of(const sc_core::sc_interface* i, const Wiring& w) {
    const auto it = w.export_of.find(i);
    if (it != w.export_of.end()) return it->second;
    return dynamic_cast<const sc_object*>(i);  // a channel bound directly (a signal, a FIFO)
}

// The exports or channels a port reaches (null for an interface nobody owns): every target of a
// multi-passthrough initiator socket, else the one the port holds.
std::vector<const sc_object*> reached(const sc_object* o, const sc_core::sc_port_base* port, const Wiring& w) {
    std::vector<const sc_object*> targets;
    if (auto* multi = dynamic_cast<tlm_utils::multi_init_base_if<>*>(const_cast<sc_object*>(o))) {
        for (const auto* target : multi->get_sockets()) targets.push_back(owner_of(target, w));
        return targets;
    }
    if (port->get_interface() != nullptr) targets.push_back(owner_of(port->get_interface(), w));
    return targets;
}

void collect_reached(const sc_object* o, Wiring& w) {
    if (const auto* port = dynamic_cast<const sc_core::sc_port_base*>(o); port && !w.socket_internals.count(o)) {
        for (const sc_object* target : reached(o, port, w))
            if (target) w.reached_by[target].push_back(o);
    }
    for (const sc_object* child : o->get_child_objects()) collect_reached(child, w);
}

// Processes and the sockets' internal parts are left out; plain sc_objects (payload event queues) too.
bool shown(const sc_object* o, const Wiring& w) {
    return dynamic_cast<const sc_core::sc_process_b*>(o) == nullptr && !w.socket_internals.count(o) &&
           std::strcmp(o->kind(), "sc_object") != 0;
}

void print(std::ostream& out, const sc_object* o, const Wiring& w, std::size_t depth) {
    if (!shown(o, w)) return;
    std::string line = fmt::format("{:{}}{} ({})", "", 2 * depth, o->basename(), o->kind());
    if (const auto* port = dynamic_cast<const sc_core::sc_port_base*>(o)) {
        const std::vector<const sc_object*> targets = reached(o, port, w);
        std::string to;
        for (const sc_object* t : targets) to += (to.empty() ? "" : ", ") + std::string(t ? t->name() : "(?)");
        line += targets.empty() ? std::string(" -> (unbound)") : " -> " + to;
    }
    const auto by = w.reached_by.find(o);
    if (by != w.reached_by.end() && dynamic_cast<const sc_core::sc_port_base*>(o) == nullptr) {
        std::string from;
        for (const sc_object* p : by->second) from += (from.empty() ? "" : ", ") + std::string(p->name());
        line += " <- " + from;
    }
    fmt::print(out, "{}\n", line);
    for (const sc_object* child : o->get_child_objects()) print(out, child, w, depth + 1);
}

}  // namespace

void print_hierarchy(std::ostream& out, const sc_object* leave_out) {
    Wiring w;
    for (sc_object* top : sc_core::sc_get_top_level_objects()) collect(top, w);
    for (const sc_object* top : sc_core::sc_get_top_level_objects()) collect_reached(top, w);
    for (const sc_object* top : sc_core::sc_get_top_level_objects())
        if (top != leave_out) print(out, top, w, 0);
}

}  // namespace spark::platform
