// SPDX-License-Identifier: Apache-2.0
// The interface between a virtual platform and a shared library that contains the SPARK accelerator: one C
// function the platform looks up with dlsym. The platform owns the simulation (sc_main, the bus, memory, the
// interrupt controller); the plugin adds one accelerator to it and hands back its ports for the platform to bind.
// Both sides link the same SystemC shared library, so there is one simulation kernel.
#pragma once

#include <systemc>
#include <tlm>

struct SparkPluginPorts {
    tlm::tlm_target_socket<>* csr = nullptr;         // the register map (spark/controller/spark_accel_regs.h)
    tlm::tlm_initiator_socket<>* memory = nullptr;   // the DMA engine's requests to system memory
    // The interrupt line, as the base of every bool output port (the accelerator's may stay unbound).
    sc_core::sc_port_b<sc_core::sc_signal_inout_if<bool>>* irq = nullptr;
    const char* package_version = nullptr;           // the spark_tlm version the plugin was built from
};

// Creates the accelerator `name` in the current module hierarchy (call it during elaboration). Returns nullptr
// and fills `ports`, or returns an error message (static storage) and leaves `ports` alone.
extern "C" const char* spark_plugin_create(const char* name, SparkPluginPorts* ports);
using spark_plugin_create_fn = const char* (*)(const char*, SparkPluginPorts*);
