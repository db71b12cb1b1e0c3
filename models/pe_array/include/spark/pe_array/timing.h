// SPDX-License-Identifier: Apache-2.0
// The array's timing rules, evaluated without per-cycle events. The cycle-level SystemC model
// (pe_array_sc.h) plays the same rules clock by clock; the two must agree exactly.
//
// Synchronisation (ArrayConfig::sync, sync.h): with `array` the rule below holds for the whole array; `row`,
// `column` and `elastic` apply it inside each PE row, column or PE and couple those units through FIFOs.
// Lock-step: the array advances in steps. In step s, PE (i, j) works on stream element e = s - i - j (the skew
// of a systolic array) if 0 <= e < E; a step lasts as long as its slowest active PE, the others stall. A PE's
// step takes step_cycles(any weight long in its lanes, any activation long in its lanes) cycles (pe.h).
//   output_stationary tile (r output rows x c output channels): the stream is the K reduction in groups of
//     `lanes` (E = ceil(K / lanes)); then drain: r cycles to shift the accumulators out to the encoders at the
//     bottom edge.
//   weight_stationary tile (r reduction groups x c output channels): first r cycles to shift the weights in
//     from the top edge; the stream is the M activation rows (E = M); partial sums leave at the bottom edge
//     inside the last step's skew, so there is no separate drain.
// Steps per tile: E + r + c - 2 (fill and drain of the skew included).
#pragma once

#include <cstdint>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/prepared.h"

namespace spark::pe_array {

// One pass of the array. output_stationary: output rows [m0, m0 + rows) x channels [n0, n0 + cols), the whole
// reduction. weight_stationary: reduction groups [g0, g0 + rows) (k from g0 * lanes) x channels
// [n0, n0 + cols), every output row; its outputs are partial sums, final after the tile with last_k_tile set.
struct Tile {
    std::size_t instance = 0;
    std::size_t m0 = 0, n0 = 0, g0 = 0;
    std::size_t rows = 0, cols = 0;
    bool last_k_tile = true;
};

// Output-stationary: instance, then output-row tiles, then channel tiles. Weight-stationary: instance, then
// channel tiles, then reduction tiles (so each channel block's partial sums complete in turn).
std::vector<Tile> plan_tiles(const ArrayConfig& cfg, const PreparedLayer& layer);

struct TileTiming {
    std::uint64_t cycles = 0;          // setup + compute + drain
    std::uint64_t setup_cycles = 0;    // weight load (weight_stationary)
    std::uint64_t compute_cycles = 0;  // from the first step's start to the last release (sync.h)
    std::uint64_t drain_cycles = 0;    // accumulator drain (output_stationary)
    std::uint64_t steps = 0;              // steps of the synchronisation units, summed over units
    std::uint64_t busy_pe_cycles = 0;     // PE-cycles spent on its own step
    std::uint64_t stalled_pe_cycles = 0;  // PE-cycles a PE waits between its first start and its last release
    std::uint64_t idle_pe_cycles = 0;     // the rest of rows x cols x cycles (skew, edge tiles, setup, drain)
    std::uint64_t weight_values = 0, weight_long_values = 0;          // entering through the edge decoders
    std::uint64_t activation_values = 0, activation_long_values = 0;
    std::uint64_t outputs = 0;  // final outputs leaving the array (to the encoders)
};

TileTiming time_tile(const ArrayConfig& cfg, const pe::ProcessingElement& pe, const PreparedLayer& layer,
                     const Tile& tile);

}  // namespace spark::pe_array
