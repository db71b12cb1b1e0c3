// SPDX-License-Identifier: Apache-2.0
// A virtual platform that links SystemC and nothing of spark-tlm: it loads the accelerator from a shared library
// (argv[1], default the plugin built beside it) with dlopen, binds its CSR socket to the platform's CPU, its
// memory socket to the platform's memory and its interrupt to a signal, and drives it through the register map.
// The run starts on a descriptor of zeros in the platform's memory, so the accelerator must fetch it through the
// memory socket, refuse it (bad magic) and raise the interrupt. Exit status 0 when every check passes.
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <spark/controller/spark_accel_regs.h>

#include "spark_plugin.h"

namespace {

constexpr std::uint64_t kDescriptorAddress = 0x100;

struct Memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<Memory> socket{"socket"};
    std::vector<unsigned char> bytes = std::vector<unsigned char>(64 * 1024, 0);
    unsigned reads = 0;

    explicit Memory(sc_core::sc_module_name name) : sc_module(name) {
        socket.register_b_transport(this, &Memory::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
        const std::uint64_t address = trans.get_address();
        const unsigned length = trans.get_data_length();
        if (address + length > bytes.size() || trans.get_byte_enable_ptr() != nullptr) {
            trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (trans.is_read()) {
            std::memcpy(trans.get_data_ptr(), &bytes[address], length);
            ++reads;
        } else {
            std::memcpy(&bytes[address], trans.get_data_ptr(), length);
        }
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct Cpu : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Cpu> bus{"bus"};
    sc_core::sc_in<bool> irq{"irq"};
    std::uint32_t id = 0, version = 0, status = 0, error = 0, error_address = 0;
    bool bus_ok = true, irq_seen = false;

    explicit Cpu(sc_core::sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(Cpu);
        SC_THREAD(run);
    }

    std::uint32_t access(tlm::tlm_command command, std::uint64_t offset, std::uint32_t value) {
        tlm::tlm_generic_payload trans;
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        trans.set_command(command);
        trans.set_address(offset);
        trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        trans.set_data_length(4);
        trans.set_streaming_width(4);
        trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        bus->b_transport(trans, delay);
        bus_ok = bus_ok && trans.is_response_ok();
        wait(delay);
        return value;
    }
    std::uint32_t read(std::uint64_t offset) { return access(tlm::TLM_READ_COMMAND, offset, 0); }
    void write(std::uint64_t offset, std::uint32_t value) { access(tlm::TLM_WRITE_COMMAND, offset, value); }

    void run() {
        id = read(SPARK_REG_ID);
        version = read(SPARK_REG_VERSION);
        write(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(kDescriptorAddress));
        write(SPARK_REG_DESC_ADDR_HI, 0);
        write(SPARK_REG_DESC_COUNT, 1);
        write(SPARK_REG_IRQ_ENABLE, SPARK_IRQ_DONE);
        write(SPARK_REG_CTRL, SPARK_CTRL_START);
        wait(irq.posedge_event() | timeout);
        irq_seen = irq.read();
        timeout.cancel();
        status = read(SPARK_REG_STATUS);
        error = read(SPARK_REG_ERROR);
        error_address = read(SPARK_REG_ERROR_ADDR_LO);
        write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE);
    }
    sc_core::sc_event timeout;
    void start_of_simulation() override { timeout.notify(1, sc_core::SC_MS); }
};

}  // namespace

int sc_main(int argc, char* argv[]) {
    const char* path = argc > 1 ? argv[1] : SPARK_PLUGIN_PATH;
    void* plugin = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (plugin == nullptr) {
        std::fprintf(stderr, "host: cannot load %s: %s\n", path, dlerror());
        return 2;
    }
    auto create = reinterpret_cast<spark_plugin_create_fn>(dlsym(plugin, "spark_plugin_create"));
    if (create == nullptr) {
        std::fprintf(stderr, "host: %s has no spark_plugin_create\n", path);
        return 2;
    }
    SparkPluginPorts ports;
    if (const char* failure = create("accelerator", &ports)) {
        std::fprintf(stderr, "host: %s\n", failure);
        return 2;
    }
    Cpu cpu("cpu");
    Memory memory("memory");
    sc_core::sc_signal<bool> irq("irq");
    cpu.bus.bind(*ports.csr);
    ports.memory->bind(memory.socket);
    ports.irq->bind(irq);
    cpu.irq.bind(irq);
    sc_core::sc_start();
    // The plugin stays loaded: the simulation owns the modules it created.

    const bool ok = cpu.bus_ok && cpu.irq_seen && cpu.id == SPARK_ID_VALUE &&
                    (cpu.status & SPARK_STATUS_ERROR) != 0 && cpu.error == SPARK_ERR_DESC_INVALID &&
                    cpu.error_address == kDescriptorAddress && memory.reads > 0;
    std::printf("host: plugin %s (spark_tlm %s): ID 0x%08X, VERSION 0x%08X; descriptor of zeros at 0x%X: irq %s, "
                "STATUS 0x%X, ERROR %u, ERROR_ADDR 0x%X, %u memory reads: %s\n",
                path, ports.package_version, cpu.id, cpu.version, static_cast<unsigned>(kDescriptorAddress),
                cpu.irq_seen ? "raised" : "not raised", cpu.status, cpu.error, cpu.error_address, memory.reads,
                ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
