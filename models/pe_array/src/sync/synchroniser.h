// SPDX-License-Identifier: Apache-2.0
// One interface per synchronisation variant (sync.h) of the fast model: the timing of one tile's compute phase.
// Each variant lives in its own file; make_synchroniser picks one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/prepared.h"
#include "spark/pe_array/sync.h"
#include "spark/pe_array/timing.h"

namespace spark::pe_array::detail {

struct StepTable {
    std::uint64_t none, weight, activation, both;
    // Whether a step holding a long-weight PE and a long-activation PE can be shorter than one holding a PE with
    // both: only then must the coincidences be found, the rest is counted per row and column.
    bool needs_coincidence;

    static StepTable of(const pe::ProcessingElement& pe) {
        StepTable t{pe.step_cycles(false, false), pe.step_cycles(true, false), pe.step_cycles(false, true),
                    pe.step_cycles(true, true), false};
        t.needs_coincidence = t.both > std::max(t.weight, t.activation);
        return t;
    }
    // A step in which some active PE sees a long weight (w), a long activation (a), both at once (b). The table
    // is monotone (pe::check_step_table), so the slowest PE decides.
    std::uint64_t cost(bool w, bool a, bool b) const {
        if (b || (w && a && !needs_coincidence)) return both;
        std::uint64_t c = none;
        if (w) c = std::max(c, weight);
        if (a) c = std::max(c, activation);
        return c;
    }
};

// What a tile hands a synchroniser: the lowered GEMM instance, the tile and the dataflow.
struct TileView {
    const GemmInstance& g;
    const Tile& tile;
    Dataflow dataflow;
    std::size_t stream;  // E: groups (output-stationary) or output rows (weight-stationary)
};

// The synchroniser's share of TileTiming: compute_cycles, steps, and the PE-cycles between each PE's first
// start and last release in the tile (busy + stalled).
struct ComputeTiming {
    std::uint64_t compute_cycles = 0;
    std::uint64_t steps = 0;
    std::uint64_t span_pe_cycles = 0;
};

class Synchroniser {
public:
    virtual ~Synchroniser() = default;
    virtual SyncMode mode() const = 0;
    virtual ComputeTiming time(const StepTable& table, const TileView& tile, unsigned fifo_depth) const = 0;
};

std::unique_ptr<Synchroniser> make_synchroniser(SyncMode mode);

// dst |= mask << offset, over 64-bit words (dst must hold the shifted bits and one spare word).
inline void or_shifted(std::uint64_t* dst, const std::uint64_t* mask, std::size_t words, std::size_t offset) {
    const std::size_t w = offset / 64, b = offset % 64;
    for (std::size_t q = 0; q < words; ++q) {
        if (!mask[q]) continue;
        dst[w + q] |= mask[q] << b;
        if (b) dst[w + q + 1] |= mask[q] >> (64 - b);
    }
}

// The decoupled variants (row, column, elastic) share one engine: per-unit step costs from the operand widths,
// then the start/release recurrence of sync.h over the unit grid.
ComputeTiming time_units(const SyncShape& shape, const StepTable& table, const TileView& tile, unsigned fifo_depth);

}  // namespace spark::pe_array::detail
