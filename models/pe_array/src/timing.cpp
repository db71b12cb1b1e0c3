// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/timing.h"

#include <algorithm>

#include "spark/common/error.h"
#include "sync/synchroniser.h"

namespace spark::pe_array {

namespace {

using detail::StepTable;

// PE-steps by the widths each PE sees: busy PE-cycles do not depend on how PEs synchronise.
struct WidthCount {
    std::uint64_t none = 0, weight = 0, activation = 0, both = 0;
    // One stream position (or one PE row) of `a_rows` x `w_cols` PE-steps, a_long / w_long of them long.
    void add(std::uint64_t a_rows, std::uint64_t a_long, std::uint64_t w_cols, std::uint64_t w_long) {
        both += a_long * w_long;
        weight += w_long * (a_rows - a_long);
        activation += a_long * (w_cols - w_long);
        none += (a_rows - a_long) * (w_cols - w_long);
    }
    std::uint64_t busy(const StepTable& t) const {
        return t.none * none + t.weight * weight + t.activation * activation + t.both * both;
    }
};

// Busy PE-cycles and operand values entering through the edge decoders.
void count_output_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile, TileTiming& out) {
    const std::size_t r = tile.rows, c = tile.cols;
    WidthCount n;
    for (std::size_t t = 0; t < g.groups; ++t) {
        const std::uint8_t* xa = g.a_long.data() + t * g.m + tile.m0;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        std::uint64_t px = 0, py = 0;
        for (std::size_t i = 0; i < r; ++i) {
            px += xa[i] != 0;
            out.activation_long_values += xa[i];
        }
        for (std::size_t j = 0; j < c; ++j) {
            py += yw[j] != 0;
            out.weight_long_values += yw[j];
        }
        n.add(r, px, c, py);
    }
    out.busy_pe_cycles = n.busy(table);
    out.activation_values = r * g.k;
    out.weight_values = c * g.k;
    out.outputs = r * c;
}

void count_weight_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile, unsigned lanes,
                             TileTiming& out) {
    const std::size_t r = tile.rows, c = tile.cols, E = g.m;
    WidthCount n;
    for (std::size_t i = 0; i < r; ++i) {
        const std::size_t t = tile.g0 + i;
        const std::uint8_t* xa = g.a_long.data() + t * g.m;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        std::uint64_t px = 0, py = 0;
        for (std::size_t m = 0; m < E; ++m) {
            px += xa[m] != 0;
            out.activation_long_values += xa[m];
        }
        for (std::size_t j = 0; j < c; ++j) {
            py += yw[j] != 0;
            out.weight_long_values += yw[j];
        }
        n.add(E, px, c, py);
    }
    out.busy_pe_cycles = n.busy(table);
    const std::size_t k0 = tile.g0 * lanes;
    const std::size_t k_extent = std::min(g.k, (tile.g0 + r) * lanes) - k0;
    out.weight_values = k_extent * c;
    out.activation_values = E * k_extent;
    out.outputs = tile.last_k_tile ? E * c : 0;
}

}  // namespace

std::vector<Tile> plan_tiles(const ArrayConfig& cfg, const PreparedLayer& layer) {
    std::vector<Tile> tiles;
    for (std::size_t inst = 0; inst < layer.instances.size(); ++inst) {
        const GemmInstance& g = layer.instances[inst];
        if (cfg.dataflow == Dataflow::output_stationary) {
            for (std::size_t m0 = 0; m0 < g.m; m0 += cfg.rows)
                for (std::size_t n0 = 0; n0 < g.n; n0 += cfg.cols)
                    tiles.push_back(Tile{inst, m0, n0, 0, std::min<std::size_t>(cfg.rows, g.m - m0),
                                         std::min<std::size_t>(cfg.cols, g.n - n0), true});
        } else {
            for (std::size_t n0 = 0; n0 < g.n; n0 += cfg.cols)
                for (std::size_t g0 = 0; g0 < g.groups; g0 += cfg.rows) {
                    const std::size_t rows = std::min<std::size_t>(cfg.rows, g.groups - g0);
                    tiles.push_back(Tile{inst, 0, n0, g0, rows, std::min<std::size_t>(cfg.cols, g.n - n0),
                                         g0 + rows == g.groups});
                }
        }
    }
    return tiles;
}

TileTiming time_tile(const ArrayConfig& cfg, const pe::ProcessingElement& pe, const PreparedLayer& layer,
                     const Tile& tile) {
    if (tile.instance >= layer.instances.size()) throw Error("time_tile: tile instance out of range");
    if (pe.lanes() != layer.lanes) throw Error("time_tile: the layer was prepared for a PE with other lanes");
    const StepTable table = StepTable::of(pe);
    const GemmInstance& g = layer.instances[tile.instance];
    const bool os = cfg.dataflow == Dataflow::output_stationary;
    TileTiming t;
    if (os) count_output_stationary(table, g, tile, t);
    else count_weight_stationary(table, g, tile, layer.lanes, t);
    const detail::TileView view{g, tile, cfg.dataflow, os ? g.groups : g.m};
    const detail::ComputeTiming c = detail::make_synchroniser(cfg.sync)->time(table, view, cfg.fifo_depth);
    t.compute_cycles = c.compute_cycles;
    t.steps = c.steps;
    t.stalled_pe_cycles = c.span_pe_cycles - t.busy_pe_cycles;
    t.setup_cycles = os ? 0 : tile.rows;
    t.drain_cycles = os ? tile.rows : 0;
    t.cycles = t.setup_cycles + t.compute_cycles + t.drain_cycles;
    t.idle_pe_cycles = std::uint64_t{cfg.rows} * cfg.cols * t.cycles - t.busy_pe_cycles - t.stalled_pe_cycles;
    return t;
}

}  // namespace spark::pe_array
