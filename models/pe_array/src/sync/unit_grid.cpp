// SPDX-License-Identifier: Apache-2.0
// The engine of the decoupled variants (row, column, elastic): per-unit step costs from the operand widths, then
// the start/release recurrence of sync.h, unit by unit and step by step.
#include "synchroniser.h"

namespace spark::pe_array::detail {

namespace {

std::size_t words_for(std::size_t bits) { return (bits + 63) / 64; }

void set_range(std::uint64_t* dst, std::size_t first, std::size_t length) {
    for (std::size_t b = first; b < first + length;) {
        const std::size_t w = b / 64, lo = b % 64;
        const std::size_t n = std::min<std::size_t>(64 - lo, first + length - b);
        const std::uint64_t bits = n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1) << lo;
        dst[w] |= bits;
        b += n;
    }
}

// Long-operand flags of a tile as bitsets over the stream (bit e = element e): activations per PE row in both
// dataflows; weights per PE column when they stream (output-stationary), per PE when they stay
// (weight-stationary).
struct TileWidths {
    std::size_t words;
    bool weights_stay;
    std::vector<std::uint64_t> activation;  // [rows][words]
    std::vector<std::uint64_t> weight;      // output-stationary: [cols][words]
    std::vector<std::uint8_t> weight_held;  // weight-stationary: [rows][cols]

    TileWidths(const TileView& v) : words(words_for(v.stream)), weights_stay(v.dataflow == Dataflow::weight_stationary) {
        const GemmInstance& g = v.g;
        const Tile& t = v.tile;
        activation.assign(t.rows * words, 0);
        if (!weights_stay) {
            weight.assign(t.cols * words, 0);
            for (std::size_t e = 0; e < v.stream; ++e) {
                const std::uint8_t* xa = g.a_long.data() + e * g.m + t.m0;
                const std::uint8_t* yw = g.w_long.data() + e * g.n + t.n0;
                const std::uint64_t bit = std::uint64_t{1} << (e % 64);
                for (std::size_t i = 0; i < t.rows; ++i)
                    if (xa[i]) activation[i * words + e / 64] |= bit;
                for (std::size_t j = 0; j < t.cols; ++j)
                    if (yw[j]) weight[j * words + e / 64] |= bit;
            }
        } else {
            weight_held.assign(t.rows * t.cols, 0);
            for (std::size_t i = 0; i < t.rows; ++i) {
                const std::uint8_t* xa = g.a_long.data() + (t.g0 + i) * g.m;
                for (std::size_t e = 0; e < v.stream; ++e)
                    if (xa[e]) activation[i * words + e / 64] |= std::uint64_t{1} << (e % 64);
                const std::uint8_t* yw = g.w_long.data() + (t.g0 + i) * g.n + t.n0;
                for (std::size_t j = 0; j < t.cols; ++j) weight_held[i * t.cols + j] = yw[j] ? 1 : 0;
            }
        }
    }
};

}  // namespace

ComputeTiming time_units(const SyncShape& shape, const StepTable& table, const TileView& view, unsigned fifo_depth) {
    const std::size_t E = shape.stream, T = shape.steps_per_unit();
    const std::size_t UR = shape.unit_rows(), UC = shape.unit_cols(), U = shape.units();
    const TileWidths widths(view);
    const std::size_t ew = widths.words;
    const std::size_t tw = words_for(T) + 2;  // room for shifted ORs

    // Per unit: bit t set when some active PE of local step t sees a long weight / activation / both.
    std::vector<std::uint64_t> any_w(U * tw, 0), any_a(U * tw, 0), any_b(table.needs_coincidence ? U * tw : 0, 0);
    std::vector<std::uint64_t> both(ew);
    for (std::size_t a = 0; a < UR; ++a)
        for (std::size_t b = 0; b < UC; ++b) {
            const std::size_t u = a * UC + b;
            const std::size_t i_first = shape.per_row ? a : 0, i_last = shape.per_row ? a + 1 : shape.rows;
            const std::size_t j_first = shape.per_col ? b : 0, j_last = shape.per_col ? b + 1 : shape.cols;
            for (std::size_t i = i_first; i < i_last; ++i) {
                const std::uint64_t* act = widths.activation.data() + i * ew;
                for (std::size_t j = j_first; j < j_last; ++j) {
                    const std::size_t o = shape.offset(i, j);
                    or_shifted(any_a.data() + u * tw, act, ew, o);
                    const std::uint64_t* wgt = nullptr;
                    if (!widths.weights_stay) {
                        wgt = widths.weight.data() + j * ew;
                        or_shifted(any_w.data() + u * tw, wgt, ew, o);
                    } else if (widths.weight_held[i * shape.cols + j]) {
                        set_range(any_w.data() + u * tw, o, E);
                    }
                    if (!any_b.empty()) {
                        if (wgt) {
                            for (std::size_t q = 0; q < ew; ++q) both[q] = act[q] & wgt[q];
                            or_shifted(any_b.data() + u * tw, both.data(), ew, o);
                        } else if (widths.weights_stay && widths.weight_held[i * shape.cols + j]) {
                            or_shifted(any_b.data() + u * tw, act, ew, o);
                        }
                    }
                }
            }
        }
    std::uint64_t lut[8];
    for (unsigned k = 0; k < 8; ++k) lut[k] = table.cost(k & 1, k & 2, k & 4);

    // PEs per offset (the same in every unit): a PE with offset o starts its first element in local step o and
    // releases its last in local step o + E - 1.
    std::vector<std::uint64_t> per_offset(T - E + 1, 0);
    for (std::size_t i = 0; i < (shape.per_row ? 1 : shape.rows); ++i)
        for (std::size_t j = 0; j < (shape.per_col ? 1 : shape.cols); ++j) ++per_offset[shape.offset(i, j)];

    // start/release recurrence (sync.h), local step by local step; unit u at step t reads the release of the units
    // above and to its left at step t (already computed) and the starts of the units below and to its right at
    // step t - d (kept in a ring of d + 1 steps).
    const std::size_t d = fifo_depth;
    const std::size_t ring = d < T ? d + 1 : 1;  // with d >= T no FIFO ever fills
    std::vector<std::uint64_t> start(ring * U, 0), release(U, 0);
    std::int64_t span = 0;
    for (std::size_t t = 0; t < T; ++t) {
        const std::size_t word = t / 64, bit = t % 64;
        std::uint64_t* s_now = start.data() + (t % ring) * U;
        const std::uint64_t* s_old = t >= d ? start.data() + ((t - d) % ring) * U : nullptr;
        for (std::size_t a = 0; a < UR; ++a)
            for (std::size_t b = 0; b < UC; ++b) {
                const std::size_t u = a * UC + b;
                std::uint64_t s = release[u];
                if (a > 0) s = std::max(s, release[u - UC]);
                if (b > 0) s = std::max(s, release[u - 1]);
                unsigned k = static_cast<unsigned>((any_w[u * tw + word] >> bit) & 1) |
                             static_cast<unsigned>(((any_a[u * tw + word] >> bit) & 1) << 1);
                if (!any_b.empty()) k |= static_cast<unsigned>(((any_b[u * tw + word] >> bit) & 1) << 2);
                std::uint64_t r = s + lut[k];
                if (s_old) {
                    if (a + 1 < UR) r = std::max(r, s_old[u + UC]);
                    if (b + 1 < UC) r = std::max(r, s_old[u + 1]);
                }
                s_now[u] = s;
                release[u] = r;
                if (t < per_offset.size()) span -= static_cast<std::int64_t>(per_offset[t] * s);
                if (t + 1 >= E && t + 1 - E < per_offset.size())
                    span += static_cast<std::int64_t>(per_offset[t + 1 - E] * r);
            }
    }
    ComputeTiming out;
    for (std::uint64_t r : release) out.compute_cycles = std::max(out.compute_cycles, r);
    out.steps = U * T;
    out.span_pe_cycles = static_cast<std::uint64_t>(span);
    return out;
}

}  // namespace spark::pe_array::detail
