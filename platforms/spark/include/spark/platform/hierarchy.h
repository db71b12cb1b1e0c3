// SPDX-License-Identifier: Apache-2.0
// The SystemC object tree of everything elaborated: modules, sockets, ports and exports, indented by depth, each
// port or initiator socket with the export or target socket it reaches. Bindings resolve at the end of
// elaboration, so call it from a start_of_simulation() callback or later (spark-sim --hierarchy does the former
// and stops the kernel before any process runs). `leave_out`, when given, is not printed (the caller's own
// reporting module).
#pragma once

#include <iosfwd>

namespace sc_core {
class sc_object;
}

namespace spark::platform {

void print_hierarchy(std::ostream& out, const sc_core::sc_object* leave_out = nullptr);

}  // namespace spark::platform
