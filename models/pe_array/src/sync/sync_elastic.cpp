// SPDX-License-Identifier: Apache-2.0
// sync = elastic: every PE is its own unit, with FIFOs on the edges to its neighbours: it starts a step when the
// FIFOs from the left and from above hold its element and releases it when those to the right and below have room.
// The recurrence of sync.h is evaluated with one visit per PE-step, so this variant has its own tight loop: the
// unit grid is padded with a border of zeros (no neighbour = no constraint) and the times are 32-bit.
#include "synchroniser.h"

#include <cstring>
#include <limits>

#include "spark/common/error.h"

namespace spark::pe_array::detail {

namespace {

class SyncElastic final : public Synchroniser {
public:
    SyncMode mode() const override { return SyncMode::elastic; }
    ComputeTiming time(const StepTable& table, const TileView& v, unsigned fifo_depth) const override;
};

ComputeTiming SyncElastic::time(const StepTable& table, const TileView& v, unsigned fifo_depth) const {
    const std::size_t r = v.tile.rows, c = v.tile.cols, E = v.stream;
    // Every step costs the same (the INT8 PE): no PE ever waits for a FIFO and the lock-step times are exact.
    if (table.none == table.both) {
        ComputeTiming same = make_synchroniser(SyncMode::array)->time(table, v, fifo_depth);
        same.steps = r * c * E;
        return same;
    }
    if ((E + r + c) * table.both >= std::numeric_limits<std::uint32_t>::max())
        return time_units(SyncShape::of(SyncMode::elastic, r, c, E), table, v, fifo_depth);

    const GemmInstance& g = v.g;
    const Tile& t = v.tile;
    const bool os = v.dataflow == Dataflow::output_stationary;
    std::uint8_t lut[8];
    for (unsigned k = 0; k < 8; ++k) lut[k] = static_cast<std::uint8_t>(table.cost(k & 1, k & 2, k & 4));
    // Cost of PE (i, j) for an activation that is short (cost[0]) or long (cost[1]); weight-stationary weights are
    // fixed per PE, output-stationary ones change with the element (refilled per step, per column).
    std::vector<std::uint8_t> cost0(os ? c : r * c), cost1(os ? c : r * c);
    const auto fill = [&](std::uint8_t* c0, std::uint8_t* c1, const std::uint8_t* w_long, std::size_t n) {
        for (std::size_t j = 0; j < n; ++j) {
            const unsigned w = w_long[j] ? 1u : 0u;
            c0[j] = lut[w];
            c1[j] = lut[w | 2u | (w << 2)];
        }
    };
    if (!os)
        for (std::size_t i = 0; i < r; ++i)
            fill(cost0.data() + i * c, cost1.data() + i * c, g.w_long.data() + (t.g0 + i) * g.n + t.n0, c);

    const std::size_t W = c + 2;  // padded width: column 0 and c + 1 are the border
    const std::size_t cells = (r + 2) * W;
    const std::size_t d = fifo_depth;
    const bool bounded = d < E;
    const std::size_t ring = bounded ? d + 1 : 1;
    std::vector<std::uint32_t> release(cells, 0), start(ring * cells, 0), zero(cells, 0);
    std::uint64_t first_start = 0;
    for (std::size_t e = 0; e < E; ++e) {
        std::uint32_t* s_now = start.data() + (e % ring) * cells;
        const std::uint32_t* s_old = bounded && e >= d ? start.data() + ((e - d) % ring) * cells : zero.data();
        if (os) fill(cost0.data(), cost1.data(), g.w_long.data() + e * g.n + t.n0, c);
        const auto cost_row = [&](std::size_t i) {
            const bool a_long = os ? g.a_long[e * g.m + t.m0 + i] != 0 : g.a_long[(t.g0 + i) * g.m + e] != 0;
            return (a_long ? cost1.data() : cost0.data()) + (os ? 0 : i * c);
        };
        // PE (i, j) at element e: the release to its left is passed in, its own release comes back.
        const auto visit = [&](std::size_t x, std::uint32_t left, std::uint8_t cost) {
            const std::uint32_t s = std::max(std::max(release[x], release[x - W]), left);
            const std::uint32_t rel = std::max(s + cost, std::max(s_old[x + W], s_old[x + 1]));
            s_now[x] = s;
            release[x] = rel;
            return rel;
        };
        // Four rows at a time, each a column behind the one above: (i + k, j - k) for k = 0..3 do not depend on
        // each other, so four dependency chains along the rows overlap in the CPU.
        constexpr std::size_t kChains = 4;
        for (std::size_t i0 = 0; i0 < r; i0 += kChains) {
            const std::size_t n = std::min(kChains, r - i0);
            const std::uint8_t* cost[kChains];
            std::uint32_t left[kChains] = {0, 0, 0, 0};
            for (std::size_t k = 0; k < n; ++k) cost[k] = cost_row(i0 + k);
            const std::size_t x0 = (i0 + 1) * W + 1;
            const auto edge = [&](std::size_t j) {
                for (std::size_t k = 0; k < n; ++k)
                    if (j >= k && j - k < c) left[k] = visit(x0 + k * W + j - k, left[k], cost[k][j - k]);
            };
            if (n < kChains || c < kChains) {
                for (std::size_t j = 0; j + 1 < c + n; ++j) edge(j);
                continue;
            }
            for (std::size_t j = 0; j + 1 < kChains; ++j) edge(j);
            for (std::size_t j = kChains - 1; j < c; ++j) {  // every chain has a PE in this column range
                left[0] = visit(x0 + j, left[0], cost[0][j]);
                left[1] = visit(x0 + W + j - 1, left[1], cost[1][j - 1]);
                left[2] = visit(x0 + 2 * W + j - 2, left[2], cost[2][j - 2]);
                left[3] = visit(x0 + 3 * W + j - 3, left[3], cost[3][j - 3]);
            }
            for (std::size_t j = c; j + 1 < c + kChains; ++j) edge(j);
        }
        if (e == 0)
            for (std::size_t i = 0; i < r; ++i)
                for (std::size_t j = 0; j < c; ++j) first_start += s_now[(i + 1) * W + j + 1];
    }
    ComputeTiming out;
    std::uint64_t last_release = 0;
    for (std::size_t i = 0; i < r; ++i)
        for (std::size_t j = 0; j < c; ++j) {
            const std::uint32_t rel = release[(i + 1) * W + j + 1];
            last_release += rel;
            out.compute_cycles = std::max<std::uint64_t>(out.compute_cycles, rel);
        }
    out.steps = r * c * E;
    out.span_pe_cycles = last_release - first_start;
    return out;
}

}  // namespace

std::unique_ptr<Synchroniser> make_sync_elastic() { return std::make_unique<SyncElastic>(); }

}  // namespace spark::pe_array::detail
