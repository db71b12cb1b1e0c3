// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/timing.h"

namespace spark::pe_array {

struct Stat {
    std::string name;
    std::string unit;
    std::string description;
    double value = 0.0;
};

// What the energy model and the reports need from one layer (or a sum of layers).
struct ArrayStats {
    std::uint64_t pe_count = 0;
    std::uint64_t peak_macs_per_cycle = 0;  // pe_count x lanes / step_cycles(short, short)
    std::uint64_t tiles = 0;
    std::uint64_t cycles = 0;
    std::uint64_t setup_cycles = 0;
    std::uint64_t compute_cycles = 0;
    std::uint64_t drain_cycles = 0;
    std::uint64_t steps = 0;
    pe::MacCounts macs;
    std::uint64_t busy_pe_cycles = 0;
    std::uint64_t stalled_pe_cycles = 0;
    std::uint64_t idle_pe_cycles = 0;
    std::uint64_t weight_values_in = 0;       // operand values entering the array from the weight side
    std::uint64_t activation_values_in = 0;
    std::uint64_t decoder_values = 0;         // values through the edge decoders (0 with the codec off)
    std::uint64_t decoder_nibbles = 0;        // 1 per short code, 2 per long one
    std::uint64_t encoder_values = 0;         // final outputs through the encoders (0 with the codec off)
    std::uint64_t encoder_nibbles = 0;
    std::uint64_t output_values = 0;

    double pe_utilisation() const;   // busy / (pe_count x cycles)
    double mac_utilisation() const;  // MACs / (peak_macs_per_cycle x cycles)

    void add_tile(const TileTiming& t, bool codec_enabled);
    ArrayStats& operator+=(const ArrayStats& o);
    std::vector<Stat> table() const;  // every field with its name, unit and description
};

}  // namespace spark::pe_array
