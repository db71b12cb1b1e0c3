// SPDX-License-Identifier: Apache-2.0
// When each step of a layer plan happens, without SystemC. Times are absolute, in ticks of the simulator's time
// resolution; a clock period is a whole number of ticks.
//
// The rules, written once for every opcode family:
//   - Loads issue when the DMA is free and the previous tile has started computing (its ping-pong half is then
//     free); with a single-buffered weight or activation buffer, once it has finished computing. A tile's loads
//     run back to back.
//   - A tile computes when its loads are done and the array is free; with a single-buffered output buffer, also
//     not before the previous block has left it. Cycles the array waits for operands or for the output buffer to
//     drain (after the layer's first tile) are stall cycles. A tile lasts as long as the slower of the array and the decoder banks feeding it
//     (they stream into the array as it computes).
//   - A block's outputs pass the encoder bank as they leave the array: its encoders start with the block's last
//     tile (or once they are done with the previous block, if later), and the block is ready to store when both
//     the array and the encoders are done with it.
//   - A finished output block waits in its output half until the next tile's loads have been issued: stores go
//     out after the next loads, so loads run ahead while the array computes. It leaves when the DMA is free.
//   - A vector-unit pass follows the same rules as an array tile (the unit sits at the array's edge and shares
//     its buffers and the encoders).
//   - The layer ends when the array and the DMA are both done.
// play() walks a plan through these rules and asks an executor to carry out each step.
#pragma once

#include <cstdint>

#include "spark/accelerator/plan.h"

namespace spark::accelerator {

struct BufferPolicy {
    bool inputs_single = false;  // the weight or the activation buffer is single-buffered
    bool output_single = false;
};

class Timeline {
public:
    Timeline(std::uint64_t start, std::uint64_t period, BufferPolicy policy);

    std::uint64_t load_issue() const;
    void loaded(std::uint64_t issued, std::uint64_t done);
    std::uint64_t store_issue(std::uint64_t ready) const;
    void stored(std::uint64_t issued, std::uint64_t done);
    // The start of a tile whose operands are ready at `ready`.
    std::uint64_t tile_begin(std::uint64_t ready) const;
    void tile_done(std::uint64_t ready, std::uint64_t begin, std::uint64_t cycles);

    std::uint64_t array_free() const { return m_array_free; }
    // A block whose last tile began at `begin` and whose encoders take `cycles`: when it is ready to store.
    std::uint64_t block_ready(std::uint64_t begin, std::uint64_t cycles);
    std::uint64_t start() const { return m_start; }
    std::uint64_t end() const;
    std::uint64_t period() const { return m_period; }

    std::uint64_t load_cycles() const { return m_load_cycles; }
    std::uint64_t store_cycles() const { return m_store_cycles; }
    std::uint64_t stall_cycles() const { return m_stall_cycles; }
    std::uint64_t array_cycles() const { return m_array_cycles; }
    std::uint64_t tiles() const { return m_tiles; }

private:
    std::uint64_t m_start, m_period;
    BufferPolicy m_policy;
    std::uint64_t m_dma_free, m_array_free, m_prev_compute_start, m_output_free, m_encoders_free;
    std::uint64_t m_load_cycles = 0, m_store_cycles = 0, m_stall_cycles = 0, m_array_cycles = 0, m_tiles = 0;
};

// How long a tile took: the tile itself (array or vector unit, and the decoders feeding it), and the encoders
// from the tile's start to the last code of its outputs (0 when the tile finishes no block).
struct TileTime {
    std::uint64_t cycles = 0;
    std::uint64_t output_cycles = 0;
};

// What play() asks of whoever carries the steps out (the sequencer, over its sockets). Each call returns when
// the step is done, in ticks; a failure is thrown and ends the play.
class StepExecutor {
public:
    virtual ~StepExecutor() = default;
    // Issues `step` at `issue`; returns its completion.
    virtual std::uint64_t load(const LoadStep& step, std::uint64_t issue) = 0;
    // Runs a tile that begins at `begin` on the array or the vector unit; returns its time. A tile with
    // output.last leaves a finished block in the output buffer.
    virtual TileTime compute(const TileStep& tile, std::uint64_t begin) = 0;
    // Stores the oldest finished block, issued at `issue`; returns its completion.
    virtual std::uint64_t store(std::uint64_t issue) = 0;
};

void play(const LayerPlan& plan, Timeline& timeline, StepExecutor& executor);

}  // namespace spark::accelerator
