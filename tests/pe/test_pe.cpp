// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "spark/common/error.h"
#include "spark/pe/factory.h"

using namespace spark::pe;
using spark::codec::Mode;

namespace {

constexpr std::uint8_t kShortU = 5;     // unsigned: 0..7 short
constexpr std::uint8_t kLongU = 200;
constexpr std::uint8_t kShortS = 0xFE;  // signed -2
constexpr std::uint8_t kLongS = 0x40;   // signed 64

std::vector<OperandPair> repeat(std::uint8_t w, std::uint8_t a, std::size_t n) {
    return std::vector<OperandPair>(n, OperandPair{w, a});
}

}  // namespace

TEST_CASE("every PE type forms the exact product from its partial products", "[pe]") {
    for (const char* type : {"mixed", "int4", "int8"}) {
        const auto pe = make_pe(type);
        for (Mode am : {Mode::unsigned_u8, Mode::signed_i8})
            for (unsigned w = 0; w < 256; ++w)
                for (unsigned a = 0; a < 256; ++a) {
                    const int wi = spark::codec::to_int(static_cast<std::uint8_t>(w), Mode::signed_i8);
                    const int ai = spark::codec::to_int(static_cast<std::uint8_t>(a), am);
                    // Long split always; the short path only for values that have a short code.
                    REQUIRE(pe->multiply(wi, ai, true, true) == wi * ai);
                    const bool ws = spark::codec::is_short(static_cast<std::uint8_t>(w), Mode::signed_i8);
                    const bool as = spark::codec::is_short(static_cast<std::uint8_t>(a), am);
                    REQUIRE(pe->multiply(wi, ai, !ws, !as) == wi * ai);
                }
    }
}

TEST_CASE("step tables follow the documented rules", "[pe]") {
    const auto mixed = make_pe("mixed");
    CHECK(mixed->lanes() == 4);
    CHECK(mixed->step_cycles(false, false) == 1);
    CHECK(mixed->step_cycles(true, false) == 2);
    CHECK(mixed->step_cycles(false, true) == 2);
    CHECK(mixed->step_cycles(true, true) == 2);
    const auto int4 = make_pe("int4");
    CHECK(int4->lanes() == 1);
    CHECK(int4->step_cycles(false, false) == 1);
    CHECK(int4->step_cycles(true, false) == 2);
    CHECK(int4->step_cycles(false, true) == 2);
    CHECK(int4->step_cycles(true, true) == 4);
    const auto int8 = make_pe("int8");
    CHECK(int8->lanes() == 2);
    for (bool w : {false, true})
        for (bool a : {false, true}) CHECK(int8->step_cycles(w, a) == 1);
}

TEST_CASE("mixed-width PE: all-short runs twice as fast as all-long", "[pe]") {
    const auto pe = make_pe("mixed");
    const OperandModes modes{Mode::signed_i8, Mode::unsigned_u8, true};
    const auto fast = repeat(kShortS, kShortU, 64);
    const auto slow = repeat(kLongS, kLongU, 64);
    const PeRun a = pe->run(fast.data(), fast.size(), modes);
    const PeRun b = pe->run(slow.data(), slow.size(), modes);
    CHECK(a.cycles == 16);
    CHECK(b.cycles == 32);
    CHECK(a.macs.short_short == 64);
    CHECK(b.macs.long_long == 64);
    // One long operand in a group of four makes the whole step two cycles.
    auto mixed = fast;
    mixed[5].activation = kLongU;
    const PeRun c = pe->run(mixed.data(), mixed.size(), modes);
    CHECK(c.cycles == 17);
    CHECK(c.macs.short_long == 1);
    CHECK(c.macs.short_short == 63);
    // A partial last step is padded with zeros (short).
    const PeRun d = pe->run(fast.data(), 6, modes);
    CHECK(d.cycles == 2);
    CHECK(d.steps == 2);
}

TEST_CASE("INT4 PE: 1, 2 and 4 cycles per pair by operand widths", "[pe]") {
    const auto pe = make_pe("int4");
    const OperandModes modes{Mode::signed_i8, Mode::unsigned_u8, true};
    const auto ss = repeat(kShortS, kShortU, 10);
    const auto sl = repeat(kShortS, kLongU, 10);
    const auto ls = repeat(kLongS, kShortU, 10);
    const auto ll = repeat(kLongS, kLongU, 10);
    CHECK(pe->run(ss.data(), ss.size(), modes).cycles == 10);
    CHECK(pe->run(sl.data(), sl.size(), modes).cycles == 20);
    CHECK(pe->run(ls.data(), ls.size(), modes).cycles == 20);
    CHECK(pe->run(ll.data(), ll.size(), modes).cycles == 40);
    CHECK(pe->run(sl.data(), sl.size(), modes).macs.short_long == 10);
}

TEST_CASE("INT8 PE timing does not depend on the data, codec off makes every operand long", "[pe]") {
    const auto pe = make_pe("int8");
    const OperandModes on{Mode::signed_i8, Mode::unsigned_u8, true};
    const OperandModes off{Mode::signed_i8, Mode::unsigned_u8, false};
    std::mt19937 rng(7);
    std::vector<OperandPair> pairs(101);
    for (auto& p : pairs) p = {static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
    CHECK(pe->run(pairs.data(), pairs.size(), on).cycles == 51);
    const auto ss = repeat(kShortS, kShortU, 101);
    CHECK(pe->run(ss.data(), ss.size(), on).cycles == 51);
    const PeRun r = pe->run(ss.data(), ss.size(), off);
    CHECK(r.cycles == 51);
    CHECK(r.macs.long_long == 101);
    const auto mixed = make_pe("mixed");
    CHECK(mixed->run(ss.data(), 100, off).cycles == 50);
}

TEST_CASE("the accumulator sums products of the decoded (approximated) values", "[pe]") {
    std::mt19937 rng(11);
    std::vector<OperandPair> pairs(257);
    for (auto& p : pairs) p = {static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
    for (const char* type : {"mixed", "int4", "int8"}) {
        const auto pe = make_pe(type);
        for (bool codec : {true, false}) {
            const OperandModes modes{Mode::signed_i8, Mode::unsigned_u8, codec};
            std::int64_t expected = 0;
            for (const auto& p : pairs) {
                const auto w = codec ? spark::codec::approximate(p.weight, Mode::signed_i8) : p.weight;
                const auto a = codec ? spark::codec::approximate(p.activation, Mode::unsigned_u8) : p.activation;
                expected += static_cast<std::int64_t>(static_cast<std::int8_t>(w)) * a;
            }
            const PeRun r = pe->run(pairs.data(), pairs.size(), modes);
            CHECK(r.accumulator == expected);
            CHECK(r.macs.total() == pairs.size());
        }
    }
}

TEST_CASE("unknown PE type names the text", "[pe]") {
    CHECK_THROWS_WITH(make_pe("int2"), Catch::Contains("int2"));
}

TEST_CASE("unit PE: f^2 lanes at the layer's precision, one cycle per step, exact products", "[pe]") {
    using spark::pe::UnitShape;
    const auto at = [](unsigned pmax, unsigned pmin, unsigned bits) {
        return spark::pe::make_pe(spark::pe::PeType::unit, UnitShape{pmax, pmin, bits});
    };
    CHECK(at(8, 4, 8)->lanes() == 1);    // one 8-bit MAC
    CHECK(at(8, 4, 4)->lanes() == 4);    // four 4-bit MACs
    CHECK(at(8, 4, 2)->lanes() == 4);    // packed no further than pmin
    CHECK(at(16, 16, 16)->lanes() == 1);
    CHECK(at(6, 6, 6)->lanes() == 1);
    CHECK(at(8, 2, 2)->lanes() == 16);
    CHECK(at(8, 4, 4)->peak_4bit_macs_per_cycle() == 4);
    CHECK(at(8, 4, 8)->step_cycles(true, true) == 1);
    CHECK(at(8, 4, 4)->multiply(-128, 255, true, true) == -128 * 255);
    CHECK_THROWS_WITH(at(8, 4, 16), Catch::Contains("16-bit operands do not fit a 8-bit unit"));
    CHECK_THROWS_AS(at(8, 9, 8), spark::Error);
    CHECK(spark::pe::parse_pe_type("unit") == spark::pe::PeType::unit);
}
