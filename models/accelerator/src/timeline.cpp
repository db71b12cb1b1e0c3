// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/timeline.h"

#include <algorithm>

namespace spark::accelerator {

Timeline::Timeline(std::uint64_t start, std::uint64_t period, BufferPolicy policy)
    : m_start(start),
      m_period(period),
      m_policy(policy),
      m_dma_free(start),
      m_array_free(start),
      m_prev_compute_start(start),
      m_output_free(start),
      m_encoders_free(start) {}

std::uint64_t Timeline::load_issue() const {
    return std::max(m_dma_free, m_policy.inputs_single ? m_array_free : m_prev_compute_start);
}

void Timeline::loaded(std::uint64_t issued, std::uint64_t done) {
    m_load_cycles += (done - issued) / m_period;
    m_dma_free = std::max(m_dma_free, done);
}

std::uint64_t Timeline::store_issue(std::uint64_t ready) const { return std::max(m_dma_free, ready); }

void Timeline::stored(std::uint64_t issued, std::uint64_t done) {
    m_store_cycles += (done - issued) / m_period;
    m_dma_free = done;
    m_output_free = done;
}

std::uint64_t Timeline::tile_begin(std::uint64_t ready) const {
    // A single output buffer must have drained the previous block before the array writes into it again.
    if (m_policy.output_single) ready = std::max(ready, m_output_free);
    return std::max(ready, m_array_free);
}

void Timeline::tile_done(std::uint64_t ready, std::uint64_t begin, std::uint64_t cycles) {
    if (m_policy.output_single) ready = std::max(ready, m_output_free);
    if (ready > m_array_free && m_tiles > 0) m_stall_cycles += (ready - m_array_free) / m_period;
    m_prev_compute_start = begin;
    m_array_free = begin + m_period * cycles;
    m_array_cycles += cycles;
    ++m_tiles;
}

std::uint64_t Timeline::block_ready(std::uint64_t begin, std::uint64_t cycles) {
    if (cycles > 0) m_encoders_free = std::max(begin, m_encoders_free) + m_period * cycles;
    return std::max(m_array_free, cycles > 0 ? m_encoders_free : m_array_free);
}

std::uint64_t Timeline::end() const { return std::max(m_dma_free, m_array_free); }

void play(const LayerPlan& plan, Timeline& timeline, StepExecutor& executor) {
    bool pending = false;  // a finished block waits in the output buffer, ready since `ready`
    std::uint64_t ready = 0;
    auto flush = [&] {
        if (!pending) return;
        pending = false;
        const std::uint64_t issue = timeline.store_issue(ready);
        timeline.stored(issue, executor.store(issue));
    };
    for (const TileStep& tile : plan.tiles) {
        std::uint64_t at = timeline.load_issue();
        for (const LoadStep& load : tile.loads) {
            const std::uint64_t issued = at;
            at = executor.load(load, issued);
            timeline.loaded(issued, at);
        }
        flush();
        const std::uint64_t begin = timeline.tile_begin(at);
        const TileTime t = executor.compute(tile, begin);
        timeline.tile_done(at, begin, t.cycles);
        if (tile.output.last) {
            pending = true;
            ready = timeline.block_ready(begin, t.output_cycles);
        }
    }
    flush();
}

}  // namespace spark::accelerator
