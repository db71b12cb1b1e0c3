// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/datapath.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "spark/accelerator/layout.h"
#include "spark/common/error.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/pe_array/pe_array.h"
#include "spark/workload/reference.h"

namespace spark::accelerator {

using sc_core::sc_time;

void DatapathConfig::validate() const {
    array.validate();
    if (weight_buffer_bytes < 2) throw Error("datapath: weight_buffer_bytes must hold two halves");
    if (activation_buffer_bytes < 2) throw Error("datapath: activation_buffer_bytes must hold two halves");
    if (output_buffer_bytes < 2) throw Error("datapath: output_buffer_bytes must hold two halves");
    if (vector_lanes == 0) throw Error("datapath: vector_lanes must be positive");
    if (!(clock_mhz > 0)) throw Error(fmt::format("datapath: clock_mhz must be positive, got {}", clock_mhz));
}

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

namespace {

// A failure inside a layer, carried to the controller's error registers.
struct LayerFault {
    std::uint32_t code;
    std::uint64_t address;
    std::string message;
};

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// The encoded bytes that `values` values with `long_values` long codes take in a buffer.
std::uint64_t encoded_bytes(std::uint64_t values, std::uint64_t long_values, bool spark) {
    return spark ? ceil_div(values + long_values, 2) : values;
}

// One layer's run: the descriptor, the DMA, the timeline and the record being filled.
class LayerRun {
public:
    LayerRun(const DatapathConfig& cfg, const pe_array::PeArray& array, const LayerDescriptor& d,
             dma::DmaEngine& dma, sc_time start)
        : m_cfg(cfg), m_array(array), m_d(d), m_dma(dma), m_period(cfg.clock_period()), m_start(start),
          m_dma_free(start), m_array_free(start), m_prev_compute_start(start), m_output_free(start) {
        m_record.layer_id = d.layer_id;
        m_record.opcode = d.opcode;
    }

    void run() {
        switch (m_d.opcode) {
            case Opcode::conv2d: run_conv(); break;
            case Opcode::linear: run_gemm(m_d.weights, true, 1); break;
            case Opcode::matmul: run_matmul(); break;
            default: run_vector(); break;
        }
    }

    sc_time end() const { return std::max(m_dma_free, m_array_free); }
    LayerRecord& record() { return m_record; }
    sc_time start() const { return m_start; }

private:
    [[noreturn]] void invalid(const std::string& message) const {
        throw LayerFault{SPARK_ERR_DESC_INVALID, 0, message};
    }
    [[noreturn]] void transfer_failed(const TransferFault& f) const {
        throw LayerFault{f.bus ? SPARK_ERR_DATA_BUS : SPARK_ERR_DATA_INVALID, f.address, f.message};
    }

    // Loads are issued when the DMA is free and the previous tile has started computing (its ping-pong half is
    // free), or, with a single-buffered input buffer, once it has finished computing.
    sc_time load_issue() const {
        const bool single = !m_cfg.weight_double_buffered || !m_cfg.activation_double_buffered;
        return std::max(m_dma_free, single ? m_array_free : m_prev_compute_start);
    }

    void fetch(const TensorDesc& t, std::uint64_t first, std::uint64_t count, std::vector<std::uint8_t>& values,
               TransferCount& counter, BufferTraffic& buffer, sc_time& at) {
        TransferFault fault;
        TransferCount moved;
        const sc_time issued = at;
        if (!fetch_chunks(m_dma, t, m_d.spark_storage, first, count, values, at, moved, fault)) transfer_failed(fault);
        m_record.load_cycles += static_cast<std::uint64_t>((at - issued) / m_period);
        buffer.write_bytes += moved.data_bytes;
        counter += moved;
        m_dma_free = std::max(m_dma_free, at);
    }

    // Runs one tile on the array once its operands have arrived at `ready`.
    pe_array::LayerResult compute(const pe_array::Layer& layer, const std::vector<std::uint8_t>& weights,
                                  const std::vector<std::uint8_t>& activations, sc_time ready) {
        pe_array::LayerResult r;
        try {
            r = m_array.run(layer, weights, activations);
        } catch (const Error& e) {
            invalid(e.what());
        }
        // A single output buffer must have drained the previous block before the array writes into it again.
        if (!m_cfg.output_double_buffered) ready = std::max(ready, m_output_free);
        const sc_time begin = std::max(ready, m_array_free);
        if (ready > m_array_free && m_record.tiles > 0)
            m_record.stall_cycles += static_cast<std::uint64_t>((ready - m_array_free) / m_period);
        m_prev_compute_start = begin;
        m_array_free = begin + m_period * static_cast<double>(r.stats.cycles);
        m_record.array_cycles += r.stats.cycles;
        m_record.array += r.stats;
        ++m_record.tiles;
        for (const auto& t : r.tile_timing) {
            m_record.weight_buffer.read_bytes +=
                encoded_bytes(t.weight_values, t.weight_long_values, m_d.spark_storage);
            m_record.activation_buffer.read_bytes +=
                encoded_bytes(t.activation_values, t.activation_long_values, m_d.spark_storage);
        }
        return r;
    }

    // Outputs wait in their output-buffer half until the DMA has issued the next tile's loads: the store of
    // block i goes out after the load of block i + 1, so loads run ahead while the array computes.
    void store(ChunkStorer& storer, const std::vector<std::uint8_t>& values, std::uint64_t chunks) {
        flush_store();
        m_pending = PendingStore{&storer, values, chunks, m_array_free};
    }

    void flush_store() {
        if (!m_pending) return;
        PendingStore p = std::move(*m_pending);
        m_pending.reset();
        sc_time at = std::max(m_dma_free, p.ready);
        const sc_time issued = at;
        TransferFault fault;
        TransferCount moved;
        if (!p.storer->store(m_dma, p.values.data(), p.chunks, at, moved, fault)) transfer_failed(fault);
        m_record.store_cycles += static_cast<std::uint64_t>((at - issued) / m_period);
        m_record.output_buffer.write_bytes += moved.data_bytes;
        m_record.output_buffer.read_bytes += moved.data_bytes;
        m_record.outputs_out += moved;
        m_dma_free = at;
        m_output_free = at;
    }

    pe_array::Requant requant(const TensorDesc& a, const TensorDesc& b) const {
        return make_requant(a.scale, b.scale, m_d.output.scale, m_d.output.zero_point, m_d.output.is_signed, m_d.relu);
    }

    void require_zero_points(const TensorDesc& a, const char* a_name, const TensorDesc& b, const char* b_name) const {
        // The array multiplies stored codes directly; the SPARK code is defined for zero-centred operands.
        if (a.zero_point != 0) invalid(fmt::format("{} zero point {} is not 0", a_name, a.zero_point));
        if (b.zero_point != 0) invalid(fmt::format("{} zero point {} is not 0", b_name, b.zero_point));
    }

    // Largest block of `unit_bytes` units that fits `capacity_bytes`, at most `limit`.
    static std::uint64_t fit(std::uint64_t capacity_bytes, std::uint64_t unit_bytes, std::uint64_t limit) {
        return std::min(limit, unit_bytes ? capacity_bytes / unit_bytes : limit);
    }

    void run_conv() {
        const TensorDesc& in = m_d.input;
        const TensorDesc& w = m_d.weights;
        const TensorDesc& out = m_d.output;
        if (in.layout != Layout::feature_map || out.layout != Layout::feature_map)
            invalid("conv2d input and output must be feature maps");
        require_zero_points(in, "input", w, "weights");
        const std::uint64_t n_img = in.dims[0], c = in.dims[1], h = in.dims[2], wd = in.dims[3];
        const std::uint64_t oc = out.dims[1], oh = out.dims[2], ow = out.dims[3];
        // The output's shape follows from the input's and the window. Descriptors are the driver's memory: one that
        // says otherwise is refused before any tile size or index is computed from it.
        if (c % m_d.groups != 0 || oc % m_d.groups != 0)
            invalid(fmt::format("conv2d: {} input and {} output channels do not split into {} groups", c, oc,
                                m_d.groups));
        if (out.dims[0] != n_img)
            invalid(fmt::format("conv2d: output batch {} differs from the input's {}", out.dims[0], n_img));
        const std::uint64_t eff_kh = std::uint64_t{m_d.kernel_h - 1u} * m_d.dilation_h + 1;
        const std::uint64_t eff_kw = std::uint64_t{m_d.kernel_w - 1u} * m_d.dilation_w + 1;
        const std::uint64_t padded_h = h + 2 * std::uint64_t{m_d.pad_h}, padded_w = wd + 2 * std::uint64_t{m_d.pad_w};
        if (padded_h < eff_kh || padded_w < eff_kw)
            invalid(fmt::format("conv2d: a {}x{} window (dilated) is larger than the {}x{} padded input", eff_kh,
                                eff_kw, padded_h, padded_w));
        const std::uint64_t want_oh = (padded_h - eff_kh) / m_d.stride_h + 1;
        const std::uint64_t want_ow = (padded_w - eff_kw) / m_d.stride_w + 1;
        if (oh != want_oh || ow != want_ow)
            invalid(fmt::format("conv2d: output is {}x{}, the input and window give {}x{}", oh, ow, want_oh, want_ow));
        const std::uint64_t k = std::uint64_t{m_d.kernel_h} * m_d.kernel_w * (c / m_d.groups);
        if (w.rank != 2 || w.dims[0] != oc || w.dims[1] != k)
            invalid(fmt::format("conv2d weights must be [{}, {}]", oc, k));

        const std::uint64_t w_tile = m_cfg.weight_tile_bytes(), a_tile = m_cfg.activation_tile_bytes(),
                            o_tile = m_cfg.output_tile_bytes();
        const std::uint64_t n_block = m_d.groups > 1 ? oc : fit(w_tile, k + 4, oc);
        if (n_block == 0 || n_block * (k + 4) > w_tile)
            invalid(fmt::format("conv2d weights of {} output channel(s) ({} bytes each) exceed a weight-buffer "
                                "tile ({} bytes)", m_d.groups > 1 ? oc : 1, k + 4, w_tile));
        std::uint64_t m_block = std::min(oh, fit(o_tile, ow * oc, oh));
        while (m_block > 0 && ((m_block - 1) * m_d.stride_h + eff_kh) * (wd * c + 4) > a_tile) --m_block;
        if (m_block == 0)
            invalid(fmt::format("conv2d: one output row needs {} input rows of {} bytes, more than an activation-buffer "
                                "tile ({} bytes) or an output-buffer tile",
                                eff_kh, wd * c + 4, a_tile));

        const bool weights_resident = n_block == oc;
        std::vector<std::uint8_t> weights, fetched, slab, staging;
        ChunkStorer storer(out, m_d.spark_storage);
        bool weights_loaded = false;
        for (std::uint64_t img = 0; img < n_img; ++img) {
            for (std::uint64_t m0 = 0; m0 < oh; m0 += m_block) {
                const std::uint64_t rows = std::min(m_block, oh - m0);
                const std::int64_t top = static_cast<std::int64_t>(m0 * m_d.stride_h) - m_d.pad_h;
                const std::int64_t bottom = top + static_cast<std::int64_t>((rows - 1) * m_d.stride_h + eff_kh);
                const std::int64_t first = std::max<std::int64_t>(top, 0);
                const std::int64_t last = std::min<std::int64_t>(bottom, static_cast<std::int64_t>(h));
                staging.assign(rows * ow * oc, 0);
                for (std::uint64_t n0 = 0; n0 < oc; n0 += n_block) {
                    const std::uint64_t cols = std::min(n_block, oc - n0);
                    sc_time at = load_issue();
                    if (!weights_resident || !weights_loaded) {
                        fetch(w, n0, cols, weights, m_record.weights_in, m_record.weight_buffer, at);
                        weights_loaded = true;
                    }
                    if (n0 == 0) {
                        fetch(in, img * h + static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(last - first),
                              fetched, m_record.activations_in, m_record.activation_buffer, at);
                        // Rows above and below the image are padding: zeros, materialised at the array's edge.
                        const std::uint64_t row_bytes = wd * c;
                        slab.assign(static_cast<std::uint64_t>(bottom - top) * row_bytes, 0);
                        std::copy(fetched.begin(), fetched.end(),
                                  slab.begin() + static_cast<std::ptrdiff_t>((first - top) * row_bytes));
                    }
                    flush_store();
                    pe_array::Layer tile = pe_array::Layer::conv2d(
                        "conv2d", 1, bottom - top, static_cast<std::int64_t>(wd), static_cast<std::int64_t>(c),
                        static_cast<std::int64_t>(cols), 1, 1, 0, 1, m_d.groups);
                    tile.kernel_h = m_d.kernel_h;
                    tile.kernel_w = m_d.kernel_w;
                    tile.stride_h = m_d.stride_h;
                    tile.stride_w = m_d.stride_w;
                    tile.pad_h = 0;
                    tile.pad_w = m_d.pad_w;
                    tile.dilation_h = m_d.dilation_h;
                    tile.dilation_w = m_d.dilation_w;
                    tile.weight_mode = mode_of(w);
                    tile.activation_mode = mode_of(in);
                    tile.requant = requant(in, w);
                    const pe_array::LayerResult r = compute(tile, weights, slab, at);
                    // [rows][ow][cols] into the block's [rows][ow][oc].
                    for (std::uint64_t p = 0; p < rows * ow; ++p)
                        std::copy_n(r.output.begin() + static_cast<std::ptrdiff_t>(p * cols), cols,
                                    staging.begin() + static_cast<std::ptrdiff_t>(p * oc + n0));
                }
                store(storer, staging, rows);
            }
        }
        flush_store();
    }

    // rows x K activations (chunks of `in`) times [N][K] operand `b` (chunks of K), N-blocked through the weight
    // buffer; `batch` independent products, operand b's chunks for batch i follow those of batch i-1.
    void run_gemm(const TensorDesc& b, bool b_is_weights, std::uint64_t batch) {
        const TensorDesc& in = m_d.input;
        const TensorDesc& out = m_d.output;
        require_zero_points(in, "input", b, b_is_weights ? "weights" : "input2");
        const std::uint64_t k = in.chunk_values();
        const std::uint64_t rows_total = in.chunks() / batch;
        const std::uint64_t n = b.chunks() / batch;
        if (b.chunk_values() != k)
            invalid(fmt::format("reduction mismatch: input rows hold {} values, the second operand's {}", k,
                                b.chunk_values()));
        if (out.chunks() != in.chunks() || out.chunk_values() != n)
            invalid(fmt::format("output must hold {} rows of {} values", in.chunks(), n));
        const std::uint64_t w_tile = m_cfg.weight_tile_bytes(), a_tile = m_cfg.activation_tile_bytes(),
                            o_tile = m_cfg.output_tile_bytes();
        const std::uint64_t n_block = fit(w_tile, k + 4, n);
        const std::uint64_t m_block = std::min(fit(a_tile, k + 4, rows_total), fit(o_tile, n, rows_total));
        if (n_block == 0) invalid(fmt::format("one row of K = {} values exceeds a weight-buffer tile", k));
        if (m_block == 0) invalid(fmt::format("one row of K = {} values exceeds an activation-buffer tile", k));

        std::vector<std::uint8_t> weights, acts, staging;
        ChunkStorer storer(out, m_d.spark_storage);
        for (std::uint64_t bi = 0; bi < batch; ++bi) {
            bool weights_loaded = false;
            for (std::uint64_t m0 = 0; m0 < rows_total; m0 += m_block) {
                const std::uint64_t rows = std::min(m_block, rows_total - m0);
                staging.assign(rows * n, 0);
                for (std::uint64_t n0 = 0; n0 < n; n0 += n_block) {
                    const std::uint64_t cols = std::min(n_block, n - n0);
                    sc_time at = load_issue();
                    if (n_block < n || !weights_loaded) {
                        fetch(b, bi * n + n0, cols, weights, b_is_weights ? m_record.weights_in : m_record.activations_in,
                              m_record.weight_buffer, at);
                        weights_loaded = true;
                    }
                    if (n0 == 0)
                        fetch(in, bi * rows_total + m0, rows, acts, m_record.activations_in, m_record.activation_buffer,
                              at);
                    flush_store();
                    pe_array::Layer tile = pe_array::Layer::gemm(b_is_weights ? "linear" : "matmul",
                                                                 static_cast<std::int64_t>(rows),
                                                                 static_cast<std::int64_t>(cols),
                                                                 static_cast<std::int64_t>(k));
                    tile.weight_mode = mode_of(b);
                    tile.activation_mode = mode_of(in);
                    tile.requant = requant(in, b);
                    const pe_array::LayerResult r = compute(tile, weights, acts, at);
                    for (std::uint64_t row = 0; row < rows; ++row)
                        std::copy_n(r.output.begin() + static_cast<std::ptrdiff_t>(row * cols), cols,
                                    staging.begin() + static_cast<std::ptrdiff_t>(row * n + n0));
                }
                store(storer, staging, rows);
            }
        }
        flush_store();
    }

    void run_matmul() {
        const TensorDesc& a = m_d.input;
        const TensorDesc& b = m_d.input2;
        if (a.rank < 2 || b.rank != a.rank) invalid("matmul operands must have the same rank, at least 2");
        const std::uint64_t m = a.dims[a.rank - 2];
        const std::uint64_t batch = a.chunks() / m;
        if (m_d.transpose_b) {
            run_gemm(b, false, batch);
            return;
        }
        // B is stored [K][N]: the array takes it by columns, so fetch each batch's B whole and hand the array its
        // transpose, [N][K], as a layer of its own.
        const std::uint64_t k = b.dims[b.rank - 2], n = b.dims[b.rank - 1];
        if (a.chunk_values() != k) invalid(fmt::format("matmul: A has {} columns, B {} rows", a.chunk_values(), k));
        if (k * n + 4 * k > m_cfg.weight_tile_bytes())
            invalid(fmt::format("matmul: B of {} x {} exceeds a weight-buffer tile", k, n));
        require_zero_points(a, "input", b, "input2");
        const TensorDesc& out = m_d.output;
        if (out.chunks() != a.chunks() || out.chunk_values() != n)
            invalid(fmt::format("matmul output must hold {} rows of {} values", a.chunks(), n));
        const std::uint64_t m_block =
            std::min(fit(m_cfg.activation_tile_bytes(), k + 4, m), fit(m_cfg.output_tile_bytes(), n, m));
        if (m_block == 0) invalid("matmul: one row exceeds an activation- or output-buffer tile");
        std::vector<std::uint8_t> bk, bt, acts, staging;
        ChunkStorer storer(out, m_d.spark_storage);
        for (std::uint64_t bi = 0; bi < batch; ++bi) {
            for (std::uint64_t m0 = 0; m0 < m; m0 += m_block) {
                const std::uint64_t rows = std::min(m_block, m - m0);
                sc_time at = load_issue();
                if (m0 == 0) {
                    fetch(b, bi * k, k, bk, m_record.activations_in, m_record.weight_buffer, at);
                    bt.resize(k * n);
                    for (std::uint64_t i = 0; i < k; ++i)
                        for (std::uint64_t j = 0; j < n; ++j) bt[j * k + i] = bk[i * n + j];
                }
                fetch(a, bi * m + m0, rows, acts, m_record.activations_in, m_record.activation_buffer, at);
                flush_store();
                pe_array::Layer tile = pe_array::Layer::gemm("matmul", static_cast<std::int64_t>(rows),
                                                             static_cast<std::int64_t>(n), static_cast<std::int64_t>(k));
                tile.weight_mode = mode_of(b);
                tile.activation_mode = mode_of(a);
                tile.requant = requant(a, b);
                staging = compute(tile, bt, acts, at).output;
                store(storer, staging, rows);
            }
        }
        flush_store();
    }

    static workload::QTensor to_qtensor(const TensorDesc& t, std::vector<std::uint8_t> row_major) {
        workload::QTensor q;
        for (std::uint8_t i = 0; i < t.rank; ++i) q.shape.push_back(t.dims[i]);
        q.quant.dtype = t.is_signed ? workload::DType::int8 : workload::DType::uint8;
        q.quant.scale = t.scale;
        q.quant.zero_point = t.zero_point;
        q.bytes = std::move(row_major);
        return q;
    }

    workload::QTensor fetch_whole(const TensorDesc& t) {
        std::vector<std::uint8_t> chunked;
        sc_time at = load_issue();
        const std::uint64_t filled_before = m_record.activation_buffer.write_bytes;
        fetch(t, 0, t.chunks(), chunked, m_record.activations_in, m_record.activation_buffer, at);
        // The vector unit reads back once what the DMA wrote.
        m_record.activation_buffer.read_bytes += m_record.activation_buffer.write_bytes - filled_before;
        return to_qtensor(t, chunks_to_row_major(t, chunked));
    }

    // Pooling, element-wise and layout layers on the vector unit: `vector_lanes` elements per cycle, reading its
    // inputs from and writing its output through the buffers.
    void run_vector() {
        const TensorDesc& out = m_d.output;
        const workload::QTensor a = fetch_whole(m_d.input);
        std::optional<workload::QTensor> b;
        if (m_d.opcode == Opcode::add || m_d.opcode == Opcode::concat) b = fetch_whole(m_d.input2);
        const workload::Quant out_q = to_qtensor(out, {}).quant;
        workload::Shape out_shape;
        for (std::uint8_t i = 0; i < out.rank; ++i) out_shape.push_back(out.dims[i]);
        workload::Window2d window;
        window.kernel_h = m_d.kernel_h;
        window.kernel_w = m_d.kernel_w;
        window.stride_h = m_d.stride_h;
        window.stride_w = m_d.stride_w;
        window.pad_h = m_d.pad_h;
        window.pad_w = m_d.pad_w;
        window.dilation_h = m_d.dilation_h;
        window.dilation_w = m_d.dilation_w;
        workload::QTensor result;
        try {
            switch (m_d.opcode) {
                case Opcode::max_pool: result = workload::max_pool(a, window, out_q); break;
                case Opcode::avg_pool: result = workload::avg_pool(a, window, out_q); break;
                case Opcode::global_avg_pool: result = workload::global_avg_pool(a, out_q); break;
                case Opcode::add: result = workload::add(a, *b, out_q); break;
                case Opcode::relu: result = workload::relu(a, out_q); break;
                case Opcode::reshape: result = workload::requantize(workload::reshape(a, out_shape), out_q); break;
                case Opcode::transpose: {
                    std::vector<std::int64_t> perm(m_d.perm.begin(), m_d.perm.begin() + a.shape.size());
                    result = workload::requantize(workload::transpose(a, perm), out_q);
                    break;
                }
                case Opcode::concat: result = workload::concat({&a, &*b}, m_d.axis, out_q); break;
                default: invalid(fmt::format("opcode {} is not a vector-unit operation", to_string(m_d.opcode)));
            }
        } catch (const Error& e) {
            invalid(e.what());
        }
        if (result.shape != out_shape)
            invalid(fmt::format("{} produces {} but the output tensor is {}", to_string(m_d.opcode),
                                workload::to_string(result.shape), workload::to_string(out_shape)));
        const std::uint64_t elements = std::max<std::uint64_t>(result.bytes.size(), a.bytes.size());
        const std::uint64_t cycles = ceil_div(elements, m_cfg.vector_lanes);
        const sc_time begin = std::max(m_dma_free, m_array_free);
        m_array_free = begin + m_period * static_cast<double>(cycles);
        m_record.array_cycles += cycles;
        m_record.vector_elements += result.bytes.size();
        ChunkStorer storer(out, m_d.spark_storage);
        store(storer, row_major_to_chunks(out, result.bytes), out.chunks());
        flush_store();
    }

    const DatapathConfig& m_cfg;
    const pe_array::PeArray& m_array;
    const LayerDescriptor& m_d;
    dma::DmaEngine& m_dma;
    sc_time m_period;
    sc_time m_start;
    sc_time m_dma_free;
    sc_time m_array_free;
    sc_time m_prev_compute_start;
    sc_time m_output_free;  // the last store's completion: the output buffer is empty again
    LayerRecord m_record;
    struct PendingStore {
        ChunkStorer* storer;
        std::vector<std::uint8_t> values;
        std::uint64_t chunks;
        sc_time ready;
    };
    std::optional<PendingStore> m_pending;
};

}  // namespace

Datapath::Datapath(const DatapathConfig& config) : m_config(config) { m_config.validate(); }

controller::LayerOutcome Datapath::run_layer(const std::vector<std::uint8_t>& bytes, std::uint64_t descriptor_address,
                                             dma::DmaEngine& dma, sc_time& delay) {
    controller::LayerOutcome outcome;
    LayerDescriptor d;
    try {
        d = LayerDescriptor::decode(bytes.data(), bytes.size());
    } catch (const Error& e) {
        outcome.ok = false;
        outcome.error = SPARK_ERR_DESC_INVALID;
        outcome.error_address = descriptor_address;
        outcome.message = e.what();
        return outcome;
    }
    // Raw INT8 storage bypasses the decoders and encoders (every operand is then long); SPARK storage needs them.
    if (d.spark_storage && !m_config.array.codec_enabled) {
        outcome.ok = false;
        outcome.error = SPARK_ERR_DESC_INVALID;
        outcome.error_address = descriptor_address;
        outcome.message = fmt::format("layer {}: SPARK storage on an accelerator without decoders", d.layer_id);
        return outcome;
    }
    pe_array::ArrayConfig array_config = m_config.array;
    array_config.codec_enabled = d.spark_storage;
    const pe_array::PeArray array(array_config);
    LayerRun run(m_config, array, d, dma, delay);
    try {
        run.run();
    } catch (const LayerFault& f) {
        outcome.ok = false;
        outcome.error = f.code;
        outcome.error_address = f.code == SPARK_ERR_DESC_INVALID ? descriptor_address : f.address;
        outcome.message = fmt::format("layer {} ({}): {}", d.layer_id, to_string(d.opcode), f.message);
    }
    delay = run.end();
    LayerRecord& record = run.record();
    record.cycles = static_cast<std::uint64_t>((run.end() - run.start()) / m_config.clock_period());
    outcome.cycles = record.cycles;
    outcome.macs = record.array.macs.total();
    outcome.stall_cycles = record.stall_cycles;
    if (outcome.ok && on_layer_done) on_layer_done(record);
    return outcome;
}

}  // namespace spark::accelerator
