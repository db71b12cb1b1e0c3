// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/plan.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "spark/accelerator/chunk_table.h"

namespace spark::accelerator {

namespace {

constexpr std::uint64_t kEntry = chunk_table::kEntryBytes;

[[noreturn]] void invalid(const std::string& message) { throw PlanError(message); }

// Largest block of `unit_bytes` units that fits `capacity_bytes`, at most `limit`.
std::uint64_t fit(std::uint64_t capacity_bytes, std::uint64_t unit_bytes, std::uint64_t limit) {
    return std::min(limit, unit_bytes ? capacity_bytes / unit_bytes : limit);
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return a / b + (a % b != 0); }

// Refuses a plan of `outer` x `middle` x `inner` tiles past kMaxPlanTiles before any tile is made (each factor may
// be near 2^40, so the product is checked a factor at a time).
void check_plan_length(const LayerDescriptor& d, std::uint64_t outer, std::uint64_t middle, std::uint64_t inner) {
    std::uint64_t tiles = 1;
    for (const std::uint64_t f : {outer, middle, inner}) {
        if (f == 0) return;
        if (tiles > kMaxPlanTiles / f)
            invalid(fmt::format("{} needs more than {} tiles with these buffers", to_string(d.opcode), kMaxPlanTiles));
        tiles *= f;
    }
}

codec::Mode mode_of(const TensorDesc& t) { return t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8; }

void require_zero_points(const TensorDesc& a, const char* a_name, const TensorDesc& b, const char* b_name) {
    // The array multiplies stored codes directly; the SPARK code is defined for zero-centred operands.
    if (a.zero_point != 0) invalid(fmt::format("{} zero point {} is not 0", a_name, a.zero_point));
    if (b.zero_point != 0) invalid(fmt::format("{} zero point {} is not 0", b_name, b.zero_point));
}

pe_array::Requant requant(const LayerDescriptor& d, const TensorDesc& a, const TensorDesc& b) {
    pe_array::Requant q = make_requant(a.scale, b.scale, d.output.scale, d.output.zero_point, d.output.is_signed, d.relu);
    // The scales are descriptor fields. An int32 accumulator times a multiplier below 2^31 stays inside the 64-bit
    // integer the array rounds it to; a larger finite one would not (non-finite and non-positive ones are the tile
    // check's to refuse).
    constexpr float kLimit = 0x1.0p31f;
    if (std::isfinite(q.scale.front()) && q.scale.front() >= kLimit)
        invalid(fmt::format("requant.scale: must be below 2^31, got {}", q.scale.front()));
    return q;
}

void check_tile(pe_array::Layer& tile) {
    try {
        tile.validate();
    } catch (const Error& e) {
        invalid(e.what());
    }
}

// The input rows a block of output rows [m0, m0 + rows) reads: [top, bottom) with the padding, [first, last) of
// them inside the image.
struct RowWindow {
    std::int64_t top, bottom, first, last;
};
RowWindow input_rows(const LayerDescriptor& d, std::uint64_t m0, std::uint64_t rows, std::uint64_t eff_kh,
                     std::uint64_t h) {
    RowWindow r;
    r.top = static_cast<std::int64_t>(m0 * d.stride_h) - d.pad_h;
    r.bottom = r.top + static_cast<std::int64_t>((rows - 1) * d.stride_h + eff_kh);
    // A block wholly in the padding reads no row: first == last.
    r.first = std::clamp<std::int64_t>(r.top, 0, static_cast<std::int64_t>(h));
    r.last = std::clamp<std::int64_t>(r.bottom, r.first, static_cast<std::int64_t>(h));
    return r;
}

}  // namespace

pe_array::Requant make_requant(double a_scale, double b_scale, double out_scale, std::int32_t out_zero_point,
                               bool out_signed, bool relu) {
    pe_array::Requant q;
    q.kind = pe_array::Requant::Scale::float_multiplier;
    q.scale = {static_cast<float>(a_scale * b_scale / out_scale)};
    q.zero_point = out_zero_point;
    q.relu = relu;
    q.output_mode = out_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
    return q;
}

std::uint64_t LayerPlan::output_chunks() const {
    std::uint64_t n = 0;
    for (const TileStep& t : tiles)
        if (t.output.last) n += t.output.block_chunks;
    return n;
}

LayerPlan plan_layer(const LayerDescriptor& d, const TileBudget& budget) {
    switch (d.opcode) {
        case Opcode::conv2d: return plan_conv(d, budget);
        case Opcode::linear: return plan_gemm(d, budget);
        case Opcode::matmul: return d.transpose_b ? plan_gemm(d, budget) : plan_matmul(d, budget);
        default: return plan_vector(d, budget);
    }
}

LayerPlan plan_conv(const LayerDescriptor& d, const TileBudget& budget) {
    const TensorDesc& in = d.input;
    const TensorDesc& w = d.weights;
    const TensorDesc& out = d.output;
    if (in.layout != Layout::feature_map || out.layout != Layout::feature_map)
        invalid("conv2d input and output must be feature maps");
    require_zero_points(in, "input", w, "weights");
    const std::uint64_t n_img = in.dims[0], c = in.dims[1], h = in.dims[2], wd = in.dims[3];
    const std::uint64_t oc = out.dims[1], oh = out.dims[2], ow = out.dims[3];
    // The output's shape follows from the input's and the window. Descriptors are the driver's memory: one that
    // says otherwise is refused before any tile size or index is computed from it.
    if (d.groups == 0 || c % d.groups != 0 || oc % d.groups != 0)
        invalid(fmt::format("conv2d: {} input and {} output channels do not split into {} groups", c, oc, d.groups));
    if (out.dims[0] != n_img)
        invalid(fmt::format("conv2d: output batch {} differs from the input's {}", out.dims[0], n_img));
    if (d.kernel_h == 0 || d.kernel_w == 0 || d.stride_h == 0 || d.stride_w == 0 || d.dilation_h == 0 ||
        d.dilation_w == 0)
        invalid("conv2d: kernel, stride and dilation must be positive");
    const std::uint64_t eff_kh = std::uint64_t{d.kernel_h - 1u} * d.dilation_h + 1;
    const std::uint64_t eff_kw = std::uint64_t{d.kernel_w - 1u} * d.dilation_w + 1;
    const std::uint64_t padded_h = h + 2 * std::uint64_t{d.pad_h}, padded_w = wd + 2 * std::uint64_t{d.pad_w};
    if (padded_h < eff_kh || padded_w < eff_kw)
        invalid(fmt::format("conv2d: a {}x{} window (dilated) is larger than the {}x{} padded input", eff_kh, eff_kw,
                            padded_h, padded_w));
    const std::uint64_t want_oh = (padded_h - eff_kh) / d.stride_h + 1;
    const std::uint64_t want_ow = (padded_w - eff_kw) / d.stride_w + 1;
    if (oh != want_oh || ow != want_ow)
        invalid(fmt::format("conv2d: output is {}x{}, the input and window give {}x{}", oh, ow, want_oh, want_ow));
    const std::uint64_t k = std::uint64_t{d.kernel_h} * d.kernel_w * (c / d.groups);
    if (w.rank != 2 || w.dims[0] != oc || w.dims[1] != k) invalid(fmt::format("conv2d weights must be [{}, {}]", oc, k));

    const std::uint64_t n_block = d.groups > 1 ? oc : fit(budget.weight_bytes, k + kEntry, oc);
    if (n_block == 0 || n_block * (k + kEntry) > budget.weight_bytes)
        invalid(fmt::format("conv2d weights of {} output channel(s) ({} bytes each) exceed a weight-buffer tile ({} "
                            "bytes)",
                            d.groups > 1 ? oc : 1, k + kEntry, budget.weight_bytes));
    // An output row is one chunk: its values and its table entry.
    std::uint64_t m_block = std::min(oh, fit(budget.output_bytes, ow * oc + kEntry, oh));
    while (m_block > 0 && ((m_block - 1) * d.stride_h + eff_kh) * (wd * c + kEntry) > budget.activation_bytes)
        --m_block;
    if (m_block == 0)
        invalid(fmt::format("conv2d: one output row needs {} input rows of {} bytes, more than an activation-buffer "
                            "tile ({} bytes), or {} output bytes, more than an output-buffer tile ({} bytes)",
                            eff_kh, wd * c + kEntry, budget.activation_bytes, ow * oc + kEntry, budget.output_bytes));

    check_plan_length(d, n_img, ceil_div(oh, m_block), ceil_div(oc, n_block));
    LayerPlan plan;
    const bool weights_resident = n_block == oc;
    bool weights_loaded = false;
    std::uint64_t weight_chunks = 0;
    for (std::uint64_t img = 0; img < n_img; ++img) {
        for (std::uint64_t m0 = 0; m0 < oh; m0 += m_block) {
            const std::uint64_t rows = std::min(m_block, oh - m0);
            const auto [top, bottom, first, last] = input_rows(d, m0, rows, eff_kh, h);
            for (std::uint64_t n0 = 0; n0 < oc; n0 += n_block) {
                const std::uint64_t cols = std::min(n_block, oc - n0);
                TileStep t;
                if (!weights_resident || !weights_loaded) {
                    t.loads.push_back({BufferId::weight, Source::weights, n0, cols, Counter::weights_in});
                    weights_loaded = true;
                    weight_chunks = cols;
                }
                if (n0 == 0)
                    t.loads.push_back({BufferId::activation, Source::input, img * h + static_cast<std::uint64_t>(first),
                                       static_cast<std::uint64_t>(last - first), Counter::activations_in});
                t.weight_chunks = weight_chunks;
                t.activation_chunks = static_cast<std::uint64_t>(last - first);
                // Rows above and below the image are padding: zeros, made at the array's edge.
                t.zero_rows_above = static_cast<std::uint64_t>(first - top);
                t.zero_rows_below = static_cast<std::uint64_t>(bottom - last);
                t.layer = pe_array::Layer::conv2d("conv2d", 1, bottom - top, static_cast<std::int64_t>(wd),
                                                  static_cast<std::int64_t>(c), static_cast<std::int64_t>(cols), 1, 1, 0,
                                                  1, d.groups);
                t.layer.kernel_h = d.kernel_h;
                t.layer.kernel_w = d.kernel_w;
                t.layer.stride_h = d.stride_h;
                t.layer.stride_w = d.stride_w;
                t.layer.pad_h = 0;
                t.layer.pad_w = d.pad_w;
                t.layer.dilation_h = d.dilation_h;
                t.layer.dilation_w = d.dilation_w;
                t.layer.weight_mode = mode_of(w);
                t.layer.activation_mode = mode_of(in);
                t.layer.requant = requant(d, in, w);
                check_tile(t.layer);
                // [rows][ow][cols] into the block's [rows][ow][oc].
                t.output = {rows, oc, n0, cols, n0 == 0, n0 + cols == oc};
                plan.tiles.push_back(std::move(t));
            }
        }
    }
    return plan;
}

LayerPlan plan_gemm(const LayerDescriptor& d, const TileBudget& budget) {
    const bool b_is_weights = d.opcode == Opcode::linear;
    const TensorDesc& in = d.input;
    const TensorDesc& b = b_is_weights ? d.weights : d.input2;
    const TensorDesc& out = d.output;
    std::uint64_t batch = 1;
    if (!b_is_weights) {
        if (in.rank < 2 || b.rank != in.rank) invalid("matmul operands must have the same rank, at least 2");
        const std::uint64_t m = in.dims[in.rank - 2];
        if (m == 0 || in.chunks() % m != 0) invalid(fmt::format("matmul: A's {} rows are not batches of {}", in.chunks(), m));
        batch = in.chunks() / m;
    }
    require_zero_points(in, "input", b, b_is_weights ? "weights" : "input2");
    const std::uint64_t k = in.chunk_values();
    if (batch == 0 || b.chunks() % batch != 0)
        invalid(fmt::format("the second operand's {} rows do not split into {} batches", b.chunks(), batch));
    const std::uint64_t rows_total = in.chunks() / batch;
    const std::uint64_t n = b.chunks() / batch;
    if (b.chunk_values() != k)
        invalid(fmt::format("reduction mismatch: input rows hold {} values, the second operand's {}", k,
                            b.chunk_values()));
    if (out.chunks() != in.chunks() || out.chunk_values() != n)
        invalid(fmt::format("output must hold {} rows of {} values", in.chunks(), n));
    const std::uint64_t n_block = fit(budget.weight_bytes, k + kEntry, n);
    const std::uint64_t m_block =
        std::min(fit(budget.activation_bytes, k + kEntry, rows_total), fit(budget.output_bytes, n + kEntry, rows_total));
    if (n_block == 0) invalid(fmt::format("one row of K = {} values exceeds a weight-buffer tile", k));
    if (m_block == 0)
        invalid(fmt::format("one row of K = {} values exceeds an activation-buffer tile, or one of N = {} an "
                            "output-buffer tile",
                            k, n));

    check_plan_length(d, batch, ceil_div(rows_total, m_block), ceil_div(n, n_block));
    LayerPlan plan;
    const Counter b_counter = b_is_weights ? Counter::weights_in : Counter::activations_in;
    const Source b_source = b_is_weights ? Source::weights : Source::input2;
    for (std::uint64_t bi = 0; bi < batch; ++bi) {
        bool weights_loaded = false;
        std::uint64_t weight_chunks = 0;
        for (std::uint64_t m0 = 0; m0 < rows_total; m0 += m_block) {
            const std::uint64_t rows = std::min(m_block, rows_total - m0);
            for (std::uint64_t n0 = 0; n0 < n; n0 += n_block) {
                const std::uint64_t cols = std::min(n_block, n - n0);
                TileStep t;
                if (n_block < n || !weights_loaded) {
                    t.loads.push_back({BufferId::weight, b_source, bi * n + n0, cols, b_counter});
                    weights_loaded = true;
                    weight_chunks = cols;
                }
                if (n0 == 0)
                    t.loads.push_back({BufferId::activation, Source::input, bi * rows_total + m0, rows,
                                       Counter::activations_in});
                t.weight_chunks = weight_chunks;
                t.activation_chunks = rows;
                t.layer = pe_array::Layer::gemm(b_is_weights ? "linear" : "matmul", static_cast<std::int64_t>(rows),
                                                static_cast<std::int64_t>(cols), static_cast<std::int64_t>(k));
                t.layer.weight_mode = mode_of(b);
                t.layer.activation_mode = mode_of(in);
                t.layer.requant = requant(d, in, b);
                check_tile(t.layer);
                t.output = {rows, n, n0, cols, n0 == 0, n0 + cols == n};
                plan.tiles.push_back(std::move(t));
            }
        }
    }
    return plan;
}

LayerPlan plan_matmul(const LayerDescriptor& d, const TileBudget& budget) {
    const TensorDesc& a = d.input;
    const TensorDesc& b = d.input2;
    const TensorDesc& out = d.output;
    if (a.rank < 2 || b.rank != a.rank) invalid("matmul operands must have the same rank, at least 2");
    const std::uint64_t m = a.dims[a.rank - 2];
    if (m == 0 || a.chunks() % m != 0) invalid(fmt::format("matmul: A's {} rows are not batches of {}", a.chunks(), m));
    const std::uint64_t batch = a.chunks() / m;
    // B is stored [K][N]: the array takes it by columns, so each batch's B goes whole into the weight buffer.
    const std::uint64_t k = b.dims[b.rank - 2], n = b.dims[b.rank - 1];
    if (a.chunk_values() != k) invalid(fmt::format("matmul: A has {} columns, B {} rows", a.chunk_values(), k));
    if (b.chunks() != batch * k) invalid(fmt::format("matmul: B holds {} rows, {} batches of {} expected", b.chunks(), batch, k));
    if (k * n + kEntry * k > budget.weight_bytes)
        invalid(fmt::format("matmul: B of {} x {} exceeds a weight-buffer tile", k, n));
    require_zero_points(a, "input", b, "input2");
    if (out.chunks() != a.chunks() || out.chunk_values() != n)
        invalid(fmt::format("matmul output must hold {} rows of {} values", a.chunks(), n));
    const std::uint64_t m_block =
        std::min(fit(budget.activation_bytes, k + kEntry, m), fit(budget.output_bytes, n + kEntry, m));
    if (m_block == 0) invalid("matmul: one row exceeds an activation- or output-buffer tile");
    check_plan_length(d, batch, ceil_div(m, m_block), 1);

    LayerPlan plan;
    for (std::uint64_t bi = 0; bi < batch; ++bi) {
        for (std::uint64_t m0 = 0; m0 < m; m0 += m_block) {
            const std::uint64_t rows = std::min(m_block, m - m0);
            TileStep t;
            if (m0 == 0) t.loads.push_back({BufferId::weight, Source::input2, bi * k, k, Counter::activations_in});
            t.loads.push_back({BufferId::activation, Source::input, bi * m + m0, rows, Counter::activations_in});
            t.weight_chunks = k;
            t.activation_chunks = rows;
            t.weights_by_rows = true;
            t.layer = pe_array::Layer::gemm("matmul", static_cast<std::int64_t>(rows), static_cast<std::int64_t>(n),
                                            static_cast<std::int64_t>(k));
            t.layer.weight_mode = mode_of(b);
            t.layer.activation_mode = mode_of(a);
            t.layer.requant = requant(d, a, b);
            check_tile(t.layer);
            t.output = {rows, n, 0, n, true, true};
            plan.tiles.push_back(std::move(t));
        }
    }
    return plan;
}

LayerPlan plan_vector(const LayerDescriptor& d, const TileBudget& budget) {
    if (runs_on_array(d.opcode)) invalid(fmt::format("opcode {} runs on the array", to_string(d.opcode)));
    const bool two = d.opcode == Opcode::add || d.opcode == Opcode::concat;
    if (d.opcode == Opcode::transpose) {
        // perm[0..rank) must name every axis once.
        std::array<bool, 4> seen{};
        for (std::uint8_t i = 0; i < d.input.rank; ++i) {
            if (d.perm[i] >= d.input.rank || seen[d.perm[i]])
                invalid(fmt::format("transpose: perm [{}] is not a permutation of the input's {} axes",
                                    fmt::join(d.perm.begin(), d.perm.begin() + d.input.rank, ", "), d.input.rank));
            seen[d.perm[i]] = true;
        }
    }
    const bool pooling = d.opcode == Opcode::max_pool || d.opcode == Opcode::avg_pool;
    auto bytes_of = [](const TensorDesc& t, std::uint64_t chunks) { return chunks * (t.chunk_values() + kEntry); };
    const TensorDesc& in = d.input;
    const TensorDesc& out = d.output;
    const bool in_fits = bytes_of(in, in.chunks()) <= budget.activation_buffer_bytes;
    const bool out_fits = bytes_of(out, out.chunks()) <= budget.output_buffer_bytes;
    const bool in2_fits = !two || bytes_of(d.input2, d.input2.chunks()) <= budget.weight_buffer_bytes;
    LayerPlan plan;
    if (in_fits && out_fits && in2_fits) {
        TileStep t;
        t.unit = Unit::vector;
        t.loads.push_back({BufferId::activation, Source::input, 0, in.chunks(), Counter::activations_in, true});
        if (two)
            t.loads.push_back({BufferId::weight, Source::input2, 0, d.input2.chunks(), Counter::activations_in, true});
        t.vector_output_chunks = out.chunks();
        t.output = {out.chunks(), out.chunks() * out.chunk_values(), 0, out.chunks() * out.chunk_values(), true, true,
                    true};
        plan.tiles.push_back(std::move(t));
        return plan;
    }
    // Element-wise layers whose operands and output are chunked alike go in blocks of chunks.
    const bool elementwise = d.opcode == Opcode::relu || d.opcode == Opcode::add;
    auto alike = [&](const TensorDesc& t) {
        return t.layout == out.layout && t.rank == out.rank && t.dims == out.dims && t.chunk_rank == out.chunk_rank;
    };
    if (elementwise && alike(in) && (!two || alike(d.input2))) {
        const std::uint64_t per_chunk = out.chunk_values() + kEntry;
        std::uint64_t block = std::min(fit(budget.activation_bytes, per_chunk, out.chunks()),
                                       fit(budget.output_bytes, per_chunk, out.chunks()));
        if (two) block = std::min(block, fit(budget.weight_bytes, per_chunk, out.chunks()));
        if (block == 0)
            invalid(fmt::format("{}: one chunk of {} values exceeds a buffer tile", to_string(d.opcode),
                                out.chunk_values()));
        check_plan_length(d, ceil_div(out.chunks(), block), 1, 1);
        for (std::uint64_t c0 = 0; c0 < out.chunks(); c0 += block) {
            const std::uint64_t count = std::min(block, out.chunks() - c0);
            TileStep t;
            t.unit = Unit::vector;
            t.loads.push_back({BufferId::activation, Source::input, c0, count, Counter::activations_in});
            if (two) t.loads.push_back({BufferId::weight, Source::input2, c0, count, Counter::activations_in});
            t.vector_output_first = c0;
            t.vector_output_chunks = count;
            const std::uint64_t values = count * out.chunk_values();
            t.output = {count, values, 0, values, true, true};
            plan.tiles.push_back(std::move(t));
        }
        return plan;
    }
    const bool feature_maps =
        in.layout == Layout::feature_map && out.layout == Layout::feature_map && in.rank == 4 && out.rank == 4;
    if (d.opcode == Opcode::global_avg_pool && in.layout == Layout::feature_map && in.rank == 4) {
        // Per image, blocks of input rows; the unit keeps a sum per channel and writes the image's output chunk
        // with its last block.
        const std::uint64_t n_img = in.dims[0], h = in.dims[2];
        // The output, [N, C, 1, 1] as a feature map or a matrix, is one chunk of C values per image.
        if (out.chunks() != n_img || out.chunk_values() != in.dims[1])
            invalid(fmt::format("global_avg_pool: the output must hold {} chunks of {} values", n_img, in.dims[1]));
        const std::uint64_t rows_per_block = fit(budget.activation_bytes, in.chunk_values() + kEntry, h);
        if (rows_per_block == 0)
            invalid(fmt::format("global_avg_pool: one input row of {} values exceeds an activation-buffer tile",
                                in.chunk_values()));
        if (out.chunk_values() + kEntry > budget.output_bytes)
            invalid(fmt::format("global_avg_pool: one output chunk of {} values exceeds an output-buffer tile",
                                out.chunk_values()));
        check_plan_length(d, n_img, ceil_div(h, rows_per_block), 1);
        for (std::uint64_t img = 0; img < n_img; ++img) {
            for (std::uint64_t r0 = 0; r0 < h; r0 += rows_per_block) {
                const std::uint64_t rows = std::min(rows_per_block, h - r0);
                const bool last = r0 + rows == h;
                TileStep t;
                t.unit = Unit::vector;
                t.loads.push_back({BufferId::activation, Source::input, img * h + r0, rows, Counter::activations_in});
                t.vector_output_first = img;
                t.vector_output_chunks = 1;
                t.output = {1, out.chunk_values(), 0, out.chunk_values(), last, last};
                plan.tiles.push_back(std::move(t));
            }
        }
        return plan;
    }
    if (!pooling || !feature_maps)
        invalid(fmt::format("{}: the input ({} bytes with its chunk table) or the output ({} bytes) exceeds its buffer "
                            "({} / {} bytes); only pooling and element-wise layers go in parts",
                            to_string(d.opcode), bytes_of(in, in.chunks()), bytes_of(out, out.chunks()),
                            budget.activation_buffer_bytes, budget.output_buffer_bytes));
    // Strips of output rows: each needs the input rows its windows cover.
    const std::uint64_t n_img = in.dims[0], h = in.dims[2], oh = out.dims[2];
    if (out.dims[0] != n_img) invalid(fmt::format("{}: output batch differs from the input's", to_string(d.opcode)));
    if (d.stride_h == 0 || d.kernel_h == 0 || d.dilation_h == 0)
        invalid(fmt::format("{}: kernel, stride and dilation must be positive", to_string(d.opcode)));
    const std::uint64_t eff_kh = std::uint64_t{d.kernel_h - 1u} * d.dilation_h + 1;
    std::uint64_t m_block = std::min(oh, budget.output_bytes / (out.chunk_values() + kEntry));
    while (m_block > 0 && bytes_of(in, (m_block - 1) * d.stride_h + eff_kh) > budget.activation_bytes) --m_block;
    if (m_block == 0)
        invalid(fmt::format("{}: one output row needs {} input rows of {} bytes, more than an activation-buffer tile "
                            "({} bytes)",
                            to_string(d.opcode), eff_kh, in.chunk_values() + kEntry, budget.activation_bytes));
    check_plan_length(d, n_img, ceil_div(oh, m_block), 1);
    for (std::uint64_t img = 0; img < n_img; ++img) {
        for (std::uint64_t m0 = 0; m0 < oh; m0 += m_block) {
            const std::uint64_t rows = std::min(m_block, oh - m0);
            const auto [top, bottom, first, last] = input_rows(d, m0, rows, eff_kh, h);
            if (last <= first) invalid(fmt::format("{}: output rows {}.. read no input row", to_string(d.opcode), m0));
            TileStep t;
            t.unit = Unit::vector;
            t.loads.push_back({BufferId::activation, Source::input, img * h + static_cast<std::uint64_t>(first),
                               static_cast<std::uint64_t>(last - first), Counter::activations_in});
            t.vector_output_first = img * oh + m0;
            t.vector_output_chunks = rows;
            const std::uint64_t values = rows * out.chunk_values();
            t.output = {rows, values, 0, values, true, true};
            plan.tiles.push_back(std::move(t));
        }
    }
    return plan;
}

}  // namespace spark::accelerator
