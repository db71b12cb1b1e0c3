// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/sequencer.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/timeline.h"
#include "spark/codec/chunked.h"
#include "spark/common/error.h"
#include "spark/common/tlm_access.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/pe_array_sc/pe_array_module.h"
#include "spark/vector_unit_sc/vector_unit_module.h"

namespace spark::accelerator {

using sc_core::sc_time;

namespace {

// A failure inside a layer, carried to the controller's error registers.
struct LayerFault {
    std::uint32_t code;
    std::uint64_t address;
    std::string message;
};

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// The encoded bytes that `values` values with `long_values` long codes take in a buffer.
// Bytes the array's operands take in the buffer: SPARK codes by their lengths, raw values by their width.
std::uint64_t encoded_bytes(std::uint64_t values, std::uint64_t long_values, bool spark, unsigned raw_bits) {
    return spark ? ceil_div(values + long_values, 2) : ceil_div(values * raw_bits, 8);
}

codec::Mode mode_of(const TensorDesc& t) { return t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8; }

// A job to a compute block: a 4-byte job word (the tile's index) carrying the job's extension. The block's own
// annotated delay is not used: the timeline times the tile.
template <typename Socket, typename Job>
bool send_job(Socket& socket, std::uint64_t index, Job& job) {
    std::uint32_t word = static_cast<std::uint32_t>(index);
    sc_time delay = sc_core::SC_ZERO_TIME;
    return !is_error(tlm_access(socket, tlm::TLM_WRITE_COMMAND, 0, reinterpret_cast<unsigned char*>(&word), 4, delay, job));
}

}  // namespace

// One layer's steps, carried out over the sockets. Times are ticks (sc_time values), absolute.
class Sequencer::Steps : public StepExecutor {
public:
    Steps(Sequencer& seq, const LayerDescriptor& d, dma::DmaEngine& dma, LayerRecord& record)
        : m_seq(seq), m_d(d), m_dma(dma), m_record(record) {}

    std::uint64_t load(const LoadStep& step, std::uint64_t issue) override {
        const TensorDesc& t = tensor(step.source);
        const std::uint64_t per_chunk = t.chunk_values();
        if (step.count > t.chunks() || step.first > t.chunks() - step.count)  // no sum can wrap
            throw LayerFault{SPARK_ERR_DATA_INVALID, t.data_address,
                             fmt::format("{} chunks from chunk {} requested from a tensor of {}", step.count, step.first,
                                         t.chunks())};
        Region& region = m_loaded[index(step.buffer)];
        region = Region{};
        region.address = place(step);
        region.tensor = &t;
        region.counter = step.counter;
        region.buffer = step.buffer;
        region.first = step.first;
        region.count = step.count;
        if (step.count == 0) return issue;
        TransferCount& moved = step.counter == Counter::weights_in ? m_record.weights_in : m_record.activations_in;
        sc_time at = offset(issue);
        if (!m_d.spark_storage) {
            const std::uint64_t chunk_bytes = codec::raw_chunk_bytes(per_chunk, t.raw_bits);
            const std::uint64_t bytes = step.count * chunk_bytes;
            check(m_dma.load(t.data_address + step.first * chunk_bytes, region.address, bytes, at), "tensor data");
            region.data_bytes = bytes;
            moved.data_bytes += bytes;
            moved.values += step.count * per_chunk;
            moved.nibbles += 2 * bytes;
            traffic(step.buffer).write_bytes += bytes;
            return tick(at);
        }
        // The table entries first: they say which bytes to fetch.
        const chunk_table::Window w = chunk_table::window(step.first, step.count);
        m_table.resize(chunk_table::bytes(w.entries));
        check(m_dma.read(t.table_address + chunk_table::bytes(w.first_entry), m_table.data(), m_table.size(), at),
              "chunk table");
        moved.table_bytes += m_table.size();
        // A chunk of n values encodes to at most n bytes (two nibbles a value): a longer range cannot be right and
        // would spill past the tile's place in the buffer.
        if (const auto defect = chunk_table::span(m_table.data(), step.first, step.count, per_chunk, region.span))
            throw LayerFault{SPARK_ERR_DATA_INVALID, t.table_address + chunk_table::bytes(defect->entry), defect->message};
        // In the buffer the tile's table counts from its own first byte.
        m_local_table.assign(chunk_table::bytes(step.count), 0);
        for (std::uint64_t c = 0; c < step.count; ++c)
            chunk_table::put(m_local_table.data(), c, region.span.ends[c] - region.span.begin);
        const std::uint64_t data_bytes = region.span.end - region.span.begin;
        sc_time table_done = at;
        check(m_dma.write_local(region.address, m_local_table.data(), m_local_table.size(), table_done), "chunk table");
        const std::uint64_t table_done_tick = tick(table_done);  // absolute: the load below may sync
        check(m_dma.load(t.data_address + region.span.begin, region.address + m_local_table.size(), data_bytes, at),
              "tensor data");
        region.data_bytes = data_bytes;
        region.counted = false;
        moved.data_bytes += data_bytes;
        moved.values += step.count * per_chunk;
        traffic(step.buffer).write_bytes += data_bytes;
        return std::max(tick(at), table_done_tick);
    }

    TileTime compute(const TileStep& tile, std::uint64_t begin) override {
        const Region& w = m_loaded[index(BufferId::weight)];
        const Region& a = m_loaded[index(BufferId::activation)];
        if (m_seq.on_tile) m_seq.on_tile(TileEvent{m_d.layer_id, m_tiles_run, &tile, w.address, a.address});
        const PinLevelWindow& window = m_seq.m_window;
        const bool pin_level = window.enabled && tile.unit == Unit::array && m_d.layer_id == window.layer_id &&
                               (!window.tile || *window.tile == m_tiles_run);
        ++m_tiles_run;
        encoder_bank::EncodeRequest out = output_request(tile);
        m_tile_bank_bound = false;
        TileTime time;
        time.cycles = tile.unit == Unit::array ? run_array(tile, out, pin_level, begin) : run_vector(tile, out);
        time.output_cycles = out.cycles;
        m_record.encoder_cycles += out.cycles;
        if (tile.output.last) {
            Block b;
            b.address = m_output_address;
            b.chunks = tile.output.block_chunks;
            b.first_chunk = m_output_next_chunk;
            b.data_offset = m_output_data_offset;
            b.data_bytes = out.data_bytes;
            b.table_bytes = out.table_bytes;
            b.nibbles = m_d.spark_storage ? out.nibbles : 2 * out.data_bytes;
            b.approximated = out.approximated;
            m_finished.push_back(b);
            m_output_next_chunk += b.chunks;
            m_output_data_offset += b.data_bytes;
            m_output_half ^= m_seq.m_layout.output.double_buffered ? 1u : 0u;
        }
        if (time.output_cycles > time.cycles && !m_tile_bank_bound) {
            ++m_record.bank_bound_tiles;
            m_record.bank_excess_cycles += time.output_cycles - time.cycles;
        }
        return time;
    }

    std::uint64_t store(std::uint64_t issue) override {
        if (m_finished.empty()) throw LayerFault{SPARK_ERR_DESC_INVALID, 0, "a store without a finished block"};
        const Block b = m_finished.front();
        m_finished.pop_front();
        const TensorDesc& out = m_d.output;
        if (b.chunks > out.chunks() || b.first_chunk > out.chunks() - b.chunks)
            throw LayerFault{SPARK_ERR_DATA_INVALID, out.data_address,
                             fmt::format("output chunks {}..{} exceed the tensor's {}", b.first_chunk,
                                         b.first_chunk + b.chunks, out.chunks())};
        sc_time at = offset(issue);
        if (m_d.spark_storage) {
            // Data first, then the table entries that point into it.
            check(m_dma.store(b.address + b.table_bytes, out.data_address + b.data_offset, b.data_bytes, at),
                  "output data");
            check(m_dma.store(b.address, out.table_address + chunk_table::bytes(b.first_chunk), b.table_bytes, at),
                  "output chunk table");
        } else {
            check(m_dma.store(b.address,
                              out.data_address + b.first_chunk * codec::raw_chunk_bytes(out.chunk_values(), out.raw_bits),
                              b.data_bytes, at),
                  "output data");
        }
        TransferCount& moved = m_record.outputs_out;
        moved.data_bytes += b.data_bytes;
        moved.table_bytes += b.table_bytes;
        moved.values += b.chunks * out.chunk_values();
        moved.nibbles += b.nibbles;
        moved.approximated += b.approximated;
        m_record.output_buffer.write_bytes += b.data_bytes;
        m_record.output_buffer.read_bytes += b.data_bytes;
        return tick(at);
    }

    std::uint64_t tiles_run() const { return m_tiles_run; }

private:
    // What a buffer holds after a load.
    struct Region {
        std::uint64_t address = 0;
        const TensorDesc* tensor = nullptr;
        BufferId buffer = BufferId::activation;
        Counter counter = Counter::activations_in;
        std::uint64_t first = 0, count = 0;
        chunk_table::Span span;
        std::uint64_t data_bytes = 0;
        bool counted = true;  // its code nibbles are counted (raw storage: at the load; SPARK: at the first decode)
    };
    // A finished output block in the output buffer.
    struct Block {
        std::uint64_t address = 0, chunks = 0, first_chunk = 0, data_offset = 0;
        std::uint64_t data_bytes = 0, table_bytes = 0, nibbles = 0, approximated = 0;
    };

    static std::size_t index(BufferId b) { return b == BufferId::weight ? 0 : 1; }
    BufferTraffic& traffic(BufferId b) {
        return b == BufferId::weight ? m_record.weight_buffer : m_record.activation_buffer;
    }
    const TensorDesc& tensor(Source s) const {
        return s == Source::input ? m_d.input : s == Source::input2 ? m_d.input2 : m_d.weights;
    }
    static sc_time offset(std::uint64_t t) { return sc_time::from_value(t) - sc_core::sc_time_stamp(); }
    static std::uint64_t tick(const sc_time& offset) { return (sc_core::sc_time_stamp() + offset).value(); }

    // The buffer address a load goes to: the next ping-pong half, or the whole buffer.
    std::uint64_t place(const LoadStep& step) {
        const BufferWindow& win = step.buffer == BufferId::weight ? m_seq.m_layout.weight : m_seq.m_layout.activation;
        if (step.whole_buffer || !win.double_buffered) return win.base;
        unsigned& half = m_next_half[index(step.buffer)];
        const std::uint64_t address = win.base + half * (win.bytes / 2);
        half ^= 1u;
        return address;
    }

    void check(const dma::DmaResult& r, const char* what) const {
        if (r.ok) return;
        if (r.local)
            throw LayerFault{SPARK_ERR_DATA_BUS, r.fault_address,
                             fmt::format("{}: the on-chip buffer refused local address 0x{:X}", what, r.fault_address)};
        throw LayerFault{SPARK_ERR_DATA_BUS, r.fault_address, fmt::format("{}: bus error at 0x{:X}", what, r.fault_address)};
    }

    encoder_bank::EncodeRequest output_request(const TileStep& tile) {
        const BufferWindow& win = m_seq.m_layout.output;
        if (tile.output.first)
            m_output_address =
                win.base + (win.double_buffered && !tile.output.whole_buffer ? m_output_half * (win.bytes / 2) : 0);
        encoder_bank::EncodeRequest r;
        r.chunks = tile.output.block_chunks;
        r.chunk_values = m_d.output.chunk_values();
        r.stride = tile.output.block_stride;
        r.offset = tile.output.offset;
        r.cols = tile.output.cols;
        r.first = tile.output.first;
        r.last = tile.output.last;
        r.mode = mode_of(m_d.output);
        r.spark = m_d.spark_storage;
        r.raw_bits = m_d.output.raw_bits;
        r.table_base = m_output_data_offset;
        return r;
    }

    // The first decode of a SPARK tile counts its code nibbles (raw storage counted them at the load).
    void count_decoded(Region& region, const decoder_bank::StreamRequest& stream) {
        if (region.counted) return;
        region.counted = true;
        (region.counter == Counter::weights_in ? m_record.weights_in : m_record.activations_in).nibbles += stream.nibbles;
    }

    // A chunk that does not decode is named by its address in memory.
    static std::uint64_t chunk_address(const Region& r, const decoder_bank::StreamRequest& s) {
        if (!r.tensor) return 0;
        const std::uint64_t c = s.failed_chunk;
        return r.tensor->data_address + (c == 0 || c > r.span.ends.size() ? r.span.begin : r.span.ends[c - 1]);
    }

    std::uint64_t run_array(const TileStep& tile, encoder_bank::EncodeRequest& out, bool pin_level,
                            std::uint64_t begin) {
        Region& w = m_loaded[index(BufferId::weight)];
        Region& a = m_loaded[index(BufferId::activation)];
        pe_array::TileJob job;
        job.layer = tile.layer;
        job.spark = m_d.spark_storage;
        job.weights = {w.address, tile.weight_chunks, w.tensor ? w.tensor->chunk_values() : 0,
                       w.tensor ? w.tensor->raw_bits : 8u};
        job.activations = {a.address, tile.activation_chunks, a.tensor ? a.tensor->chunk_values() : 0,
                           a.tensor ? a.tensor->raw_bits : 8u};
        job.precision_bits = m_d.precision_bits;
        job.weights_by_rows = tile.weights_by_rows;
        job.zero_rows_above = tile.zero_rows_above;
        job.zero_rows_below = tile.zero_rows_below;
        job.pin_level = pin_level;
        job.pin_level_start = sc_time::from_value(begin);
        if (pin_level) {
            ++m_seq.m_pin_level_tiles;
            m_seq.m_pin_level_replays += 3 + (tile.output.last ? 1 : 0);
        }
        job.output_address = m_output_address;
        job.output = out;
        const bool ok = send_job(m_seq.pe_array, m_tiles_run, job);
        out = job.output;
        if (!ok) {
            using F = pe_array::TileJob::Fault;
            switch (job.fault) {
                case F::weights: throw LayerFault{SPARK_ERR_DATA_INVALID, chunk_address(w, job.weight_stream), job.error};
                case F::activations: throw LayerFault{SPARK_ERR_DATA_INVALID, chunk_address(a, job.activation_stream), job.error};
                case F::outputs: throw LayerFault{SPARK_ERR_DATA_INVALID, m_d.output.data_address, job.error};
                default: throw LayerFault{SPARK_ERR_DESC_INVALID, 0, job.error.empty() ? "tile job refused" : job.error};
            }
        }
        count_decoded(w, job.weight_stream);
        count_decoded(a, job.activation_stream);
        m_record.weight_decoder_cycles += job.weight_stream.cycles;
        m_record.activation_decoder_cycles += job.activation_stream.cycles;
        m_record.array += job.stats;
        ++m_record.tiles;
        // The decoders stream into the array as it computes: the slower side sets the tile's length.
        const std::uint64_t decoders = std::max(job.weight_stream.cycles, job.activation_stream.cycles);
        if (decoders > job.stats.cycles) {
            m_tile_bank_bound = true;
            ++m_record.bank_bound_tiles;
            m_record.bank_excess_cycles += decoders - job.stats.cycles;
        }
        // Every pass of the array streams its operands from the buffers again.
        for (const auto& t : job.tile_timing) {
            m_record.weight_buffer.read_bytes += encoded_bytes(t.weight_values, t.weight_long_values, m_d.spark_storage,
                                                               w.tensor ? w.tensor->raw_bits : 8u);
            m_record.activation_buffer.read_bytes += encoded_bytes(
                t.activation_values, t.activation_long_values, m_d.spark_storage, a.tensor ? a.tensor->raw_bits : 8u);
        }
        return std::max(job.stats.cycles, decoders);
    }

    std::uint64_t run_vector(const TileStep& tile, encoder_bank::EncodeRequest& out) {
        Region& a = m_loaded[index(BufferId::activation)];
        Region& b = m_loaded[index(BufferId::weight)];
        const bool two = m_d.opcode == Opcode::add || m_d.opcode == Opcode::concat;
        vector_unit::VectorJob job;
        job.layer = m_d;
        job.spark = m_d.spark_storage;
        job.part = !tile.output.whole_buffer;
        job.input = {a.address, a.first, a.count};
        if (two) job.input2 = {b.address, b.first, b.count};
        job.output_first_chunk = tile.vector_output_first;
        job.output_chunks = tile.vector_output_chunks;
        job.output_address = m_output_address;
        job.output = out;
        const bool ok = send_job(m_seq.vector_unit, m_tiles_run, job);
        out = job.output;
        if (!ok) {
            using F = vector_unit::VectorJob::Fault;
            switch (job.fault) {
                case F::input: throw LayerFault{SPARK_ERR_DATA_INVALID, chunk_address(a, job.input_stream), job.error};
                case F::input2: throw LayerFault{SPARK_ERR_DATA_INVALID, chunk_address(b, job.input2_stream), job.error};
                case F::output: throw LayerFault{SPARK_ERR_DATA_INVALID, m_d.output.data_address, job.error};
                default: throw LayerFault{SPARK_ERR_DESC_INVALID, 0, job.error.empty() ? "vector job refused" : job.error};
            }
        }
        count_decoded(a, job.input_stream);
        m_record.activation_decoder_cycles += job.input_stream.cycles;
        // The vector unit reads back once what the DMA wrote.
        traffic(a.buffer).read_bytes += a.data_bytes;
        if (two) {
            count_decoded(b, job.input2_stream);
            m_record.weight_decoder_cycles += job.input2_stream.cycles;
            traffic(b.buffer).read_bytes += b.data_bytes;
        }
        m_record.vector_elements += job.elements;
        const std::uint64_t decoders = std::max(job.input_stream.cycles, job.input2_stream.cycles);
        if (decoders > job.cycles) {
            m_tile_bank_bound = true;
            ++m_record.bank_bound_tiles;
            m_record.bank_excess_cycles += decoders - job.cycles;
        }
        return std::max(job.cycles, decoders);
    }

    Sequencer& m_seq;
    const LayerDescriptor& m_d;
    dma::DmaEngine& m_dma;
    LayerRecord& m_record;
    Region m_loaded[2];
    unsigned m_next_half[2] = {0, 0};
    unsigned m_output_half = 0;
    std::uint64_t m_output_address = 0;
    std::uint64_t m_output_next_chunk = 0, m_output_data_offset = 0;
    std::deque<Block> m_finished;
    std::uint64_t m_tiles_run = 0;
    bool m_tile_bank_bound = false;  // the tile being run was already counted as slowed by a bank
    std::vector<std::uint8_t> m_table, m_local_table;
};

Sequencer::Sequencer(sc_core::sc_module_name name, const DatapathConfig& config, const BufferLayout& layout,
                     const PinLevelWindow& window)
    : sc_core::sc_module(name),
      pe_array("pe_array"),
      vector_unit("vector_unit"),
      m_config(config),
      m_layout(layout),
      m_window(window) {
    m_config.validate();
}

TileBudget Sequencer::budget(const LayerDescriptor& d) const {
    TileBudget b{m_config.weight_tile_bytes(),   m_config.activation_tile_bytes(),  m_config.output_tile_bytes(),
                 m_config.weight_buffer_bytes,   m_config.activation_buffer_bytes, m_config.output_buffer_bytes};
    // The planners size tiles for one byte per value; values stored in 16 bits take two.
    unsigned widest = 8;
    for (const TensorDesc* t : {&d.input, &d.input2, &d.weights, &d.output}) widest = std::max<unsigned>(widest, t->raw_bits);
    if (!d.spark_storage && widest > 8)
        for (std::uint64_t* v : {&b.weight_bytes, &b.activation_bytes, &b.output_bytes, &b.weight_buffer_bytes,
                                 &b.activation_buffer_bytes, &b.output_buffer_bytes})
            *v = *v * 8 / widest;
    return b;
}

controller::LayerOutcome Sequencer::run_layer(const std::vector<std::uint8_t>& bytes, std::uint64_t descriptor_address,
                                              dma::DmaEngine& dma, sc_time& delay) {
    controller::LayerOutcome outcome;
    auto refuse = [&](std::string message) {
        outcome.ok = false;
        outcome.error = SPARK_ERR_DESC_INVALID;
        outcome.error_address = descriptor_address;
        outcome.message = std::move(message);
        return outcome;
    };
    LayerDescriptor d;
    try {
        d = LayerDescriptor::decode(bytes.data(), bytes.size());
    } catch (const Error& e) {
        return refuse(e.what());
    }
    // Raw INT8 storage bypasses the decoders and encoders (every operand is then long); SPARK storage needs them.
    if (d.spark_storage && !m_config.array.codec_enabled)
        return refuse(fmt::format("layer {}: SPARK storage on an accelerator without decoders", d.layer_id));
    LayerPlan plan;
    try {
        plan = plan_layer(d, budget(d));
    } catch (const Error& e) {
        return refuse(fmt::format("layer {} ({}): {}", d.layer_id, to_string(d.opcode), e.what()));
    }
    const std::uint64_t period = m_config.clock_period().value();
    const bool inputs_single = !m_config.weight_double_buffered || !m_config.activation_double_buffered;
    Timeline timeline((sc_core::sc_time_stamp() + delay).value(), period,
                      BufferPolicy{inputs_single, !m_config.output_double_buffered});
    LayerRecord record;
    record.layer_id = d.layer_id;
    record.opcode = d.opcode;
    Steps steps(*this, d, dma, record);
    try {
        play(plan, timeline, steps);
    } catch (const LayerFault& f) {
        outcome.ok = false;
        outcome.error = f.code;
        outcome.error_address = f.code == SPARK_ERR_DESC_INVALID ? descriptor_address : f.address;
        outcome.message = fmt::format("layer {} ({}): {}", d.layer_id, to_string(d.opcode), f.message);
    } catch (const std::exception& e) {
        // Anything else a descriptor provoked (a size past a table entry's range, say) refuses the descriptor.
        outcome.ok = false;
        outcome.error = SPARK_ERR_DESC_INVALID;
        outcome.error_address = descriptor_address;
        outcome.message = fmt::format("layer {} ({}): {}", d.layer_id, to_string(d.opcode), e.what());
    }
    delay = sc_time::from_value(timeline.end()) - sc_core::sc_time_stamp();
    record.cycles = (timeline.end() - timeline.start()) / period;
    record.array_cycles = timeline.array_cycles();
    record.stall_cycles = timeline.stall_cycles();
    record.load_cycles = timeline.load_cycles();
    record.store_cycles = timeline.store_cycles();
    outcome.cycles = record.cycles;
    outcome.macs = record.array.macs.total();
    outcome.stall_cycles = record.stall_cycles;
    if (outcome.ok && on_layer_done) on_layer_done(record);
    return outcome;
}

}  // namespace spark::accelerator
