// SPDX-License-Identifier: Apache-2.0
// Throughput of the fast PE-array model on ResNet-50-sized layers: MACs evaluated per second (arithmetic, width
// classification and timing included). Run: build/benchmarks/bench_pe_array
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "spark/pe_array/pe_array.h"

using namespace spark::pe_array;

namespace {

// Long-tailed operands: mostly small magnitudes, as in quantised networks.
std::vector<std::uint8_t> laplace_bytes(std::size_t n, bool is_signed, double scale, unsigned seed) {
    std::mt19937 rng(seed);
    std::exponential_distribution<double> mag(1.0 / scale);
    std::bernoulli_distribution sign(0.5);
    std::vector<std::uint8_t> v(n);
    for (auto& x : v) {
        const double m = mag(rng);
        if (is_signed) {
            const int q = static_cast<int>(std::min(127.0, m)) * (sign(rng) ? -1 : 1);
            x = static_cast<std::uint8_t>(q);
        } else {
            x = static_cast<std::uint8_t>(std::min(255.0, m));
        }
    }
    return v;
}

void run(benchmark::State& state, const Layer& layer, spark::pe::PeType type, Dataflow df,
         SyncMode sync = SyncMode::array) {
    ArrayConfig cfg = ArrayConfig::defaults_for(type);
    cfg.dataflow = df;
    cfg.sync = sync;
    const auto w = laplace_bytes(layer.weight_count(), true, 6.0, 1);
    const auto a = laplace_bytes(layer.activation_count(), false, 8.0, 2);
    const PeArray array(cfg);
    std::uint64_t cycles = 0;
    for (auto _ : state) {
        const LayerResult r = array.run(layer, w, a);
        cycles = r.stats.cycles;
        benchmark::DoNotOptimize(r.output.data());
    }
    state.counters["MACs/s"] = benchmark::Counter(static_cast<double>(layer.macs()) * double(state.iterations()),
                                                  benchmark::Counter::kIsRate);
    state.counters["array_cycles"] = static_cast<double>(cycles);
}

// ResNet-50 conv4_x 3x3: 14 x 14 x 256 -> 256, 115.6 M MACs.
const Layer kConv3x3 = Layer::conv2d("res4_conv3x3", 1, 14, 14, 256, 256, 3, 1, 1);
// ResNet-50 conv2_x 1x1 expansion: 56 x 56 x 64 -> 256, 51.4 M MACs.
const Layer kConv1x1 = Layer::conv2d("res2_conv1x1", 1, 56, 56, 64, 256, 1);

}  // namespace

BENCHMARK_CAPTURE(run, conv3x3_mixed_ws, kConv3x3, spark::pe::PeType::mixed_width, Dataflow::weight_stationary)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_mixed_os, kConv3x3, spark::pe::PeType::mixed_width, Dataflow::output_stationary)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int4_ws, kConv3x3, spark::pe::PeType::int4_shift, Dataflow::weight_stationary)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int4_os, kConv3x3, spark::pe::PeType::int4_shift, Dataflow::output_stationary)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int8_ws, kConv3x3, spark::pe::PeType::int8, Dataflow::weight_stationary)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv1x1_mixed_ws, kConv1x1, spark::pe::PeType::mixed_width, Dataflow::weight_stationary)
    ->Unit(benchmark::kMillisecond);

// The decoupled synchronisation variants on the same 3x3 layer (default FIFO depth).
BENCHMARK_CAPTURE(run, conv3x3_mixed_ws_row, kConv3x3, spark::pe::PeType::mixed_width, Dataflow::weight_stationary,
                  SyncMode::row)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_mixed_ws_column, kConv3x3, spark::pe::PeType::mixed_width,
                  Dataflow::weight_stationary, SyncMode::column)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_mixed_ws_elastic, kConv3x3, spark::pe::PeType::mixed_width,
                  Dataflow::weight_stationary, SyncMode::elastic)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_mixed_os_row, kConv3x3, spark::pe::PeType::mixed_width, Dataflow::output_stationary,
                  SyncMode::row)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_mixed_os_elastic, kConv3x3, spark::pe::PeType::mixed_width,
                  Dataflow::output_stationary, SyncMode::elastic)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int4_ws_row, kConv3x3, spark::pe::PeType::int4_shift, Dataflow::weight_stationary,
                  SyncMode::row)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int4_ws_column, kConv3x3, spark::pe::PeType::int4_shift,
                  Dataflow::weight_stationary, SyncMode::column)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int4_ws_elastic, kConv3x3, spark::pe::PeType::int4_shift,
                  Dataflow::weight_stationary, SyncMode::elastic)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, conv3x3_int8_ws_elastic, kConv3x3, spark::pe::PeType::int8, Dataflow::weight_stationary,
                  SyncMode::elastic)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
