// SPDX-License-Identifier: Apache-2.0
// A whole accelerator on a memory image, for the accelerator_image fuzz target, its replay and its seed generator.
//
// Input format (all little-endian):
//   byte 0      bits 0..1: IRQ_ENABLE (DONE, LAYER); bit 2: ABORT written right after START; the rest ignored
//   byte 1      DESC_COUNT (0 is a refused START)
//   bytes 2..9  DESC_ADDR (64 bits)
//   bytes 10..  the memory image from address 0; the rest of memory is zero
// Memory is kMemoryBytes at bus address 0; anything past it gets TLM_ADDRESS_ERROR_RESPONSE.
//
// The well-formed seeds are networks laid out by the project's own program builder (platform::build_program), so
// the descriptors, chunk tables and codes are the ones a driver writes; the malformed seeds are those with one field
// changed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/accelerator/accelerator.h"
#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/layout.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/platform/arch.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/workload/network.h"

namespace spark::fuzz::accel {

inline constexpr std::uint64_t kMemoryBytes = 64 * 1024;
inline constexpr std::size_t kHeaderBytes = 10;
inline constexpr std::uint64_t kBurstBytes = 64;  // the DMA's burst, so faults are reported at burst starts

inline constexpr std::uint8_t kAbortFlag = 1u << 2;

struct Header {
    std::uint8_t irq_enable = SPARK_IRQ_DONE;  // with kAbortFlag: and ABORT after START
    std::uint8_t count = 0;
    std::uint64_t descriptor_address = 0;
};

inline std::vector<std::uint8_t> encode_input(const Header& h, const std::vector<std::uint8_t>& image) {
    std::vector<std::uint8_t> bytes(kHeaderBytes);
    bytes[0] = h.irq_enable;
    bytes[1] = h.count;
    for (int i = 0; i < 8; ++i) bytes[2 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.descriptor_address >> (8 * i));
    bytes.insert(bytes.end(), image.begin(), image.end());
    return bytes;
}

inline Header decode_header(const std::uint8_t* data) {
    Header h;
    h.irq_enable = data[0];
    h.count = data[1];
    for (int i = 0; i < 8; ++i) h.descriptor_address |= std::uint64_t{data[2 + i]} << (8 * i);
    return h;
}

// The accelerator the target runs: the smallest buffers the seed networks tile through (several row blocks,
// channel blocks, blocks of chunks and strips), an 8 x 8 array and 8 decoders per edge, so a run is short.
inline platform::ArchConfig small_arch() {
    platform::ArchConfig a = platform::ArchConfig::spark_default();
    a.name = "fuzz";
    a.accelerator.datapath.array.rows = 8;
    a.accelerator.datapath.array.cols = 8;
    a.accelerator.datapath.vector_lanes = 8;
    a.accelerator.datapath.weight_decoders = 8;
    a.accelerator.datapath.activation_decoders = 8;
    a.accelerator.datapath.encoders = 8;
    for (auto* b : {&a.weight_buffer, &a.activation_buffer, &a.output_buffer}) {
        b->word_bits = 32;  // narrow words in two banks: halves of any multiple of 16 bytes
        b->banks = 2;
    }
    a.weight_buffer.capacity_bytes = 768;
    a.activation_buffer.capacity_bytes = 512;
    a.output_buffer.capacity_bytes = 512;
    a.sync_datapath();
    a.accelerator.dma.burst_bytes = static_cast<std::uint32_t>(kBurstBytes);
    a.accelerator.dma.max_outstanding = 4;
    return a;
}

// Networks small enough that a whole one (descriptors, tables, codes) fits a few KiB of input.
struct SeedNetwork {
    const char* name;
    const char* yaml;
};

inline const std::vector<SeedNetwork>& seed_networks() {
    static const std::vector<SeedNetwork> nets = {
        {"cnn", R"(network: fuzz_cnn
seed: 3
inputs:
  - {name: image, shape: [1, 4, 8, 8]}
layers:
  - {name: conv1, kind: conv2d, out_channels: 8, kernel: 3, padding: 1, output: {dtype: int8}}
  - {name: relu1, kind: relu, output: {dtype: uint8, scale: 0.05, zero_point: 0}}
  - {name: pool1, kind: max_pool, kernel: 2}
  - {name: conv2, kind: conv2d, out_channels: 8, kernel: 1}
  - {name: res, kind: add, inputs: [pool1, conv2]}
  - {name: gap, kind: global_avg_pool}
  - {name: fc, kind: linear, in_features: 8, out_features: 4, output: {dtype: int8, scale: 0.1}}
)"},
        {"attention", R"(network: fuzz_attention
seed: 7
defaults:
  activation: {dtype: int8, scale: 0.05, zero_point: 0, data: {distribution: laplace, scale: 0.25}}
  weight: {dtype: int8, scale: 0.01, zero_point: 0, data: {distribution: laplace, scale: 0.03}}
inputs:
  - {name: tokens_in, shape: [1, 4, 8]}
  - {name: class_token, shape: [1, 1, 8]}
layers:
  - {name: tokens, kind: concat, inputs: [class_token, tokens_in], axis: 1}
  - {name: q, kind: linear, in_features: 8, out_features: 8, inputs: [tokens]}
  - {name: k, kind: linear, in_features: 8, out_features: 8, inputs: [tokens]}
  - {name: scores, kind: matmul, inputs: [q, k], transpose_b: true}
  - {name: v, kind: linear, in_features: 8, out_features: 8, inputs: [tokens]}
  - {name: context, kind: matmul, inputs: [scores, v]}
  - {name: context_t, kind: transpose, perm: [0, 2, 1]}
  - {name: context_back, kind: reshape, shape: [1, 5, 8]}
  - {name: out, kind: add, inputs: [tokens, context_back]}
)"},
        {"conv_strided", R"(network: fuzz_conv_strided
seed: 11
inputs:
  - {name: image, shape: [2, 3, 7, 7]}
layers:
  - {name: conv, kind: conv2d, out_channels: 6, kernel: 3, stride: 2, padding: 1}
  - {name: dw, kind: conv2d, out_channels: 6, groups: 6, kernel: 3, padding: 1}
  - {name: pool, kind: avg_pool, kernel: 2}
)"},
        {"linear", R"(network: fuzz_linear
seed: 5
inputs:
  - {name: x, shape: [6, 24]}
layers:
  - {name: fc1, kind: linear, in_features: 24, out_features: 16, output: {dtype: uint8, scale: 0.05, zero_point: 0}}
  - {name: fc2, kind: linear, in_features: 16, out_features: 5}
)"},
    };
    return nets;
}

struct Example {
    workload::Network network;
    platform::TensorData data;
    platform::Program program;
};

inline Example build_example(const SeedNetwork& seed, bool spark_storage) {
    Example e;
    e.network = workload::parse_yaml(seed.yaml, std::string("fuzz/") + seed.name, "");
    e.data = platform::load_tensor_data(e.network);
    e.program = platform::build_program(e.network, e.data, spark_storage, 0, kMemoryBytes);
    return e;
}

// The program's image as one run of bytes from address 0 to its last written byte (outputs past it stay zero).
inline std::vector<std::uint8_t> flatten(const platform::Program& p) {
    std::uint64_t end = 0;
    for (const auto& w : p.image) end = std::max<std::uint64_t>(end, w.address + w.bytes.size());
    std::vector<std::uint8_t> image(end, 0);
    for (const auto& w : p.image) std::copy(w.bytes.begin(), w.bytes.end(), image.begin() + static_cast<std::ptrdiff_t>(w.address));
    return image;
}

inline Header header_of(const platform::Program& p) {
    Header h;
    h.count = static_cast<std::uint8_t>(p.descriptor_count);
    h.descriptor_address = p.descriptor_address;
    return h;
}

// System memory: a byte array at bus address 0. Accesses must lie wholly inside it.
class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> socket;
    std::vector<std::uint8_t> bytes;
    // Called before each read is served (the bench snapshots descriptors as the controller fetches them).
    std::function<void(std::uint64_t address, unsigned length)> on_read;

    explicit Memory(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket"), bytes(kMemoryBytes) {
        socket.register_b_transport(this, &Memory::b_transport);
        socket.register_transport_dbg(this, &Memory::transport_dbg);
    }

    bool holds(std::uint64_t address, std::uint64_t length) const {
        return address <= bytes.size() && length <= bytes.size() - address;
    }

private:
    void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
        delay += sc_core::sc_time(10, sc_core::SC_NS);
        const std::uint64_t a = t.get_address();
        const unsigned n = t.get_data_length();
        if (t.get_byte_enable_ptr() || t.get_streaming_width() != n) {
            t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
            return;
        }
        if (n == 0 || !holds(a, n)) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read()) {
            if (on_read) on_read(a, n);
            std::memcpy(t.get_data_ptr(), bytes.data() + a, n);
        } else if (t.is_write()) {
            std::memcpy(bytes.data() + a, t.get_data_ptr(), n);
        } else {
            t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return;
        }
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    unsigned transport_dbg(tlm::tlm_generic_payload& t) {
        const std::uint64_t a = t.get_address();
        const unsigned n = t.get_data_length();
        if (!holds(a, n)) return 0;
        if (t.is_read()) std::memcpy(t.get_data_ptr(), bytes.data() + a, n);
        if (t.is_write()) std::memcpy(bytes.data() + a, t.get_data_ptr(), n);
        return n;
    }
};

// What a run left in the registers.
struct RunResult {
    std::uint32_t status = 0, error = 0, layers_done = 0, irq_status = 0;
    std::uint64_t error_address = 0;
    bool irq = false;           // the line after the run
    bool irq_cleared = false;   // the line after IRQ_STATUS was written back
    bool timed_out = false;     // still busy at the time bound
    bool stuck = false;         // still busy with nothing left to simulate
    sc_core::sc_time elapsed;
    // The descriptor the run failed on, as the controller fetched it (empty when it was never fetched).
    std::vector<std::uint8_t> failed_descriptor;
};

// The accelerator, its memory, its interrupt line and a driver that programs the CSRs between sc_start calls
// (the controller's b_transport never waits, so a plain function may call it).
class Bench : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Bench> csr;
    Memory memory;
    accelerator::SparkAccelerator accelerator;
    sc_core::sc_signal<bool> irq;

    explicit Bench(sc_core::sc_module_name name, const accelerator::AcceleratorConfig& config)
        : sc_core::sc_module(name), csr("csr"), memory("memory"), accelerator("accelerator", config), irq("irq") {
        csr.bind(accelerator.csr);
        accelerator.memory.bind(memory.socket);
        accelerator.irq.bind(irq);
        memory.on_read = [this](std::uint64_t address, unsigned) { snapshot_descriptor(address); };
    }

    std::uint32_t read(std::uint32_t offset) { return access(tlm::TLM_READ_COMMAND, offset, 0); }
    void write(std::uint32_t offset, std::uint32_t value) { access(tlm::TLM_WRITE_COMMAND, offset, value); }
    std::uint64_t read64(std::uint32_t lo) { return read(lo) | (std::uint64_t{read(lo + 4)} << 32); }

    // One run: memory image, CSRs, START, then the simulation until the accelerator is idle or `bound` of
    // simulated time has passed.
    RunResult run(const Header& h, const std::uint8_t* image, std::size_t image_bytes, sc_core::sc_time bound) {
        std::fill(memory.bytes.begin(), memory.bytes.end(), std::uint8_t{0});
        std::memcpy(memory.bytes.data(), image, std::min<std::size_t>(image_bytes, memory.bytes.size()));
        write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE | SPARK_IRQ_LAYER);
        write(SPARK_REG_IRQ_ENABLE, h.irq_enable & (SPARK_IRQ_DONE | SPARK_IRQ_LAYER));
        write(SPARK_REG_DESC_ADDR_LO, static_cast<std::uint32_t>(h.descriptor_address));
        write(SPARK_REG_DESC_ADDR_HI, static_cast<std::uint32_t>(h.descriptor_address >> 32));
        write(SPARK_REG_DESC_COUNT, h.count);
        m_descriptor_address = h.descriptor_address;
        m_descriptor_count = h.count;
        m_snapshots.assign(h.count, {});
        const sc_core::sc_time started = sc_core::sc_time_stamp();
        write(SPARK_REG_CTRL, SPARK_CTRL_START);
        if (h.irq_enable & kAbortFlag) write(SPARK_REG_CTRL, SPARK_CTRL_ABORT);
        RunResult r;
        const sc_core::sc_time slice = bound / 8;
        while (read(SPARK_REG_STATUS) & SPARK_STATUS_BUSY) {
            if (sc_core::sc_time_stamp() - started >= bound) {
                r.timed_out = true;
                break;
            }
            sc_core::sc_start(slice, sc_core::SC_EXIT_ON_STARVATION);
            if ((read(SPARK_REG_STATUS) & SPARK_STATUS_BUSY) && !sc_core::sc_pending_activity()) {
                r.stuck = true;
                break;
            }
        }
        r.elapsed = sc_core::sc_time_stamp() - started;
        r.status = read(SPARK_REG_STATUS);
        r.error = read(SPARK_REG_ERROR);
        r.layers_done = read(SPARK_REG_LAYERS_DONE);
        r.error_address = read64(SPARK_REG_ERROR_ADDR_LO);
        r.irq_status = read(SPARK_REG_IRQ_STATUS);
        r.irq = irq.read();
        if (r.layers_done < m_snapshots.size()) r.failed_descriptor = m_snapshots[r.layers_done];
        write(SPARK_REG_IRQ_STATUS, SPARK_IRQ_DONE | SPARK_IRQ_LAYER);
        r.irq_cleared = !irq.read();
        return r;
    }

private:
    std::uint32_t access(tlm::tlm_command cmd, std::uint32_t offset, std::uint32_t value) {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(offset);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        csr->b_transport(t, delay);
        if (t.is_response_error())
            throw std::runtime_error("accelerator_image bench: CSR access refused: " + t.get_response_string());
        // A loosely timed initiator that syncs after every access: what the access set in motion (a start, the
        // interrupt line) happens at its annotated time.
        sc_core::sc_start(delay);
        settle();
        return value;
    }

    // Runs the delta cycles pending at the current time.
    static void settle() {
        for (int i = 0; i < 64 && sc_core::sc_pending_activity_at_current_time(); ++i) sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }

    // The controller fetches descriptor i first thing after LAYERS_DONE became i (or after START, for 0); the
    // first read at its address then is that fetch. Kept so a failure can be checked against the descriptor that
    // failed even when a layer overwrote it afterwards.
    void snapshot_descriptor(std::uint64_t address) {
        if (address < m_descriptor_address) return;
        const std::uint64_t offset = address - m_descriptor_address;
        if (offset % accelerator::LayerDescriptor::kBytes != 0) return;
        const std::uint64_t i = offset / accelerator::LayerDescriptor::kBytes;
        if (i >= m_descriptor_count || !m_snapshots[i].empty()) return;
        tlm::tlm_generic_payload t;
        std::uint32_t done = 0;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(SPARK_REG_LAYERS_DONE);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&done));
        t.set_data_length(4);
        if (csr->transport_dbg(t) != 4 || done != i) return;
        const std::uint64_t n = std::min<std::uint64_t>(accelerator::LayerDescriptor::kBytes, memory.bytes.size() - address);
        m_snapshots[i].assign(memory.bytes.begin() + static_cast<std::ptrdiff_t>(address),
                              memory.bytes.begin() + static_cast<std::ptrdiff_t>(address + n));
    }

    std::uint64_t m_descriptor_address = 0;
    std::uint64_t m_descriptor_count = 0;
    std::vector<std::vector<std::uint8_t>> m_snapshots;
};

// Every output tensor of a SPARK program, read back from memory and put in row-major order.
inline platform::TensorData read_outputs(const Example& e, const std::vector<std::uint8_t>& memory) {
    platform::TensorData out;
    namespace table = accelerator::chunk_table;
    for (const auto& pl : e.program.layers) {
        if (!pl.on_accelerator) continue;
        const accelerator::TensorDesc& t = e.program.tensors.at(pl.layer->output.name);
        const std::uint64_t entries = table::bytes(t.chunks());
        if (t.table_address + entries > memory.size())
            throw std::runtime_error("output table outside memory");
        const std::uint64_t data_bytes = table::data_bytes(memory.data() + t.table_address, t.chunks());
        if (t.data_address + data_bytes > memory.size()) throw std::runtime_error("output data outside memory");
        const auto chunked = table::decode_all(memory.data() + t.table_address, t.chunks(), t.chunk_values(),
                                               t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8,
                                               memory.data() + t.data_address, data_bytes);
        out[pl.layer->output.name] = accelerator::chunks_to_row_major(t, chunked);
    }
    return out;
}

}  // namespace spark::fuzz::accel
