// SPDX-License-Identifier: Apache-2.0
// Calibration mode: the cost model of the ANT simulator (a fork of BitFusion's), written again from its
// description so that the baselines' numbers can be held against that simulator's. Every layer is an im2col GEMM
// on an N x M output-stationary array; a search over loop orders and power-of-two tiles that fit half of each
// buffer picks the fewest cycles; DRAM is a 1024-bit-per-cycle pipe with no latency; every operand is charged to
// its buffer once per MAC. docs/baselines.md gives the formulas and where they come from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spark/compare/design.h"
#include "spark/workload/network.h"

namespace spark::compare {

// The simulator's setup (its conf_*.ini and run script): 500 MHz, 128/256/128 KB buffers, 1024 bits per cycle
// of DRAM, batch 64, and its energy constants (nJ in the simulator; pJ here).
struct CalibrationSetup {
    double clock_mhz = 500.0;
    std::uint64_t weight_buffer_bytes = 128 * 1024;
    std::uint64_t activation_buffer_bytes = 256 * 1024;
    std::uint64_t output_buffer_bytes = 128 * 1024;
    std::uint64_t dram_bits_per_cycle = 1024;
    std::uint64_t batch = 64;
    unsigned output_bits = 16;  // partial sums leave for DRAM at 16 bits and are never read back
    // Per-bit SRAM energies (CACTI, 28 nm) and DRAM energies.
    double wbuf_read_pj_per_bit = 0.0330, wbuf_write_pj_per_bit = 0.0397;
    double ibuf_read_pj_per_bit = 0.0347, ibuf_write_pj_per_bit = 0.0486;
    double obuf_read_pj_per_bit = 0.00922, obuf_write_pj_per_bit = 0.0130;
    double dram_read_pj_per_bit = 0.644304 / 1.024, dram_write_pj_per_bit = 0.784104 / 1.024;
    double static_pj_per_cycle = 484.615 / 0.5;  // 484.615 mW at 500 MHz, which the simulator books as DRAM leakage
    // Used only to break ties between tilings of equal cycles, as the simulator does.
    double tie_dram_read_pj_per_bit = 1.18294 / 1.024, tie_dram_write_pj_per_bit = 1.47797 / 1.024;
    double tie_leak_pj_per_cycle = 3838.05 / 500.0;
};

enum class CalibrationDataflow : unsigned char { output_stationary, weight_stationary };

// One array layer as the simulator takes it: a square-window convolution over a batch (a linear layer is a 1 x 1
// convolution of a 1 x 1 image whose batch is the rows).
struct ConvShape {
    std::string layer;
    std::uint64_t batch = 1;
    std::uint64_t out_h = 1, out_w = 1;
    std::uint64_t kernel_h = 1, kernel_w = 1;
    std::uint64_t stride = 1;
    std::uint64_t in_channels = 1, out_channels = 1;  // per group
    std::uint64_t groups = 1;                          // independent convolutions of this shape
    std::uint64_t macs() const {
        return groups * batch * out_h * out_w * out_channels * in_channels * kernel_h * kernel_w;
    }
};

// The array layers of a network (conv2d and linear; the simulator has no attention matmuls) at `batch` times
// the workload's batch.
std::vector<ConvShape> calibration_layers(const workload::Network& network, std::uint64_t batch);

struct LayerCost {
    std::string layer;
    unsigned bits = 8;                // compute precision
    double stored_bits = 8.0;         // bits per value moved (differs from `bits` only for SPARK)
    std::uint64_t macs = 0;
    std::uint64_t compute_cycles = 0;
    std::uint64_t stall_cycles = 0;
    std::uint64_t cycles() const { return compute_cycles + stall_cycles; }
    double dram_read_bits = 0, dram_write_bits = 0;
    double buffer_read_bits = 0, buffer_write_bits = 0;
    double static_pj = 0, dram_pj = 0, buffer_pj = 0, core_pj = 0;
    double total_pj() const { return static_pj + dram_pj + buffer_pj + core_pj; }
    std::string tiling;  // the chosen loop order and tile sizes, for the curious
};

// The cost of one layer of `design` computing at `bits` and moving `stored_bits` per value. compute_stretch
// multiplies the array's cycles (SPARK: how much longer its array computes than with every code short).
LayerCost calibration_cost(const Design& design, const ConvShape& shape, unsigned bits, double stored_bits,
                           const CalibrationSetup& setup, CalibrationDataflow dataflow, double compute_stretch);

}  // namespace spark::compare
