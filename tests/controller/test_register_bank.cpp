// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/controller/register_bank.h"
#include "spark/controller/spark_accel_regs.h"

using namespace spark::controller;

namespace {
std::uint32_t rd(RegisterBank& b, std::uint32_t off) {
    std::uint32_t v = 0;
    REQUIRE(b.read(off, v) == AccessStatus::ok);
    return v;
}
}  // namespace

TEST_CASE("identification and reset values", "[csr]") {
    RegisterBank b;
    CHECK(rd(b, SPARK_REG_ID) == SPARK_ID_VALUE);
    CHECK(rd(b, SPARK_REG_STATUS) == 0);
    CHECK(rd(b, SPARK_REG_IRQ_STATUS) == 0);
}

TEST_CASE("start, complete, interrupt and write-one-to-clear", "[csr]") {
    RegisterBank b;
    int starts = 0;
    bool line = false;
    b.on_start = [&] { ++starts; };
    b.on_irq = [&](bool level) { line = level; };
    CHECK(b.write(SPARK_REG_DESC_ADDR_LO, 0x1000) == AccessStatus::ok);
    CHECK(b.write(SPARK_REG_DESC_ADDR_HI, 0x2) == AccessStatus::ok);
    CHECK(b.write(SPARK_REG_DESC_COUNT, 3) == AccessStatus::ok);
    CHECK(b.write(SPARK_REG_IRQ_ENABLE, 1) == AccessStatus::ok);
    CHECK(b.descriptor_address() == 0x200001000ull);
    CHECK(b.write(SPARK_REG_CTRL, SPARK_CTRL_START) == AccessStatus::ok);
    CHECK(starts == 1);
    CHECK(rd(b, SPARK_REG_STATUS) == SPARK_STATUS_BUSY);
    b.counters().cycles = 0x1'0000'0005ull;
    b.complete();
    CHECK(line);
    CHECK(rd(b, SPARK_REG_STATUS) == SPARK_STATUS_DONE);
    CHECK(rd(b, SPARK_REG_CYCLES_LO) == 5);
    CHECK(rd(b, SPARK_REG_CYCLES_HI) == 1);
    CHECK(b.write(SPARK_REG_IRQ_STATUS, 1) == AccessStatus::ok);
    CHECK_FALSE(line);
}

TEST_CASE("a start while busy is refused with an error status, the run goes on", "[csr]") {
    RegisterBank b;
    int starts = 0;
    b.on_start = [&] { ++starts; };
    b.write(SPARK_REG_DESC_COUNT, 1);
    b.write(SPARK_REG_CTRL, SPARK_CTRL_START);
    b.write(SPARK_REG_CTRL, SPARK_CTRL_START);
    CHECK(starts == 1);
    CHECK(rd(b, SPARK_REG_ERROR) == SPARK_ERR_BUSY);
    CHECK(rd(b, SPARK_REG_STATUS) == (SPARK_STATUS_BUSY | SPARK_STATUS_REFUSED));
    CHECK_FALSE(b.irq_level());
    b.complete();
    CHECK(rd(b, SPARK_REG_STATUS) == (SPARK_STATUS_DONE | SPARK_STATUS_REFUSED));
}

TEST_CASE("descriptor registers are locked while busy", "[csr]") {
    RegisterBank b;
    b.write(SPARK_REG_DESC_ADDR_LO, 0x1000);
    b.write(SPARK_REG_DESC_COUNT, 2);
    b.write(SPARK_REG_CTRL, SPARK_CTRL_START);
    CHECK(b.write(SPARK_REG_DESC_ADDR_LO, 0x8000) == AccessStatus::ok);
    CHECK(b.write(SPARK_REG_DESC_ADDR_HI, 0x1) == AccessStatus::ok);
    CHECK(b.write(SPARK_REG_DESC_COUNT, 7) == AccessStatus::ok);
    CHECK(b.descriptor_address() == 0x1000);
    CHECK(b.descriptor_count() == 2);
    CHECK(rd(b, SPARK_REG_ERROR) == SPARK_ERR_BUSY);
    CHECK(rd(b, SPARK_REG_STATUS) == (SPARK_STATUS_BUSY | SPARK_STATUS_REFUSED));
    CHECK_FALSE(b.irq_level());
    b.complete();
    CHECK(b.write(SPARK_REG_DESC_COUNT, 7) == AccessStatus::ok);  // idle again: accepted
    CHECK(b.descriptor_count() == 7);
}

TEST_CASE("a layer interrupt fires per layer only when enabled", "[csr]") {
    RegisterBank b;
    bool line = false;
    b.on_irq = [&](bool level) { line = level; };
    b.write(SPARK_REG_DESC_COUNT, 2);
    b.write(SPARK_REG_IRQ_ENABLE, SPARK_IRQ_DONE);
    b.write(SPARK_REG_CTRL, SPARK_CTRL_START);
    b.layer_done(1);
    CHECK(rd(b, SPARK_REG_LAYERS_DONE) == 1);
    CHECK(rd(b, SPARK_REG_IRQ_STATUS) == SPARK_IRQ_LAYER);
    CHECK_FALSE(line);  // pending but not enabled
    b.write(SPARK_REG_IRQ_ENABLE, SPARK_IRQ_DONE | SPARK_IRQ_LAYER);
    CHECK(line);
    CHECK(rd(b, SPARK_REG_IRQ_ENABLE) == (SPARK_IRQ_DONE | SPARK_IRQ_LAYER));
    b.write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_LAYER);
    CHECK_FALSE(line);
    b.layer_done(2);
    CHECK(line);
    b.complete();
    CHECK(rd(b, SPARK_REG_IRQ_STATUS) == (SPARK_IRQ_DONE | SPARK_IRQ_LAYER));
    b.write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_LAYER);
    CHECK(line);  // completion still pending
    b.write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE);
    CHECK_FALSE(line);
    b.write(SPARK_REG_IRQ_ENABLE, 0xFFFFFFFFu);
    CHECK(rd(b, SPARK_REG_IRQ_ENABLE) == (SPARK_IRQ_DONE | SPARK_IRQ_LAYER));  // undefined bits read as zero
}

TEST_CASE("bad accesses are refused by kind", "[csr]") {
    RegisterBank b;
    std::uint32_t v = 0;
    CHECK(b.read(0x1F0, v) == AccessStatus::undefined_register);
    CHECK(b.write(0x1F0, 1) == AccessStatus::undefined_register);
    CHECK(b.write(SPARK_REG_ID, 1) == AccessStatus::read_only);
    CHECK(b.read(SPARK_REG_STATUS + 2, v) == AccessStatus::misaligned);
    b.write(SPARK_REG_CTRL, SPARK_CTRL_START);  // DESC_COUNT is 0
    CHECK(rd(b, SPARK_REG_ERROR) == SPARK_ERR_BAD_COMMAND);
    b.write(SPARK_REG_CTRL, 0x6);  // two commands at once
    CHECK(rd(b, SPARK_REG_ERROR) == SPARK_ERR_BAD_COMMAND);
}

TEST_CASE("a counter read low then high is consistent, peek has no side effect", "[csr]") {
    RegisterBank b;
    b.counters().macs = 0x2'FFFF'FFFFull;
    CHECK(rd(b, SPARK_REG_MACS_LO) == 0xFFFFFFFFu);
    b.counters().macs = 0x3'0000'0000ull;  // carries between the two reads
    CHECK(rd(b, SPARK_REG_MACS_HI) == 2);   // the latched high word
    std::uint32_t v = 0;
    CHECK(b.peek(SPARK_REG_MACS_HI, v) == AccessStatus::ok);
    CHECK(v == 3);
}
