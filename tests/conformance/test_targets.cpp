// SPDX-License-Identifier: Apache-2.0
// Every TLM target of the project behind the base-protocol checker, in each coding style it serves: the DRAM
// (LT and AT, with DMI and debug), the SRAM buffer (LT and AT) and the accelerator's CSR target (LT, and AT
// through the socket's conversion). Random traffic includes bad commands, addresses past the end, byte enables
// and streaming widths; the checker must see no violation, and for the memories its data rule (byte enables and
// streaming width honoured, checked through debug reads) must have run on most transactions.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spark/accelerator/accelerator.h"
#include "spark/buffer/sram.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/dram/dram.h"
#include "spark/platform/arch.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "traffic.h"

using spark::protocol_checker::ProtocolChecker;
using spark::test::TrafficInitiator;
using spark::test::TrafficShape;

namespace {

constexpr unsigned kTransactions = 2000;

struct Lane {
    std::string name;
    std::unique_ptr<TrafficInitiator> initiator;
    std::unique_ptr<ProtocolChecker> checker;
    bool memory = false;      // the data rule applies
    bool dmi = false;         // the target grants DMI
};

std::vector<Lane> lanes;

TrafficShape csr_shape() {
    TrafficShape s;
    s.size_bytes = SPARK_REG_MAP_SIZE;
    s.byte_enables = true;
    s.streaming = true;
    s.dmi = false;
    // Every register but CTRL (a START would run whatever descriptors the random writes left), a few offsets that
    // decode to nothing, one past the map, and misaligned ones; mostly 4-byte accesses.
    s.address = [](std::mt19937_64& rng) -> std::uint64_t {
        static const std::uint64_t offsets[] = {
            SPARK_REG_ID,          SPARK_REG_VERSION,      SPARK_REG_STATUS,       SPARK_REG_IRQ_ENABLE,
            SPARK_REG_IRQ_STATUS,  SPARK_REG_ERROR,        SPARK_REG_DESC_ADDR_LO, SPARK_REG_DESC_ADDR_HI,
            SPARK_REG_DESC_COUNT,  SPARK_REG_LAYERS_DONE,  SPARK_REG_ERROR_ADDR_LO, SPARK_REG_CYCLES_LO,
            SPARK_REG_MACS_HI,     SPARK_REG_DRAM_RD_LO,   SPARK_REG_STALL_HI,     0x040,
            0x1FC,                 SPARK_REG_MAP_SIZE,     0x10000,                0x002};
        return offsets[rng() % (sizeof offsets / sizeof offsets[0])];
    };
    s.length = [](std::mt19937_64& rng) -> unsigned { return rng() % 8 == 0 ? 1 + unsigned(rng() % 8) : 4; };
    return s;
}

struct Top : sc_core::sc_module {
    spark::platform::ArchConfig arch = spark::platform::ArchConfig::spark_default();
    spark::dram::Dram dram_lt{"dram_lt", arch.dram};
    spark::dram::Dram dram_at{"dram_at", arch.dram};
    spark::buffer::Sram sram_lt{"sram_lt", sram_config()};
    spark::buffer::Sram sram_at{"sram_at", sram_config()};
    spark::dram::Dram accel_memory_lt{"accel_memory_lt", arch.dram};
    spark::dram::Dram accel_memory_at{"accel_memory_at", arch.dram};
    spark::accelerator::SparkAccelerator accel_lt{"accel_lt", arch.accelerator};
    spark::accelerator::SparkAccelerator accel_at{"accel_at", arch.accelerator};
    sc_core::sc_signal<bool> irq_lt{"irq_lt"}, irq_at{"irq_at"};

    static spark::buffer::SramConfig sram_config() {
        return spark::buffer::SramConfig::from_json({{"name", "buffer"}, {"capacity_bytes", 65536}}, "test");
    }

    template <class Target>
    void lane(const std::string& name, bool at, TrafficShape shape, Target& target_socket, bool memory, bool dmi,
              std::uint64_t seed) {
        Lane l;
        l.name = name;
        l.initiator = std::make_unique<TrafficInitiator>((name + "_initiator").c_str(), at, kTransactions,
                                                         std::move(shape), seed);
        l.checker = std::make_unique<ProtocolChecker>((name + "_checker").c_str());
        l.checker->check_memory_data(memory);
        l.initiator->socket.bind(l.checker->target_socket);
        l.checker->initiator_socket.bind(target_socket);
        l.memory = memory;
        l.dmi = dmi;
        lanes.push_back(std::move(l));
    }

    SC_HAS_PROCESS(Top);
    explicit Top(const sc_core::sc_module_name& n) : sc_core::sc_module(n) {
        TrafficShape dram;
        dram.size_bytes = arch.dram.size_bytes() - 4096;  // the last page and 64 bytes past the end
        dram.base = 0;
        dram.address = [size = arch.dram.size_bytes()](std::mt19937_64& rng) -> std::uint64_t {
            // Mostly a small window (so reads find earlier writes), sometimes anywhere, sometimes past the end.
            const unsigned pick = unsigned(rng() % 10);
            if (pick < 7) return rng() % 8192;
            if (pick < 9) return rng() % size;
            return size - 32 + rng() % 64;
        };
        TrafficShape sram;
        sram.size_bytes = 65536;
        lane("dram_lt", false, dram, dram_lt.socket, true, true, 1);
        lane("dram_at", true, dram, dram_at.socket, true, true, 2);
        lane("sram_lt", false, sram, sram_lt.socket, true, true, 3);
        lane("sram_at", true, sram, sram_at.socket, true, true, 4);
        lane("csr_lt", false, csr_shape(), accel_lt.csr, false, false, 5);
        lane("csr_at", true, csr_shape(), accel_at.csr, false, false, 6);
        accel_lt.memory.bind(accel_memory_lt.socket);
        accel_at.memory.bind(accel_memory_at.socket);
        accel_lt.irq.bind(irq_lt);
        accel_at.irq.bind(irq_at);
        SC_THREAD(watch);
    }

    // The DRAM keeps refreshing, so the simulation is stopped once every initiator is done.
    void watch() {
        while (true) {
            wait(sc_core::sc_time(1, sc_core::SC_US));
            bool all = true;
            for (const Lane& l : lanes) all = all && l.initiator->done();
            if (all) break;
        }
        sc_core::sc_stop();
    }
};

}  // namespace

int sc_main(int argc, char** argv) {
    // Violations are counted and checked below; display them instead of stopping at the first.
    sc_core::sc_report_handler::set_actions(ProtocolChecker::msg_type, sc_core::SC_DISPLAY);
    Top top("top");
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_SEC));
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("every target obeys the base protocol in each coding style it serves", "[conformance]") {
    REQUIRE(lanes.size() == 6);
    for (const Lane& l : lanes) {
        INFO(l.name);
        CHECK(l.initiator->done());
        CHECK(l.initiator->completed() == kTransactions);
        CHECK(l.checker->violations() == 0);
        CHECK(l.checker->transactions_checked() >= kTransactions);
        CHECK(l.checker->in_flight() == 0);
        // The traffic must have exercised both outcomes.
        CHECK(l.initiator->ok_responses() > kTransactions / 4);
        CHECK(l.initiator->error_responses() > 0);
    }
}

TEST_CASE("the memories' data rule ran on most transactions, and DMI was granted", "[conformance]") {
    for (const Lane& l : lanes) {
        INFO(l.name);
        if (l.memory) CHECK(l.checker->data_checks() > kTransactions / 4);
        if (l.dmi) CHECK(l.initiator->dmi_grants() > 0);
    }
}
