// SPDX-License-Identifier: Apache-2.0
// The planners (what each layer does, step by step) and the timeline (when each step happens), without SystemC.
#include <catch2/catch.hpp>

#include <vector>

#include "spark/accelerator/plan.h"
#include "spark/accelerator/timeline.h"

using namespace spark::accelerator;

namespace {

TensorDesc feature_map(std::uint32_t n, std::uint32_t c, std::uint32_t h, std::uint32_t w) {
    TensorDesc t;
    t.rank = 4;
    t.dims = {n, c, h, w};
    t.layout = Layout::feature_map;
    return t;
}

TensorDesc matrix(std::uint32_t rows, std::uint32_t cols) {
    TensorDesc t;
    t.rank = 2;
    t.dims = {rows, cols, 0, 0};
    t.layout = Layout::matrix;
    return t;
}

// 3x3 convolution, padding 1: [1, 8, 16, 16] -> [1, 16, 16, 16]; weights [16, 72].
LayerDescriptor conv3x3() {
    LayerDescriptor d;
    d.opcode = Opcode::conv2d;
    d.kernel_h = d.kernel_w = 3;
    d.pad_h = d.pad_w = 1;
    d.input = feature_map(1, 8, 16, 16);
    d.output = feature_map(1, 16, 16, 16);
    d.weights = matrix(16, 72);
    return d;
}

TileBudget budget(std::uint64_t weight, std::uint64_t activation, std::uint64_t output) {
    return {weight, activation, output, 2 * weight, 2 * activation, 2 * output};
}

}  // namespace

TEST_CASE("conv: resident weights, one output row per tile, padding rows made at the edge") {
    // An output row is 16 x 16 values + a 4-byte entry = 260 bytes: one fits a 512-byte output tile; three input
    // rows of 8 x 16 + 4 = 132 bytes fit a 512-byte activation tile.
    const LayerPlan plan = plan_conv(conv3x3(), budget(2048, 512, 512));
    REQUIRE(plan.tiles.size() == 16);
    const TileStep& first = plan.tiles.front();
    REQUIRE(first.loads.size() == 2);
    CHECK(first.loads[0].source == Source::weights);
    CHECK(first.loads[0].count == 16);
    CHECK(first.loads[1].source == Source::input);
    CHECK(first.loads[1].first == 0);
    CHECK(first.loads[1].count == 2);  // rows 0..1; row -1 is padding
    CHECK(first.zero_rows_above == 1);
    CHECK(first.zero_rows_below == 0);
    CHECK(first.layer.in_h == 3);
    const TileStep& middle = plan.tiles[5];
    REQUIRE(middle.loads.size() == 1);  // the weights stay
    CHECK(middle.loads[0].first == 4);
    CHECK(middle.loads[0].count == 3);
    CHECK(middle.weight_chunks == 16);
    const TileStep& last = plan.tiles.back();
    CHECK(last.zero_rows_below == 1);
    CHECK(last.output.block_chunks == 1);
    CHECK(last.output.first);
    CHECK(last.output.last);
    CHECK(plan.output_chunks() == 16);
}

TEST_CASE("conv: weights that do not fit go in channel blocks, the input rows load once per row block") {
    // 72 + 4 bytes per output channel: two fit 200 bytes.
    const LayerPlan plan = plan_conv(conv3x3(), budget(200, 512, 512));
    REQUIRE(plan.tiles.size() == 16 * 8);
    for (std::size_t i = 0; i < 8; ++i) {
        const TileStep& t = plan.tiles[i];
        INFO("tile " << i);
        CHECK(t.loads.front().source == Source::weights);
        CHECK(t.loads.front().first == 2 * i);
        CHECK(t.loads.size() == (i == 0 ? 2u : 1u));
        CHECK(t.output.offset == 2 * i);
        CHECK(t.output.cols == 2);
        CHECK(t.output.block_stride == 16);
        CHECK(t.output.first == (i == 0));
        CHECK(t.output.last == (i == 7));
    }
}

TEST_CASE("conv: descriptors that cannot be right are refused before any tile") {
    LayerDescriptor wide = conv3x3();
    wide.output.dims[3] = 17;
    CHECK_THROWS_AS(plan_conv(wide, budget(2048, 512, 512)), PlanError);
    CHECK_THROWS_WITH(plan_conv(wide, budget(2048, 512, 512)), Catch::Contains("the input and window give 16x16"));
    LayerDescriptor zero_stride = conv3x3();
    zero_stride.stride_h = 0;
    CHECK_THROWS_AS(plan_conv(zero_stride, budget(2048, 512, 512)), PlanError);
    CHECK_THROWS_WITH(plan_conv(conv3x3(), budget(50, 512, 512)), Catch::Contains("exceed a weight-buffer tile"));
    CHECK_THROWS_WITH(plan_conv(conv3x3(), budget(2048, 300, 512)), Catch::Contains("activation-buffer tile"));
}

TEST_CASE("a layer whose plan would pass kMaxPlanTiles is refused before any tile is made") {
    // 16 tiles per image (above): one image more than 2^12 passes the limit. Descriptors are the driver's memory, so
    // a batch of 2^32 - 1 images must be refused as quickly.
    for (const std::uint32_t images : {static_cast<std::uint32_t>(kMaxPlanTiles / 16 + 1), 0xFFFFFFFFu}) {
        LayerDescriptor many = conv3x3();
        many.input.dims[0] = many.output.dims[0] = images;
        CHECK_THROWS_WITH(plan_conv(many, budget(2048, 512, 512)), Catch::Contains("more than 65536 tiles"));
    }
}

TEST_CASE("a requantisation multiplier of 2^31 or more is refused: the array could not round its products") {
    LayerDescriptor big = conv3x3();
    big.input.scale = 1e30;  // times weights 1.0 over output 1.0
    CHECK_THROWS_WITH(plan_conv(big, budget(2048, 512, 512)), Catch::Contains("requant.scale: must be below 2^31"));
    big.input.scale = 0x1.0p31 * 0.999;
    CHECK_NOTHROW(plan_conv(big, budget(2048, 512, 512)));
}

TEST_CASE("linear: output columns in weight-sized blocks, input rows in activation- and output-sized blocks") {
    LayerDescriptor d;
    d.opcode = Opcode::linear;
    d.input = matrix(6, 64);
    d.weights = matrix(10, 64);
    d.output = matrix(6, 10);
    // 68 bytes per weight row: 4 fit 300 -> blocks of 4, 4, 2; 68 per input row: 2 fit 150.
    const LayerPlan plan = plan_gemm(d, budget(300, 150, 1000));
    REQUIRE(plan.tiles.size() == 3 * 3);
    CHECK(plan.tiles[0].loads.size() == 2);
    CHECK(plan.tiles[1].loads.size() == 1);
    CHECK(plan.tiles[2].layer.n == 2);
    CHECK(plan.tiles[2].output.last);
    CHECK(plan.tiles[3].loads.back().first == 2);
    CHECK(plan.output_chunks() == 6);
    d.output = matrix(6, 11);
    CHECK_THROWS_WITH(plan_gemm(d, budget(300, 150, 1000)), Catch::Contains("output must hold 6 rows of 10"));
}

TEST_CASE("vector unit: whole operands when they fit, pooling strips when they do not, an error otherwise") {
    LayerDescriptor add;
    add.opcode = Opcode::add;
    add.input = add.input2 = add.output = feature_map(1, 4, 8, 8);
    const LayerPlan whole = plan_vector(add, budget(1024, 1024, 1024));
    REQUIRE(whole.tiles.size() == 1);
    REQUIRE(whole.tiles[0].loads.size() == 2);
    CHECK(whole.tiles[0].loads[1].buffer == BufferId::weight);
    CHECK(whole.tiles[0].unit == Unit::vector);
    // 8 rows of 4 x 8 + 4 = 36 bytes: 288 bytes per operand, more than a 200-byte buffer: blocks of 2 chunks
    // (72 bytes fit a 100-byte tile).
    const LayerPlan blocks = plan_vector(add, budget(100, 100, 1000));
    REQUIRE(blocks.tiles.size() == 4);
    CHECK(blocks.tiles[1].loads[0].first == 2);
    CHECK(blocks.tiles[1].loads[1].first == 2);
    CHECK(blocks.tiles[1].vector_output_first == 2);
    LayerDescriptor reshape;
    reshape.opcode = Opcode::reshape;
    reshape.input = feature_map(1, 4, 8, 8);
    reshape.output = matrix(1, 256);
    CHECK_THROWS_WITH(plan_vector(reshape, budget(100, 100, 100)), Catch::Contains("only pooling and element-wise"));

    LayerDescriptor pool;
    pool.opcode = Opcode::max_pool;
    pool.kernel_h = pool.kernel_w = 2;
    pool.stride_h = pool.stride_w = 2;
    pool.input = feature_map(2, 4, 8, 8);
    pool.output = feature_map(2, 4, 4, 4);
    // Input 16 rows x 36 bytes = 576 > 2 x 200: strips of output rows whose 2 x rows input rows fit 200 bytes.
    const LayerPlan strips = plan_vector(pool, budget(1000, 200, 1000));
    REQUIRE(strips.tiles.size() == 2 * 2);
    CHECK(strips.tiles[0].loads[0].count == 4);
    CHECK(strips.tiles[1].loads[0].first == 4);
    CHECK(strips.tiles[2].loads[0].first == 8);  // the second image
    CHECK(strips.tiles[2].vector_output_first == 4);
    CHECK(strips.tiles[3].vector_output_chunks == 2);
    CHECK(strips.output_chunks() == 8);

    // global_avg_pool on [2, 4, 8, 8] -> [2, 4, 1, 1]: blocks of 36-byte rows that fit 100 bytes (2 rows), the
    // image's output chunk with its last block.
    LayerDescriptor gap;
    gap.opcode = Opcode::global_avg_pool;
    gap.input = feature_map(2, 4, 8, 8);
    gap.output = feature_map(2, 4, 1, 1);
    const LayerPlan parts = plan_vector(gap, budget(100, 100, 100));
    REQUIRE(parts.tiles.size() == 2 * 4);
    CHECK(parts.tiles[0].loads[0].count == 2);
    CHECK_FALSE(parts.tiles[2].output.last);
    CHECK(parts.tiles[3].output.last);
    CHECK(parts.tiles[3].output.first);
    CHECK(parts.tiles[7].vector_output_first == 1);
    CHECK(parts.output_chunks() == 2);
    // An add whose second operand alone is too big for the weight buffer goes in blocks too.
    LayerDescriptor big_add = add;
    const LayerPlan add_blocks = plan_vector(big_add, {100, 1000, 1000, 200, 2000, 2000});
    CHECK(add_blocks.tiles.size() > 1);
}

namespace {

// Fixed durations, and a log of what was asked when.
struct FakeSteps : StepExecutor {
    std::uint64_t load_ticks, compute_cycles, store_ticks, output_cycles;
    std::vector<std::uint64_t> loads, computes, stores;
    FakeSteps(std::uint64_t l, std::uint64_t c, std::uint64_t s, std::uint64_t o = 0)
        : load_ticks(l), compute_cycles(c), store_ticks(s), output_cycles(o) {}
    std::uint64_t load(const LoadStep&, std::uint64_t issue) override {
        loads.push_back(issue);
        return issue + load_ticks;
    }
    TileTime compute(const TileStep&, std::uint64_t begin) override {
        computes.push_back(begin);
        return {compute_cycles, output_cycles};
    }
    std::uint64_t store(std::uint64_t issue) override {
        stores.push_back(issue);
        return issue + store_ticks;
    }
};

LayerPlan three_blocks() {
    LayerPlan p;
    for (int i = 0; i < 3; ++i) {
        TileStep t;
        t.loads.push_back(LoadStep{});
        p.tiles.push_back(t);
    }
    return p;
}

}  // namespace

TEST_CASE("timeline: loads run ahead under ping-pong, stores go out after the next tile's loads") {
    Timeline tl(0, 1, BufferPolicy{});
    FakeSteps steps(10, 20, 5);
    play(three_blocks(), tl, steps);
    CHECK(steps.loads == std::vector<std::uint64_t>{0, 10, 35});
    CHECK(steps.computes == std::vector<std::uint64_t>{10, 30, 50});
    CHECK(steps.stores == std::vector<std::uint64_t>{30, 50, 70});
    CHECK(tl.end() == 75);
    CHECK(tl.load_cycles() == 30);
    CHECK(tl.store_cycles() == 15);
    CHECK(tl.array_cycles() == 60);
    CHECK(tl.stall_cycles() == 0);
}

TEST_CASE("timeline: slow loads stall the array, single-buffered inputs wait for the compute") {
    Timeline fast_array(0, 2, BufferPolicy{});
    FakeSteps slow_loads(60, 10, 10);  // ticks, ticks, 10 cycles = 20 ticks
    play(three_blocks(), fast_array, slow_loads);
    CHECK(slow_loads.computes == std::vector<std::uint64_t>{60, 120, 190});
    CHECK(fast_array.stall_cycles() == (120 - 80) / 2 + (190 - 140) / 2);

    Timeline single(0, 1, BufferPolicy{true, false});
    FakeSteps steps(10, 20, 5);
    play(three_blocks(), single, steps);
    // Each load waits for the previous tile to finish computing.
    CHECK(steps.loads == std::vector<std::uint64_t>{0, 30, 60});
}

TEST_CASE("timeline: a block whose encoders outlast the array is stored once they are done") {
    Timeline tl(0, 1, BufferPolicy{});
    FakeSteps steps(10, 20, 5, 45);  // the encoders take 45 cycles from the tile's start
    play(three_blocks(), tl, steps);
    // The stores wait for them, and one block's encoding waits for the previous block's (55, 100, 145); the DMA
    // takes its work in order, so the third tile's load waits behind the second store, and that tile behind it.
    CHECK(steps.stores == std::vector<std::uint64_t>{55, 100, 145});
    CHECK(steps.loads == std::vector<std::uint64_t>{0, 10, 60});
    CHECK(steps.computes == std::vector<std::uint64_t>{10, 30, 70});
    CHECK(tl.end() == 150);
}
