// SPDX-License-Identifier: Apache-2.0
// The SystemC object tree of everything elaborated so far: modules, sockets, ports and exports, indented by
// depth, each port or initiator socket with the export or target socket it reaches. Bindings resolve at the end
// of elaboration, so call it after that (spark-sim --hierarchy calls it after sc_start(SC_ZERO_TIME)).
#pragma once

#include <iosfwd>

namespace spark::platform {

void print_hierarchy(std::ostream& out);

}  // namespace spark::platform
