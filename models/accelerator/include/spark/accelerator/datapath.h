// SPDX-License-Identifier: Apache-2.0
// The accelerator's datapath behind the controller: for each layer descriptor it moves tiles of encoded operands
// from memory into the weight and activation buffers, runs them through the edge decoders and the PE array (or
// the vector unit for pooling, element-wise and layout layers), encodes the outputs and writes them back.
//
// Timing contract: tiles are double-buffered. The load of tile i+1 starts when the DMA is free and tile i has
// started computing (its ping-pong half is then free); tile i computes when its load is done and the array is
// free; an output row block is written back when its last tile has computed. The layer ends when the array and
// the DMA are both done. Tiles are sized for the worst case of one byte per value (plus chunk table entries),
// so SPARK and the INT8 baseline get the same tiling and differ only in bytes moved and cycles computed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spark/accelerator/descriptor.h"
#include "spark/accelerator/tensor_io.h"
#include "spark/controller/controller.h"
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
    double clock_mhz = 500.0;

    sc_core::sc_time clock_period() const { return sc_core::sc_time(1000.0 / clock_mhz, sc_core::SC_NS); }
    void validate() const;  // throws spark::Error naming the field
    // Bytes one tile may take in each buffer: half of it when double-buffered, all of it otherwise.
    std::uint64_t weight_tile_bytes() const { return weight_buffer_bytes / (weight_double_buffered ? 2 : 1); }
    std::uint64_t activation_tile_bytes() const { return activation_buffer_bytes / (activation_double_buffered ? 2 : 1); }
    std::uint64_t output_tile_bytes() const { return output_buffer_bytes / (output_double_buffered ? 2 : 1); }
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
    std::uint64_t array_cycles = 0;    // cycles the PE array (or vector unit) was computing
    std::uint64_t stall_cycles = 0;    // cycles the array waited for its operands
    std::uint64_t load_cycles = 0;     // DMA busy with loads (chunk tables and data), summed over transfers
    std::uint64_t store_cycles = 0;    // DMA busy with write-back
    std::uint64_t tiles = 0;
    std::uint64_t vector_elements = 0; // elements the vector unit produced
    pe_array::ArrayStats array;
    TransferCount weights_in, activations_in, outputs_out;
    BufferTraffic weight_buffer, activation_buffer, output_buffer;
    std::uint64_t dram_bytes_read() const {
        return weights_in.data_bytes + weights_in.table_bytes + activations_in.data_bytes + activations_in.table_bytes;
    }
    std::uint64_t dram_bytes_written() const { return outputs_out.data_bytes + outputs_out.table_bytes; }
};

// The array's requantisation for operands of scales a and b into an output of scale `out_scale`: one float
// multiplier a * b / out, rounded to nearest; the golden reference uses the same function.
pe_array::Requant make_requant(double a_scale, double b_scale, double out_scale, std::int32_t out_zero_point,
                               bool out_signed, bool relu);

class Datapath : public controller::LayerExecutor {
public:
    explicit Datapath(const DatapathConfig& config);

    std::uint32_t descriptor_bytes() const override { return LayerDescriptor::kBytes; }
    controller::LayerOutcome run_layer(const std::vector<std::uint8_t>& descriptor, std::uint64_t descriptor_address,
                                       dma::DmaEngine& dma, sc_core::sc_time& delay) override;

    const DatapathConfig& config() const { return m_config; }
    // Called after every layer, in simulation context, before the controller advances time.
    std::function<void(const LayerRecord&)> on_layer_done;

private:
    DatapathConfig m_config;
};

}  // namespace spark::accelerator
