// SPDX-License-Identifier: Apache-2.0
// The SystemC library refers to sc_main; the fuzz targets and their replay drivers never start a simulation but
// link libraries that depend on SystemC, so they provide one that is never called.
extern "C" int sc_main(int, char*[]) { return 1; }  // declared extern "C" by SystemC
