// SPDX-License-Identifier: Apache-2.0
// How the PEs of the array keep in step: the synchronisation variants. Both the fast model (timing.h) and the
// cycle-level model (pe_array_sc.h) read the grouping from here, so the two play the same rules.
//
// A variant groups the PEs of a tile into *units* that advance in lock-step internally: the whole array (`array`),
// each PE row (`row`), each PE column (`column`) or each PE (`elastic`). Units form a grid; unit (a, b) takes
// operands from the unit above, (a - 1, b), and the unit to its left, (a, b - 1), through FIFOs of
// `fifo_depth` entries (one entry = one step's values on that edge). The rules, in cycles (a step that starts
// at time S with cost C finishes at F = S + C; times are clock edges):
//   start:   S_u(t) = max(R_u(t - 1), R_up(t), R_left(t))      (own previous step released, inputs present)
//   release: R_u(t) = max(F_u(t), S_down(t - d), S_right(t - d))  (room in every output FIFO of depth d)
// A unit's step lasts as long as its slowest active PE (step_cycles of pe.h); a unit hands its step's values on
// (operands to the right, weights or partial sums down) when it releases the step. Edge decoders always have
// the next value ready; values leaving the array at the right and bottom edges never block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spark::pe_array {

enum class SyncMode : std::uint8_t { array, row, column, elastic };

std::string_view to_string(SyncMode mode);
// Accepts "array", "row", "column", "elastic"; throws spark::Error naming the text.
SyncMode parse_sync_mode(std::string_view text);

// The units of one tile of `rows` x `cols` PEs with a stream of `stream` elements. PE (i, j) belongs to unit
// (unit_row(i), unit_col(j)) and works on stream element e in its unit's local step e + offset(i, j) (the skew
// that remains inside a unit). Every local step of a unit holds at least one active PE.
struct SyncShape {
    bool per_row = false;  // each PE row is its own unit row
    bool per_col = false;  // each PE column is its own unit column
    std::size_t rows = 0, cols = 0, stream = 0;

    static SyncShape of(SyncMode mode, std::size_t rows, std::size_t cols, std::size_t stream);

    std::size_t unit_rows() const { return per_row ? rows : 1; }
    std::size_t unit_cols() const { return per_col ? cols : 1; }
    std::size_t units() const { return unit_rows() * unit_cols(); }
    std::size_t unit_row(std::size_t i) const { return per_row ? i : 0; }
    std::size_t unit_col(std::size_t j) const { return per_col ? j : 0; }
    std::size_t unit_of(std::size_t i, std::size_t j) const { return unit_row(i) * unit_cols() + unit_col(j); }
    std::size_t offset(std::size_t i, std::size_t j) const { return (per_row ? 0 : i) + (per_col ? 0 : j); }
    // Local steps of every unit: the stream plus the skew inside the unit.
    std::size_t steps_per_unit() const { return stream + (per_row ? 0 : rows - 1) + (per_col ? 0 : cols - 1); }
};

}  // namespace spark::pe_array
