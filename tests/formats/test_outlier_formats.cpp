// SPDX-License-Identifier: Apache-2.0
// ANT's type choice, OliVe's outlier-victim pairs, OLAccel's outlier list and BiScaled's index, on hand-made data
// whose bytes are known.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "spark/common/error.h"
#include "spark/formats/format.h"
#include "format_test_data.h"

using namespace spark::formats;

namespace {

using test::f32_at;
using test::laplace;

std::vector<float> scaled(std::vector<double> levels, double s) {
    std::vector<float> x;
    for (int rep = 0; rep < 3; ++rep)
        for (const double l : levels) x.push_back(static_cast<float>(l * s));
    return x;
}

std::string ant_choice(const std::vector<float>& x) {
    const Encoded e = make_format("ant")->encode(x.data(), x.size());
    return std::string(to_string(static_cast<AntType>(e.bytes.at(0))));
}

}  // namespace

TEST_CASE("ant: a forced type and scale give the nearest level, ties to the lower one", "[formats][ant]") {
    const auto f = make_format("ant");
    Options o;
    o.ant_type = AntType::pot4;
    o.scale = 1.0;
    const std::vector<float> x{0.0f, 1.0f, 2.9f, 3.0f, 3.1f, -64.0f, 100.0f, -0.4f, 0.6f};
    const Encoded e = f->encode(x.data(), x.size(), o);
    REQUIRE(e.bytes.size() == 1 + 4 + 5);
    CHECK(e.bytes[0] == 2);  // pot4
    CHECK(f32_at(e.bytes, 1) == 1.0f);
    CHECK(std::vector<std::uint8_t>(e.bytes.begin() + 5, e.bytes.end()) ==
          std::vector<std::uint8_t>{0x01, 0x22, 0x3F, 0x70, 0x10});
    CHECK(f->decode(e) == std::vector<float>{0, 1, 2, 2, 4, -64, 64, 0, 1});
    CHECK(e.metadata_bits == 8 + 32 + 4);
    o.ant_type = AntType::uint4;
    CHECK_THROWS_WITH(f->encode(x.data(), x.size(), o), Catch::Contains("unsigned"));
}

TEST_CASE("ant: the type whose grid fits the tensor wins", "[formats][ant]") {
    CHECK(ant_choice(scaled({1, 2, 4, 8, 16, 32, 64, -1, -2, -4, -8, -16, -32, -64}, 0.01)) == "pot4");
    CHECK(ant_choice(scaled({-7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}, 0.1)) == "int4");
    CHECK(ant_choice(scaled({0, 1, 2, 3, 4, 6, 8, 16, -1, -2, -3, -4, -6, -8, -16}, 0.5)) == "flint4");
    CHECK(ant_choice(scaled({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 0.1)) == "uint4");
    CHECK(ant_choice(scaled({0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64}, 0.1)) == "uflint4");
}

TEST_CASE("ant: the searched type and scale have the least squared error of the search grid", "[formats][ant]") {
    const auto f = make_format("ant");
    const std::vector<float> x = laplace(3000, 0.05, 7);
    double max = 0.0;
    for (const float v : x) max = std::max(max, double(std::fabs(v)));
    const Measurement chosen = measure(*f, x.data(), x.size());
    double best = INFINITY;
    for (const AntType t : {AntType::int4, AntType::flint4, AntType::pot4}) {
        for (int percent = 75; percent < 150; ++percent) {
            Options o;
            o.ant_type = t;
            o.scale = static_cast<float>(max * percent / 100.0 / ant_grid_max(t));
            best = std::min(best, measure(*f, x.data(), x.size(), o).noise_energy);
        }
    }
    CHECK(chosen.noise_energy == Approx(best).epsilon(1e-9));
    CHECK(chosen.stored_bits == 8 * (5 + 1500));
}

TEST_CASE("olive: outlier-victim pairs on a hand-made sequence", "[formats][olive]") {
    const auto f = make_format("olive");
    Options o;
    o.scale = 1.0;  // one grid unit: normal values 4k, outliers 48..384
    const std::vector<float> x{4, 100, 200, 8, 300, -400, 12, 16, -5, -60, 50};
    const Encoded e = f->encode(x.data(), x.size(), o);
    REQUIRE(e.bytes.size() == 4 + 6);
    CHECK(f32_at(e.bytes, 0) == 1.0f);
    // (4, 100): the odd element is the outlier (96), the even one its victim.
    // (200, 8): 192 and a victim. (300, -400): both outliers, the even one wins (256).
    // (12, 16): normal, 3 and 4. (-5, -60): -60 -> -64, the victim -5. (50): 48, the pad is its victim.
    CHECK(std::vector<std::uint8_t>(e.bytes.begin() + 4, e.bytes.end()) ==
          std::vector<std::uint8_t>{0x83, 0x58, 0x68, 0x34, 0x8A, 0x18});
    CHECK(e.outliers == 5);
    CHECK(f->decode(e) == std::vector<float>{0, 96, 192, 0, 256, 0, 12, 16, 0, -64, 48});
    // The boundary between the normal range and the outliers lies half-way between 28 and 48.
    const std::vector<float> edge{38.0f, 0.0f, 38.5f, 0.0f};
    CHECK(f->decode(f->encode(edge.data(), edge.size(), o)) == std::vector<float>{28, 0, 48, 0});
}

TEST_CASE("olive: exactly 4 bits per value and one scale, whatever the outliers", "[formats][olive]") {
    const auto f = make_format("olive");
    for (const std::size_t n : {1000u, 1001u}) {
        std::vector<float> x = laplace(n, 0.05, 8);
        x[17] = 3.0f;
        x[500] = -5.0f;
        const Measurement m = measure(*f, x.data(), x.size());
        CHECK(m.stored_bits == 32 + 8 * ((n + 1) / 2));
        CHECK(m.outliers >= 2);
        CHECK(m.max_abs_error < 1.0);
    }
    // Two identifiers in one pair, or an abfloat code for 32, are not OliVe's.
    const std::vector<float> x{1.0f, 2.0f};
    Encoded e = f->encode(x.data(), x.size());
    e.bytes[4] = 0x88;
    CHECK_THROWS_WITH(f->decode(e), Catch::Contains("two victim identifiers"));
    e.bytes[4] = 0x08;
    CHECK_THROWS_WITH(f->decode(e), Catch::Contains("unused"));
}

TEST_CASE("olaccel: dense int4, outliers in a gap-coded list", "[formats][olaccel]") {
    const auto f = make_format("olaccel");
    std::vector<float> x(1000);
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (auto& v : x) v = u(rng);
    x[10] = 50.0f;
    x[300] = -80.0f;  // 289 positions after the previous outlier: an escape (255), then 34
    x[301] = 100.0f;  // right after: gap 0
    Options o;
    o.olaccel_percentile = 99.7;
    const Encoded e = f->encode(x.data(), x.size(), o);
    REQUIRE(e.bytes.size() == 12 + 500 + 3 * 3 + 1);
    CHECK(e.outliers == 3);
    CHECK(e.metadata_bits == 96 + 8 * 4);
    const float threshold = f32_at(e.bytes, 0), step = f32_at(e.bytes, 4);
    CHECK(threshold > 0.99f);
    CHECK(threshold < 1.2f);
    CHECK(step == static_cast<float>((100.0 - threshold) / 32767));
    CHECK(e.bytes[8] == 3);
    CHECK(e.bytes[512] == 10);
    CHECK(e.bytes[515] == 255);
    CHECK(e.bytes[516] == 34);
    CHECK(e.bytes[519] == 0);
    const auto back = f->decode(e);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::fabs(x[i]) > threshold) {
            CHECK(std::fabs(back[i] - x[i]) <= 0.5 * step * 1.001);
            CHECK((back[i] < 0) == (x[i] < 0));
        } else {
            const double s = threshold / 7.0;
            REQUIRE(back[i] == static_cast<float>(std::nearbyint(x[i] / s) * s));
        }
    }
    o.olaccel_percentile = 40;
    CHECK_THROWS_WITH(f->encode(x.data(), x.size(), o), Catch::Contains("percentile"));
}

TEST_CASE("olaccel: the default 97th percentile makes 3 % outliers, bits as laid out", "[formats][olaccel]") {
    const auto f = make_format("olaccel");
    std::vector<float> x(10000);
    std::mt19937 rng(10);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (auto& v : x) v = g(rng);
    const Encoded e = f->encode(x.data(), x.size());
    CHECK(e.outliers == 300);
    const float threshold = f32_at(e.bytes, 0);
    std::size_t cursor = 0, escapes = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::fabs(x[i]) <= threshold) continue;
        escapes += (i - cursor) / 255;
        cursor = i + 1;
    }
    CHECK(e.stored_bits() == 8 * (12 + 5000 + 3 * 300 + escapes));
    const Measurement m = measure(*f, x.data(), x.size());
    CHECK(m.outlier_share() == 0.03);
    CHECK(m.bits_per_value() == Approx(4.0 + 0.03 * 24 + (96 + 8.0 * double(escapes)) / 10000));
}

namespace {

std::uint32_t bits_at(const std::vector<std::uint8_t>& b, std::size_t& pos, int n) {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i, ++pos) v = (v << 1) | ((b.at(pos / 8) >> (7 - pos % 8)) & 1u);
    return v;
}

}  // namespace

TEST_CASE("biscaled: 6-bit codes, then a count and offsets per block of 64", "[formats][biscaled]") {
    const auto f = make_format("biscaled");
    std::vector<float> x(200);
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (auto& v : x) v = u(rng);
    x[5] = 10.0f;
    x[70] = -20.0f;
    x[71] = 30.0f;
    x[199] = -40.0f;
    Options o;
    o.biscaled_threshold = 1.0;
    const Encoded e = f->encode(x.data(), x.size(), o);
    const std::uint64_t stream_bits = 6 * 200 + 7 * 4 + 6 * 4;
    REQUIRE(e.bytes.size() == 8 + (stream_bits + 7) / 8);
    CHECK(e.outliers == 4);
    CHECK(e.metadata_bits == 64 + 7 * 4 + 6 * 4 + (8 * ((stream_bits + 7) / 8) - stream_bits));
    const float fine = f32_at(e.bytes, 0), wide = f32_at(e.bytes, 4);
    CHECK(fine == static_cast<float>(1.0 / 31));
    CHECK(wide == static_cast<float>(40.0 / 31));
    const std::vector<std::uint8_t> stream(e.bytes.begin() + 8, e.bytes.end());
    std::size_t pos = 6 * 200;
    CHECK(bits_at(stream, pos, 7) == 1);
    CHECK(bits_at(stream, pos, 6) == 5);
    CHECK(bits_at(stream, pos, 7) == 2);
    CHECK(bits_at(stream, pos, 6) == 6);
    CHECK(bits_at(stream, pos, 6) == 7);
    CHECK(bits_at(stream, pos, 7) == 0);
    CHECK(bits_at(stream, pos, 7) == 1);
    CHECK(bits_at(stream, pos, 6) == 7);
    const auto back = f->decode(e);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const bool is_wide = i == 5 || i == 70 || i == 71 || i == 199;
        const double s = is_wide ? wide : fine;
        REQUIRE(back[i] == static_cast<float>(std::nearbyint(x[i] / s) * s));
        std::size_t code_pos = 6 * i;
        const std::uint32_t code = bits_at(stream, code_pos, 6);
        CHECK(int(code & 0x20 ? int(code) - 64 : int(code)) == int(std::nearbyint(x[i] / s)));
    }
    // Offset 7 of block 1 turned into a second 6 is refused: its last bit is stream bit 1200 + 7 + 6 + 7 + 5.
    Encoded bad = e;
    const std::size_t bit = 64 + 1200 + 7 + 6 + 7 + 5;
    bad.bytes[bit / 8] ^= static_cast<std::uint8_t>(0x80u >> (bit % 8));
    CHECK_THROWS_WITH(f->decode(bad), Catch::Contains("out of order"));
}

TEST_CASE("biscaled: the search gives the long tail its own scale", "[formats][biscaled]") {
    const auto f = make_format("biscaled");
    std::vector<float> x = laplace(20000, 0.02, 12);
    const Measurement m = measure(*f, x.data(), x.size());
    CHECK(m.outliers > 0);
    CHECK(m.outlier_share() <= 0.1 + 1e-9);
    Options single;
    double max = 0.0;
    for (const float v : x) max = std::max(max, double(std::fabs(v)));
    single.biscaled_threshold = max;  // one scale: nothing is wide
    const Measurement one = measure(*f, x.data(), x.size(), single);
    CHECK(one.outliers == 0);
    CHECK(m.sqnr_db() > one.sqnr_db() + 1.0);
    CHECK(m.bits_per_value() > 6.0);
    CHECK(m.bits_per_value() < 7.0);
}
