// SPDX-License-Identifier: Apache-2.0
// sync = array: global lock-step. In step s, PE (i, j) works on stream element s - i - j; a step lasts as long as
// its slowest active PE. Counted per row and column instead of per PE: a step's cost depends only on whether
// some active PE sees a long weight, a long activation, or (INT4 PE) both at once.
#include "synchroniser.h"

namespace spark::pe_array::detail {

namespace {

// Per-step "some active PE sees ..." flags kept as difference arrays (interval marks) plus a bitset for steps
// with a PE seeing both widths long.
struct StepMarks {
    std::size_t steps;
    std::vector<std::int32_t> activation, weight;
    std::vector<std::uint64_t> both;
    std::vector<std::uint64_t> mask;

    StepMarks(std::size_t s, std::size_t mask_bits, bool coincidence)
        : steps(s), activation(s + 1, 0), weight(s + 1, 0) {
        if (coincidence) {
            both.assign(s / 64 + (mask_bits + 63) / 64 + 2, 0);
            mask.assign((mask_bits + 63) / 64, 0);
        }
    }
    static void mark(std::vector<std::int32_t>& marks, std::size_t first, std::size_t length) {
        ++marks[first];
        --marks[first + length];
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

ComputeTiming finish(const StepTable& table, const StepMarks& acc, const ActiveCount& active) {
    ComputeTiming out;
    std::int64_t run_a = 0, run_w = 0;
    const bool coincidence = !acc.both.empty();
    for (std::size_t s = 0; s < acc.steps; ++s) {
        run_a += acc.activation[s];
        run_w += acc.weight[s];
        const bool both = coincidence && ((acc.both[s / 64] >> (s % 64)) & 1);
        const std::uint64_t cost = table.cost(run_w > 0, run_a > 0, both);
        out.compute_cycles += cost;
        // Every active PE of the step is busy or stalled for the whole step.
        out.span_pe_cycles += cost * active.at(s);
    }
    out.steps = acc.steps;
    return out;
}

ComputeTiming time_output_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile) {
    const std::size_t r = tile.rows, c = tile.cols, E = g.groups;
    StepMarks acc(E + r + c - 2, c, table.needs_coincidence);
    for (std::size_t t = 0; t < E; ++t) {
        const std::uint8_t* xa = g.a_long.data() + t * g.m + tile.m0;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        bool any_a = false, any_w = false;
        for (std::size_t i = 0; i < r; ++i)
            if (xa[i]) {
                any_a = true;
                StepMarks::mark(acc.activation, i + t, c);
            }
        for (std::size_t j = 0; j < c; ++j)
            if (yw[j]) {
                any_w = true;
                StepMarks::mark(acc.weight, j + t, r);
            }
        if (table.needs_coincidence && any_a && any_w) {
            std::fill(acc.mask.begin(), acc.mask.end(), 0);
            for (std::size_t j = 0; j < c; ++j)
                if (yw[j]) acc.mask[j / 64] |= std::uint64_t{1} << (j % 64);
            for (std::size_t i = 0; i < r; ++i)
                if (xa[i]) or_shifted(acc.both.data(), acc.mask.data(), acc.mask.size(), i + t);
        }
    }
    return finish(table, acc, ActiveCount(r, c, E));
}

ComputeTiming time_weight_stationary(const StepTable& table, const GemmInstance& g, const Tile& tile) {
    const std::size_t r = tile.rows, c = tile.cols, E = g.m;
    StepMarks acc(E + r + c - 2, c, table.needs_coincidence);
    for (std::size_t i = 0; i < r; ++i) {
        const std::size_t t = tile.g0 + i;
        const std::uint8_t* xa = g.a_long.data() + t * g.m;
        const std::uint8_t* yw = g.w_long.data() + t * g.n + tile.n0;
        bool any_a = false, any_w = false;
        for (std::size_t m = 0; m < E; ++m)
            if (xa[m]) {
                any_a = true;
                StepMarks::mark(acc.activation, m + i, c);
            }
        for (std::size_t j = 0; j < c; ++j)
            if (yw[j]) {
                any_w = true;
                StepMarks::mark(acc.weight, i + j, E);
            }
        if (table.needs_coincidence && any_a && any_w) {
            std::fill(acc.mask.begin(), acc.mask.end(), 0);
            for (std::size_t j = 0; j < c; ++j)
                if (yw[j]) acc.mask[j / 64] |= std::uint64_t{1} << (j % 64);
            for (std::size_t m = 0; m < E; ++m)
                if (xa[m]) or_shifted(acc.both.data(), acc.mask.data(), acc.mask.size(), m + i);
        }
    }
    return finish(table, acc, ActiveCount(r, c, E));
}

class SyncArray final : public Synchroniser {
public:
    SyncMode mode() const override { return SyncMode::array; }
    ComputeTiming time(const StepTable& table, const TileView& t, unsigned) const override {
        return t.dataflow == Dataflow::output_stationary ? time_output_stationary(table, t.g, t.tile)
                                                         : time_weight_stationary(table, t.g, t.tile);
    }
};

}  // namespace

std::unique_ptr<Synchroniser> make_sync_array() { return std::make_unique<SyncArray>(); }

}  // namespace spark::pe_array::detail
