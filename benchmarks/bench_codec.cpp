// SPDX-License-Identifier: Apache-2.0
// Throughput of the stream packer and unpacker in values per second (items_per_second in the report).
// Inputs are generated from a fixed seed so runs are comparable.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "spark/codec/stream.h"

namespace {

using spark::codec::Mode;

constexpr std::size_t kValues = 1 << 20;

enum class Mix { long_tailed, all_short, all_long };

// long_tailed: int8 values drawn from a Laplace distribution whose scale puts about 60% of them in the short
// range -4..3, the shape the source reports for quantised weights.
std::vector<std::uint8_t> make_values(Mix mix, std::size_t n) {
    std::mt19937_64 rng(20240301);
    std::vector<std::uint8_t> raw(n);
    switch (mix) {
    case Mix::long_tailed: {
        std::exponential_distribution<double> magnitude(1.0 / 4.4);
        std::bernoulli_distribution negative(0.5);
        for (auto& r : raw) {
            const double m = std::min(127.0, std::floor(magnitude(rng)));
            const int v = negative(rng) ? -static_cast<int>(m) - 1 : static_cast<int>(m);
            r = static_cast<std::uint8_t>(static_cast<std::int8_t>(v));
        }
        break;
    }
    case Mix::all_short: {
        std::uniform_int_distribution<int> v(-4, 3);
        for (auto& r : raw) r = static_cast<std::uint8_t>(static_cast<std::int8_t>(v(rng)));
        break;
    }
    case Mix::all_long: {
        std::uniform_int_distribution<int> v(4, 127);
        std::bernoulli_distribution negative(0.5);
        for (auto& r : raw) {
            const int x = v(rng);
            r = static_cast<std::uint8_t>(static_cast<std::int8_t>(negative(rng) ? -x - 1 : x));
        }
        break;
    }
    }
    return raw;
}

void report(benchmark::State& state, const std::vector<std::uint8_t>& raw) {
    const auto s = spark::codec::pack(raw, Mode::signed_i8);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(raw.size()));
    state.counters["share_short"] =
        1.0 - (static_cast<double>(s.nibbles) - static_cast<double>(raw.size())) / static_cast<double>(raw.size());
    state.counters["bits_per_value"] = 4.0 * static_cast<double>(s.nibbles) / static_cast<double>(raw.size());
}

void BM_encode(benchmark::State& state, Mix mix) {
    const auto raw = make_values(mix, kValues);
    spark::codec::EncodedStream s;
    s.bytes.reserve(raw.size());
    for (auto _ : state) {
        s.bytes.clear();
        s.nibbles = 0;
        s.values = 0;
        spark::codec::pack(raw.data(), raw.size(), Mode::signed_i8, s);
        benchmark::DoNotOptimize(s.bytes.data());
        benchmark::ClobberMemory();
    }
    report(state, raw);
}

void BM_decode(benchmark::State& state, Mix mix) {
    const auto raw = make_values(mix, kValues);
    const auto s = spark::codec::pack(raw, Mode::signed_i8);
    std::vector<std::uint8_t> out(raw.size());
    for (auto _ : state) {
        spark::codec::unpack(s, Mode::signed_i8, out.data(), out.size());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    report(state, raw);
}

}  // namespace

BENCHMARK_CAPTURE(BM_encode, long_tailed, Mix::long_tailed)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_encode, all_short, Mix::all_short)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_encode, all_long, Mix::all_long)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_decode, long_tailed, Mix::long_tailed)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_decode, all_short, Mix::all_short)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_decode, all_long, Mix::all_long)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
