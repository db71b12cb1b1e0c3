// SPDX-License-Identifier: Apache-2.0
// What a layer does, step by step, without SystemC: one planner per opcode family turns a descriptor and the
// buffers' tile sizes into the loads, array tiles and stores that run it. The timeline (timeline.h) plays the
// steps; the sequencer carries each one out over the accelerator's sockets.
//
// Tiling (the same for SPARK and raw INT8 storage: tiles are sized for one byte per value plus a 4-byte chunk
// table entry per chunk, the worst case of either, so the two differ only in bytes moved and cycles computed):
//   conv2d   output channels in blocks whose weights fit a weight tile (all of them when they fit: the weights
//            stay resident), output rows in blocks whose input rows fit an activation tile and whose output rows
//            fit an output tile; the input rows of a row block are loaded once and serve every channel block.
//   linear, matmul with transpose_b
//            B's rows (output columns) in blocks that fit a weight tile, input rows in blocks that fit an
//            activation and an output tile; per batch.
//   matmul   B of each batch whole in the weight buffer (stored [K][N], taken by columns), A's rows in blocks.
//   pooling, element-wise, layout
//            the vector unit: every input whole in a buffer (the first in the activation buffer, the second in
//            the weight buffer, both halves), one pass, the output whole. When they do not fit, a pooling layer goes
//            in strips of output rows per image, each with the input rows its windows read; global_avg_pool in
//            blocks of rows per image (the unit sums per channel across them); an element-wise layer (relu, add)
//            whose operands are chunked like its output in blocks of chunks. Other layers refuse.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "spark/accelerator/descriptor.h"
#include "spark/common/error.h"
#include "spark/pe_array/layer.h"

namespace spark::accelerator {

// A descriptor the planner refuses; the sequencer reports it as an invalid descriptor.
struct PlanError : Error {
    using Error::Error;
};

// The bytes one tile may take in each buffer (a half when double-buffered).
struct TileBudget {
    std::uint64_t weight_bytes = 0;
    std::uint64_t activation_bytes = 0;
    std::uint64_t output_bytes = 0;
    // Whole buffers, for the vector unit's operands.
    std::uint64_t weight_buffer_bytes = 0;
    std::uint64_t activation_buffer_bytes = 0;
    std::uint64_t output_buffer_bytes = 0;
};

enum class BufferId : std::uint8_t { weight, activation };
enum class Source : std::uint8_t { input, input2, weights };  // the descriptor's tensor a load reads
enum class Counter : std::uint8_t { weights_in, activations_in };  // where the record counts the bytes

// Chunks [first, first + count) of a tensor into a buffer.
struct LoadStep {
    BufferId buffer = BufferId::activation;
    Source source = Source::input;
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    Counter counter = Counter::activations_in;
    bool whole_buffer = false;  // the vector unit's operands take the whole buffer, not a ping-pong half
};

// Where a tile's outputs go: the output block is `block_chunks` chunks of `block_stride` x positions values;
// this tile fills columns [offset, offset + cols) of every position.
struct OutputPiece {
    std::uint64_t block_chunks = 0;
    std::uint64_t block_stride = 0;
    std::uint64_t offset = 0;
    std::uint64_t cols = 0;
    bool first = true;  // the block's first tile
    bool last = true;   // its last: the block is encoded and, after the next tile's loads, stored
    bool whole_buffer = false;  // the block takes the whole output buffer, not a ping-pong half
};

enum class Unit : std::uint8_t { array, vector };

struct TileStep {
    Unit unit = Unit::array;
    std::vector<LoadStep> loads;  // back to back on the DMA, then the tile computes
    pe_array::Layer layer;        // the tile as the array runs it
    // The tile computes on the last weight and activation chunks loaded (a load-free tile reuses them).
    std::uint64_t weight_chunks = 0, activation_chunks = 0;
    std::uint64_t zero_rows_above = 0, zero_rows_below = 0;  // convolution padding made at the array's edge
    bool weights_by_rows = false;                             // matmul's B, stored [K][N]
    // Vector unit: the output chunks this step produces (the whole output, or a pooling strip's rows).
    std::uint64_t vector_output_first = 0, vector_output_chunks = 0;
    OutputPiece output;
};

struct LayerPlan {
    std::vector<TileStep> tiles;  // in order; array tiles, or vector-unit passes
    std::uint64_t output_chunks() const;
};

// Most tiles (array tiles or vector passes) one layer's plan may hold. A plan is a list in memory built before the
// layer runs, and its length follows from descriptor fields alone (images, rows, channels against the tile sizes),
// which are the driver's memory: past this a descriptor is refused before any tile is made, so no descriptor costs
// more than this many tiles of host memory and time. No shipped network or test comes near it.
inline constexpr std::uint64_t kMaxPlanTiles = std::uint64_t{1} << 16;

// Throws PlanError naming what does not fit or does not match (a plan longer than kMaxPlanTiles among them).
LayerPlan plan_layer(const LayerDescriptor& d, const TileBudget& budget);
LayerPlan plan_conv(const LayerDescriptor& d, const TileBudget& budget);
LayerPlan plan_gemm(const LayerDescriptor& d, const TileBudget& budget);  // linear, matmul with transpose_b
LayerPlan plan_matmul(const LayerDescriptor& d, const TileBudget& budget);
LayerPlan plan_vector(const LayerDescriptor& d, const TileBudget& budget);

// The array's requantisation for operands of scales a and b into an output of scale `out_scale`: one float
// multiplier a * b / out, rounded to nearest.
pe_array::Requant make_requant(double a_scale, double b_scale, double out_scale, std::int32_t out_zero_point,
                               bool out_signed, bool relu);

}  // namespace spark::accelerator
