// SPDX-License-Identifier: Apache-2.0
// Binds an installed SparkAccelerator's DMA port to an installed Dram and reads the ID and VERSION registers
// through the CSR socket. Exit status 0 when the ID reads back as SPARK_ID_VALUE and VERSION as the installed
// package's version (spark/common/version.h).
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <spark/accelerator/accelerator.h>
#include <spark/common/version.h>
#include <spark/controller/spark_accel_regs.h>
#include <spark/dram/dram.h>

// The SystemC target this program was compiled against, when the build says (the install tests do).
#ifndef SPARK_TEST_SYSTEMC_FROM
#define SPARK_TEST_SYSTEMC_FROM "as the package found it"
#endif

struct Host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Host> csr_master{"csr_master"};
    std::uint32_t id = 0, version = 0;
    bool ok = true;

    explicit Host(sc_core::sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(Host);
        SC_THREAD(run);
    }

    std::uint32_t read(std::uint64_t offset) {
        std::uint32_t value = 0;
        tlm::tlm_generic_payload trans;
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        trans.set_read();
        trans.set_address(offset);
        trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        trans.set_data_length(4);
        trans.set_streaming_width(4);
        trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        csr_master->b_transport(trans, delay);
        ok = ok && trans.get_response_status() == tlm::TLM_OK_RESPONSE;
        return value;
    }

    void run() {
        id = read(SPARK_REG_ID);
        version = read(SPARK_REG_VERSION);
    }
};

int sc_main(int, char*[]) {
    spark::accelerator::SparkAccelerator accelerator("accelerator", spark::accelerator::AcceleratorConfig{});
    spark::dram::Dram dram("dram", spark::dram::DramConfig::from_preset("DDR4-3200"));
    sc_core::sc_signal<bool> irq("irq");
    Host host("host");
    accelerator.memory.bind(dram.socket);
    accelerator.irq.bind(irq);
    host.csr_master.bind(accelerator.csr);
    sc_core::sc_start();
    const bool pass = host.ok && host.id == SPARK_ID_VALUE && host.version == SPARK_TLM_VERSION_REGISTER &&
                      std::strcmp(SPARK_TLM_VERSION, SPARK_TLM_VERSION_STRING) == 0;
    std::printf("spark_tlm %s (headers %s): ID register 0x%08X, VERSION register 0x%08X (expected 0x%08X), "
                "responses %s; SystemC %s: %s\n",
                SPARK_TLM_VERSION, SPARK_TLM_VERSION_STRING, host.id, host.version, SPARK_TLM_VERSION_REGISTER,
                host.ok ? "OK" : "error", SPARK_TEST_SYSTEMC_FROM, pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
