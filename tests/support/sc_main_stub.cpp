// SPDX-License-Identifier: Apache-2.0
// For plain Catch2 tests that link libraries built on SystemC types (sc_time in a config) without simulating:
// libsystemc refers to sc_main, but these executables start from Catch's main and never call it.
extern "C" int sc_main(int, char**) { return 1; }
