// SPDX-License-Identifier: Apache-2.0
// Binds an installed SparkAccelerator's DMA port to an installed Dram and reads the ID register through the CSR
// socket. Exit status 0 when the ID reads back as SPARK_ID_VALUE.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <spark/accelerator/accelerator.h>
#include <spark/controller/spark_accel_regs.h>
#include <spark/dram/dram.h>

struct Host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Host> csr_master{"csr_master"};
    std::uint32_t id = 0;
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;

    explicit Host(sc_core::sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(Host);
        SC_THREAD(run);
    }

    void run() {
        tlm::tlm_generic_payload trans;
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        trans.set_read();
        trans.set_address(SPARK_REG_ID);
        trans.set_data_ptr(reinterpret_cast<unsigned char*>(&id));
        trans.set_data_length(4);
        trans.set_streaming_width(4);
        trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        csr_master->b_transport(trans, delay);
        status = trans.get_response_status();
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
    std::printf("spark_tlm %s: ID register 0x%08X, response %s\n", SPARK_TLM_VERSION, host.id,
                host.status == tlm::TLM_OK_RESPONSE ? "OK" : "error");
    return host.status == tlm::TLM_OK_RESPONSE && host.id == SPARK_ID_VALUE ? 0 : 1;
}
