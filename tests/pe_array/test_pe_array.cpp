// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>
#include <vector>

#include "golden_reference.h"
#include "spark/common/error.h"
#include "spark/pe/factory.h"
#include "spark/pe_array/pe_array.h"

using namespace spark::pe_array;
using spark::codec::Mode;
using spark::pe::PeType;

namespace {

// Bytes that are short with probability `p_short` in `mode`, otherwise any byte.
std::vector<std::uint8_t> random_bytes(std::size_t n, Mode mode, double p_short, std::mt19937& rng) {
    std::vector<std::uint8_t> v(n);
    std::bernoulli_distribution shortish(p_short);
    for (auto& x : v) {
        if (shortish(rng)) {
            const int s = static_cast<int>(rng() % 8);
            x = static_cast<std::uint8_t>(mode == Mode::unsigned_u8 ? s : s - 4);
        } else {
            x = static_cast<std::uint8_t>(rng());
        }
    }
    return v;
}

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t value) { return std::vector<std::uint8_t>(n, value); }

ArrayConfig config(PeType type, Dataflow df, unsigned rows, unsigned cols, bool codec = true,
                   SyncMode sync = SyncMode::array, unsigned fifo_depth = ArrayConfig::DEFAULT_FIFO_DEPTH) {
    ArrayConfig cfg = ArrayConfig::defaults_for(type);
    cfg.rows = rows;
    cfg.cols = cols;
    cfg.dataflow = df;
    cfg.codec_enabled = codec;
    cfg.sync = sync;
    cfg.fifo_depth = fifo_depth;
    return cfg;
}

constexpr SyncMode kSyncModes[] = {SyncMode::array, SyncMode::row, SyncMode::column, SyncMode::elastic};

void check_functional(const ArrayConfig& cfg, const Layer& layer, std::mt19937& rng) {
    const auto w = random_bytes(layer.weight_count(), layer.weight_mode, 0.5, rng);
    const auto a = random_bytes(layer.activation_count(), layer.activation_mode, 0.5, rng);
    Layer keep = layer;
    keep.keep_accumulators = true;
    const LayerResult r = run_layer(cfg, keep, w, a);
    const auto acc = golden::accumulate(layer, w, a, cfg.codec_enabled);
    REQUIRE(r.accumulators == acc);
    REQUIRE(r.output == golden::requantise(layer, acc));
    REQUIRE(r.stats.macs.total() == layer.macs());
    REQUIRE(r.stats.busy_pe_cycles + r.stats.stalled_pe_cycles + r.stats.idle_pe_cycles ==
            r.stats.pe_count * r.stats.cycles);
}

void check_timing(const ArrayConfig& cfg, const Layer& layer, std::mt19937& rng, double p_short) {
    const auto w = random_bytes(layer.weight_count(), layer.weight_mode, p_short, rng);
    const auto a = random_bytes(layer.activation_count(), layer.activation_mode, p_short, rng);
    const PeArray array(cfg);
    const PreparedLayer p = array.prepare(layer, w, a);
    const LayerResult r = array.run(layer, w, a);
    const golden::Timing ref = golden::time_layer(cfg, array.pe(), p);
    INFO(to_string(cfg.pe_type) << " " << to_string(cfg.dataflow) << " " << cfg.rows << "x" << cfg.cols << " M="
                                << layer.gemm_m() << " N=" << layer.gemm_n() << " K=" << layer.gemm_k());
    REQUIRE(r.stats.cycles == ref.cycles);
    REQUIRE(r.stats.busy_pe_cycles == ref.busy_pe_cycles);
    REQUIRE(r.stats.stalled_pe_cycles == ref.stalled_pe_cycles);
}

}  // namespace

TEST_CASE("GEMM matches the naive loops over random shapes and edge tiles", "[pe_array][golden]") {
    std::mt19937 rng(1);
    for (int trial = 0; trial < 30; ++trial) {
        Layer l = Layer::gemm("fc", 1 + rng() % 40, 1 + rng() % 40, 1 + rng() % 70);
        l.activation_mode = trial % 2 ? Mode::signed_i8 : Mode::unsigned_u8;
        l.requant.scale = {0.01f + 0.001f * static_cast<float>(trial)};
        l.requant.zero_point = trial % 3 == 0 ? 5 : 0;
        l.requant.relu = trial % 4 == 0;
        const auto type = static_cast<PeType>(trial % 3);
        check_functional(config(type, trial % 2 ? Dataflow::output_stationary : Dataflow::weight_stationary,
                                unsigned(1 + rng() % 9), unsigned(1 + rng() % 9), trial % 5 != 0),
                         l, rng);
    }
}

TEST_CASE("convolution matches the naive loops: stride, padding, dilation, groups, depthwise",
          "[pe_array][golden]") {
    std::mt19937 rng(2);
    for (int trial = 0; trial < 40; ++trial) {
        const std::int64_t groups = trial % 4 == 0 ? 1 : 1 + rng() % 3;
        const bool depthwise = trial % 5 == 1;
        const std::int64_t in_c = depthwise ? 3 + rng() % 6 : groups * (1 + rng() % 5);
        const std::int64_t g = depthwise ? in_c : groups;
        const std::int64_t out_c = depthwise ? in_c * (1 + rng() % 2) : g * (1 + rng() % 5);
        const std::int64_t kernel = 1 + rng() % 3;
        const std::int64_t dilation = 1 + rng() % 2;
        const std::int64_t pad = rng() % 2;
        const std::int64_t min_in = dilation * (kernel - 1) + 1;
        Layer l = Layer::conv2d("conv", 1 + rng() % 2, min_in + rng() % 6, min_in + rng() % 6, in_c, out_c,
                                kernel, 1 + rng() % 2, pad, dilation, g);
        l.kernel_w = 1 + rng() % kernel;
        l.requant.scale = {0.02f};
        l.requant.output_mode = trial % 2 ? Mode::unsigned_u8 : Mode::signed_i8;
        const auto type = static_cast<PeType>(trial % 3);
        check_functional(config(type, trial % 2 ? Dataflow::output_stationary : Dataflow::weight_stationary,
                                unsigned(1 + rng() % 8), unsigned(1 + rng() % 8)),
                         l, rng);
    }
}

TEST_CASE("batched matmul (attention) matches the naive loops", "[pe_array][golden]") {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 12; ++trial) {
        Layer l = Layer::batched_matmul("attn", 1 + rng() % 4, 1 + rng() % 20, 1 + rng() % 20, 1 + rng() % 33);
        l.requant.scale = {0.005f};
        check_functional(config(static_cast<PeType>(trial % 3), Dataflow::output_stationary, 4, 5), l, rng);
    }
}

TEST_CASE("per-channel fixed-point requantisation with bias, zero point and ReLU", "[pe_array][golden]") {
    std::mt19937 rng(4);
    Layer l = Layer::conv2d("conv", 1, 6, 6, 4, 5, 3, 1, 1);
    l.requant.kind = Requant::Scale::fixed_point;
    l.requant.multiplier = {1000, 2000, 3000, 5000, 7000};
    l.requant.shift = {18, 18, 19, 20, 21};
    l.requant.bias = {-100, 0, 50, 200, -3000};
    l.requant.zero_point = 3;
    l.requant.relu = true;
    check_functional(ArrayConfig{}, l, rng);
    l.requant.output_mode = Mode::unsigned_u8;
    l.requant.zero_point = 128;
    l.requant.relu = false;
    check_functional(ArrayConfig{}, l, rng);
}

TEST_CASE("fast timing equals a PE-by-PE replay of the lock-step rule", "[pe_array][timing]") {
    std::mt19937 rng(5);
    for (int trial = 0; trial < 60; ++trial) {
        const auto type = static_cast<PeType>(trial % 3);
        const auto df = (trial / 3) % 2 ? Dataflow::output_stationary : Dataflow::weight_stationary;
        Layer l = trial % 4 == 3 ? Layer::conv2d("conv", 1, 3 + rng() % 4, 3 + rng() % 4, 1 + rng() % 6,
                                                 1 + rng() % 9, 1 + rng() % 3, 1, 1)
                                 : Layer::gemm("fc", 1 + rng() % 25, 1 + rng() % 25, 1 + rng() % 40);
        check_timing(config(type, df, unsigned(1 + rng() % 7), unsigned(1 + rng() % 7), trial % 7 != 0), l, rng,
                     0.3 + 0.1 * (trial % 7));
    }
    // Columns beyond one 64-bit word exercise the multi-word coincidence masks.
    Layer wide = Layer::gemm("wide", 20, 150, 9);
    check_timing(config(PeType::int4_shift, Dataflow::output_stationary, 3, 130), wide, rng, 0.7);
    check_timing(config(PeType::int4_shift, Dataflow::weight_stationary, 4, 70), wide, rng, 0.7);
}

TEST_CASE("all-short data runs 2x faster than all-long on the mixed-width PE, 4x on the INT4 PE",
          "[pe_array][timing]") {
    // Weights -2 / 64 and activations 5 / 200: short / long in their modes.
    Layer l = Layer::gemm("fc", 40, 40, 400);
    for (auto df : {Dataflow::weight_stationary, Dataflow::output_stationary}) {
        for (auto [type, ratio] : {std::pair{PeType::mixed_width, 2u}, std::pair{PeType::int4_shift, 4u}})
        for (SyncMode sync : kSyncModes) {
            INFO(to_string(sync) << " " << to_string(df) << " " << spark::pe::to_string(type));
            const ArrayConfig cfg = config(type, df, 8, 8, true, sync, 1);
            // Uniform data never stalls a unit, so every variant takes exactly the lock-step time.
            const auto lock_step = run_layer(config(type, df, 8, 8), l, filled(l.weight_count(), 0xFE),
                                             filled(l.activation_count(), 5));
            const auto fast = run_layer(cfg, l, filled(l.weight_count(), 0xFE), filled(l.activation_count(), 5));
            const auto slow = run_layer(cfg, l, filled(l.weight_count(), 64), filled(l.activation_count(), 200));
            // Every step is uniformly short or long, so compute time scales exactly; setup/drain do not.
            CHECK(slow.stats.compute_cycles == ratio * fast.stats.compute_cycles);
            CHECK(slow.stats.setup_cycles + slow.stats.drain_cycles ==
                  fast.stats.setup_cycles + fast.stats.drain_cycles);
            CHECK(fast.stats.macs.short_short == l.macs());
            CHECK(slow.stats.macs.long_long == l.macs());
            CHECK(fast.stats.stalled_pe_cycles == 0);
            CHECK(slow.stats.stalled_pe_cycles == 0);
            CHECK(fast.stats.cycles == lock_step.stats.cycles);
            const double measured = double(slow.stats.cycles) / double(fast.stats.cycles);
            CHECK(measured > 0.9 * ratio);
        }
    }
}

TEST_CASE("INT8 PE timing does not depend on the data", "[pe_array][timing]") {
    std::mt19937 rng(6);
    Layer l = Layer::gemm("fc", 37, 29, 83);
    for (auto df : {Dataflow::weight_stationary, Dataflow::output_stationary})
    for (SyncMode sync : kSyncModes) {
        const ArrayConfig cfg = config(PeType::int8, df, 8, 8, true, sync, 1);
        const auto a = run_layer(cfg, l, filled(l.weight_count(), 0xFE), filled(l.activation_count(), 5));
        const auto b = run_layer(cfg, l, filled(l.weight_count(), 64), filled(l.activation_count(), 200));
        const auto c = run_layer(cfg, l, random_bytes(l.weight_count(), Mode::signed_i8, 0.5, rng),
                                 random_bytes(l.activation_count(), Mode::unsigned_u8, 0.5, rng));
        CHECK(a.stats.cycles == b.stats.cycles);
        CHECK(a.stats.cycles == c.stats.cycles);
        CHECK(c.stats.stalled_pe_cycles == 0);
    }
}

TEST_CASE("one long operand stalls the whole step", "[pe_array][timing]") {
    // Output-stationary 2x2 tile, K = 4 (one step of the mixed-width PE): 3 steps of skew.
    Layer l = Layer::gemm("fc", 2, 2, 4);
    auto w = filled(l.weight_count(), 1);
    auto a = filled(l.activation_count(), 1);
    const ArrayConfig cfg = config(PeType::mixed_width, Dataflow::output_stationary, 2, 2);
    CHECK(run_layer(cfg, l, w, a).stats.cycles == 3 + 2);
    a[4] = 100;  // row 1 of A: active in steps 1 and 2 (PEs (1,0), (1,1))
    const auto r = run_layer(cfg, l, w, a);
    CHECK(r.stats.cycles == 1 + 2 + 2 + 2);
    CHECK(r.stats.busy_pe_cycles == 2 + 2 + 1 + 1);
    CHECK(r.stats.stalled_pe_cycles == 1);  // PE (0,1) waits for PE (1,0) in step 1
}

namespace {

struct Expect {
    SyncMode sync;
    unsigned fifo_depth;
    std::uint64_t cycles, busy, stalled;
};

void check_sync(const ArrayConfig& base, const Layer& l, const std::vector<std::uint8_t>& w,
                const std::vector<std::uint8_t>& a, std::initializer_list<Expect> expected) {
    for (const Expect& e : expected) {
        ArrayConfig cfg = base;
        cfg.sync = e.sync;
        cfg.fifo_depth = e.fifo_depth;
        const auto r = run_layer(cfg, l, w, a);
        INFO(to_string(e.sync) << " fifo_depth " << e.fifo_depth);
        CHECK(r.stats.cycles == e.cycles);
        CHECK(r.stats.busy_pe_cycles == e.busy);
        CHECK(r.stats.stalled_pe_cycles == e.stalled);
    }
}

}  // namespace

// The cycle tables of docs/pe_array.md, worked by hand.
TEST_CASE("sync variants on a 2x2 output-stationary tile: long activations in different rows",
          "[pe_array][sync]") {
    // Mixed-width PE, K = 12: three groups of four. Row 0 has a long activation in group 2, row 1 in group 0.
    Layer l = Layer::gemm("fc", 2, 2, 12);
    auto w = filled(l.weight_count(), 1);
    auto a = filled(l.activation_count(), 1);
    a[0 * 12 + 8] = 100;
    a[1 * 12 + 0] = 100;
    const ArrayConfig cfg = config(PeType::mixed_width, Dataflow::output_stationary, 2, 2);
    // compute + 2 drain cycles; busy = 4 PEs x (1 + 1 + 2).
    check_sync(cfg, l, w, a,
               {{SyncMode::array, 4, 8 + 2, 16, 6},
                {SyncMode::row, 4, 7 + 2, 16, 2},
                {SyncMode::column, 4, 8 + 2, 16, 5},
                {SyncMode::elastic, 4, 7 + 2, 16, 1}});
}

TEST_CASE("sync variants on a 2x3 weight-stationary tile of INT4 PEs", "[pe_array][sync]") {
    // K = 2 reduction groups (PE rows) x N = 3 channels, M = 3 output rows streaming. PE row 0 sees a long
    // activation for output row 0, PE row 1 for output row 2.
    Layer l = Layer::gemm("fc", 3, 3, 2);
    auto w = filled(l.weight_count(), 1);
    auto a = filled(l.activation_count(), 1);
    a[0 * 2 + 0] = 100;
    a[2 * 2 + 1] = 100;
    const ArrayConfig cfg = config(PeType::int4_shift, Dataflow::weight_stationary, 2, 3);
    // compute + 2 weight-load cycles; busy = 6 PEs x (2 + 1 + 1).
    check_sync(cfg, l, w, a,
               {{SyncMode::array, 4, 12 + 2, 24, 12},
                {SyncMode::row, 4, 12 + 2, 24, 9},
                {SyncMode::column, 4, 10 + 2, 24, 0},
                {SyncMode::elastic, 4, 10 + 2, 24, 0}});
}

TEST_CASE("a full FIFO stalls the producer: row and column decoupling with depth 1 and 2", "[pe_array][sync]") {
    // Mixed-width PE, K = 32: eight groups. Unit 0 is fast for four steps then slow, unit 1 the other way round;
    // with one FIFO entry unit 0 cannot run far enough ahead.
    Layer rows = Layer::gemm("fc", 2, 1, 32);
    auto a = filled(rows.activation_count(), 1);
    for (std::size_t k = 16; k < 32; ++k) a[k] = 100;       // output row 0: groups 4..7 long
    for (std::size_t k = 0; k < 16; ++k) a[32 + k] = 100;   // output row 1: groups 0..3 long
    const ArrayConfig cfg = config(PeType::mixed_width, Dataflow::output_stationary, 2, 1);
    check_sync(cfg, rows, filled(rows.weight_count(), 1), a,
               {{SyncMode::array, 4, 16 + 2, 24, 6},
                {SyncMode::column, 4, 16 + 2, 24, 6},
                {SyncMode::row, 1, 14 + 2, 24, 2},
                {SyncMode::row, 2, 13 + 2, 24, 0},
                {SyncMode::elastic, 1, 14 + 2, 24, 2},
                {SyncMode::elastic, 2, 13 + 2, 24, 0}});
    // The same along a row: weights stream down two columns, activations short.
    Layer cols = Layer::gemm("fc", 1, 2, 32);
    auto w = filled(cols.weight_count(), 1);
    for (std::size_t k = 16; k < 32; ++k) w[k] = 64;
    for (std::size_t k = 0; k < 16; ++k) w[32 + k] = 64;
    const ArrayConfig wide = config(PeType::mixed_width, Dataflow::output_stationary, 1, 2);
    check_sync(wide, cols, w, filled(cols.activation_count(), 1),
               {{SyncMode::array, 4, 16 + 1, 24, 6},
                {SyncMode::row, 4, 16 + 1, 24, 6},
                {SyncMode::column, 1, 14 + 1, 24, 2},
                {SyncMode::column, 2, 13 + 1, 24, 0}});
}

TEST_CASE("decoder and encoder activity", "[pe_array][stats]") {
    Layer l = Layer::gemm("fc", 8, 8, 8);
    const ArrayConfig cfg = config(PeType::mixed_width, Dataflow::output_stationary, 8, 8);
    auto w = filled(l.weight_count(), 1);
    auto a = filled(l.activation_count(), 200);
    const auto r = run_layer(cfg, l, w, a);
    CHECK(r.stats.decoder_values == 128);
    CHECK(r.stats.decoder_nibbles == 64 + 128);
    CHECK(r.stats.encoder_values == 64);
    const auto off = run_layer(config(PeType::int8, Dataflow::output_stationary, 8, 8, false), l, w, a);
    CHECK(off.stats.decoder_values == 0);
    CHECK(off.stats.encoder_values == 0);
    CHECK(off.stats.activation_values_in == 64);
    bool named = true;
    for (const auto& s : r.stats.table()) named &= !s.name.empty() && !s.unit.empty() && !s.description.empty();
    CHECK(named);
}

TEST_CASE("bad shapes are rejected with the layer and field named", "[pe_array][errors]") {
    const std::vector<std::uint8_t> none;
    const ArrayConfig cfg;
    const auto fails_with = [&](const Layer& l, const std::string& text) {
        CHECK_THROWS_WITH(run_layer(cfg, l, none, none), Catch::Contains(text) && Catch::Contains(l.name));
    };
    fails_with(Layer::gemm("fc0", 0, 4, 4), "m: must be positive");
    fails_with(Layer::gemm("fc1", 4, -2, 4), "n: must be positive");
    fails_with(Layer::batched_matmul("bmm", 0, 4, 4, 4), "batch");
    fails_with(Layer::conv2d("c1", 1, 4, 4, 3, 8, 7, 1, 1), "kernel_h");
    fails_with(Layer::conv2d("c2", 1, 8, 8, 6, 8, 3, 1, 1, 1, 4), "in_c");
    fails_with(Layer::conv2d("c3", 1, 8, 8, 8, 6, 3, 1, 1, 1, 4), "out_c");
    fails_with(Layer::conv2d("c4", 1, 8, 8, 8, 8, 3, 0), "stride_h");
    Layer dil = Layer::conv2d("c5", 1, 5, 5, 1, 1, 3, 1, 0, 3);
    fails_with(dil, "kernel_h");
    Layer neg = Layer::conv2d("c6", 1, 5, 5, 1, 1, 3);
    neg.pad_w = -1;
    fails_with(neg, "pad_w");
    fails_with(Layer::gemm("fc4", 2, 2, 70000), "k: reduction length");
    fails_with(Layer::conv2d("c7", 1, 3, 3, 8192, 1, 3, 1, 1), "in_c: reduction length");
    // Both operands unsigned: 255 x 255 per product, so only 33 025 terms fit int32.
    Layer uu = Layer::gemm("fc5", 1, 1, 40000);
    uu.weight_mode = spark::codec::Mode::unsigned_u8;
    fails_with(uu, "k: reduction length 40000 exceeds 33025 (both operands unsigned)");
    uu.k = 33025;
    CHECK_NOTHROW(uu.validate());
    Layer q = Layer::gemm("fc2", 2, 3, 4);
    q.requant.scale = {1.0f, 2.0f};
    fails_with(q, "requant.scale");
    Layer ok = Layer::gemm("fc3", 2, 3, 4);
    CHECK_THROWS_WITH(run_layer(cfg, ok, std::vector<std::uint8_t>(11), std::vector<std::uint8_t>(8)),
                      Catch::Contains("fc3") && Catch::Contains("weights"));
    ArrayConfig bad;
    bad.rows = 0;
    CHECK_THROWS_WITH(run_layer(bad, ok, none, none), Catch::Contains("rows"));
}

TEST_CASE("array config reads from JSON with per-type defaults", "[pe_array][config]") {
    const auto cfg = read_array_config(nlohmann::json{{"pe", "int4"}, {"dataflow", "os"}}, "arch.json");
    CHECK(cfg.rows == 64);
    CHECK(cfg.cols == 64);
    CHECK(cfg.dataflow == Dataflow::output_stationary);
    CHECK(ArrayConfig::defaults_for(PeType::int8).codec_enabled == false);
    CHECK_THROWS_WITH(read_array_config(nlohmann::json{{"rows", 0}}, "arch.json"), Catch::Contains("rows"));
    CHECK_THROWS_WITH(read_array_config(nlohmann::json{{"colums", 4}}, "arch.json"), Catch::Contains("colums"));
    CHECK(read_array_config(nlohmann::json::object(), "arch.json").sync == SyncMode::array);
    const auto row = read_array_config(nlohmann::json{{"sync", "row"}, {"fifo_depth", 2}}, "arch.json");
    CHECK(row.sync == SyncMode::row);
    CHECK(row.fifo_depth == 2);
    CHECK_THROWS_WITH(read_array_config(nlohmann::json{{"sync", "rows"}}, "arch.json"),
                      Catch::Contains("arch.json") && Catch::Contains("sync") && Catch::Contains("rows"));
    CHECK_THROWS_WITH(read_array_config(nlohmann::json{{"fifo_depth", 0}}, "arch.json"), Catch::Contains("fifo_depth"));
}
