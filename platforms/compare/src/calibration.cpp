// SPDX-License-Identifier: Apache-2.0
#include "spark/compare/calibration.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::compare {

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }
double ceil_div(double a, double b) { return std::ceil(a / b); }

// The five tiled loops; K is never tiled.
enum Loop { B, OW, OH, IC, OC, LOOPS };
constexpr std::array<const char*, LOOPS> kLoopNames = {"B", "OW", "OH", "IC", "OC"};
enum Space { WGT, ACT, OUT, SPACES };
// Which tensors a loop indexes: only those grow when the loop is taken into a buffer.
constexpr bool kIndexes[LOOPS][SPACES] = {
    /* B  */ {false, true, true},
    /* OW */ {false, true, true},
    /* OH */ {false, true, true},
    /* IC */ {true, true, false},
    /* OC */ {true, false, true},
};

struct Tiling {
    std::array<std::uint64_t, LOOPS> count{};  // tiles along the loop
    std::array<std::uint64_t, LOOPS> size{};   // tile size
};

struct Eval {
    std::uint64_t cycles = 0, stalls = 0, compute = 0;
    double dram_read = 0, dram_write = 0;
    std::array<double, SPACES> sram_read{}, sram_write{};
    double tie_pj = 0;
};

}  // namespace

std::vector<ConvShape> calibration_layers(const workload::Network& network, std::uint64_t batch) {
    std::vector<ConvShape> out;
    for (const auto& l : network.layers) {
        ConvShape s;
        s.layer = l.name;
        if (l.kind == workload::LayerKind::conv2d) {
            const auto& in = l.input_shapes.at(0);
            const auto& o = l.output.shape;
            s.batch = batch * static_cast<std::uint64_t>(o[0]);
            s.out_h = static_cast<std::uint64_t>(o[2]);
            s.out_w = static_cast<std::uint64_t>(o[3]);
            s.kernel_h = static_cast<std::uint64_t>(l.window.kernel_h);
            s.kernel_w = static_cast<std::uint64_t>(l.window.kernel_w);
            s.stride = static_cast<std::uint64_t>(l.window.stride_h);
            s.groups = static_cast<std::uint64_t>(l.groups);
            s.in_channels = static_cast<std::uint64_t>(in[1] / l.groups);
            s.out_channels = static_cast<std::uint64_t>(l.out_channels / l.groups);
        } else if (l.kind == workload::LayerKind::linear) {
            const workload::GemmView g = l.gemm();
            s.batch = batch * static_cast<std::uint64_t>(g.m);
            s.in_channels = static_cast<std::uint64_t>(g.k);
            s.out_channels = static_cast<std::uint64_t>(g.n);
        } else {
            continue;
        }
        out.push_back(s);
    }
    return out;
}

LayerCost calibration_cost(const Design& design, const ConvShape& shape, unsigned bits, double stored_bits,
                           const CalibrationSetup& setup, CalibrationDataflow dataflow, double compute_stretch) {
    const std::uint64_t n = design.array.rows, m = design.array.cols;
    const std::uint64_t f = design.array.packing(bits);
    if (f == 0)
        throw Error(fmt::format("design '{}': layer '{}' at {} bits is wider than its units", design.name, shape.layer, bits));
    const double p = stored_bits;                       // bits per weight and activation moved and read
    const double out_bits = setup.output_bits;
    const std::uint64_t kk = shape.kernel_h * shape.kernel_w;
    const double half[SPACES] = {double(setup.weight_buffer_bytes) * 4.0, double(setup.activation_buffer_bytes) * 4.0,
                                 double(setup.output_buffer_bytes) * 4.0};  // half of each buffer, in bits
    const std::array<std::uint64_t, LOOPS> extent = {shape.batch, shape.out_w, shape.out_h, shape.in_channels,
                                                     shape.out_channels};
    const bool os = dataflow == CalibrationDataflow::output_stationary;
    const double dram_width = static_cast<double>(setup.dram_bits_per_cycle);
    const double array_dyn = static_cast<double>(n * m) * design.energy.dynamic_pj;
    const double array_leak = static_cast<double>(n * m) * design.energy.leakage_pj;

    auto buffer_pj = [&](const Eval& e) {
        return e.sram_read[WGT] * setup.wbuf_read_pj_per_bit + e.sram_write[WGT] * setup.wbuf_write_pj_per_bit +
               e.sram_read[ACT] * setup.ibuf_read_pj_per_bit + e.sram_write[ACT] * setup.ibuf_write_pj_per_bit +
               e.sram_read[OUT] * setup.obuf_read_pj_per_bit + e.sram_write[OUT] * setup.obuf_write_pj_per_bit;
    };

    // Loop orders, outermost first: every permutation of the five loops.
    std::vector<std::array<int, LOOPS>> orders;
    {
        std::array<int, LOOPS> o = {B, OW, OH, IC, OC};
        do orders.push_back(o);
        while (std::next_permutation(o.begin(), o.end()));
    }

    auto tiles_of = [](std::uint64_t extent_) {
        // Powers of two up to the extent (the last one clipped to it): ceil(log2(extent)) + 1 choices.
        std::vector<std::uint64_t> sizes;
        for (std::uint64_t s = 1;; s <<= 1) {
            sizes.push_back(std::min(s, extent_));
            if (s >= extent_) break;
        }
        return sizes;
    };
    const auto b_sizes = tiles_of(shape.batch);
    const auto o_sizes = tiles_of(std::max(shape.out_h, shape.out_w));
    const auto ic_sizes = tiles_of(shape.in_channels);
    const auto oc_sizes = tiles_of(shape.out_channels);

    bool found = false;
    Eval best;
    Tiling best_tiling;
    std::array<int, LOOPS> best_order{};
    for (std::uint64_t b : b_sizes)
        for (std::uint64_t o : o_sizes)
            for (std::uint64_t ic : ic_sizes)
                for (std::uint64_t oc : oc_sizes) {
                    Tiling t;
                    t.size = {b, std::min(o, shape.out_w), std::min(o, shape.out_h), ic, oc};
                    for (int l = 0; l < LOOPS; ++l) t.count[l] = ceil_div(extent[l], t.size[l]);
                    const std::uint64_t ow = t.size[OW], oh = t.size[OH];
                    // Tile footprints: im2col operands padded to the array's packed width.
                    const double wgt = double(ceil_div(kk * ic, n * f) * n * f * oc) * p;
                    const double act = double(ow * oh * ceil_div(kk * ic, m * f) * m * f * b) * p;
                    if (wgt > half[WGT] || act > half[ACT]) continue;
                    const double out_tile = double(ow * oh * oc * b) * out_bits;
                    std::uint64_t tiles = 1;
                    for (int l = 0; l < LOOPS; ++l) tiles *= t.count[l];
                    const std::uint64_t per_tile =
                        os ? ceil_div(b * oh * ow, n * f) * ceil_div(oc, m * f) * kk * ic
                           : b * oh * ow * ceil_div(oc, m * f) * ceil_div(kk * ic, n * f);
                    const auto compute = static_cast<std::uint64_t>(
                        std::llround(static_cast<double>(tiles * per_tile) * compute_stretch));
                    const double macs = double(tiles) * double(b * oh * ow * oc * kk * ic);
                    for (const auto& order : orders) {
                        // Walk the loops from the innermost out: a tensor's transfer grows by a loop's trip count
                        // when the loop indexes it; while it still fits half its buffer it is fetched once per
                        // grown tile, after that every outer loop refetches it.
                        double fill[2] = {wgt, act};  // WGT, ACT: bits read from DRAM into the buffer
                        bool fill_promote[2] = {true, true};
                        double fill_max[2] = {wgt, act};
                        double drain = out_tile;  // bits written back from the output buffer
                        bool drain_promote = true;
                        double drain_max = out_tile;
                        for (int i = LOOPS - 1; i >= 0; --i) {
                            const int loop = order[i];
                            const double trips = double(t.count[loop]);
                            for (int s = 0; s < 2; ++s) {
                                if (fill_promote[s]) {
                                    if (kIndexes[loop][s]) {
                                        fill[s] *= trips;
                                        if (fill[s] > half[s]) fill_promote[s] = false;
                                        else fill_max[s] = fill[s];
                                    }
                                } else {
                                    fill[s] *= trips;
                                }
                            }
                            if (drain_promote) {
                                if (kIndexes[loop][OUT]) {
                                    drain *= trips;
                                    // The simulator records the output buffer's write count here, which it
                                    // keeps at 0: once an output loop is taken in, the final drain is free.
                                    if (drain > half[OUT]) drain_promote = false;
                                    else drain_max = 0;
                                }
                            } else {
                                drain *= trips;
                            }
                        }
                        Eval e;
                        e.compute = compute;
                        e.dram_read = fill[WGT] + fill[ACT];
                        e.dram_write = drain;
                        e.sram_write[WGT] = fill[WGT];
                        e.sram_write[ACT] = fill[ACT];
                        e.sram_read[OUT] = drain;
                        if (os) {
                            e.sram_read[ACT] += macs * p;
                            e.sram_read[WGT] += macs * p;
                            e.sram_write[OUT] += double(tiles) * double(oc * oh * ow * b) * out_bits;
                            e.sram_read[OUT] += double(tiles) * double(oc * oh * ow * b) * out_bits;
                        } else {
                            e.sram_read[ACT] += macs * p;
                            e.sram_read[OUT] += macs * out_bits;
                            e.sram_write[OUT] += macs * out_bits;
                            e.sram_read[WGT] += double(tiles) * double(kk * ic * oc) * p;
                        }
                        const double initial = fill_max[WGT] + fill_max[ACT];
                        const double final_ = drain_max;
                        const auto latency =
                            static_cast<std::uint64_t>(ceil_div(initial, dram_width) + ceil_div(final_, dram_width));
                        const double middle = e.dram_read + e.dram_write - initial - final_;
                        const auto memory = static_cast<std::uint64_t>(ceil_div(std::max(0.0, middle), dram_width));
                        e.stalls = (memory > compute ? memory - compute : 0) + latency;
                        e.cycles = compute + e.stalls;
                        e.tie_pj = double(e.cycles) * (array_leak + setup.tie_leak_pj_per_cycle) +
                                   double(e.cycles - e.stalls) * array_dyn + buffer_pj(e) +
                                   e.dram_read * setup.tie_dram_read_pj_per_bit +
                                   e.dram_write * setup.tie_dram_write_pj_per_bit;
                        if (!found || e.cycles < best.cycles || (e.cycles == best.cycles && e.tie_pj < best.tie_pj)) {
                            found = true;
                            best = e;
                            best_tiling = t;
                            best_order = order;
                        }
                    }
                }
    if (!found)
        throw Error(fmt::format("design '{}': layer '{}': no tile of it fits half of the buffers", design.name,
                                shape.layer));

    const double g = static_cast<double>(shape.groups);
    LayerCost c;
    c.layer = shape.layer;
    c.bits = bits;
    c.stored_bits = stored_bits;
    c.macs = shape.macs();
    c.compute_cycles = best.compute * shape.groups;
    c.stall_cycles = best.stalls * shape.groups;
    c.dram_read_bits = best.dram_read * g;
    c.dram_write_bits = best.dram_write * g;
    c.buffer_read_bits = (best.sram_read[WGT] + best.sram_read[ACT] + best.sram_read[OUT]) * g;
    c.buffer_write_bits = (best.sram_write[WGT] + best.sram_write[ACT] + best.sram_write[OUT]) * g;
    c.static_pj = double(c.cycles()) * setup.static_pj_per_cycle;
    c.dram_pj = c.dram_read_bits * setup.dram_read_pj_per_bit + c.dram_write_bits * setup.dram_write_pj_per_bit;
    c.buffer_pj = buffer_pj(best) * g;
    c.core_pj = double(c.cycles()) * array_leak + double(c.compute_cycles) * array_dyn;
    std::string order;
    for (int l : best_order)
        order += fmt::format("{}{}{}/{}", order.empty() ? "" : " ", kLoopNames[l], best_tiling.count[l],
                             best_tiling.size[l]);
    c.tiling = order;
    return c;
}

}  // namespace spark::compare
