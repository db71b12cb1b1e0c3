// SPDX-License-Identifier: Apache-2.0
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <cstring>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/controller/controller.h"
#include "spark/controller/spark_accel_regs.h"

using namespace sc_core;
using namespace spark::controller;

namespace {

const sc_time kClock(2, SC_NS);

struct Memory : sc_module {
    tlm_utils::simple_target_socket<Memory> socket;
    std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(1024);
    explicit Memory(sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_b_transport(this, &Memory::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& d) {
        if (t.get_address() + t.get_data_length() > bytes.size()) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read()) std::memcpy(t.get_data_ptr(), &bytes[t.get_address()], t.get_data_length());
        d += sc_time(10, SC_NS);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

// A datapath that takes 100 cycles per descriptor and does descriptor[0] * 10 MACs.
struct FakeExecutor : LayerExecutor {
    std::vector<std::uint8_t> seen;
    std::uint32_t descriptor_bytes() const override { return 16; }
    LayerOutcome run_layer(const std::vector<std::uint8_t>& d, std::uint64_t, spark::dma::DmaEngine&,
                           sc_time& delay) override {
        seen.push_back(d[0]);
        delay += kClock * 100;
        LayerOutcome o;
        o.macs = d[0] * 10u;
        o.cycles = 100;
        if (d[0] == 0xEE) {
            o.ok = false;
            o.error = SPARK_ERR_DESC_INVALID;
            o.message = "bad opcode";
        }
        return o;
    }
};

struct Results {
    std::vector<std::uint32_t> status_after;
    std::uint32_t macs = 0, layers = 0, irq_status = 0, error_desc = 0, error_bus = 0;
    std::uint64_t error_bus_addr = 0;
    tlm::tlm_response_status undefined = tlm::TLM_OK_RESPONSE, read_only = tlm::TLM_OK_RESPONSE,
                             wide = tlm::TLM_OK_RESPONSE;
    bool irq_seen = false;
    std::vector<std::uint8_t> executed;
    sc_time run_time;
} r;

struct Host : sc_module {
    tlm_utils::simple_initiator_socket<Host> bus;
    sc_in<bool> irq;
    SC_HAS_PROCESS(Host);
    explicit Host(sc_module_name n) : sc_module(n), bus("bus"), irq("irq") { SC_THREAD(run); }

    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, std::uint32_t& v, unsigned len = 4) {
        tlm::tlm_generic_payload t;
        std::uint8_t buf[8] = {};
        std::memcpy(buf, &v, 4);
        t.set_command(cmd);
        t.set_address(addr);
        t.set_data_ptr(buf);
        t.set_data_length(len);
        t.set_streaming_width(len);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        bus->b_transport(t, d);
        wait(d);
        std::memcpy(&v, buf, 4);
        return t.get_response_status();
    }
    std::uint32_t rd(std::uint64_t a) {
        std::uint32_t v = 0;
        access(tlm::TLM_READ_COMMAND, a, v);
        return v;
    }
    void wr(std::uint64_t a, std::uint32_t v) { access(tlm::TLM_WRITE_COMMAND, a, v); }

    void run() {
        wr(SPARK_REG_IRQ_ENABLE, 1);
        wr(SPARK_REG_DESC_ADDR_LO, 0x100);
        wr(SPARK_REG_DESC_COUNT, 3);
        const sc_time t0 = sc_time_stamp();
        wr(SPARK_REG_CTRL, SPARK_CTRL_START);
        wr(SPARK_REG_CTRL, SPARK_CTRL_START);  // refused: busy
        wr(SPARK_REG_DESC_ADDR_LO, 0x200);      // refused too: the run keeps the list it started with
        wr(SPARK_REG_DESC_COUNT, 1);
        if (!irq.read()) wait(irq.posedge_event());
        r.irq_status = rd(SPARK_REG_IRQ_STATUS);
        r.irq_seen = irq.read();
        r.run_time = sc_time_stamp() - t0;
        r.status_after.push_back(rd(SPARK_REG_STATUS));
        r.macs = rd(SPARK_REG_MACS_LO);
        r.layers = rd(SPARK_REG_LAYERS_DONE);
        wr(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE | SPARK_IRQ_LAYER);
        // A descriptor that the datapath rejects.
        wr(SPARK_REG_DESC_ADDR_LO, 0x200);
        wr(SPARK_REG_DESC_COUNT, 2);
        wr(SPARK_REG_CTRL, SPARK_CTRL_START);
        wait(irq.posedge_event());
        r.status_after.push_back(rd(SPARK_REG_STATUS));
        r.error_desc = rd(SPARK_REG_ERROR);
        wr(SPARK_REG_IRQ_STATUS, 1);
        // A descriptor list outside memory.
        wr(SPARK_REG_DESC_ADDR_LO, 0x3F8);
        wr(SPARK_REG_DESC_COUNT, 1);
        wr(SPARK_REG_CTRL, SPARK_CTRL_START);
        wait(irq.posedge_event());
        r.error_bus = rd(SPARK_REG_ERROR);
        r.error_bus_addr = rd(SPARK_REG_ERROR_ADDR_LO);
        std::uint32_t v = 0;
        r.undefined = access(tlm::TLM_READ_COMMAND, 0x1F0, v);
        r.read_only = access(tlm::TLM_WRITE_COMMAND, SPARK_REG_ID, v);
        r.wide = access(tlm::TLM_READ_COMMAND, SPARK_REG_ID, v, 8);
    }
};

}  // namespace

int sc_main(int argc, char** argv) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);  // refused accesses warn; the test checks them
    Memory mem("mem");
    for (int i = 0; i < 3; ++i) mem.bytes[0x100 + 16 * i] = static_cast<std::uint8_t>(i + 1);
    mem.bytes[0x200] = 7;
    mem.bytes[0x210] = 0xEE;
    spark::dma::DmaEngine dma("dma", spark::dma::DmaConfig{});
    FakeExecutor exec;
    Controller ctrl("ctrl", dma, exec, kClock);
    Host host("host");
    sc_signal<bool> irq("irq");
    host.bus.bind(ctrl.csr);
    dma.memory.bind(mem.socket);
    ctrl.irq(irq);
    host.irq(irq);
    sc_start();
    r.executed = exec.seen;
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("a run walks the descriptor list and interrupts when done") {
    CHECK(r.irq_seen);
    REQUIRE(r.status_after.size() == 2);
    CHECK((r.status_after[0] & SPARK_STATUS_DONE) != 0);
    CHECK((r.status_after[0] & SPARK_STATUS_BUSY) == 0);
    CHECK(r.layers == 3);
    CHECK(r.macs == (1 + 2 + 3) * 10);
    CHECK(r.executed == std::vector<std::uint8_t>{1, 2, 3, 7, 0xEE});
    CHECK(r.irq_status == (SPARK_IRQ_DONE | SPARK_IRQ_LAYER));  // layers completed, the line follows DONE only
    // Three layers of 100 cycles each, plus three descriptor fetches of 10 ns.
    CHECK(r.run_time >= kClock * 300 + sc_time(30, SC_NS));
}

TEST_CASE("a datapath error stops the run with its code") {
    CHECK(r.status_after[1] == SPARK_STATUS_ERROR);
    CHECK(r.error_desc == SPARK_ERR_DESC_INVALID);
}

TEST_CASE("a descriptor fetch outside memory is a bus error with the address") {
    CHECK(r.error_bus == SPARK_ERR_DESC_BUS);
    CHECK(r.error_bus_addr == 0x400);
}

TEST_CASE("bad CSR accesses get TLM error responses") {
    CHECK(r.undefined == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(r.read_only == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(r.wide == tlm::TLM_BURST_ERROR_RESPONSE);
}
