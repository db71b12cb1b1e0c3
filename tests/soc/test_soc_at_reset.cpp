// SPDX-License-Identifier: Apache-2.0
// The DMA's two protocols against the project's DRAM, every link through a base-protocol checker, and the
// accelerator's reset:
//   - `dma.protocol: at` (four phases on nb_transport, up to max_outstanding in flight) leaves memory exactly as
//     `lt` does, within 5 % of its cycles, with no protocol violation;
//   - START takes effect at the CSR write's annotated time;
//   - a soft reset (CTRL.RESET) or the reset pin mid-run returns every register to its power-on value, leaves no
//     burst in flight, and the next run leaves memory as the first did, with the same work counted. Its cycles
//     differ by what the DRAM brings (where refresh falls, which rows are open), so they are held within 10 %;
//   - with the interrupt line left unbound, a driver that polls STATUS works;
//   - SparkAcceleratorBus<64> binds to 64-bit sockets as it is and runs the program as the 32-bit one does.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/accelerator/accelerator.h"
#include "spark/accelerator/accelerator_bus.h"
#include "spark/common/tlm_access.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/dram/dram.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "spark/workload/network.h"

using namespace sc_core;
using namespace spark;

namespace {

constexpr std::uint64_t kProgramBytes = 64ull << 20;

// One accelerator with its own DRAM, a checker on the memory link and one on the CSR link, and a host thread.
struct Rig : sc_module {
    dram::Dram memory;
    protocol_checker::ProtocolChecker memory_checker, csr_checker;
    accelerator::SparkAccelerator accel;
    tlm_utils::simple_initiator_socket<Rig> csr;
    sc_signal<bool> irq{"irq_line"}, reset{"reset_line"};
    bool polling = false;  // irq left unbound: the host polls STATUS

    Rig(sc_module_name n, const accelerator::AcceleratorConfig& config, const dram::DramConfig& dram, bool polls,
        bool reset_pin)
        : sc_module(n),
          memory("memory", dram),
          memory_checker("memory_checker"),
          csr_checker("csr_checker"),
          accel("accelerator", config),
          csr("csr"),
          polling(polls) {
        accel.memory.bind(memory_checker.target_socket);
        memory_checker.initiator_socket.bind(memory.socket);
        memory_checker.check_memory_data(true);
        csr.bind(csr_checker.target_socket);
        csr_checker.initiator_socket.bind(accel.csr);
        if (!polls) accel.irq.bind(irq);
        if (reset_pin) accel.reset.bind(reset);
    }

    // Memory cleared, then the program's image: a run that writes nothing cannot pass on an earlier run's data.
    void load(const platform::Program& p) {
        const std::vector<std::uint8_t> zeros(1u << 20, 0);
        for (std::uint64_t off = 0; off < p.end_address; off += zeros.size())
            memory.store().write(off, zeros.data(),
                                 static_cast<std::uint32_t>(std::min<std::uint64_t>(zeros.size(), p.end_address - off)));
        for (const platform::MemoryWrite& w : p.image)
            for (std::uint64_t off = 0; off < w.bytes.size(); off += 1u << 20) {
                const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(1u << 20, w.bytes.size() - off));
                memory.store().write(w.address + off, w.bytes.data() + off, n);
            }
    }
    std::vector<std::uint8_t> image(std::uint64_t end) {
        std::vector<std::uint8_t> bytes(end);
        for (std::uint64_t off = 0; off < end; off += 1u << 20) {
            const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(1u << 20, end - off));
            memory.store().read(off, bytes.data() + off, n);
        }
        return bytes;
    }

    // A CSR access with the annotated delay `delay` (not synced here); returns the response status.
    tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint32_t offset, std::uint32_t& value, sc_time& delay) {
        return tlm_access(csr, cmd, offset, reinterpret_cast<unsigned char*>(&value), 4, delay);
    }
    std::uint32_t read(std::uint32_t offset) {
        std::uint32_t v = 0;
        sc_time d = SC_ZERO_TIME;
        access(tlm::TLM_READ_COMMAND, offset, v, d);
        wait(d);
        return v;
    }
    tlm::tlm_response_status write(std::uint32_t offset, std::uint32_t value) {
        sc_time d = SC_ZERO_TIME;
        const auto status = access(tlm::TLM_WRITE_COMMAND, offset, value, d);
        wait(d);
        return status;
    }
    std::uint64_t read64(std::uint32_t lo) {
        const std::uint64_t low = read(lo);
        return low | (std::uint64_t{read(lo + 4)} << 32);
    }
    void program(const platform::Program& p) {
        write(SPARK_REG_IRQ_ENABLE, SPARK_IRQ_DONE);
        write(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(p.descriptor_address));
        write(SPARK_REG_DESC_ADDR_HI, static_cast<std::uint32_t>(p.descriptor_address >> 32));
        write(SPARK_REG_DESC_COUNT, p.descriptor_count);
    }
    void wait_done() {
        if (!polling) {
            if (!irq.read()) wait(irq.posedge_event());
            return;
        }
        while ((read(SPARK_REG_STATUS) & (SPARK_STATUS_DONE | SPARK_STATUS_ERROR)) == 0) wait(1, SC_US);
    }
};

// A plain 64-bit memory and CSR host for SparkAcceleratorBus<64>.
struct Bus64 : sc_module {
    tlm_utils::simple_target_socket<Bus64, 64> memory_socket;
    tlm_utils::simple_initiator_socket<Bus64, 64> csr;
    std::vector<std::uint8_t> bytes;

    Bus64(sc_module_name n, std::uint64_t size) : sc_module(n), memory_socket("memory_socket"), csr("csr"), bytes(size) {
        memory_socket.register_b_transport(this, &Bus64::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
        if (t.get_address() >= bytes.size() || t.get_data_length() > bytes.size() - t.get_address()) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read()) std::memcpy(t.get_data_ptr(), bytes.data() + t.get_address(), t.get_data_length());
        else std::memcpy(bytes.data() + t.get_address(), t.get_data_ptr(), t.get_data_length());
        delay += sc_time(20, SC_NS);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    std::uint32_t access(tlm::tlm_command cmd, std::uint32_t offset, std::uint32_t value) {
        sc_time d = SC_ZERO_TIME;
        tlm_access(csr, cmd, offset, reinterpret_cast<unsigned char*>(&value), 4, d);
        wait(d);
        return value;
    }
};

struct Outcome {
    std::uint32_t status = 0, error = 0, layers_done = 0;
    std::uint64_t cycles = 0;
    std::vector<std::uint8_t> image;
};

Outcome finish(Rig& rig, std::uint64_t end) {
    Outcome o;
    o.status = rig.read(SPARK_REG_STATUS);
    o.error = rig.read(SPARK_REG_ERROR);
    o.layers_done = rig.read(SPARK_REG_LAYERS_DONE);
    o.cycles = rig.read64(SPARK_REG_CYCLES_LO);
    rig.write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE);
    o.image = rig.image(end);
    return o;
}

// Every register a driver can read, by offset, as a soft reset or power-on leaves it.
std::map<std::uint32_t, std::uint32_t> registers(Rig& rig) {
    std::map<std::uint32_t, std::uint32_t> r;
    for (std::uint32_t off : {SPARK_REG_STATUS, SPARK_REG_IRQ_ENABLE, SPARK_REG_IRQ_STATUS, SPARK_REG_ERROR,
                              SPARK_REG_DESC_ADDR_LO, SPARK_REG_DESC_ADDR_HI, SPARK_REG_DESC_COUNT,
                              SPARK_REG_LAYERS_DONE, SPARK_REG_ERROR_ADDR_LO, SPARK_REG_ERROR_ADDR_HI,
                              SPARK_REG_CYCLES_LO, SPARK_REG_MACS_LO, SPARK_REG_DRAM_RD_LO, SPARK_REG_DRAM_WR_LO})
        r[off] = rig.read(off);
    return r;
}

struct Results {
    Outcome lt, at, lt_again, at_again, pin_first, pin_again, polled, wide;
    std::map<std::uint32_t, std::uint32_t> power_on, after_soft_reset_lt, after_soft_reset_at, after_pin_reset;
    bool busy_before_soft_reset_lt = false, busy_before_soft_reset_at = false, busy_before_pin_reset = false;
    bool irq_after_soft_reset = true;
    std::size_t dma_in_flight_after_reset = 1, checker_in_flight_after_reset = 1;
    tlm::tlm_response_status write_in_reset = tlm::TLM_OK_RESPONSE;
    sc_time start_delay, start_written, done_at;
    std::uint64_t delayed_cycles = 0;
    std::uint64_t lt_violations = 1, at_violations = 1, lt_checked = 0, at_checked = 0;
    std::uint32_t version = 0;
    sc_time period;
} r;

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    sc_report_handler::set_actions(protocol_checker::ProtocolChecker::msg_type, SC_LOG);
    const workload::Network network = workload::load_workload(SPARK_SMOKE_WORKLOAD);
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::Program program = platform::build_program(network, data, true, 0, kProgramBytes);
    const dram::DramConfig ddr = dram::DramConfig::from_preset("DDR4-3200");

    accelerator::AcceleratorConfig lt_config, at_config;
    at_config.dma.protocol = dma::Protocol::at;
    Rig lt("lt", lt_config, ddr, false, false), at("at", at_config, ddr, false, false);
    Rig pin("pin", lt_config, ddr, false, true), polled("polled", at_config, ddr, true, false);
    for (Rig* rig : {&lt, &at, &pin, &polled}) rig->load(program);
    const std::uint64_t end = program.end_address;
    // The 64-bit wrapper, its interrupt and reset left unbound.
    Bus64 bus64("bus64", end);
    accelerator::SparkAcceleratorBus<64> wide("wide", lt_config);
    wide.memory.bind(bus64.memory_socket);
    bus64.csr.bind(wide.csr);
    for (const platform::MemoryWrite& w : program.image)
        std::memcpy(bus64.bytes.data() + w.address, w.bytes.data(), w.bytes.size());

    // Runs the program once to completion.
    auto run = [&](Rig& rig) {
        rig.program(program);
        rig.write(SPARK_REG_CTRL, SPARK_CTRL_START);
        rig.wait_done();
        return finish(rig, end);
    };
    // Starts the program and resets it half-way through (by its cycle count in `full`), by software or by pin.
    auto interrupted = [&](Rig& rig, const Outcome& full, bool by_pin, bool& busy_before) {
        rig.program(program);
        rig.write(SPARK_REG_CTRL, SPARK_CTRL_START);
        wait(rig.accel.config().datapath.clock_period() * static_cast<double>(full.cycles / 2));
        busy_before = (rig.read(SPARK_REG_STATUS) & SPARK_STATUS_BUSY) != 0;
        if (by_pin) {
            rig.reset.write(true);
            wait(100, SC_NS);
            r.write_in_reset = rig.write(SPARK_REG_CTRL, SPARK_CTRL_START);
        } else {
            rig.write(SPARK_REG_CTRL, SPARK_CTRL_RESET);
        }
        // Bursts in flight drain; nothing new goes out.
        wait(20, SC_US);
        auto after = registers(rig);
        if (by_pin) {
            rig.reset.write(false);
            wait(SC_ZERO_TIME);
        }
        return after;
    };

    auto host = [&] {
        r.version = lt.read(SPARK_REG_VERSION);
        r.period = lt.accel.config().datapath.clock_period();
        r.power_on = registers(lt);
        r.lt = run(lt);
        r.at = run(at);
        r.after_soft_reset_lt = interrupted(lt, r.lt, false, r.busy_before_soft_reset_lt);
        r.irq_after_soft_reset = lt.irq.read();
        r.after_soft_reset_at = interrupted(at, r.at, false, r.busy_before_soft_reset_at);
        r.dma_in_flight_after_reset = at.accel.dma().in_flight();
        r.checker_in_flight_after_reset = at.memory_checker.in_flight();
        for (Rig* rig : {&lt, &at}) rig->load(program);
        r.lt_again = run(lt);
        r.at_again = run(at);
        r.pin_first = run(pin);
        r.after_pin_reset = interrupted(pin, r.pin_first, true, r.busy_before_pin_reset);
        pin.load(program);
        r.pin_again = run(pin);
        r.polled = run(polled);

        // START written with 5 us of annotated delay and not synced: the run begins 5 us later.
        lt.load(program);
        lt.program(program);
        r.start_delay = sc_time(5, SC_US);
        sc_time d = r.start_delay;
        std::uint32_t start = SPARK_CTRL_START;
        r.start_written = sc_time_stamp();
        lt.access(tlm::TLM_WRITE_COMMAND, SPARK_REG_CTRL, start, d);
        if (!lt.irq.read()) wait(lt.irq.posedge_event());
        r.done_at = sc_time_stamp();
        r.delayed_cycles = lt.read64(SPARK_REG_CYCLES_LO);

        bus64.access(tlm::TLM_WRITE_COMMAND, SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(program.descriptor_address));
        bus64.access(tlm::TLM_WRITE_COMMAND, SPARK_REG_DESC_ADDR_HI,
                     static_cast<std::uint32_t>(program.descriptor_address >> 32));
        bus64.access(tlm::TLM_WRITE_COMMAND, SPARK_REG_DESC_COUNT, program.descriptor_count);
        bus64.access(tlm::TLM_WRITE_COMMAND, SPARK_REG_CTRL, SPARK_CTRL_START);
        while ((r.wide.status = bus64.access(tlm::TLM_READ_COMMAND, SPARK_REG_STATUS, 0)) & SPARK_STATUS_BUSY)
            wait(1, SC_US);
        r.wide.image = bus64.bytes;

        r.lt_violations = lt.memory_checker.violations() + lt.csr_checker.violations();
        r.at_violations = at.memory_checker.violations() + at.csr_checker.violations() +
                          polled.memory_checker.violations() + pin.memory_checker.violations();
        r.lt_checked = lt.memory_checker.transactions_checked();
        r.at_checked = at.memory_checker.transactions_checked();
        sc_stop();
    };
    struct Host : sc_module {
        std::function<void()> body;
        SC_HAS_PROCESS(Host);
        Host(sc_module_name n, std::function<void()> b) : sc_module(n), body(std::move(b)) { SC_THREAD(main); }
        void main() { body(); }
    } host_module("host", host);
    sc_start();
    return spark::test::run_catch(argc, argv);
}

// Two runs of the same program at different times: the DRAM's refresh and open rows make the only difference.
bool near(std::uint64_t a, std::uint64_t b) { return a * 10 <= b * 11 && b * 10 <= a * 11; }

TEST_CASE("AT and LT leave memory byte for byte the same, AT within 5 % of LT's cycles") {
    REQUIRE(r.lt.status == SPARK_STATUS_DONE);
    REQUIRE(r.at.status == SPARK_STATUS_DONE);
    CHECK(r.lt.image == r.at.image);
    CHECK(r.at.layers_done == r.lt.layers_done);
    const double ratio = double(r.at.cycles) / double(r.lt.cycles);
    INFO("LT " << r.lt.cycles << " cycles, AT " << r.at.cycles);
    CHECK(ratio > 0.95);
    CHECK(ratio < 1.05);
}

TEST_CASE("no base-protocol violation on any link, in either protocol") {
    CHECK(r.lt_violations == 0);
    CHECK(r.at_violations == 0);
    CHECK(r.lt_checked > 0);
    CHECK(r.at_checked > 0);
}

TEST_CASE("a soft reset mid-run restores the power-on registers and drains the bursts in flight") {
    CHECK(r.version == 0x0003u);
    CHECK(r.busy_before_soft_reset_lt);
    CHECK(r.busy_before_soft_reset_at);
    CHECK(r.after_soft_reset_lt == r.power_on);
    CHECK(r.after_soft_reset_at == r.power_on);
    CHECK_FALSE(r.irq_after_soft_reset);
    CHECK(r.dma_in_flight_after_reset == 0);
    CHECK(r.checker_in_flight_after_reset == 0);
}

TEST_CASE("after a reset the next run is the first one again") {
    CHECK(r.lt_again.status == SPARK_STATUS_DONE);
    CHECK(r.at_again.status == SPARK_STATUS_DONE);
    CHECK(r.lt_again.image == r.lt.image);
    CHECK(r.at_again.image == r.at.image);
    CHECK(r.lt_again.layers_done == r.lt.layers_done);
    CHECK(r.at_again.layers_done == r.at.layers_done);
    CHECK(near(r.lt_again.cycles, r.lt.cycles));
    CHECK(near(r.at_again.cycles, r.at.cycles));
}

TEST_CASE("the reset pin: power-on registers, writes refused while held, the next run as the first") {
    CHECK(r.busy_before_pin_reset);
    CHECK(r.after_pin_reset == r.power_on);
    CHECK(r.write_in_reset == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(r.pin_again.status == SPARK_STATUS_DONE);
    CHECK(r.pin_again.image == r.pin_first.image);
    CHECK(near(r.pin_again.cycles, r.pin_first.cycles));
    CHECK(r.pin_first.image == r.lt.image);
}

TEST_CASE("with the interrupt unbound, a polling driver sees the run complete") {
    CHECK(r.polled.status == SPARK_STATUS_DONE);
    CHECK(r.polled.image == r.at.image);
}

TEST_CASE("the 64-bit accelerator binds to 64-bit sockets and leaves memory as the 32-bit one does") {
    CHECK(r.wide.status == SPARK_STATUS_DONE);
    CHECK(r.wide.image == r.lt.image);
}

TEST_CASE("START takes effect at the CSR write's annotated time") {
    REQUIRE(r.delayed_cycles > 0);
    INFO("written at " << r.start_written << ", done at " << r.done_at << ", " << r.delayed_cycles << " cycles");
    // The run takes its cycles from the moment START takes effect: the write's annotation after the write.
    CHECK(r.done_at - r.start_written >= r.start_delay + r.period * static_cast<double>(r.delayed_cycles));
    CHECK(near(r.delayed_cycles, r.lt.cycles));
}
