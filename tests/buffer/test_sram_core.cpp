// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/buffer/sram_core.h"
#include "spark/common/error.h"

using namespace spark::buffer;

TEST_CASE("access cycles follow banks, ports and latency", "[buffer]") {
    SramConfig c;
    c.capacity_bytes = 64 * 1024;
    c.word_bits = 64;
    c.banks = 4;
    c.ports = 1;
    c.read_latency_cycles = 2;
    c.write_latency_cycles = 1;
    SramCore core(c);
    CHECK(core.cost(false, 0, 8).cycles == 2);        // one word
    CHECK(core.cost(false, 0, 32).cycles == 2);       // four words, one per bank
    CHECK(core.cost(false, 0, 64).cycles == 3);       // eight words, two per bank
    CHECK(core.cost(false, 4, 8).words == 2);         // straddles two words
    CHECK(core.cost(true, 0, 256).cycles == 1 + 8 - 1);
    c.ports = 2;
    CHECK(SramCore(c).cost(true, 0, 256).cycles == 1 + 4 - 1);
}

TEST_CASE("energy per word comes from the 28 nm table by bank size and word width", "[buffer]") {
    SramConfig c;
    c.capacity_bytes = 128 * 1024;
    c.banks = 4;  // 32 KB banks: a table point
    SramCore core(c);
    CHECK(core.read_pj_per_word() == Approx(10.0));
    CHECK(core.write_pj_per_word() == Approx(12.0));
    c.word_bits = 128;
    CHECK(SramCore(c).read_pj_per_word() == Approx(20.0));
    c.word_bits = 64;
    c.banks = 2;  // 64 KB banks: between 32 KB (10 pJ) and 128 KB (20 pJ), log-log
    CHECK(SramCore(c).read_pj_per_word() == Approx(10.0 * std::sqrt(2.0)));
    SramCore counted(SramConfig{});
    counted.access(false, 0, 64);
    counted.access(true, 64, 16);
    CHECK(counted.counters().words_read == 8);
    CHECK(counted.counters().bytes_written == 16);
    CHECK(counted.counters().energy_pj() == Approx(8 * counted.read_pj_per_word() + 2 * counted.write_pj_per_word()));
    const auto stats = describe(counted.counters());
    CHECK(stats.back().name == "energy_pj");
    CHECK(stats.back().unit == "pJ");
    CHECK(stats.back().value == Approx(counted.counters().energy_pj()));
}

TEST_CASE("capacity overflow is an error, not a wrap", "[buffer]") {
    SramCore core(SramConfig{});
    CHECK_NOTHROW(core.access(true, core.size_bytes() - 8, 8));
    CHECK_THROWS_WITH(core.access(true, core.size_bytes() - 8, 16), Catch::Contains("leaves the 65536 bytes"));
    CHECK_THROWS_AS(core.access(false, core.size_bytes(), 1), spark::Error);
}

TEST_CASE("ping-pong halves swap roles", "[buffer]") {
    SramConfig c;
    c.double_buffered = true;
    SramCore core(c);
    CHECK(core.fill_half() == Half::lower);
    CHECK(core.compute_half() == Half::upper);
    CHECK(core.half_base(core.compute_half()) == c.capacity_bytes / 2);
    core.swap();
    CHECK(core.fill_half() == Half::upper);
    CHECK(core.half_base(core.fill_half()) == c.capacity_bytes / 2);
    CHECK(core.half_base(core.compute_half()) == 0);
    CHECK(core.swaps() == 1);
    CHECK_THROWS_WITH(SramCore(SramConfig{}).swap(), Catch::Contains("not double-buffered"));
}

TEST_CASE("sram config validation names the field", "[buffer][config]") {
    using nlohmann::json;
    CHECK(SramConfig::from_json(json::parse(R"({"capacity_bytes": 4096, "banks": 2})"), "b.json").banks == 2);
    CHECK_THROWS_WITH(SramConfig::from_json(json::parse(R"({"capacity_bytes": 0})"), "b.json"), Catch::Contains("b.json: capacity_bytes: must be positive"));
    CHECK_THROWS_WITH(SramConfig::from_json(json::parse(R"({"capacity_bytes": 4096, "banks": 3})"), "b.json"), Catch::Contains("banks: must be a power of two, got 3"));
    CHECK_THROWS_WITH(SramConfig::from_json(json::parse(R"({"capacity_bytes": 4096, "word_bits": 12})"), "b.json"), Catch::Contains("word_bits: must be a positive multiple of 8, got 12"));
    CHECK_THROWS_WITH(SramConfig::from_json(json::parse(R"({"capacity_bytes": 4096, "size": 1})"), "b.json"), Catch::Contains("unknown field(s): size"));
    CHECK_THROWS_WITH(SramConfig::from_json(json::parse(R"({"capacity_bytes": 4096, "energy_table": [{"bank_bytes": 8, "read_pj": 1}]})"), "b.json"),
                      Catch::Contains("energy_table[0].write_pj: required field is missing"));
}
