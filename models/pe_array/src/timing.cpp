// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/timing.h"

#include <algorithm>

#include "spark/common/error.h"

namespace spark::pe_array {

namespace {

struct StepTable {
    std::uint64_t none, weight, activation, both;
    // Whether a step holding a long-weight PE and a long-activation PE can be shorter than one holding a PE with
    // both: only then must the coincidences be found, the rest is counted per row and column.
    bool needs_coincidence;
};

StepTable step_table(const pe::ProcessingElement& pe) {
    StepTable t{pe.step_cycles(false, false), pe.step_cycles(true, false), pe.step_cycles(false, true),
                pe.step_cycles(true, true), false};
    t.needs_coincidence = t.both > std::max(t.weight, t.activation);
    return t;
}

// dst |= mask << offset, over 64-bit words.
void or_shifted(std::vector<std::uint64_t>& dst, const std::vector<std::uint64_t>& mask, std::size_t offset) {
    const std::size_t w = offset / 64, b = offset % 64;
    for (std::size_t q = 0; q < mask.size(); ++q) {
        if (!mask[q]) continue;
        dst[w + q] |= mask[q] << b;
        if (b) dst[w + q + 1] |= mask[q] >> (64 - b);
    }
}

// Counts of PE-steps by the widths a PE sees, and per-step "some active PE sees ..." flags kept as difference
// arrays (interval marks) plus a bitset for steps with a PE seeing both widths long.
struct StepAccumulator {
    std::size_t steps;
    std::vector<std::int32_t> mark_activation, mark_weight;
    std::vector<std::uint64_t> both;
    std::vector<std::uint64_t> mask;
    std::uint64_t n_none = 0, n_weight = 0, n_activation = 0, n_both = 0;

    StepAccumulator(std::size_t s, std::size_t mask_bits, bool coincidence)
        : steps(s), mark_activation(s + 1, 0), mark_weight(s + 1, 0) {
        if (coincidence) {
            both.assign(s / 64 + (mask_bits + 63) / 64 + 2, 0);
            mask.assign((mask_bits + 63) / 64, 0);
        }
    }
    void mark(std::vector<std::int32_t>& marks, std::size_t first, std::size_t length) {
        ++marks[first];
        --marks[first + length];
    }
    // One stream position of `rows` x `cols` PEs of which px rows / py columns carry a long operand.
    void count(std::uint64_t a_rows, std::uint64_t a_long, std::uint64_t w_cols, std::uint64_t w_long) {
        n_both += a_long * w_long;
        n_weight += w_long * (a_rows - a_long);
        n_activation += a_long * (w_cols - w_long);
        n_none += (a_rows - a_long) * (w_cols - w_long);
    }
};

// Active PEs per step: PEs (i, j) with i + j = d number min(d + 1, r, c, r + c - 1 - d); step s holds the
// diagonals d in [s - E + 1, s].
struct ActiveCount {
    std::vector<std::uint64_t> prefix;  // prefix[d + 1] = PEs on diagonals 0..d
    std::size_t stream;
    ActiveCount(std::size_t r, std::size_t c, std::size_t e) : prefix(r + c, 0), stream(e) {
        for (std::size_t d = 0; d + 1 < r + c; ++d)
            prefix[d + 1] = prefix[d] + std::min({d + 1, r, c, r + c - 1 - d});
    }
    std::uint64_t at(std::size_t s) const {
        const std::size_t hi = std::min(s + 1, prefix.size() - 1);
        const std::size_t lo = s + 1 > stream ? std::min(s + 1 - stream, prefix.size() - 1) : 0;
        return prefix[hi] - prefix[lo];
    }
};

void finish(const StepTable& table, const StepAccumulator& acc, const ActiveCount& active, TileTiming& out) {
    std::int64_t run_a = 0, run_w = 0;
    std::uint64_t weighted = 0;
    const bool coincidence = !acc.both.empty();
    for (std::size_t s = 0; s < acc.steps; ++s) {
        run_a += acc.mark_activation[s];
        run_w += acc.mark_weight[s];
        std::uint64_t cost;
        if (coincidence && ((acc.both[s / 64] >> (s % 64)) & 1)) {
            cost = table.both;
        } else {
            cost = table.none;
            if (run_w > 0) cost = std::max(cost, table.weight);
            if (run_a > 0) cost = std::max(cost, table.activation);
        }
        out.compute_cycles += cost;
        weighted += cost * active.at(s);
    }
    out.steps = acc.steps;
    out.busy_pe_cycles = table.none * acc.n_none + table.weight * acc.n_weight +
                         table.activation * acc.n_activation + table.both * acc.n_both;
    out.stalled_pe_cycles = weighted - out.busy_pe_cycles;
}

TileTiming time_output_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile) {
    const std::size_t r = tile.rows, c = tile.cols, E = g.groups;
    StepAccumulator acc(E + r + c - 2, c, table.needs_coincidence);
    TileTiming out;
    for (std::size_t t = 0; t < E; ++t) {
        const std::uint8_t* xa = g.a_long.data() + t * g.m + tile.m0;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        std::uint64_t px = 0, py = 0;
        for (std::size_t i = 0; i < r; ++i)
            if (xa[i]) {
                ++px;
                out.activation_long_values += xa[i];
                acc.mark(acc.mark_activation, i + t, c);
            }
        for (std::size_t j = 0; j < c; ++j)
            if (yw[j]) {
                ++py;
                out.weight_long_values += yw[j];
                acc.mark(acc.mark_weight, j + t, r);
            }
        acc.count(r, px, c, py);
        if (table.needs_coincidence && px && py) {
            std::fill(acc.mask.begin(), acc.mask.end(), 0);
            for (std::size_t j = 0; j < c; ++j)
                if (yw[j]) acc.mask[j / 64] |= std::uint64_t{1} << (j % 64);
            for (std::size_t i = 0; i < r; ++i)
                if (xa[i]) or_shifted(acc.both, acc.mask, i + t);
        }
    }
    finish(table, acc, ActiveCount(r, c, E), out);
    out.drain_cycles = r;
    out.activation_values = r * g.k;
    out.weight_values = c * g.k;
    out.outputs = r * c;
    return out;
}

TileTiming time_weight_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile,
                                  unsigned lanes) {
    const std::size_t r = tile.rows, c = tile.cols, E = g.m;
    StepAccumulator acc(E + r + c - 2, c, table.needs_coincidence);
    TileTiming out;
    for (std::size_t i = 0; i < r; ++i) {
        const std::size_t t = tile.g0 + i;
        const std::uint8_t* xa = g.a_long.data() + t * g.m;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        std::uint64_t px = 0, py = 0;
        for (std::size_t m = 0; m < E; ++m)
            if (xa[m]) {
                ++px;
                out.activation_long_values += xa[m];
                acc.mark(acc.mark_activation, m + i, c);
            }
        for (std::size_t j = 0; j < c; ++j)
            if (yw[j]) {
                ++py;
                out.weight_long_values += yw[j];
                acc.mark(acc.mark_weight, i + j, E);
            }
        acc.count(E, px, c, py);
        if (table.needs_coincidence && px && py) {
            std::fill(acc.mask.begin(), acc.mask.end(), 0);
            for (std::size_t j = 0; j < c; ++j)
                if (yw[j]) acc.mask[j / 64] |= std::uint64_t{1} << (j % 64);
            for (std::size_t m = 0; m < E; ++m)
                if (xa[m]) or_shifted(acc.both, acc.mask, m + i);
        }
    }
    finish(table, acc, ActiveCount(r, c, E), out);
    out.setup_cycles = r;
    const std::size_t k0 = tile.g0 * lanes;
    const std::size_t k_extent = std::min(g.k, (tile.g0 + r) * lanes) - k0;
    out.weight_values = k_extent * c;
    out.activation_values = E * k_extent;
    out.outputs = tile.last_k_tile ? E * c : 0;
    return out;
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
    const StepTable table = step_table(pe);
    const GemmInstance& g = layer.instances[tile.instance];
    TileTiming t = cfg.dataflow == Dataflow::output_stationary ? time_output_stationary(table, g, tile)
                                                               : time_weight_stationary(table, g, tile, layer.lanes);
    t.cycles = t.setup_cycles + t.compute_cycles + t.drain_cycles;
    t.idle_pe_cycles = std::uint64_t{cfg.rows} * cfg.cols * t.cycles - t.busy_pe_cycles - t.stalled_pe_cycles;
    return t;
}

}  // namespace spark::pe_array
