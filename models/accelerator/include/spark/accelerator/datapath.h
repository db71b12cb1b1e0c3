// SPDX-License-Identifier: Apache-2.0
// The datapath's settings and what it reports per layer. The datapath itself is a set of modules inside
// SparkAccelerator (accelerator.h): buffers, decoder banks, PE array, vector unit, encoder bank, sequencer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <systemc>

#include "spark/accelerator/descriptor.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/stats.h"

namespace spark::accelerator {

struct DatapathConfig {
    pe_array::ArrayConfig array;
    std::uint64_t weight_buffer_bytes = 2ull << 20;      // both ping-pong halves when double-buffered
    std::uint64_t activation_buffer_bytes = 2ull << 20;
    std::uint64_t output_buffer_bytes = 1ull << 20;
    // Ping-pong: a tile fills half a buffer while the array works on the other half. A single-buffered one
    // holds a whole-buffer tile, but its next fill (inputs) or the next tile's compute (outputs) waits.
    bool weight_double_buffered = true;
    bool activation_double_buffered = true;
    bool output_double_buffered = true;
    unsigned vector_lanes = 32;                          // vector-unit elements per cycle
    // Decoders per array edge and encoders at the output edge (the paper: 128 decoders, 64 per edge, and 64
    // encoders for 64 x 64 4-bit PEs; our default array has the same 4096 4-bit MACs).
    unsigned weight_decoders = 64;
    unsigned activation_decoders = 64;
    unsigned encoders = 64;
    double clock_mhz = 500.0;

    sc_core::sc_time clock_period() const { return sc_core::sc_time(1000.0 / clock_mhz, sc_core::SC_NS); }
    void validate() const;  // throws spark::Error naming the field
    // Bytes one tile may take in each buffer: half of it when double-buffered, all of it otherwise.
    std::uint64_t weight_tile_bytes() const { return weight_buffer_bytes / (weight_double_buffered ? 2 : 1); }
    std::uint64_t activation_tile_bytes() const { return activation_buffer_bytes / (activation_double_buffered ? 2 : 1); }
    std::uint64_t output_tile_bytes() const { return output_buffer_bytes / (output_double_buffered ? 2 : 1); }
};

struct TransferCount {
    std::uint64_t data_bytes = 0;
    std::uint64_t table_bytes = 0;
    std::uint64_t values = 0;
    std::uint64_t nibbles = 0;       // code nibbles moved (SPARK storage), 2 per value for raw storage
    std::uint64_t approximated = 0;  // values the encoders changed on the way out (SPARK storage, stores only)

    TransferCount& operator+=(const TransferCount& o) {
        data_bytes += o.data_bytes;
        table_bytes += o.table_bytes;
        values += o.values;
        nibbles += o.nibbles;
        approximated += o.approximated;
        return *this;
    }
};

// Bytes through one on-chip buffer.
struct BufferTraffic {
    std::uint64_t write_bytes = 0;
    std::uint64_t read_bytes = 0;
};

// What one layer did, for the reports and the energy model.
struct LayerRecord {
    std::uint32_t layer_id = 0;
    Opcode opcode = Opcode::conv2d;
    std::uint64_t cycles = 0;          // from the layer's first fetch to its last write
    std::uint64_t array_cycles = 0;    // cycles the PE array (or vector unit) was busy with tiles, decoders included
    std::uint64_t stall_cycles = 0;    // cycles the array waited for its operands
    std::uint64_t load_cycles = 0;     // DMA busy with loads (chunk tables and data), summed over transfers
    std::uint64_t store_cycles = 0;    // DMA busy with write-back
    std::uint64_t tiles = 0;
    std::uint64_t vector_elements = 0; // elements the vector unit produced
    // Busy cycles of the decoder banks and the encoder bank (they stream alongside the array).
    std::uint64_t weight_decoder_cycles = 0, activation_decoder_cycles = 0, encoder_cycles = 0;
    // Tiles a codec bank made longer than the array (or vector unit) alone, and by how many cycles in all.
    std::uint64_t bank_bound_tiles = 0, bank_excess_cycles = 0;
    pe_array::ArrayStats array;
    TransferCount weights_in, activations_in, outputs_out;
    BufferTraffic weight_buffer, activation_buffer, output_buffer;
    std::uint64_t dram_bytes_read() const {
        return weights_in.data_bytes + weights_in.table_bytes + activations_in.data_bytes + activations_in.table_bytes;
    }
    std::uint64_t dram_bytes_written() const { return outputs_out.data_bytes + outputs_out.table_bytes; }
};

}  // namespace spark::accelerator
