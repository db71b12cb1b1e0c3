// SPDX-License-Identifier: Apache-2.0
// The registry, the edge cases every format shares, and the fixed-width formats' round trips and layouts.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "spark/codec/codec.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/formats/format.h"
#include "format_test_data.h"

using namespace spark::formats;

namespace {

using test::f32_at;
using test::laplace;

std::vector<float> round_trip(const Format& f, const std::vector<float>& x, const Options& o = {}) {
    return f.decode(f.encode(x.data(), x.size(), o));
}

}  // namespace

TEST_CASE("the registry knows every format and names an unknown one", "[formats]") {
    const auto& names = format_names();
    REQUIRE(names.size() == 10);
    for (const auto name : names) {
        const auto f = make_format(name);
        CHECK(f->name() == name);
        CHECK_FALSE(f->description().empty());
    }
    CHECK_THROWS_AS(make_format("fp8"), spark::Error);
    CHECK_THROWS_WITH(make_format("fp8"), Catch::Contains("unknown format 'fp8'") && Catch::Contains("olive") &&
                                              Catch::Contains("int16"));
}

TEST_CASE("every format: empty, single, all-zero and non-finite input", "[formats]") {
    for (const auto name : format_names()) {
        INFO(name);
        const auto f = make_format(name);
        // Length 0: the metadata alone; nothing decoded.
        const Encoded empty = f->encode(nullptr, 0);
        CHECK(empty.values == 0);
        CHECK(f->decode(empty).empty());
        // Length 1 and all zero: exact.
        const std::vector<float> one{-0.75f};
        const auto back = round_trip(*f, one);
        REQUIRE(back.size() == 1);
        CHECK(std::fabs(back[0] + 0.75f) < 0.2f);
        const std::vector<float> zeros(37, 0.0f);
        CHECK(round_trip(*f, zeros) == zeros);
        const Measurement m = measure(*f, zeros.data(), zeros.size());
        CHECK(std::isnan(m.sqnr_db()));
        CHECK(m.max_abs_error == 0.0);
        // NaN and infinities: a spark::Error naming the element.
        std::vector<float> bad{1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN()};
        CHECK_THROWS_WITH(f->encode(bad.data(), bad.size()),
                          Catch::Contains(std::string(name)) && Catch::Contains("element 2 is NaN"));
        bad[2] = -std::numeric_limits<float>::infinity();
        CHECK_THROWS_WITH(f->encode(bad.data(), bad.size()), Catch::Contains("element 2 is -Inf"));
        // Another format's bytes and cut bytes are refused.
        Encoded e = f->encode(one.data(), 1);
        Encoded other = e;
        other.format = name == "int8" ? "int16" : "int8";
        CHECK_THROWS_AS(f->decode(other), spark::Error);
        e.bytes.pop_back();
        CHECK_THROWS_AS(f->decode(e), spark::Error);
    }
}

TEST_CASE("extreme magnitudes stay finite", "[formats]") {
    const std::vector<float> x{std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(), 1.0f,
                               std::numeric_limits<float>::denorm_min()};
    for (const auto name : format_names()) {
        INFO(name);
        for (const float v : round_trip(*make_format(name), x)) CHECK(std::isfinite(v));
    }
    const std::vector<float> tiny{std::numeric_limits<float>::denorm_min(), 0.0f};
    for (const auto name : format_names()) {
        INFO(name);
        for (const float v : round_trip(*make_format(name), tiny)) CHECK(std::isfinite(v));
    }
}

TEST_CASE("int8, bitfusion8 and int16: the scale, then two's complement values", "[formats][int]") {
    const std::vector<float> x = laplace(1001, 0.05, 1);
    double max = 0.0;
    for (const float v : x) max = std::max(max, double(std::fabs(v)));
    for (const auto& [name, bits, qmax] : {std::tuple{"int8", 8, 127}, std::tuple{"bitfusion8", 8, 127},
                                          std::tuple{"int16", 16, 32767}}) {
        INFO(name);
        const auto f = make_format(name);
        const Encoded e = f->encode(x.data(), x.size());
        REQUIRE(e.bytes.size() == 4 + x.size() * std::size_t(bits / 8));
        const float scale = f32_at(e.bytes, 0);
        CHECK(scale == static_cast<float>(max / qmax));
        const auto back = f->decode(e);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double q = std::nearbyint(double(x[i]) / scale);
            CHECK(std::abs(q) <= qmax);
            const int stored = bits == 8 ? int(static_cast<std::int8_t>(e.bytes[4 + i]))
                                         : int(static_cast<std::int16_t>(e.bytes[4 + 2 * i] | e.bytes[5 + 2 * i] << 8));
            REQUIRE(stored == int(q));
            REQUIRE(back[i] == static_cast<float>(q * scale));
        }
        const Measurement m = measure(*f, x.data(), x.size());
        CHECK(m.stored_bits == 32 + std::uint64_t(bits) * x.size());
        CHECK(m.metadata_bits == 32);
        CHECK(m.bits_per_value() == Approx(bits + 32.0 / 1001));
        CHECK(m.outlier_share() == 0.0);
    }
    // A value code -128 is never written; a decoder refuses it.
    const auto f = make_format("int8");
    Encoded e = f->encode(x.data(), 2);
    e.bytes[4] = 0x80;
    CHECK_THROWS_WITH(f->decode(e), Catch::Contains("outside the symmetric range"));
}

TEST_CASE("bitfusion4: two values a byte, the first in the high half", "[formats][int]") {
    const auto f = make_format("bitfusion4");
    const std::vector<float> x{0.7f, -0.7f, 0.1f};
    const Encoded e = f->encode(x.data(), x.size());
    REQUIRE(e.bytes.size() == 4 + 2);
    CHECK(f32_at(e.bytes, 0) == 0.1f);
    CHECK(e.bytes[4] == 0x79);  // 7, -7
    CHECK(e.bytes[5] == 0x10);  // 1, pad 0
    CHECK(e.metadata_bits == 36);
    const auto back = f->decode(e);
    CHECK(back == std::vector<float>{0.7f, -0.7f, 0.1f});
    Encoded bad = e;
    bad.bytes[5] = 0x11;
    CHECK_THROWS_WITH(f->decode(bad), Catch::Contains("pad nibble"));
}

TEST_CASE("spark: INT8 through the SPARK code, bits from the packed stream", "[formats][spark]") {
    const auto f = make_format("spark");
    // A tensor with negative values: symmetric int8, signed mode. A non-negative one: uint8, unsigned mode.
    std::vector<float> nonneg = laplace(4000, 0.02, 3);
    for (auto& v : nonneg) v = std::fabs(v);
    for (const auto& [x, mode, qmax] : {std::tuple{laplace(5000, 0.02, 2), spark::codec::Mode::signed_i8, 127},
                                        std::tuple{nonneg, spark::codec::Mode::unsigned_u8, 255}}) {
        INFO(qmax);
        const Encoded e = f->encode(x.data(), x.size());
        CHECK(e.bytes.at(0) == (mode == spark::codec::Mode::signed_i8 ? 1 : 0));
        const float scale = f32_at(e.bytes, 1);
        double max = 0.0;
        for (const float v : x) max = std::max(max, double(std::fabs(v)));
        CHECK(scale == static_cast<float>(max / qmax));
        std::vector<std::uint8_t> raw(x.size());
        for (std::size_t i = 0; i < x.size(); ++i)
            raw[i] = static_cast<std::uint8_t>(int(std::nearbyint(double(x[i]) / scale)));
        const auto stream = spark::codec::pack(raw, mode);
        CHECK(std::vector<std::uint8_t>(e.bytes.begin() + 5, e.bytes.end()) == stream.bytes);
        CHECK(e.outliers == stream.nibbles - x.size());
        const auto back = f->decode(e);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const int coded = spark::codec::to_int(spark::codec::approximate(raw[i], mode), mode);
            REQUIRE(back[i] == static_cast<float>(coded * double(scale)));
        }
        const Measurement m = measure(*f, x.data(), x.size());
        CHECK(m.stored_bits == 40 + 8 * ((stream.nibbles + 1) / 2));
        CHECK(m.outlier_share() == Approx(double(stream.nibbles - x.size()) / double(x.size())));
        // A byte too many after the stream is refused.
        Encoded longer = e;
        longer.bytes.push_back(0);
        CHECK_THROWS_AS(f->decode(longer), spark::Error);
    }
}

TEST_CASE("adafloat: the reference quantizer, exponent bias from the maximum", "[formats][adafloat]") {
    const auto f = make_format("adafloat");
    const std::vector<float> x = laplace(3000, 0.1, 3);
    for (const int eb : {4, 3}) {
        INFO(eb);
        Options o;
        o.adafloat_exponent_bits = eb;
        const Encoded e = f->encode(x.data(), x.size(), o);
        REQUIRE(e.bytes.size() == 3 + x.size());
        CHECK(e.bytes[0] == eb);
        double max = 0.0;
        for (const float v : x) max = std::max(max, double(std::fabs(v)));
        const int m = 7 - eb;
        const int bias = int(std::floor(std::log2(max))) - ((1 << eb) - 1);
        CHECK(static_cast<std::int16_t>(e.bytes[1] | e.bytes[2] << 8) == bias);
        const double min_value = std::ldexp(1.0 + std::ldexp(1.0, -m), bias);
        const double max_value = std::ldexp(2.0 - std::ldexp(1.0, -m), bias + (1 << eb) - 1);
        const auto back = f->decode(e);
        for (std::size_t i = 0; i < x.size(); ++i) {
            // The AdaptivFloat algorithm restated: flush, clamp, round the mantissa.
            double a = std::fabs(double(x[i]));
            double q = 0.0;
            if (a >= 0.5 * min_value) {
                a = std::min(std::max(a, min_value), max_value);
                const double p = std::floor(std::log2(a));
                q = std::ldexp(std::nearbyint(std::ldexp(a, -int(p) + m)), int(p) - m);
            }
            REQUIRE(back[i] == static_cast<float>(x[i] < 0 ? -q : q));
        }
        CHECK(e.metadata_bits == 24);
    }
    Options bad;
    bad.adafloat_exponent_bits = 7;
    CHECK_THROWS_WITH(f->encode(x.data(), x.size(), bad), Catch::Contains("exponent bits"));
}

TEST_CASE("measure pools tensors", "[formats]") {
    const auto f = make_format("int8");
    const std::vector<float> a = laplace(100, 1.0, 4), b = laplace(300, 0.01, 5);
    Measurement total = measure(*f, a.data(), a.size());
    const Measurement mb = measure(*f, b.data(), b.size());
    const double signal = total.signal_energy + mb.signal_energy;
    total += mb;
    CHECK(total.values == 400);
    CHECK(total.stored_bits == 2 * 32 + 8 * 400);
    CHECK(total.signal_energy == signal);
    CHECK(std::isfinite(total.sqnr_db()));
}

TEST_CASE("decoders give values or a spark::Error on damaged bytes, never a crash", "[formats]") {
    std::mt19937 rng(13);
    const std::vector<float> x = laplace(301, 0.1, 6);
    for (const auto name : format_names()) {
        INFO(name);
        const auto f = make_format(name);
        const Encoded good = f->encode(x.data(), x.size());
        for (int trial = 0; trial < 300; ++trial) {
            Encoded e = good;
            switch (trial % 3) {
            case 0:  // flip a few bits
                for (int k = 0; k < 3; ++k)
                    e.bytes[rng() % e.bytes.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                break;
            case 1:  // cut
                e.bytes.resize(rng() % e.bytes.size());
                break;
            default:  // a value count that does not match the bytes
                e.values = rng() % 2 ? good.values + 1 + rng() % 1000 : rng() % good.values;
                break;
            }
            try {
                const auto back = f->decode(e);
                CHECK(back.size() == e.values);
            } catch (const spark::Error&) {
            }
        }
        Encoded huge = good;
        huge.values = std::uint64_t(1) << 60;  // refused before anything is sized by the count
        CHECK_THROWS_AS(f->decode(huge), spark::Error);
    }
}
