// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

#include "spark/pe/pe.h"
#include "spark/pe_array/sync.h"

namespace spark::pe_array {

// weight_stationary: PE (i, j) holds the weights of reduction group i and output channel j; activations stream
// in from the left edge, partial sums leave at the bottom edge. output_stationary: PE (i, j) holds the
// accumulator of output row i and output channel j; activations enter from the left, weights from the top.
enum class Dataflow : std::uint8_t { weight_stationary, output_stationary };

std::string_view to_string(Dataflow dataflow);
// Accepts "ws" / "weight_stationary" and "os" / "output_stationary"; throws spark::Error naming the text.
Dataflow parse_dataflow(std::string_view text);

struct ArrayConfig {
    static constexpr unsigned DEFAULT_ROWS = 32;
    static constexpr unsigned DEFAULT_COLS = 32;
    static constexpr unsigned MAX_SIDE = 4096;
    static constexpr unsigned DEFAULT_FIFO_DEPTH = 4;
    static constexpr unsigned MAX_FIFO_DEPTH = 4096;

    unsigned rows = DEFAULT_ROWS;
    unsigned cols = DEFAULT_COLS;
    pe::PeType pe_type = pe::PeType::mixed_width;
    pe::UnitShape unit;  // pe_type unit: its widths (the layer's precision replaces unit.bits per job)
    Dataflow dataflow = Dataflow::weight_stationary;
    // Off = the pass-through variant of the INT8 baseline: no decoders or encoders, every operand 8-bit.
    bool codec_enabled = true;
    // How PEs keep in step (sync.h). `array` is global lock-step; `row`, `column` and `elastic` decouple rows,
    // columns or single PEs through FIFOs of fifo_depth entries on the edges between them.
    SyncMode sync = SyncMode::array;
    unsigned fifo_depth = DEFAULT_FIFO_DEPTH;  // entries per FIFO; unused with sync = array

    // A permanent fault for resilience studies and for testing the checks downstream: in every job the array
    // runs, bit `bit` of accumulator `accumulator` (the job's output element in row-major order) is flipped
    // before requantisation. Jobs with fewer outputs are untouched.
    struct AccumulatorFault {
        std::uint64_t accumulator = 0;
        unsigned bit = 0;  // 0..31
    };
    std::optional<AccumulatorFault> fault;

    // The paper's budget of 4096 4-bit MAC units: 32 x 32 mixed-width PEs (four 4-bit MACs each), 64 x 64 INT4
    // PEs; the INT8 baseline gets 32 x 32 PEs of two 8-bit MACs (the mixed-width array's peak 8-bit throughput)
    // and no codec.
    static ArrayConfig defaults_for(pe::PeType type);

    void validate() const;  // throws spark::Error naming the field
};

// Reads {"rows", "cols", "pe", "dataflow", "codec", "sync", "fifo_depth", "fault": {"accumulator", "bit"},
// "unit": {"pmax_bits", "pmin_bits", "bits"}}; missing fields take the PE type's defaults, unknown keys
// and bad values are errors naming `source` and the field.
ArrayConfig read_array_config(const nlohmann::json& object, const std::string& source);

}  // namespace spark::pe_array
